import Standards
import Testing

@Suite("Daily statistics and validity (GB 3095 表4, HJ 663 §6.1.2)")
struct DailyStatisticsTests {
    /// One day of hourly data where `value(pollutant, hour)` gives the text or nil.
    func day(_ value: @escaping (AirPollutant, Int) -> String?) -> DailyAirStatistics {
        let data = series(from: "2016-06-01", days: 1) { pollutant, _, hour in value(pollutant, hour) }
        return DailyAirStatistics.compute(data, date: date("2016-06-01"), o3Limit: 160)
    }

    @Test("a 24-hour mean needs 20 hourly values: 20 valid, 19 not", arguments: [(20, true), (19, false), (24, true), (0, false)])
    func twentyHours(hours: Int, valid: Bool) {
        let statistics = day { pollutant, hour in pollutant == .pm25 && hour < hours ? "50" : nil }
        #expect(statistics.pm25.count == hours)
        #expect(statistics.pm25.isValid == valid)
        #expect(statistics.pm25.value == (hours > 0 ? ScaledDecimal(50) : nil))
    }

    @Test("daily means are exact, then rounded by GB/T 8170 (integers; CO 0.1)")
    func meanRounding() {
        // 23 hours of 35 and one of 47: 852/24 = 35.5 → 36 (half to even); 22×35 + 2×46 = 862/24 = 35.916 → 36.
        let a = day { pollutant, hour in pollutant == .pm25 ? (hour == 0 ? "47" : "35") : nil }
        #expect(a.pm25.exact == ExactNumber(852, over: 24) && a.pm25.value == ScaledDecimal(36))
        // 12 × 34 + 12 × 35 = 34.5 → 34.
        let b = day { pollutant, hour in pollutant == .pm10 ? (hour < 12 ? "34" : "35") : nil }
        #expect(b.pm10.value == ScaledDecimal(34))
        // CO: 12 × 2.2 + 12 × 2.3 = 2.25 → 2.2.
        let c = day { pollutant, hour in pollutant == .co ? (hour < 12 ? "2.2" : "2.3") : nil }
        #expect(c.co.value == decimal("2.2"))
    }

    @Test("the daily maximum 8-hour average is the best of the 17 windows inside the day")
    func mda8() {
        // O3 = 100 all day except 200 from 16:00 to 23:00 (the last window, ending at 24时).
        let statistics = day { pollutant, hour in pollutant == .o3 ? (hour >= 16 ? "200" : "100") : nil }
        #expect(statistics.o3MaximumDaily8h.count == 17)
        #expect(statistics.o3MaximumDaily8h.value == ScaledDecimal(200))
        #expect(statistics.o3MaximumDaily1h.value == ScaledDecimal(200))
        // A window with 6 values counts, with 5 not: hours 16-23 hold the high values but two (or three) are missing.
        let six = day { pollutant, hour in
            guard pollutant == .o3 else { return nil }
            if hour == 22 || hour == 23 { return nil }
            return hour >= 16 ? "300" : "100"
        }
        #expect(six.o3MaximumDaily8h.value == ScaledDecimal(300))   // window 16-23: six values of 300
        let five = day { pollutant, hour in
            guard pollutant == .o3 else { return nil }
            if hour >= 21 { return nil }
            return hour >= 16 ? "300" : "100"
        }
        // Window 16-23 has 5 values: invalid; best valid is 15-22 (6 values: 100 + 5×300)/6 = 266.7 → 267, 14-21:
        // (2×100 + 5×300)/7 = 242.9; 13-20: (3×100+5×300)/8 = 225.
        #expect(five.o3MaximumDaily8h.value == ScaledDecimal(267))
        #expect(five.o3MaximumDaily8h.count == 16)
    }

    @Test("the daily maximum 8-hour average needs 14 valid windows unless it exceeds the limit")
    func mda8Validity() {
        // Hours 0..k-1 present → windows starting 0…(k−6) are valid: k = 19 → 14 windows, k = 18 → 13.
        let fourteen = day { pollutant, hour in pollutant == .o3 && hour < 19 ? "100" : nil }
        #expect(fourteen.o3MaximumDaily8h.count == 14 && fourteen.o3MaximumDaily8h.isValid)
        let thirteen = day { pollutant, hour in pollutant == .o3 && hour < 18 ? "100" : nil }
        #expect(thirteen.o3MaximumDaily8h.count == 13 && !thirteen.o3MaximumDaily8h.isValid)
        // 13 windows but above 160: valid.
        let high = day { pollutant, hour in pollutant == .o3 && hour < 18 ? "161" : nil }
        #expect(high.o3MaximumDaily8h.isValid && high.o3MaximumDaily8h.value == ScaledDecimal(161))
        // Exactly 160 is not above the limit.
        let atLimit = day { pollutant, hour in pollutant == .o3 && hour < 18 ? "160" : nil }
        #expect(!atLimit.o3MaximumDaily8h.isValid)
        // 160.4 rounds to 160: not above; 160.6 rounds to 161: above.
        let below = day { pollutant, hour in pollutant == .o3 && hour < 18 ? "160.4" : nil }
        #expect(!below.o3MaximumDaily8h.isValid)
        let above = day { pollutant, hour in pollutant == .o3 && hour < 18 ? "160.6" : nil }
        #expect(above.o3MaximumDaily8h.isValid)
        // Class 1: the limit is 100.
        let data = series(from: "2016-06-01", days: 1) { pollutant, _, hour in pollutant == .o3 && hour < 18 ? "120" : nil }
        #expect(DailyAirStatistics.compute(data, date: date("2016-06-01"), o3Limit: 100).o3MaximumDaily8h.isValid)
        #expect(!DailyAirStatistics.compute(data, date: date("2016-06-01"), o3Limit: 160).o3MaximumDaily8h.isValid)
    }

    @Test("the O3 1-hour maximum needs 20 hours (Qingshan convention)")
    func o3OneHour() {
        #expect(day { p, h in p == .o3 && h < 20 ? "90" : nil }.o3MaximumDaily1h.isValid)
        #expect(!day { p, h in p == .o3 && h < 19 ? "90" : nil }.o3MaximumDaily1h.isValid)
    }

    @Test("moving averages: 8 hours need 6, 24 hours need 20")
    func moving() {
        let data = series(from: "2016-06-01", days: 2) { pollutant, day, hour in
            switch pollutant {
            case .o3: hour % 4 == 0 ? nil : "80"
            case .pm25: day == 1 && hour < 5 ? nil : "40"
            default: nil
            }
        }
        let noon = LocalHour(date: date("2016-06-02"), hour: 12)
        #expect(data.movingAverage(.o3, endingWith: noon, width: 8, minimum: 6) == ExactNumber(80))
        // The window ending 2016-06-02 03:00 holds 20 values (04:00-23:00 of the day before); ending 04:00, 19.
        #expect(data.movingAverage(.pm25, endingWith: LocalHour(date: date("2016-06-02"), hour: 3), width: 24, minimum: 20) == ExactNumber(40))
        #expect(data.movingAverage(.pm25, endingWith: LocalHour(date: date("2016-06-02"), hour: 4), width: 24, minimum: 20) == nil)
        let first = LocalHour(date: date("2016-06-01"), hour: 18)
        #expect(data.movingAverage(.pm25, endingWith: first, width: 24, minimum: 20) == nil)      // 19 hours since the start
        #expect(data.movingAverage(.pm25, endingWith: LocalHour(date: date("2016-06-01"), hour: 19), width: 24, minimum: 20) == ExactNumber(40))
    }
}
