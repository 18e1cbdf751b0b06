/// Sound-level arithmetic of GB 3096-2008 附录B / HJ 640-2012.
public enum NoiseLevels {
    /// `true` for hours of the day period (昼间, 06:00–22:00, GB 3096-2008 §3.6): hours starting 06 … 21.
    /// - Parameter hourOfDay: the hour the interval starts, 0…23.
    public static func isDay(_ hourOfDay: Int) -> Bool { (6..<22).contains(hourOfDay) }

    /// The energy average L = 10·lg[(1/n)·Σ 10^(0.1·L_i)] (GB 3096-2008 附录B; HJ 640-2012 L_d/L_n), rounded by
    /// GB/T 8170 to 0.1 dB.
    ///
    /// Computed as L_max + 10·lg[(1/n)·Σ 10^(0.1·(L_i − L_max))], so equal levels return their exact value.
    /// - Parameter levels: the hourly L_eq values.
    /// - Returns: the level, or `nil` for no values.
    public static func energyAverage(_ levels: [ScaledDecimal]) -> ScaledDecimal? {
        guard let maximum = levels.max() else { return nil }
        if levels.allSatisfy({ $0 == maximum }) { return maximum.exact.rounded(decimals: 1) }
        var sum = 0.0
        for level in levels {
            sum += EnergyMath.pow10(0.1 * (level.exact - maximum.exact).doubleValue)
        }
        let correction = 10 * EnergyMath.log10(sum / Double(levels.count))
        let value = maximum.exact.doubleValue + correction
        return ScaledDecimal(units: EnergyMath.roundHalfEven(value * 10), decimals: 1)
    }
}

/// One monitoring session of a point: the day and night levels of one date and their compliance.
public struct NoiseSession: Sendable, Hashable {
    /// The point.
    public var point: String
    /// The date: day = 06:00–22:00 of it, night = 00:00–06:00 and 22:00–24:00 of it (the night hours of one
    /// 24-hour session on that date).
    public var date: CivilDate
    /// The zone.
    public var zone: NoiseZone
    /// L_d, the energy average of the day hours, to 0.1 dB; `nil` without day hours.
    public var ld: ScaledDecimal?
    /// L_n, the energy average of the night hours, to 0.1 dB; `nil` without night hours.
    public var ln: ScaledDecimal?
    /// The number of day hours used.
    public var dayHours: Int
    /// The number of night hours used.
    public var nightHours: Int

    /// Creates a session from its levels.
    public init(point: String, date: CivilDate, zone: NoiseZone, ld: ScaledDecimal?, ln: ScaledDecimal?, dayHours: Int, nightHours: Int) {
        self.point = point
        self.date = date
        self.zone = zone
        self.ld = ld
        self.ln = ln
        self.dayHours = dayHours
        self.nightHours = nightHours
    }

    /// The session of one date from hourly equivalent levels (GB 3096-2008 §3.9-3.10: 昼间 06:00-22:00, 夜间
    /// 22:00-06:00; L_d and L_n are the energy averages of the day and night hours, HJ 640-2012 §6).
    /// - Parameters:
    ///   - point: the point.
    ///   - date: the date.
    ///   - zone: the functional zone.
    ///   - hourly: hour of day (0-23) → L_eq of that hour.
    /// - Returns: the session.
    public static func from(point: String, date: CivilDate, zone: NoiseZone, hourly: [Int: ScaledDecimal]) -> NoiseSession {
        let day = hourly.filter { NoiseLevels.isDay($0.key) }.sorted { $0.key < $1.key }.map(\.value)
        let night = hourly.filter { !NoiseLevels.isDay($0.key) }.sorted { $0.key < $1.key }.map(\.value)
        return NoiseSession(point: point, date: date, zone: zone, ld: NoiseLevels.energyAverage(day),
                            ln: NoiseLevels.energyAverage(night), dayHours: day.count, nightHours: night.count)
    }

    /// L_d ≤ the day limit of the zone (reported value compared), or `nil` without L_d.
    public var dayCompliant: Bool? { ld.map { $0 <= ScaledDecimal(zone.dayLimit) } }
    /// L_n ≤ the night limit of the zone, or `nil` without L_n.
    public var nightCompliant: Bool? { ln.map { $0 <= ScaledDecimal(zone.nightLimit) } }
}

/// Compliance rates of functional-zone monitoring (HJ 640-2012; GB 3096-2008 附录B).
public struct NoiseComplianceRates: Sendable, Hashable {
    /// Day sessions with L_d.
    public var daySessions: Int
    /// Day sessions compliant.
    public var dayCompliant: Int
    /// Night sessions with L_n.
    public var nightSessions: Int
    /// Night sessions compliant.
    public var nightCompliant: Int

    /// 昼间达标率 = compliant day point-times / monitored day point-times × 100 %, to 0.1 (GB/T 8170); `nil` without
    /// sessions.
    public var dayRate: ScaledDecimal? { NoiseComplianceRates.rate(dayCompliant, daySessions) }
    /// 夜间达标率, likewise.
    public var nightRate: ScaledDecimal? { NoiseComplianceRates.rate(nightCompliant, nightSessions) }

    /// The rates of a set of sessions.
    /// - Parameter sessions: the sessions.
    public init(_ sessions: [NoiseSession]) {
        daySessions = sessions.filter { $0.ld != nil }.count
        dayCompliant = sessions.filter { $0.dayCompliant == true }.count
        nightSessions = sessions.filter { $0.ln != nil }.count
        nightCompliant = sessions.filter { $0.nightCompliant == true }.count
    }

    static func rate(_ part: Int, _ whole: Int) -> ScaledDecimal? {
        whole == 0 ? nil : ExactNumber(Int128(part) * 100, over: Int128(whole)).rounded(decimals: 1)
    }
}
