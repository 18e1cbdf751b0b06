/// A site's local calendar day whose rollups (air day, water month, noise day, emission day) must be recomputed
/// because values of it were stored, corrected or invalidated.
public struct RollupKey: Hashable, Sendable, Codable {
    /// The site's code.
    public var siteCode: String
    /// The local day, `YYYY-MM-DD`.
    public var day: String

    /// Creates a key.
    public init(siteCode: String, day: String) {
        self.siteCode = siteCode
        self.day = day
    }
}
