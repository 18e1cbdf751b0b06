/// A coding key made from a string, for objects whose keys are data (`iaqi`, `per_level`, `by_zone`).
public struct ReportKey: CodingKey, Hashable, Sendable {
    /// The key.
    public var stringValue: String
    /// Always `nil`.
    public var intValue: Int? { nil }

    /// Creates a key.
    /// - Parameter stringValue: the key.
    public init(_ stringValue: String) { self.stringValue = stringValue }
    /// Creates a key.
    /// - Parameter stringValue: the key.
    public init?(stringValue: String) { self.stringValue = stringValue }
    /// Integer keys are not used.
    public init?(intValue: Int) { nil }
}

extension KeyedEncodingContainer {
    /// Encodes a reported decimal as a JSON number (its nearest `Double`, printed in shortest form: `35`, `1.2`), or
    /// `null`.
    mutating func encodeDecimal(_ value: ScaledDecimal?, forKey key: Key) throws {
        try encode(value?.doubleValue, forKey: key)
    }

    /// Encodes a value, writing `null` for `nil` (synthesised `Codable` would omit the key).
    mutating func encodeOrNull<T: Encodable>(_ value: T?, forKey key: Key) throws {
        try encode(value, forKey: key)
    }
}

extension KeyedDecodingContainer {
    /// Decodes a reported decimal written as a JSON number (decimals as in its shortest text).
    func decodeDecimal(forKey key: Key) throws -> ScaledDecimal? {
        guard let double = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        return ScaledDecimal.parse(Substring(String(double)), maximumDecimals: 9)
    }
}

/// The rule set label of a result: `2012`, `2026`, or `2012+2026` when both were used (auto, straddling
/// 2026-03-01).
/// - Parameters:
///   - ruleSets: the rule sets used.
///   - choice: the choice made, for when nothing was computed.
/// - Returns: the label.
func standardLabel(_ ruleSets: Set<AirRuleSet>, choice: AirStandardChoice) -> String {
    if ruleSets.count == 2 { return "2012+2026" }
    if let only = ruleSets.first { return only.rawValue }
    switch choice {
    case .auto: return "auto"
    case .fixed(let ruleSet): return ruleSet.rawValue
    }
}
