/// Hourly concentrations of one station over whole natural days, indexed by hour (start-labelled internally).
///
/// Values are stored exactly in units of 10⁻⁹ (µg/m³; CO mg/m³); a missing hour is empty. Build it from the
/// rows of a file (``AirCSV``) or directly with ``set(_:_:at:)``.
public struct HourlyAirSeries: Sendable {
    /// The scale of the stored values: 10⁹ units per µg/m³ (mg/m³ for CO).
    public static let scale: Int64 = 1_000_000_000
    /// The largest concentration accepted (values above are refused by the readers).
    public static let maximumValue: Int64 = 10_000_000

    /// The day number of the first day.
    public let firstDayNumber: Int
    /// The number of days covered.
    public let dayCount: Int
    /// Per pollutant (``AirPollutant/allCases`` order), `dayCount * 24` values in 10⁻⁹ units, `-1` when missing.
    var storage: [[Int64]]

    /// Creates an empty series.
    /// - Parameters:
    ///   - firstDay: the first natural day.
    ///   - dayCount: the number of days.
    public init(firstDay: CivilDate, dayCount: Int) {
        firstDayNumber = firstDay.dayNumber
        self.dayCount = max(0, dayCount)
        storage = Array(repeating: Array(repeating: -1, count: self.dayCount * 24), count: AirPollutant.allCases.count)
    }

    /// The first day.
    public var firstDay: CivilDate { CivilDate(dayNumber: firstDayNumber) }
    /// The days covered, in order.
    public var days: [CivilDate] { (0..<dayCount).map { CivilDate(dayNumber: firstDayNumber + $0) } }

    /// Sets (or clears) one hourly value.
    /// - Parameters:
    ///   - pollutant: the pollutant.
    ///   - value: the concentration, at most 9 decimals, 0 … 10 000 000; `nil` clears.
    ///   - hour: the hour interval; must lie inside the covered days.
    public mutating func set(_ pollutant: AirPollutant, _ value: ScaledDecimal?, at hour: LocalHour) {
        let index = hour.number - firstDayNumber * 24
        precondition(index >= 0 && index < dayCount * 24, "hour outside the series")
        storage[HourlyAirSeries.slot(pollutant)][index] = value.map(HourlyAirSeries.units) ?? -1
    }

    /// The hourly value, or `nil` when missing or outside the series.
    /// - Parameters:
    ///   - pollutant: the pollutant.
    ///   - hour: the hour interval.
    public func value(_ pollutant: AirPollutant, at hour: LocalHour) -> ExactNumber? {
        let index = hour.number - firstDayNumber * 24
        guard index >= 0 && index < dayCount * 24 else { return nil }
        let units = storage[HourlyAirSeries.slot(pollutant)][index]
        return units < 0 ? nil : ExactNumber(Int128(units), over: Int128(HourlyAirSeries.scale))
    }

    /// The moving average of the `width` hours ending with `hour` (HJ 663 表A.1: the 8-hour average at X is the
    /// mean of X-7 … X), valid with at least `minimum` values (GB 3095 表4: 6 of 8; 20 of 24).
    /// - Parameters:
    ///   - pollutant: the pollutant.
    ///   - hour: the last hour of the window.
    ///   - width: the window, in hours.
    ///   - minimum: the fewest valid hours.
    /// - Returns: the exact mean, or `nil` when too few hours are valid.
    public func movingAverage(_ pollutant: AirPollutant, endingWith hour: LocalHour, width: Int, minimum: Int) -> ExactNumber? {
        let values = storage[HourlyAirSeries.slot(pollutant)]
        let end = hour.number - firstDayNumber * 24
        var sum: Int64 = 0
        var count = 0
        let lower = max(0, end - width + 1), upper = min(values.count - 1, end)
        if lower <= upper {
            for index in lower...upper where values[index] >= 0 {
                sum += values[index]
                count += 1
            }
        }
        guard count >= minimum, count > 0 else { return nil }
        return ExactNumber(Int128(sum), over: Int128(count) * Int128(HourlyAirSeries.scale))
    }

    /// The real-time report concentrations of one hour: the 1-hour values, the O3 8-hour moving average (6 of 8
    /// hours), and the PM10, PM2.5 and SO2 24-hour moving averages (20 of 24 hours).
    /// - Parameter hour: the hour.
    public func realTimeConcentrations(at hour: LocalHour) -> RealTimeConcentrations {
        RealTimeConcentrations(
            so2: value(.so2, at: hour), no2: value(.no2, at: hour), co: value(.co, at: hour), o3: value(.o3, at: hour),
            pm10: value(.pm10, at: hour), pm25: value(.pm25, at: hour),
            o3MovingAverage8h: movingAverage(.o3, endingWith: hour, width: 8, minimum: 6),
            pm10MovingAverage24h: movingAverage(.pm10, endingWith: hour, width: 24, minimum: 20),
            pm25MovingAverage24h: movingAverage(.pm25, endingWith: hour, width: 24, minimum: 20),
            so2MovingAverage24h: movingAverage(.so2, endingWith: hour, width: 24, minimum: 20))
    }

    static func slot(_ pollutant: AirPollutant) -> Int {
        switch pollutant {
        case .so2: 0
        case .no2: 1
        case .co: 2
        case .o3: 3
        case .pm10: 4
        case .pm25: 5
        }
    }

    static func units(_ value: ScaledDecimal) -> Int64 {
        precondition(value.decimals <= 9 && value.units >= 0, "hourly values have at most 9 decimals and are not negative")
        return value.units * ScaledDecimal.powerOfTen(9 - value.decimals)
    }
}
