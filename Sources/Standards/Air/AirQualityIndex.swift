/// One indicator of an AQI report and its IAQI.
public struct AQIIndicator: Sendable, Hashable {
    /// The report key: `so2`, `no2`, `co`, `pm10`, `pm25`, `o3_1h`, `o3_8h`.
    public var key: String
    /// The pollutant.
    public var pollutant: AirPollutant
    /// The breakpoint column used (for SO2 above 800 µg/m³ in a 2012 real-time report: the 24-hour column).
    public var table: IAQITable
    /// The concentration the IAQI was computed from (after the 2026 rounding), or `nil` when missing.
    public var concentration: ExactNumber?
    /// The IAQI, or `nil` when the concentration is missing or a rule drops this indicator.
    public var iaqi: IAQIValue?
    /// `true` when a rule of the standard drops the indicator (2012: O3 8-h above 800 µg/m³); such an indicator
    /// is not missing.
    public var dropped: Bool
    /// The special rule applied, if any, in words.
    public var rule: String?

    /// `true` when the indicator counts as missing for HJ 633-2026 §5.3.
    public var isMissing: Bool { iaqi == nil && !dropped }
}

/// An AQI report (real-time or daily) of one hour or day.
public struct AQIResult: Sendable, Hashable {
    /// The rule set used.
    public var ruleSet: AirRuleSet
    /// The indicators in report order.
    public var indicators: [AQIIndicator]
    /// The largest IAQI of the indicators that have one, or `nil` when none has.
    public var aqiOfAvailable: Int?
    /// The published AQI: all indicators present, or some missing and ``aqiOfAvailable`` > 100
    /// (HJ 633-2026 §5.3, applied by Qingshan to both rule sets); otherwise `nil` ("NA").
    public var aqi: Int?
    /// The level of ``aqi``.
    public var level: AQILevel?
    /// 首要污染物: when AQI > 50, the pollutant(s) whose IAQI equals the AQI, in the order SO2, NO2, CO, O3, PM10,
    /// PM2.5 (HJ 633-2012 §3.8, §6.3; HJ 633-2026 §3.7); empty when AQI ≤ 50; `nil` when there is no AQI.
    public var primary: [AirPollutant]?
    /// 超标污染物 (HJ 633-2012 §3.9, only in the 2012 rules; deleted in 2026): pollutants with an IAQI above
    /// 100; `nil` under the 2026 rules or without an AQI.
    public var overStandard: [AirPollutant]?

    /// `true` when no indicator is missing.
    public var isComplete: Bool { !indicators.contains(where: \.isMissing) }

    /// The indicator with a key.
    public subscript(key: String) -> AQIIndicator? { indicators.first { $0.key == key } }
}

/// The concentrations of a real-time (hourly) report.
public struct RealTimeConcentrations: Sendable, Hashable {
    /// 1-hour means (µg/m³; CO mg/m³).
    public var so2, no2, co, o3, pm10, pm25: ExactNumber?
    /// The O3 8-hour moving average ending with this hour (2012 real-time report).
    public var o3MovingAverage8h: ExactNumber?
    /// The PM10 and PM2.5 24-hour moving averages ending with this hour (2012 real-time report, letter of the
    /// standard).
    public var pm10MovingAverage24h, pm25MovingAverage24h: ExactNumber?
    /// The SO2 24-hour moving average (2012: used when SO2 1-h exceeds 800 µg/m³).
    public var so2MovingAverage24h: ExactNumber?

