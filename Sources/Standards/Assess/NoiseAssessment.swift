/// The JSON of `qingshan assess noise`: `{"sessions": [{"point", "date", "zone", "ld", "ln", "day_limit",
/// "night_limit", "day_ok", "night_ok"}], "summary": {"day_rate", "night_rate", "by_zone"}}`.
public struct NoiseReport: Encodable, Sendable {
    /// The sessions.
    public var sessions: [NoiseSession]

    enum CodingKeys: String, CodingKey {
        case sessions, summary
    }

    enum SessionKeys: String, CodingKey {
        case point, date, zone, ld, ln, dayLimit = "day_limit", nightLimit = "night_limit", dayOK = "day_ok", nightOK = "night_ok"
        case dayHours = "day_hours", nightHours = "night_hours"
    }

    enum RateKeys: String, CodingKey {
        case dayRate = "day_rate", nightRate = "night_rate", byZone = "by_zone"
        case daySessions = "day_sessions", nightSessions = "night_sessions", dayCompliant = "day_compliant"
        case nightCompliant = "night_compliant"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var list = container.nestedUnkeyedContainer(forKey: .sessions)
        for session in sessions {
            var entry = list.nestedContainer(keyedBy: SessionKeys.self)
            try entry.encode(session.point, forKey: .point)
            try entry.encode(session.date.description, forKey: .date)
            try entry.encode(session.zone.rawValue, forKey: .zone)
            try entry.encodeDecimal(session.ld, forKey: .ld)
            try entry.encodeDecimal(session.ln, forKey: .ln)
            try entry.encode(session.zone.dayLimit, forKey: .dayLimit)
            try entry.encode(session.zone.nightLimit, forKey: .nightLimit)
            try entry.encodeOrNull(session.dayCompliant, forKey: .dayOK)
            try entry.encodeOrNull(session.nightCompliant, forKey: .nightOK)
            try entry.encode(session.dayHours, forKey: .dayHours)
            try entry.encode(session.nightHours, forKey: .nightHours)
        }
        var summary = container.nestedContainer(keyedBy: RateKeys.self, forKey: .summary)
        let all = NoiseComplianceRates(sessions)
        try encodeRates(all, into: &summary)
        var zones = summary.nestedContainer(keyedBy: ReportKey.self, forKey: .byZone)
        for zone in NoiseZone.allCases {
            let inZone = sessions.filter { $0.zone == zone }
            guard !inZone.isEmpty else { continue }
            var entry = zones.nestedContainer(keyedBy: RateKeys.self, forKey: ReportKey(zone.rawValue))
            try encodeRates(NoiseComplianceRates(inZone), into: &entry)
        }
    }

    func encodeRates(_ rates: NoiseComplianceRates, into container: inout KeyedEncodingContainer<RateKeys>) throws {
        try container.encodeDecimal(rates.dayRate, forKey: .dayRate)
        try container.encodeDecimal(rates.nightRate, forKey: .nightRate)
        try container.encode(rates.daySessions, forKey: .daySessions)
        try container.encode(rates.dayCompliant, forKey: .dayCompliant)
        try container.encode(rates.nightSessions, forKey: .nightSessions)
        try container.encode(rates.nightCompliant, forKey: .nightCompliant)
    }
}

/// Functional-zone noise assessments of an hourly file.
public enum NoiseAssessment {
    /// Reads a CSV text and computes every session's L_d and L_n, compliance and the rates.
    /// - Parameter text: the CSV text (`point,zone,time,leq`).
    /// - Returns: the report.
    /// - Throws: ``AssessInputError`` for bad input.
    public static func run(csv text: String) throws(AssessInputError) -> NoiseReport {
        NoiseReport(sessions: try NoiseCSV(text).sessions)
    }
}
