/// The JSON of `qingshan assess air --level hour`:
/// `{"standard", "hour_label", "pm_hourly", "hours": [{"time", "standard", "aqi", "level", "category", "primary",
/// "iaqi": {...}}]}`.
public struct AirHourlyReport: Encodable, Sendable {
    /// One hour.
    public struct Hour: Encodable, Sendable {
        /// The time label as in the input convention.
        public var time: String
        /// The report.
        public var result: AQIResult

        enum CodingKeys: String, CodingKey {
            case time, standard, aqi, level, category, primary, iaqi
            case levelName = "level_name", colour, overStandard = "over_standard", aqiOfAvailable = "aqi_of_available"
            case concentrations
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(time, forKey: .time)
            try container.encode(result.ruleSet.rawValue, forKey: .standard)
            try container.encodeOrNull(result.aqi, forKey: .aqi)
            try container.encodeOrNull(result.level?.rawValue, forKey: .level)
            try container.encodeOrNull(result.level?.category, forKey: .category)
            try container.encodeOrNull(result.primary?.map(\.displayName), forKey: .primary)
            var iaqi = container.nestedContainer(keyedBy: ReportKey.self, forKey: .iaqi)
            for indicator in result.indicators {
                try iaqi.encodeOrNull(indicator.iaqi?.value, forKey: ReportKey(indicator.key))
            }
            try container.encodeOrNull(result.level?.name, forKey: .levelName)
            try container.encodeOrNull(result.level?.colour, forKey: .colour)
            if result.ruleSet == .v2012 {
                try container.encodeOrNull(result.overStandard?.map(\.displayName), forKey: .overStandard)
            }
            try container.encodeOrNull(result.aqiOfAvailable, forKey: .aqiOfAvailable)
        }
    }

    /// The rule-set label (`2012`, `2026`, `2012+2026`).
    public var standard: String
    /// The hour-label convention of the input.
    public var hourLabel: HourLabel
    /// The 2012 PM rule.
    public var pmHourly: PMHourlyRule
    /// The hours in time order.
    public var hours: [Hour]

    enum CodingKeys: String, CodingKey {
        case standard, hourLabel = "hour_label", pmHourly = "pm_hourly", hours
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(standard, forKey: .standard)
        try container.encode(hourLabel, forKey: .hourLabel)
        try container.encode(pmHourly, forKey: .pmHourly)
        try container.encode(hours, forKey: .hours)
    }
}

/// The JSON of `qingshan assess air --level day`:
/// `{"standard", "area_class", "days": [{"date", "standard", "limits", "valid", "aqi", "level", "category", "primary",
/// "indicators": {"so2"|…|"o3_8h"|"o3_1h": {"value", "n", "valid", "iaqi"}}}]}`.
public struct AirDailyReport: Encodable, Sendable {
    /// The rule-set label.
    public var standard: String
    /// The area class.
    public var areaClass: AreaClass
    /// The days.
    public var days: [DailyAirReport]

    /// Creates the report.
    public init(standard: String, areaClass: AreaClass, days: [DailyAirReport]) {
        self.standard = standard
        self.areaClass = areaClass
        self.days = days
    }

    enum CodingKeys: String, CodingKey {
        case standard, areaClass = "area_class", days
    }

    enum DayKeys: String, CodingKey {
        case date, standard, limits, valid, aqi, level, category, primary, indicators
        case levelName = "level_name", colour, overStandard = "over_standard", aqiOfAvailable = "aqi_of_available"
    }

    enum IndicatorKeys: String, CodingKey {
        case value, n, valid, iaqi, exact
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(standard, forKey: .standard)
        try container.encode(areaClass.rawValue, forKey: .areaClass)
        var list = container.nestedUnkeyedContainer(forKey: .days)
        for day in days {
            var entry = list.nestedContainer(keyedBy: DayKeys.self)
            let result = day.aqi
            try entry.encode(day.date.description, forKey: .date)
            try entry.encode(day.ruleSet.rawValue, forKey: .standard)
            try entry.encode(day.limitPhase.rawValue, forKey: .limits)
            try entry.encode(day.isValidDay, forKey: .valid)
            try entry.encodeOrNull(result.aqi, forKey: .aqi)
            try entry.encodeOrNull(result.level?.rawValue, forKey: .level)
            try entry.encodeOrNull(result.level?.category, forKey: .category)
            try entry.encodeOrNull(result.primary?.map(\.displayName), forKey: .primary)
            var indicators = entry.nestedContainer(keyedBy: ReportKey.self, forKey: .indicators)
            let statistics = day.statistics
            var keyed: [(String, DailyStatistic)] = [
                ("so2", statistics.so2), ("no2", statistics.no2), ("co", statistics.co), ("pm10", statistics.pm10),
                ("pm25", statistics.pm25), ("o3_8h", statistics.o3MaximumDaily8h),
            ]
            if day.ruleSet == .v2012 { keyed.append(("o3_1h", statistics.o3MaximumDaily1h)) }
            for (key, statistic) in keyed {
                var item = indicators.nestedContainer(keyedBy: IndicatorKeys.self, forKey: ReportKey(key))
                try item.encodeDecimal(statistic.value, forKey: .value)
                try item.encode(statistic.count, forKey: .n)
                try item.encode(statistic.isValid, forKey: .valid)
                try item.encodeOrNull(result[key]?.iaqi?.value, forKey: .iaqi)
            }
            try entry.encodeOrNull(result.level?.name, forKey: .levelName)
            try entry.encodeOrNull(result.level?.colour, forKey: .colour)
            if day.ruleSet == .v2012 {
                try entry.encodeOrNull(result.overStandard?.map(\.displayName), forKey: .overStandard)
            }
            try entry.encodeOrNull(result.aqiOfAvailable, forKey: .aqiOfAvailable)
        }
    }
}