    /// Creates the concentrations of one hour; unknown values are `nil`.
    public init(so2: ExactNumber? = nil, no2: ExactNumber? = nil, co: ExactNumber? = nil, o3: ExactNumber? = nil,
                pm10: ExactNumber? = nil, pm25: ExactNumber? = nil, o3MovingAverage8h: ExactNumber? = nil,
                pm10MovingAverage24h: ExactNumber? = nil, pm25MovingAverage24h: ExactNumber? = nil,
                so2MovingAverage24h: ExactNumber? = nil) {
        self.so2 = so2; self.no2 = no2; self.co = co; self.o3 = o3; self.pm10 = pm10; self.pm25 = pm25
        self.o3MovingAverage8h = o3MovingAverage8h
        self.pm10MovingAverage24h = pm10MovingAverage24h
        self.pm25MovingAverage24h = pm25MovingAverage24h
        self.so2MovingAverage24h = so2MovingAverage24h
    }
}

/// The concentrations of a daily report.
public struct DailyConcentrations: Sendable, Hashable {
    /// 24-hour (daily) means (µg/m³; CO mg/m³).
    public var so2, no2, co, pm10, pm25: ExactNumber?
    /// The daily maximum 8-hour moving average of O3.
    public var o3MaximumDaily8h: ExactNumber?
    /// The daily maximum 1-hour O3 (2012 daily report only).
    public var o3MaximumDaily1h: ExactNumber?

    /// Creates the concentrations of one day; unknown values are `nil`.
    public init(so2: ExactNumber? = nil, no2: ExactNumber? = nil, co: ExactNumber? = nil, pm10: ExactNumber? = nil,
                pm25: ExactNumber? = nil, o3MaximumDaily8h: ExactNumber? = nil, o3MaximumDaily1h: ExactNumber? = nil) {
        self.so2 = so2; self.no2 = no2; self.co = co; self.pm10 = pm10; self.pm25 = pm25
        self.o3MaximumDaily8h = o3MaximumDaily8h
        self.o3MaximumDaily1h = o3MaximumDaily1h
    }
}

/// The AQI of HJ 633-2012 and HJ 633-2026.
public enum AirQualityIndex {
    /// The real-time (hourly, 实时报) AQI.
    ///
    /// - 2012 (HJ 633-2012 §5.1.3, 表4): SO2, NO2, CO, O3 1-hour IAQIs with the 1-hour columns, the O3 8-hour moving
    ///   average with the 8-hour column, and PM10/PM2.5 judged on their 24-hour moving averages with the 24-hour
    ///   columns (``PMHourlyRule/movingAverage24h``; ``PMHourlyRule/hourly1h`` takes the 1-hour value instead).
    ///   SO2 1-h above 800 µg/m³: no 1-hour IAQI, the SO2 IAQI comes from the 24-hour (moving) average (表1 note 2).
    ///   O3 8-h above 800 µg/m³: no 8-hour IAQI, O3 is judged by its 1-hour IAQI (表1 note 3). No concentration
    ///   rounding.
    /// - 2026 (HJ 633-2026 §4.2.3, §4.2.4): the six 1-hour means only, rounded by GB/T 8170 to integers (CO 0.1)
    ///   first; PM10 and PM2.5 use the 日平均 columns; SO2 1-h above 800 µg/m³ gives IAQI 200 (表3 note b).
    /// - Missing data (HJ 633-2026 §5.3): the AQI is published from the other indicators only when it exceeds 100.
    /// - Parameters:
    ///   - input: the concentrations.
    ///   - ruleSet: the rule set.
    ///   - pmHourly: the 2012 PM rule (ignored under 2026).
    /// - Returns: the report.
    public static func realTime(_ input: RealTimeConcentrations, ruleSet: AirRuleSet,
                                pmHourly: PMHourlyRule = .movingAverage24h) -> AQIResult {
        var indicators: [AQIIndicator] = []
        indicators.reserveCapacity(7)
        switch ruleSet {
        case .v2012:
            var so2 = indicator("so2", .so2_1h, input.so2, ruleSet)
            if let c = input.so2, c > ExactNumber(800) {
                so2 = indicator("so2", .so2_24h, input.so2MovingAverage24h, ruleSet)
                so2.rule = "HJ 633-2012 表1 note 2: SO2 1-h > 800 µg/m³, IAQI from the 24-h average"
            }
            indicators.append(so2)
            indicators.append(indicator("no2", .no2_1h, input.no2, ruleSet))
            indicators.append(indicator("co", .co_1h, input.co, ruleSet))
            indicators.append(indicator("o3_1h", .o3_1h, input.o3, ruleSet))
            indicators.append(o3EightHour2012(input.o3MovingAverage8h))
            let pm10 = pmHourly == .movingAverage24h ? input.pm10MovingAverage24h : input.pm10
            let pm25 = pmHourly == .movingAverage24h ? input.pm25MovingAverage24h : input.pm25
            indicators.append(indicator("pm10", .pm10_24h, pm10, ruleSet))
            indicators.append(indicator("pm25", .pm25_24h, pm25, ruleSet))
        case .v2026:
            var so2 = indicator("so2", .so2_1h, rounded(input.so2, .so2), ruleSet)
            if let c = so2.concentration, c > ExactNumber(800) {
                so2.iaqi = IAQIValue(value: 200)
                so2.rule = "HJ 633-2026 表3 note b: SO2 1-h > 800 µg/m³, IAQI = 200"
            }
            indicators.append(so2)
            indicators.append(indicator("no2", .no2_1h, rounded(input.no2, .no2), ruleSet))
            indicators.append(indicator("co", .co_1h, rounded(input.co, .co), ruleSet))
            indicators.append(indicator("o3_1h", .o3_1h, rounded(input.o3, .o3), ruleSet))
            indicators.append(indicator("pm10", .pm10_24h, rounded(input.pm10, .pm10), ruleSet))
            indicators.append(indicator("pm25", .pm25_24h, rounded(input.pm25, .pm25), ruleSet))
        }
        return combine(indicators, ruleSet: ruleSet)
    }

