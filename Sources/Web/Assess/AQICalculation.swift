import Standards

/// The answer of `POST /api/v1/assess/aqi` and of the calculator page: the AQI of one hour or day with each IAQI.
struct AQICalculation: Encodable, Sendable {
    var report: String
    var date: CivilDate
    var result: AQIResult

    enum CodingKeys: String, CodingKey {
        case standard, report, date, aqi, level, levelName = "level_name", category, colour, primary
        case overStandard = "over_standard", aqiOfAvailable = "aqi_of_available", complete, iaqi, indicators
    }

    enum IndicatorKeys: String, CodingKey {
        case key, pollutant, table, concentration, iaqi, beyondTable = "beyond_table", dropped, rule
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result.ruleSet.rawValue, forKey: .standard)
        try container.encode(report, forKey: .report)
        try container.encode(date.description, forKey: .date)
        try container.encode(result.aqi, forKey: .aqi)
        try container.encode(result.level?.rawValue, forKey: .level)
        try container.encode(result.level?.name, forKey: .levelName)
        try container.encode(result.level?.category, forKey: .category)
        try container.encode(result.level?.colour, forKey: .colour)
        try container.encode(result.primary?.map(\.displayName), forKey: .primary)
        if result.ruleSet == .v2012 { try container.encode(result.overStandard?.map(\.displayName), forKey: .overStandard) }
        try container.encode(result.aqiOfAvailable, forKey: .aqiOfAvailable)
        try container.encode(result.isComplete, forKey: .complete)
        var iaqi = container.nestedContainer(keyedBy: ReportKey.self, forKey: .iaqi)
        for indicator in result.indicators { try iaqi.encode(indicator.iaqi?.value, forKey: ReportKey(indicator.key)) }
        var list = container.nestedUnkeyedContainer(forKey: .indicators)
        for indicator in result.indicators {
            var entry = list.nestedContainer(keyedBy: IndicatorKeys.self)
            try entry.encode(indicator.key, forKey: .key)
            try entry.encode(indicator.pollutant.displayName, forKey: .pollutant)
            try entry.encode(indicator.table.rawValue, forKey: .table)
            try entry.encode(indicator.concentration.map { $0.rounded(decimals: 3).doubleValue }, forKey: .concentration)
            try entry.encode(indicator.iaqi?.value, forKey: .iaqi)
            try entry.encode(indicator.iaqi?.beyondTable ?? false, forKey: .beyondTable)
            try entry.encode(indicator.dropped, forKey: .dropped)
            try entry.encode(indicator.rule, forKey: .rule)
        }
    }

    /// Computes the AQI of a request.
    /// - Parameters:
    ///   - report: `hour` or `day`.
    ///   - standard: the rule-set choice.
    ///   - date: the date `auto` chooses by.
    ///   - pmHourly: the 2012 real-time PM rule.
    ///   - values: concentrations by key (see ``AQIRequest/concentrations``).
    static func compute(report: String, standard: AirStandardChoice, date: CivilDate, pmHourly: PMHourlyRule,
                        values: [String: ScaledDecimal]) -> AQICalculation {
        let ruleSet = standard.ruleSet(on: date)
        func value(_ key: String) -> ExactNumber? { values[key]?.exact }
        let result: AQIResult
        if report == "day" {
            result = AirQualityIndex.daily(
                DailyConcentrations(so2: value("so2"), no2: value("no2"), co: value("co"), pm10: value("pm10"), pm25: value("pm25"),
                                    o3MaximumDaily8h: value("o3_8h"), o3MaximumDaily1h: value("o3_1h") ?? value("o3")),
                ruleSet: ruleSet)
        } else {
            result = AirQualityIndex.realTime(
                RealTimeConcentrations(so2: value("so2"), no2: value("no2"), co: value("co"), o3: value("o3") ?? value("o3_1h"),
                                       pm10: value("pm10"), pm25: value("pm25"), o3MovingAverage8h: value("o3_8h"),
                                       pm10MovingAverage24h: value("pm10_24h"), pm25MovingAverage24h: value("pm25_24h"),
                                       so2MovingAverage24h: value("so2_24h")),
                ruleSet: ruleSet, pmHourly: pmHourly)
        }
        return AQICalculation(report: report, date: date, result: result)
    }
}
