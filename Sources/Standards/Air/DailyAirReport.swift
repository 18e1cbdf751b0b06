/// The daily report of one natural day: statistics, rule set, limits and AQI.
public struct DailyAirReport: Sendable, Hashable {
    /// The daily statistics.
    public var statistics: DailyAirStatistics
    /// The rule set in force for the day.
    public var ruleSet: AirRuleSet
    /// The concentration limits in force for the day.
    public var limitPhase: LimitPhase
    /// The daily AQI.
    public var aqi: AQIResult

    /// The day.
    public var date: CivilDate { statistics.date }

    /// A valid day for the good-days ratio: an AQI is published (all daily indicators valid, or the AQI of the
    /// available ones above 100: HJ 633-2026 §5.3.1, applied to both rule sets, digest §3.6).
    public var isValidDay: Bool { aqi.aqi != nil }

    /// Computes the report of one day.
    /// - Parameters:
    ///   - series: the hourly data.
    ///   - date: the day.
    ///   - standard: the rule-set choice.
    ///   - areaClass: the area class (its O3 8-hour limit decides the HJ 663 §6.1.2 exception).
    /// - Returns: the report.
    public static func compute(_ series: HourlyAirSeries, date: CivilDate, standard: AirStandardChoice,
                               areaClass: AreaClass) -> DailyAirReport {
        let ruleSet = standard.ruleSet(on: date)
        let phase = standard.limitPhase(on: date)
        let o3Limit = AirQualityLimits.limit(.o3, .maximumDaily8h, areaClass: areaClass, phase: phase) ?? 160
        let statistics = DailyAirStatistics.compute(series, date: date, o3Limit: o3Limit)
        return DailyAirReport(statistics: statistics, ruleSet: ruleSet, limitPhase: phase,
                              aqi: AirQualityIndex.daily(statistics.concentrations, ruleSet: ruleSet))
    }

    /// The report of a day whose statistics are already known (e.g. stored rollups, or a city's mean of its
    /// stations' daily values, HJ 663 §5.2): the rule set and limits in force that day and the daily AQI from them.
    /// - Parameters:
    ///   - statistics: the day's statistics.
    ///   - standard: the rule-set choice.
    /// - Returns: the report.
    public static func from(_ statistics: DailyAirStatistics, standard: AirStandardChoice) -> DailyAirReport {
        let ruleSet = standard.ruleSet(on: statistics.date)
        return DailyAirReport(statistics: statistics, ruleSet: ruleSet, limitPhase: standard.limitPhase(on: statistics.date),
                              aqi: AirQualityIndex.daily(statistics.concentrations, ruleSet: ruleSet))
    }

    /// The reports of every day of a series.
    /// - Parameters:
    ///   - series: the hourly data.
    ///   - standard: the rule-set choice.
    ///   - areaClass: the area class.
    /// - Returns: one report a day, in order.
    public static func compute(_ series: HourlyAirSeries, standard: AirStandardChoice, areaClass: AreaClass) -> [DailyAirReport] {
        series.days.map { compute(series, date: $0, standard: standard, areaClass: areaClass) }
    }
}