    /// The daily (日报) AQI.
    ///
    /// - 2012 (HJ 633-2012 §5.1.2, 表3): seven indicators: SO2, NO2, CO, PM10, PM2.5 24-hour means (24-hour
    ///   columns), the O3 daily maximum 1-hour value (1-hour column) and the O3 daily maximum 8-hour average (8-hour
    ///   column; above 800 µg/m³ dropped, 表1 note 3).
    /// - 2026 (HJ 633-2026 §4.2.2): six indicators: SO2, NO2, CO, PM10, PM2.5 daily means and the O3 daily maximum
    ///   8-hour average (above 800 µg/m³: IAQI 300, 表3 note c), each rounded by GB/T 8170 to an integer (CO 0.1)
    ///   before its IAQI; the O3 1-hour maximum is not an indicator.
    /// - Missing data (HJ 633-2026 §5.3): the AQI is published from the other indicators only when it exceeds 100.
    /// - Parameters:
    ///   - input: the daily concentrations.
    ///   - ruleSet: the rule set.
    /// - Returns: the report.
    public static func daily(_ input: DailyConcentrations, ruleSet: AirRuleSet) -> AQIResult {
        var indicators: [AQIIndicator] = []
        indicators.reserveCapacity(7)
        switch ruleSet {
        case .v2012:
            indicators.append(indicator("so2", .so2_24h, input.so2, ruleSet))
            indicators.append(indicator("no2", .no2_24h, input.no2, ruleSet))
            indicators.append(indicator("co", .co_24h, input.co, ruleSet))
            indicators.append(indicator("pm10", .pm10_24h, input.pm10, ruleSet))
            indicators.append(indicator("pm25", .pm25_24h, input.pm25, ruleSet))
            indicators.append(indicator("o3_1h", .o3_1h, input.o3MaximumDaily1h, ruleSet))
            indicators.append(o3EightHour2012(input.o3MaximumDaily8h))
        case .v2026:
            indicators.append(indicator("so2", .so2_24h, rounded(input.so2, .so2), ruleSet))
            indicators.append(indicator("no2", .no2_24h, rounded(input.no2, .no2), ruleSet))
            indicators.append(indicator("co", .co_24h, rounded(input.co, .co), ruleSet))
            indicators.append(indicator("pm10", .pm10_24h, rounded(input.pm10, .pm10), ruleSet))
            indicators.append(indicator("pm25", .pm25_24h, rounded(input.pm25, .pm25), ruleSet))
            var o3 = indicator("o3_8h", .o3_8h, rounded(input.o3MaximumDaily8h, .o3), ruleSet)
            if let c = o3.concentration, c > ExactNumber(800) {
                o3.iaqi = IAQIValue(value: 300)
                o3.rule = "HJ 633-2026 表3 note c: O3 8-h > 800 µg/m³, IAQI = 300"
            }
            indicators.append(o3)
        }
        return combine(indicators, ruleSet: ruleSet)
    }

