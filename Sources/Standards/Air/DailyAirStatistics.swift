/// One daily statistic of one indicator: its count, exact value, reported value and validity.
public struct DailyStatistic: Sendable, Hashable {
    /// The number of valid hourly values used (for the O3 daily maximum 8-hour average: valid 8-hour windows).
    public var count: Int
    /// The exact value (mean or maximum), or `nil` when there is no value at all.
    public var exact: ExactNumber?
    /// The value rounded by GB/T 8170 to the reporting precision (integer µg/m³; CO 0.1 mg/m³).
    public var value: ScaledDecimal?
    /// `true` when the statistic meets the validity rule (GB 3095 表4, HJ 663 §6.1.2).
    public var isValid: Bool

    /// The value when valid, else `nil`: what the AQI and the annual statistics use ("invalid data must not be
    /// used", GB 3095 §6).
    public var validValue: ScaledDecimal? { isValid ? value : nil }

    static let none = DailyStatistic(count: 0, exact: nil, value: nil, isValid: false)

    /// Creates a statistic, e.g. one read back from storage.
    /// - Parameters:
    ///   - count: the valid hourly values (or 8-hour windows) used.
    ///   - exact: the exact value, when known; defaults to the reported value.
    ///   - value: the reported (rounded) value.
    ///   - isValid: whether it meets its validity rule.
    public init(count: Int, exact: ExactNumber? = nil, value: ScaledDecimal?, isValid: Bool) {
        self.count = count
        self.exact = exact ?? value?.exact
        self.value = value
        self.isValid = isValid
    }
}

/// The daily statistics of one natural day from hourly data (GB 3095 表4, HJ 663 表A.1 and §6.1.2).
public struct DailyAirStatistics: Sendable, Hashable {
    /// The day.
    public var date: CivilDate
    /// 24-hour means of SO2, NO2, CO, PM10, PM2.5: valid with at least 20 hourly values (GB 3095 表4).
    public var so2, no2, co, pm10, pm25: DailyStatistic
    /// The O3 daily maximum 8-hour average (日最大8小时平均): the largest of the 8-hour moving averages lying inside
    /// the day (end labels 8时 … 24时, 17 windows), each valid with at least 6 hourly values (GB 3095 表4); valid
    /// with at least 14 valid windows, or with fewer when it exceeds the O3 8-hour limit (HJ 663 §6.1.2).
    public var o3MaximumDaily8h: DailyStatistic
    /// The O3 daily maximum 1-hour value (2012 daily AQI only); the standards set no validity rule, Qingshan
    /// requires at least 20 valid hours (convention 7 of the digest).
    public var o3MaximumDaily1h: DailyStatistic

    /// Creates the statistics of a day from their parts, e.g. read back from storage.
    public init(date: CivilDate, so2: DailyStatistic, no2: DailyStatistic, co: DailyStatistic, pm10: DailyStatistic,
                pm25: DailyStatistic, o3MaximumDaily8h: DailyStatistic, o3MaximumDaily1h: DailyStatistic) {
        self.date = date
        self.so2 = so2
        self.no2 = no2
        self.co = co
        self.pm10 = pm10
        self.pm25 = pm25
        self.o3MaximumDaily8h = o3MaximumDaily8h
        self.o3MaximumDaily1h = o3MaximumDaily1h
    }

    /// The statistic of a 24-hour mean pollutant.
    /// - Parameter pollutant: SO2, NO2, CO, PM10 or PM2.5 (O3 returns the daily maximum 8-hour average).
    public subscript(pollutant: AirPollutant) -> DailyStatistic {
        switch pollutant {
        case .so2: so2
        case .no2: no2
        case .co: co
        case .pm10: pm10
        case .pm25: pm25
        case .o3: o3MaximumDaily8h
        }
    }

    /// The concentrations the daily AQI uses: the valid, rounded daily values (digest §3.4 pipeline).
    public var concentrations: DailyConcentrations {
        DailyConcentrations(so2: so2.validValue?.exact, no2: no2.validValue?.exact, co: co.validValue?.exact,
                            pm10: pm10.validValue?.exact, pm25: pm25.validValue?.exact,
                            o3MaximumDaily8h: o3MaximumDaily8h.validValue?.exact,
                            o3MaximumDaily1h: o3MaximumDaily1h.validValue?.exact)
    }

