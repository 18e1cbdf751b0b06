public import Foundation
public import Standards

/// The daily air statistics of one station and local day, from its validated hourly values (HJ 663-2013 §4-5 and
/// GB 3095 表4 through ``DailyAirReport``): the 24-hour means, the O3 daily maximum 8-hour average, the daily AQI,
/// level and primary pollutants, with the hours used and the period `[from, to)`.
public struct AirDayRollup: Sendable, Equatable {
    /// The station.
    public var siteCode: String
    /// The day's report.
    public var report: DailyAirReport
    /// Hours with at least one valid value.
    public var hours: Int
    /// Valid hourly values used, all pollutants together.
    public var valueCount: Int
    /// Start of the local day (UTC instant).
    public var from: Date
    /// Start of the next local day.
    public var to: Date

    /// Computes the rollup of a day.
    /// - Parameters:
    ///   - siteCode: the station.
    ///   - day: the local day.
    ///   - values: the station's stored values of that day (other days, kinds, fields and codes are ignored).
    ///   - areaClass: the station's area class (its O3 limit decides HJ 663 §6.1.2's exception).
    ///   - standard: the rule-set choice (`auto`: the edition in force that day).
    /// - Returns: the rollup.
    public static func compute(siteCode: String, day: CivilDate, values: [ReviewedValue], areaClass: AreaClass,
                               standard: AirStandardChoice = .auto) -> AirDayRollup {
        var series = HourlyAirSeries(firstDay: day, dayCount: 1)
        var hours = Set<Int>()
        var count = 0
        for value in values where value.kind == .hour && value.field == MonitoringCodes.averageField {
            guard let pollutant = MonitoringCodes.airPollutant(code: value.code),
                  let number = value.assessable, number <= ScaledDecimal(Int(HourlyAirSeries.maximumValue)) else { continue }
            let local = LocalTime.components(value.time)
            guard local.year == day.year, local.month == day.month, local.day == day.day else { continue }
            series.set(pollutant, number, at: LocalHour(date: day, hour: local.hour))
            hours.insert(local.hour)
            count += 1
        }
        let report = DailyAirReport.compute(series, date: day, standard: standard, areaClass: areaClass)
        let from = LocalTime.start(of: day)
        return AirDayRollup(siteCode: siteCode, report: report, hours: hours.count, valueCount: count,
                            from: from, to: from.addingTimeInterval(86_400))
    }
}

extension LocalTime {
    /// The UTC instant a local (UTC+8) day begins.
    public static func start(of day: CivilDate) -> Date {
        Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 - offset))
    }

    /// The local (UTC+8) day of an instant.
    public static func civilDate(_ date: Date) -> CivilDate {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + offset
        return CivilDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }
}
