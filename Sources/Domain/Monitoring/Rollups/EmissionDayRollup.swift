public import Foundation
public import Standards

/// The amounts one outlet emitted on one local day, per pollutant: the sum of the valid hourly `-Cou` values
/// (HJ 212-2017 表5 `Cou`: 污染物排放量 over the interval); where a pollutant has no hourly amounts that day, the
/// daily (CN 2031) `-Cou` value is used instead.
public struct EmissionDayRollup: Sendable, Equatable {
    /// One pollutant's total.
    public struct Total: Sendable, Equatable {
        /// The pollutant code.
        public var code: String
        /// The amount (kg; m³ for flow).
        public var total: Double
        /// Values summed.
        public var count: Int
    }

    /// The outlet.
    public var siteCode: String
    /// The local day.
    public var day: CivilDate
    /// Totals by pollutant, ordered by code.
    public var totals: [Total]
    /// Start of the local day.
    public var from: Date
    /// Start of the next local day.
    public var to: Date

    /// Computes the rollup of a day.
    /// - Parameters:
    ///   - siteCode: the outlet.
    ///   - day: the local day.
    ///   - values: the outlet's values of that day.
    /// - Returns: the rollup.
    public static func compute(siteCode: String, day: CivilDate, values: [ReviewedValue]) -> EmissionDayRollup {
        var hourly: [String: (ExactNumber, Int)] = [:]
        var daily: [String: (ExactNumber, Int)] = [:]
        for value in values where value.field == MonitoringCodes.cumulativeField {
            guard value.kind == .hour || value.kind == .day, let amount = value.assessable,
                  LocalTime.civilDate(value.time) == day else { continue }
            if value.kind == .hour {
                let entry = hourly[value.code] ?? (.zero, 0)
                hourly[value.code] = ((entry.0 + amount.exact).reduced, entry.1 + 1)
            } else {
                let entry = daily[value.code] ?? (.zero, 0)
                daily[value.code] = ((entry.0 + amount.exact).reduced, entry.1 + 1)
            }
        }
        let codes = Set(hourly.keys).union(daily.keys).sorted()
        let totals = codes.map { code in
            let (sum, count) = hourly[code] ?? daily[code]!
            return Total(code: code, total: sum.doubleValue, count: count)
        }
        let from = LocalTime.start(of: day)
        return EmissionDayRollup(siteCode: siteCode, day: day, totals: totals, from: from, to: from.addingTimeInterval(86_400))
    }
}