    /// The AQI of a set of indicators: AQI = max IAQI (HJ 633-2012 式2; HJ 633-2026 式2), level and category
    /// (2012 表2, 2026 表1), primary pollutants when AQI > 50, 2012 over-standard pollutants (IAQI > 100), and the
    /// missing-data rule of HJ 633-2026 §5.3.
    /// - Parameters:
    ///   - indicators: the indicators.
    ///   - ruleSet: the rule set.
    /// - Returns: the report.
    public static func combine(_ indicators: [AQIIndicator], ruleSet: AirRuleSet) -> AQIResult {
        var maximum: Int?
        var complete = true
        for indicator in indicators {
            if let value = indicator.iaqi?.value {
                maximum = Swift.max(maximum ?? value, value)
            } else if !indicator.dropped {
                complete = false
            }
        }
        var result = AQIResult(ruleSet: ruleSet, indicators: indicators, aqiOfAvailable: maximum, aqi: nil, level: nil,
                               primary: nil, overStandard: nil)
        guard let maximum, complete || maximum > 100 else { return result }
        result.aqi = maximum
        result.level = AQILevel(aqi: maximum)
        var primary: [AirPollutant] = []
        var over: [AirPollutant] = []
        for indicator in indicators {
            guard let value = indicator.iaqi?.value else { continue }
            if maximum > 50, value == maximum, !primary.contains(indicator.pollutant) { primary.append(indicator.pollutant) }
            if value > 100, !over.contains(indicator.pollutant) { over.append(indicator.pollutant) }
        }
        result.primary = primary.sorted()
        if ruleSet == .v2012 { result.overStandard = over.sorted() }
        return result
    }

    static func indicator(_ key: String, _ table: IAQITable, _ concentration: ExactNumber?, _ ruleSet: AirRuleSet) -> AQIIndicator {
        AQIIndicator(key: key, pollutant: table.pollutant, table: table, concentration: concentration,
                     iaqi: concentration.map { table.iaqi($0, ruleSet) }, dropped: false, rule: nil)
    }

    /// HJ 633-2012 表1 note 3: O3 8-h above 800 µg/m³ has no 8-hour IAQI; O3 is judged by its 1-hour IAQI.
    static func o3EightHour2012(_ concentration: ExactNumber?) -> AQIIndicator {
        var result = indicator("o3_8h", .o3_8h, concentration, .v2012)
        if let c = concentration, c > ExactNumber(800) {
            result.iaqi = nil
            result.dropped = true
            result.rule = "HJ 633-2012 表1 note 3: O3 8-h > 800 µg/m³, no 8-h IAQI; O3 judged by its 1-h IAQI"
        }
        return result
    }

    /// HJ 633-2026 §4.2.2/§4.2.3: concentrations rounded by GB/T 8170 to integers, CO to 0.1 mg/m³.
    static func rounded(_ value: ExactNumber?, _ pollutant: AirPollutant) -> ExactNumber? {
        value.map { $0.rounded(decimals: pollutant.reportDecimals).exact }
    }
}
