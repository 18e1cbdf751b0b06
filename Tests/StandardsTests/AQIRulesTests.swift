import Standards
import Testing

@Suite("AQI reports: indicators, special rules, primary pollutants, missing data")
struct AQIRulesTests {
    static let clean = DailyConcentrations(so2: ExactNumber(10), no2: ExactNumber(20), co: exact("0.5"), pm10: ExactNumber(40),
                                           pm25: ExactNumber(20), o3MaximumDaily8h: ExactNumber(80), o3MaximumDaily1h: ExactNumber(100))

    @Test("2012 daily AQI has seven indicators, 2026 six (no O3 1-hour maximum)")
    func indicatorSets() {
        let old = AirQualityIndex.daily(Self.clean, ruleSet: .v2012)
        let new = AirQualityIndex.daily(Self.clean, ruleSet: .v2026)
        #expect(old.indicators.map(\.key) == ["so2", "no2", "co", "pm10", "pm25", "o3_1h", "o3_8h"])
        #expect(new.indicators.map(\.key) == ["so2", "no2", "co", "pm10", "pm25", "o3_8h"])
    }

    @Test("the 2012 O3 1-hour maximum can make a day polluted on its own")
    func o3OneHour2012() {
        var day = Self.clean
        day.o3MaximumDaily1h = ExactNumber(250)   // IAQI 125
        #expect(AirQualityIndex.daily(day, ruleSet: .v2012).aqi == 125)
        #expect(AirQualityIndex.daily(day, ruleSet: .v2012).primary == [.o3])
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026).aqi == 40)
    }

    @Test("O3 8-hour above 800: 2012 drops the 8-hour IAQI, 2026 sets 300")
    func o3EightHourAbove800() {
        var day = Self.clean
        day.o3MaximumDaily8h = ExactNumber(801)
        day.o3MaximumDaily1h = ExactNumber(900)  // 1-h IAQI 350
        let old = AirQualityIndex.daily(day, ruleSet: .v2012)
        #expect(old["o3_8h"]?.iaqi == nil && old["o3_8h"]?.dropped == true)
        #expect(old.aqi == 350 && old.isComplete)
        let new = AirQualityIndex.daily(day, ruleSet: .v2026)
        #expect(new["o3_8h"]?.iaqi?.value == 300 && new.aqi == 300)
        day.o3MaximumDaily8h = ExactNumber(800)
        #expect(AirQualityIndex.daily(day, ruleSet: .v2012)["o3_8h"]?.iaqi?.value == 300)
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026)["o3_8h"]?.iaqi?.value == 300)
        // 2026 rounds first: 800.4 → 800 (table), 800.6 → 801 (rule); both 300.
        day.o3MaximumDaily8h = exact("800.6")
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026)["o3_8h"]?.iaqi?.value == 300)
    }

    @Test("SO2 1-hour above 800: 2012 takes the 24-hour (moving) average IAQI, 2026 sets 200")
    func so2Above800() {
        let hour = RealTimeConcentrations(so2: ExactNumber(900), no2: ExactNumber(10), co: ExactNumber(1), o3: ExactNumber(10),
                                          pm10: ExactNumber(10), pm25: ExactNumber(10), o3MovingAverage8h: ExactNumber(10),
                                          pm10MovingAverage24h: ExactNumber(10), pm25MovingAverage24h: ExactNumber(10),
                                          so2MovingAverage24h: ExactNumber(475))
        let old = AirQualityIndex.realTime(hour, ruleSet: .v2012)
        #expect(old["so2"]?.iaqi?.value == 150 && old["so2"]?.table == .so2_24h)
        #expect(old.aqi == 150)
        let new = AirQualityIndex.realTime(hour, ruleSet: .v2026)
        #expect(new["so2"]?.iaqi?.value == 200 && new.aqi == 200)
        // Exactly 800 is in the table (IAQI 200) in both.
        var at800 = hour
        at800.so2 = ExactNumber(800)
        #expect(AirQualityIndex.realTime(at800, ruleSet: .v2012)["so2"]?.iaqi?.value == 200)
        #expect(AirQualityIndex.realTime(at800, ruleSet: .v2026)["so2"]?.iaqi?.value == 200)
        // 2012 without a 24-hour average: SO2 missing, AQI published only above 100.
        var noAverage = hour
        noAverage.so2MovingAverage24h = nil
        let missing = AirQualityIndex.realTime(noAverage, ruleSet: .v2012)
        #expect(missing["so2"]?.iaqi == nil && missing.aqi == nil && missing.aqiOfAvailable == 15)   // PM2.5 10 → 14.3 → 15
    }

    @Test("2012 real-time PM: 24-hour moving average by the letter, the 1-hour value as an option; 2026 the 1-hour value")
    func pmRule() {
        let hour = RealTimeConcentrations(so2: ExactNumber(5), no2: ExactNumber(5), co: exact("0.3"), o3: ExactNumber(5),
                                          pm10: ExactNumber(300), pm25: ExactNumber(200), o3MovingAverage8h: ExactNumber(5),
                                          pm10MovingAverage24h: ExactNumber(50), pm25MovingAverage24h: ExactNumber(35))
        #expect(AirQualityIndex.realTime(hour, ruleSet: .v2012, pmHourly: .movingAverage24h).aqi == 50)
        #expect(AirQualityIndex.realTime(hour, ruleSet: .v2012, pmHourly: .hourly1h).aqi == 250)
        #expect(AirQualityIndex.realTime(hour, ruleSet: .v2026).aqi == 250)
        #expect(AirQualityIndex.realTime(hour, ruleSet: .v2026).indicators.map(\.key) == ["so2", "no2", "co", "o3_1h", "pm10", "pm25"])
        #expect(AirQualityIndex.realTime(hour, ruleSet: .v2012).indicators.map(\.key) == ["so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25"])
    }

    @Test("2012 real-time O3 8-hour moving average above 800 is dropped, not missing")
    func o3Moving2012() {
        let hour = RealTimeConcentrations(so2: ExactNumber(5), no2: ExactNumber(5), co: exact("0.3"), o3: ExactNumber(850),
                                          pm10: ExactNumber(5), pm25: ExactNumber(5), o3MovingAverage8h: ExactNumber(810),
                                          pm10MovingAverage24h: ExactNumber(5), pm25MovingAverage24h: ExactNumber(5))
        let result = AirQualityIndex.realTime(hour, ruleSet: .v2012)
        #expect(result.isComplete && result["o3_8h"]?.dropped == true)
        #expect(result.aqi == 325)   // O3 1-h 850: (400−300)/(1000−800)×50+300 = 325
    }

    @Test("2026 rounds concentrations by GB/T 8170 before the IAQI; 2012 does not")
    func rounding2026() {
        var day = Self.clean
        day.pm25 = exact("35.4")
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026)["pm25"]?.iaqi?.value == 50)
        #expect(AirQualityIndex.daily(day, ruleSet: .v2012)["pm25"]?.iaqi?.value == 51)
        day.pm25 = exact("35.5")   // → 36 → 52 (2026: 35-60 is 50-100: 50/25 = 2 per µg)
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026)["pm25"]?.iaqi?.value == 52)
        day.pm25 = exact("34.5")   // → 34 (even) → ceil(48.57) = 49
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026)["pm25"]?.iaqi?.value == 49)
        day.co = exact("2.25")     // → 2.2 → 55
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026)["co"]?.iaqi?.value == 55)
        day.co = exact("2.35")     // → 2.4 → 60
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026)["co"]?.iaqi?.value == 60)
        let hour = RealTimeConcentrations(so2: exact("150.5"), no2: ExactNumber(5), co: exact("0.3"), o3: ExactNumber(5),
                                          pm10: ExactNumber(5), pm25: ExactNumber(5))
        #expect(AirQualityIndex.realTime(hour, ruleSet: .v2026)["so2"]?.iaqi?.value == 50)   // 150.5 → 150 (even)
        #expect(AirQualityIndex.realTime(hour, ruleSet: .v2012, pmHourly: .hourly1h)["so2"]?.iaqi?.value == 51)
    }

    @Test("primary pollutants: none at AQI ≤ 50, every tie above")
    func primary() {
        #expect(AirQualityIndex.daily(Self.clean, ruleSet: .v2026).primary == [])
        var day = Self.clean
        day.pm25 = ExactNumber(75)   // 2012: 100
        day.pm10 = ExactNumber(150)  // 2012: 100
        let result = AirQualityIndex.daily(day, ruleSet: .v2012)
        #expect(result.aqi == 100 && result.primary == [.pm10, .pm25] && result.overStandard == [])
        day.o3MaximumDaily8h = ExactNumber(160)   // 100 as well
        #expect(AirQualityIndex.daily(day, ruleSet: .v2012).primary == [.o3, .pm10, .pm25])
        day.pm25 = ExactNumber(76)
        let over = AirQualityIndex.daily(day, ruleSet: .v2012)
        #expect(over.primary == [.pm25] && over.overStandard == [.pm25])
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026).overStandard == nil)
        // O3 1-h and 8-h tie: O3 once.
        var ozone = Self.clean
        ozone.o3MaximumDaily8h = ExactNumber(215)   // 150
        ozone.o3MaximumDaily1h = ExactNumber(300)   // 150
        #expect(AirQualityIndex.daily(ozone, ruleSet: .v2012).primary == [.o3])
        // AQI 51: primary named.
        var fiftyOne = Self.clean
        fiftyOne.no2 = exact("40.8")   // 2012: ceil(51) = 51
        #expect(AirQualityIndex.daily(fiftyOne, ruleSet: .v2012).aqi == 51)
        #expect(AirQualityIndex.daily(fiftyOne, ruleSet: .v2012).primary == [.no2])
    }

    @Test("missing data (HJ 633-2026 §5.3): published only when the other indicators give more than 100")
    func missing() {
        var day = Self.clean
        day.co = nil
        let low = AirQualityIndex.daily(day, ruleSet: .v2026)
        #expect(low.aqi == nil && low.level == nil && low.primary == nil && low.aqiOfAvailable == 40 && !low.isComplete)
        day.pm25 = ExactNumber(61)   // 2026: 100 + 50/55 → 101
        let high = AirQualityIndex.daily(day, ruleSet: .v2026)
        #expect(high.aqi == 101 && high.primary == [.pm25] && high.level == .three)
        day.pm25 = ExactNumber(60)   // exactly 100: not published
        #expect(AirQualityIndex.daily(day, ruleSet: .v2026).aqi == nil)
        #expect(AirQualityIndex.daily(DailyConcentrations(), ruleSet: .v2026).aqi == nil)
        #expect(AirQualityIndex.daily(DailyConcentrations(), ruleSet: .v2026).aqiOfAvailable == nil)
    }

    @Test("the rule set switches on 2026-03-01")
    func dateSwitch() {
        #expect(AirRuleSet.inForce(on: date("2026-02-28")) == .v2012)
        #expect(AirRuleSet.inForce(on: date("2026-03-01")) == .v2026)
        #expect(AirStandardChoice.auto.ruleSet(on: date("2026-02-28")) == .v2012)
        #expect(AirStandardChoice.fixed(.v2026).ruleSet(on: date("2016-01-01")) == .v2026)
        #expect(AirStandardChoice.auto.limitPhase(on: date("2026-02-28")) == .gb3095_2012)
        #expect(AirStandardChoice.auto.limitPhase(on: date("2026-03-01")) == .gb3095_2026Transitional)
        #expect(AirStandardChoice.auto.limitPhase(on: date("2030-12-31")) == .gb3095_2026Transitional)
        #expect(AirStandardChoice.auto.limitPhase(on: date("2031-01-01")) == .gb3095_2026Final)
        #expect(AirStandardChoice.fixed(.v2012).limitPhase(on: date("2031-01-01")) == .gb3095_2012)
        #expect(AirStandardChoice.auto.annualLimitPhase(year: 2026) == .gb3095_2026Transitional)
        #expect(AirStandardChoice.auto.annualLimitPhase(year: 2025) == .gb3095_2012)
        // The same hourly data on both sides of the switch.
        let data = series(from: "2026-02-28", days: 2) { pollutant, _, _ in
            switch pollutant {
            case .pm25: "70"
            case .co: "0.5"
            default: "10"
            }
        }
        let days = DailyAirReport.compute(data, standard: .auto, areaClass: .two)
        #expect(days[0].ruleSet == .v2012 && days[0].aqi.aqi == 94)    // 2012: 50 + 50/40×35 = 93.75 → 94
        #expect(days[1].ruleSet == .v2026 && days[1].aqi.aqi == 110)   // 2026: 100 + 50/55×10 = 109.09 → 110
    }
}
