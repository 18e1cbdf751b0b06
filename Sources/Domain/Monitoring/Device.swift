/// The HJ 212 dialects in the field.
public enum HJ212Dialect: String, Codable, Sendable, CaseIterable {
    /// HJ/T 212-2005.
    case v2005 = "2005"
    /// HJ 212-2017, the majority.
    case v2017 = "2017"
    /// HJ 212-2025, in force since 2026-01-01.
    case v2025 = "2025"
}

/// A data logger that reports over HJ 212, as registered with the gateway.
public struct Device: Codable, Sendable, Equatable {
    /// The unique station code (MN).
    public var mn: String
    /// The access password (PW) the device sends.
    public var password: String
    /// The dialect the device speaks.
    public var dialect: HJ212Dialect
    /// The site the device's values belong to.
    public var siteCode: String?
    /// Whether the gateway accepts its data.
    public var enabled: Bool

    enum CodingKeys: String, CodingKey { case mn, password, dialect, siteCode = "site", enabled }

    /// Creates a device.
    public init(mn: String, password: String, dialect: HJ212Dialect = .v2017, siteCode: String? = nil, enabled: Bool = true) {
        self.mn = mn
        self.password = password
        self.dialect = dialect
        self.siteCode = siteCode
        self.enabled = enabled
    }
}