/// The JSON of `qingshan assess air --level year`:
/// `{"standard", "year", "pollutants": {"so2"|"no2"|"pm10"|"pm25"|"co"|"o3_8h": {"valid_days", "months_short",
/// "annual_valid", "mean", "percentile", "p", "compliant", "days_over_daily_limit"}}, "single_index",
/// "comprehensive_index", "aqi_days": {"valid_days", "good_days", "over_days", "per_level", "good_ratio",
/// "primary_pollutant_days"}}`, with the limits and rule sets used.
public struct AirAnnualReport: Encodable, Sendable {
    /// The rule-set label of the days (`2012+2026` for 2026 under auto).
    public var standard: String
    /// The evaluation.
    public var evaluation: AnnualAirEvaluation

    /// Creates the report.
    public init(standard: String, evaluation: AnnualAirEvaluation) {
        self.standard = standard
        self.evaluation = evaluation
    }

    enum CodingKeys: String, CodingKey {
        case standard, year, pollutants, singleIndex = "single_index", comprehensiveIndex = "comprehensive_index"
        case aqiDays = "aqi_days", limits, areaClass = "area_class", evaluationStandard = "evaluation_standard"
        case compliant
    }

    enum ItemKeys: String, CodingKey {
        case validDays = "valid_days", monthsShort = "months_short", annualValid = "annual_valid", mean, percentile, p
        case compliant, daysOverDailyLimit = "days_over_daily_limit", annualLimit = "annual_limit"
        case dailyLimit = "daily_limit", meanExceedance = "mean_exceedance", percentileExceedance = "percentile_exceedance"
    }

    enum DayKeys: String, CodingKey {
        case validDays = "valid_days", goodDays = "good_days", overDays = "over_days", perLevel = "per_level"
        case goodRatio = "good_ratio", primaryPollutantDays = "primary_pollutant_days"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(standard, forKey: .standard)
        try container.encode(evaluation.year, forKey: .year)
        var pollutants = container.nestedContainer(keyedBy: ReportKey.self, forKey: .pollutants)
        for item in evaluation.items {
            var entry = pollutants.nestedContainer(keyedBy: ItemKeys.self, forKey: ReportKey(item.item.rawValue))
            try entry.encode(item.validDays, forKey: .validDays)
            try entry.encode(item.monthsShort, forKey: .monthsShort)
            try entry.encode(item.annualValid, forKey: .annualValid)
            try entry.encodeDecimal(item.mean, forKey: .mean)
            try entry.encodeDecimal(item.percentile, forKey: .percentile)
            try entry.encode(item.item.percentileRank, forKey: .p)
            try entry.encodeOrNull(item.compliant, forKey: .compliant)
            try entry.encode(item.daysOverDailyLimit, forKey: .daysOverDailyLimit)
            try entry.encodeOrNull(item.annualLimit, forKey: .annualLimit)
            try entry.encodeOrNull(item.dailyLimit, forKey: .dailyLimit)
            try entry.encodeDecimal(item.meanExceedance, forKey: .meanExceedance)
            try entry.encodeDecimal(item.percentileExceedance, forKey: .percentileExceedance)
        }
        var single = container.nestedContainer(keyedBy: ReportKey.self, forKey: .singleIndex)
        for item in AnnualAirItem.allCases {
            try single.encodeDecimal(evaluation.singleIndex[item] ?? nil, forKey: ReportKey(item.rawValue))
        }
        try container.encodeDecimal(evaluation.comprehensiveIndex, forKey: .comprehensiveIndex)
        var days = container.nestedContainer(keyedBy: DayKeys.self, forKey: .aqiDays)
        let counts = evaluation.aqiDays
        try days.encode(counts.validDays, forKey: .validDays)
        try days.encode(counts.goodDays, forKey: .goodDays)
        try days.encode(counts.overDays, forKey: .overDays)
        var levels = days.nestedContainer(keyedBy: ReportKey.self, forKey: .perLevel)
        for (index, count) in counts.perLevel.enumerated() { try levels.encode(count, forKey: ReportKey(String(index + 1))) }
        try days.encodeDecimal(counts.goodRatio, forKey: .goodRatio)
        var primary = days.nestedContainer(keyedBy: ReportKey.self, forKey: .primaryPollutantDays)
        for pollutant in AirPollutant.allCases {
            if let count = counts.primaryPollutantDays[pollutant], count > 0 {
                try primary.encode(count, forKey: ReportKey(pollutant.displayName))
            }
        }
        try container.encode(evaluation.limitPhase.rawValue, forKey: .limits)
        try container.encode(evaluation.areaClass.rawValue, forKey: .areaClass)
        try container.encode(evaluation.ruleSet.evaluationStandard, forKey: .evaluationStandard)
        try container.encodeOrNull(evaluation.compliant, forKey: .compliant)
    }
}