    /// The fewest hourly values of a valid 24-hour mean (GB 3095 表4).
    public static let minimumHours = 20
    /// The fewest hourly values of a valid 8-hour average (GB 3095 表4).
    public static let minimumHoursPer8h = 6
    /// The fewest valid 8-hour averages of a valid daily maximum 8-hour average (HJ 663 §6.1.2).
    public static let minimumWindows = 14

    /// Computes the statistics of one day.
    /// - Parameters:
    ///   - series: the hourly data.
    ///   - date: the natural day.
    ///   - o3Limit: the O3 8-hour limit for the HJ 663 §6.1.2 exception (160 µg/m³ in class 2, 100 in class 1).
    /// - Returns: the statistics.
    public static func compute(_ series: HourlyAirSeries, date: CivilDate, o3Limit: Int) -> DailyAirStatistics {
        let offset = (date.dayNumber - series.firstDayNumber) * 24
        guard offset >= 0, offset < series.dayCount * 24 else {
            return DailyAirStatistics(date: date, so2: .none, no2: .none, co: .none, pm10: .none, pm25: .none,
                                      o3MaximumDaily8h: .none, o3MaximumDaily1h: .none)
        }
        func mean(_ pollutant: AirPollutant) -> DailyStatistic {
            series.storage[HourlyAirSeries.slot(pollutant)].withUnsafeBufferPointer { values in
                var sum: Int64 = 0
                var count = 0
                for index in offset..<(offset + 24) where values[index] >= 0 {
                    sum += values[index]
                    count += 1
                }
                guard count > 0 else { return .none }
                let exact = ExactNumber(Int128(sum), over: Int128(count) * Int128(HourlyAirSeries.scale))
                return DailyStatistic(count: count, exact: exact, value: exact.rounded(decimals: pollutant.reportDecimals),
                                      isValid: count >= minimumHours)
            }
        }
        let (o3Max1h, mda8) = series.storage[HourlyAirSeries.slot(.o3)].withUnsafeBufferPointer { o3 in
            ozone(o3, offset: offset, o3Limit: o3Limit)
        }
        return DailyAirStatistics(date: date, so2: mean(.so2), no2: mean(.no2), co: mean(.co), pm10: mean(.pm10),
                                  pm25: mean(.pm25), o3MaximumDaily8h: mda8, o3MaximumDaily1h: o3Max1h)
    }

    /// The O3 daily maximum 1-hour value and daily maximum 8-hour average of the day starting at `offset`.
    static func ozone(_ o3: UnsafeBufferPointer<Int64>, offset: Int, o3Limit: Int) -> (DailyStatistic, DailyStatistic) {
        var maximum1h: Int64 = -1
        var hours = 0
        for index in offset..<(offset + 24) where o3[index] >= 0 {
            hours += 1
            maximum1h = max(maximum1h, o3[index])
        }
        let o3Max1h: DailyStatistic
        if hours > 0 {
            let exact = ExactNumber(Int128(maximum1h), over: Int128(HourlyAirSeries.scale))
            o3Max1h = DailyStatistic(count: hours, exact: exact, value: exact.rounded(decimals: 0), isValid: hours >= minimumHours)
        } else {
            o3Max1h = .none
        }
        // The 17 8-hour windows starting at 00:00 … 16:00 (ending 8时 … 24时), as a sliding sum.
        var windows = 0
        var bestSum: Int64 = -1
        var bestCount = 1
        var sum: Int64 = 0
        var count = 0
        for index in offset..<(offset + 24) {
            if o3[index] >= 0 { sum += o3[index]; count += 1 }
            if index - offset >= 8, o3[index - 8] >= 0 { sum -= o3[index - 8]; count -= 1 }
            guard index - offset >= 7, count >= minimumHoursPer8h else { continue }
            windows += 1
            // sum/count > bestSum/bestCount, exactly.
            if bestSum < 0 || Int128(sum) * Int128(bestCount) > Int128(bestSum) * Int128(count) {
                bestSum = sum
                bestCount = count
            }
        }
        guard windows > 0 else { return (o3Max1h, .none) }
        let exact = ExactNumber(Int128(bestSum), over: Int128(bestCount) * Int128(HourlyAirSeries.scale))
        let value = exact.rounded(decimals: 0)
        // HJ 663 §6.1.2: fewer than 14 valid 8-hour values are still valid when the maximum exceeds the limit
        // (compared as reported, after GB/T 8170 rounding).
        let valid = windows >= minimumWindows || value > ScaledDecimal(o3Limit)
        return (o3Max1h, DailyStatistic(count: windows, exact: exact, value: value, isValid: valid))
    }
}
