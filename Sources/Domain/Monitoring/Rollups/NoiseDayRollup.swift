public import Foundation
public import Standards

/// The day and night levels of one noise point and local day (GB 3096-2008, HJ 640-2012) from its valid hourly
/// equivalent levels (`Leq`, field `Avg`).
public struct NoiseDayRollup: Sendable, Equatable {
    /// The point.
    public var siteCode: String
    /// L_d, L_n and their compliance with the zone's limits.
    public var session: NoiseSession
    /// Start of the local day.
    public var from: Date
    /// Start of the next local day.
    public var to: Date

    /// Computes the rollup of a day.
    /// - Parameters:
    ///   - siteCode: the point.
    ///   - day: the local day.
    ///   - zone: the point's functional zone.
    ///   - values: the point's values of that day.
    /// - Returns: the rollup.
    public static func compute(siteCode: String, day: CivilDate, zone: NoiseZone, values: [ReviewedValue]) -> NoiseDayRollup {
        var hourly: [Int: ScaledDecimal] = [:]
        for value in values where value.kind == .hour && value.code == MonitoringCodes.noiseLevel
            && value.field == MonitoringCodes.averageField {
            guard let level = value.assessable, level <= ScaledDecimal(200) else { continue }
            let local = LocalTime.components(value.time)
            guard local.year == day.year, local.month == day.month, local.day == day.day else { continue }
            hourly[local.hour] = level
        }
        let from = LocalTime.start(of: day)
        return NoiseDayRollup(siteCode: siteCode, session: NoiseSession.from(point: siteCode, date: day, zone: zone, hourly: hourly),
                              from: from, to: from.addingTimeInterval(86_400))
    }
}
