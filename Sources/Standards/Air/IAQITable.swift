/// A column of the IAQI breakpoint table (HJ 633-2012 表1 / HJ 633-2026 表3): one pollutant and averaging time.
public enum IAQITable: String, Sendable, CaseIterable, Codable {
    /// SO2 24-hour (daily) mean.
    case so2_24h
    /// SO2 1-hour mean (real-time report only); defined up to 800 µg/m³ (IAQI 200).
    case so2_1h
    /// NO2 24-hour mean.
    case no2_24h
    /// NO2 1-hour mean (real-time report only).
    case no2_1h
    /// PM10 24-hour mean (2026: 日平均, also used for the 1-hour value, §4.2.4).
    case pm10_24h
    /// CO 24-hour mean, mg/m³.
    case co_24h
    /// CO 1-hour mean, mg/m³ (real-time report only).
    case co_1h
    /// O3 1-hour mean.
    case o3_1h
    /// O3 8-hour (moving) mean; defined up to 800 µg/m³ (IAQI 300).
    case o3_8h
    /// PM2.5 24-hour mean (2026: 日平均, also used for the 1-hour value, §4.2.4).
    case pm25_24h

    /// The IAQI values of the table rows: 0, 50, 100, 150, 200, 300, 400, 500.
    public static let indexRows: [Int] = [0, 50, 100, 150, 200, 300, 400, 500]

    /// The pollutant of the column.
    public var pollutant: AirPollutant {
        switch self {
        case .so2_24h, .so2_1h: .so2
        case .no2_24h, .no2_1h: .no2
        case .pm10_24h: .pm10
        case .co_24h, .co_1h: .co
        case .o3_1h, .o3_8h: .o3
        case .pm25_24h: .pm25
        }
    }

    /// The breakpoint concentrations of the column (µg/m³; CO mg/m³), one per row of ``indexRows`` as far as
    /// the column is defined.
    ///
    /// HJ 633-2012 表1 and HJ 633-2026 表3 differ only in the PM10 and PM2.5 columns at IAQI 100
    /// (PM10 150 → 120, PM2.5 75 → 60).
    /// - Parameter ruleSet: the rule set.
    public func breakpoints(_ ruleSet: AirRuleSet) -> [Int] {
        switch self {
        case .so2_24h: IAQITable.so2Daily
        case .so2_1h: IAQITable.so2Hourly
        case .no2_24h: IAQITable.no2Daily
        case .no2_1h: IAQITable.no2Hourly
        case .pm10_24h: ruleSet == .v2012 ? IAQITable.pm10Daily2012 : IAQITable.pm10Daily2026
        case .co_24h: IAQITable.coDaily
        case .co_1h: IAQITable.coHourly
        case .o3_1h: IAQITable.o3Hourly
        case .o3_8h: IAQITable.o3EightHour
        case .pm25_24h: ruleSet == .v2012 ? IAQITable.pm25Daily2012 : IAQITable.pm25Daily2026
        }
    }

    static let so2Daily = [0, 50, 150, 475, 800, 1600, 2100, 2620]
    static let so2Hourly = [0, 150, 500, 650, 800]
    static let no2Daily = [0, 40, 80, 180, 280, 565, 750, 940]
    static let no2Hourly = [0, 100, 200, 700, 1200, 2340, 3090, 3840]
    static let pm10Daily2012 = [0, 50, 150, 250, 350, 420, 500, 600]
    static let pm10Daily2026 = [0, 50, 120, 250, 350, 420, 500, 600]
    static let coDaily = [0, 2, 4, 14, 24, 36, 48, 60]
    static let coHourly = [0, 5, 10, 35, 60, 90, 120, 150]
    static let o3Hourly = [0, 160, 200, 300, 400, 800, 1000, 1200]
    static let o3EightHour = [0, 100, 160, 215, 265, 800]
    static let pm25Daily2012 = [0, 35, 75, 115, 150, 250, 350, 500]
    static let pm25Daily2026 = [0, 35, 60, 115, 150, 250, 350, 500]

    /// The IAQI of a concentration by the column's breakpoints:
    /// IAQI_P = (IAQI_Hi − IAQI_Lo)/(BP_Hi − BP_Lo) × (C_P − BP_Lo) + IAQI_Lo (HJ 633-2012 式1; HJ 633-2026 式1),
    /// rounded up to an integer ("全部进位取整数", HJ 633-2012 §6.2; "全部向上进位取整数", HJ 633-2026 §4.2.6),
    /// computed exactly.
    ///
    /// Above the column's last breakpoint the standard defines nothing: the result is capped at the last row
    /// (500; 200 for SO2 1-h; 300 for O3 8-h) and marked ``IAQIValue/beyondTable``. The special rules for SO2 1-h
    /// and O3 8-h above 800 µg/m³ are applied by the report rules, not here.
    /// - Parameters:
    ///   - concentration: the concentration (not negative).
    ///   - ruleSet: the rule set.
    /// - Returns: the IAQI.
    public func iaqi(_ concentration: ExactNumber, _ ruleSet: AirRuleSet) -> IAQIValue {
        let points = breakpoints(ruleSet)
        var upper = 1
        while upper < points.count && concentration > ExactNumber(points[upper]) { upper += 1 }
        guard upper < points.count else {
            return IAQIValue(value: IAQITable.indexRows[points.count - 1], beyondTable: true)
        }
        let lowIndex = IAQITable.indexRows[upper - 1], highIndex = IAQITable.indexRows[upper]
        let low = Int128(points[upper - 1]), high = Int128(points[upper])
        // (I_hi − I_lo)(C − BP_lo) / (BP_hi − BP_lo) with C = p/q, exactly.
        let numerator = Int128(highIndex - lowIndex) * (concentration.numerator - low * concentration.denominator)
        let denominator = (high - low) * concentration.denominator
        let step = ExactNumber(numerator, over: denominator).ceiling
        return IAQIValue(value: lowIndex + Int(step), beyondTable: false)
    }
}

/// An individual air quality index (IAQI) of one indicator.
public struct IAQIValue: Sendable, Hashable, Codable {
    /// The IAQI, an integer.
    public var value: Int
    /// `true` when the concentration lies above the last breakpoint of its column and the IAQI was capped there.
    public var beyondTable: Bool

    /// Creates an IAQI.
    /// - Parameters:
    ///   - value: the IAQI.
    ///   - beyondTable: whether it was capped above the table.
    public init(value: Int, beyondTable: Bool = false) {
        self.value = value
        self.beyondTable = beyondTable
    }
}
