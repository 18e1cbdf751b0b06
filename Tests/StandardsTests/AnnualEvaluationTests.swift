import Standards
import Testing

@Suite("Annual evaluation (HJ 663, GB 3095 表1 and 表4)")
struct AnnualEvaluationTests {
    @Test("HJ 663 percentile: the worked example and small n")
    func percentile() {
        let values = [3, 4, 8, 2, 5, 4].map { ExactNumber($0) }
        #expect(HJ663Percentile.percentile(values, p: 90) == ExactNumber(13, over: 2))   // 6.5
        #expect(HJ663Percentile.percentile([ExactNumber(7)], p: 95) == ExactNumber(7))
        // n = 2, p = 95: X1 + 0.95 (X2 − X1).
        #expect(HJ663Percentile.percentile([ExactNumber(10), ExactNumber(20)], p: 95) == exact("19.5"))
        #expect(HJ663Percentile.percentile([ExactNumber(10), ExactNumber(20)], p: 98) == exact("19.8"))
        // n = 3, p = 90: k = 2.8.
        #expect(HJ663Percentile.percentile([ExactNumber(1), ExactNumber(2), ExactNumber(4)], p: 90) == exact("3.6"))
        // n = 101, p = 95: k = 96 exactly → X(96).
        let hundred = (1...101).map { ExactNumber($0) }
        #expect(HJ663Percentile.percentile(hundred, p: 95) == ExactNumber(96))
        #expect(HJ663Percentile.percentile([], p: 95) == nil)
        // Scaled form agrees.
        #expect(HJ663Percentile.percentile(units: [3, 4, 8, 2, 5, 4], decimals: 0, p: 90) == ExactNumber(13, over: 2))
        #expect(HJ663Percentile.percentile(units: [12, 25], decimals: 1, p: 95) == exact("2.435"))
    }

    /// A year of constant hourly values, minus `skip` days, with PM2.5 from `pm25(dayIndex)`.
    func year(_ year: Int = 2016, skip: (CivilDate) -> Bool = { _ in false }, pm25: (Int) -> String = { _ in "30" },
              standard: AirStandardChoice = .fixed(.v2012), areaClass: AreaClass = .two) -> AnnualAirEvaluation {
        let first = "\(year)-01-01"
        let count = CivilDate.isLeap(year) ? 366 : 365
        let data = series(from: first, days: count) { pollutant, day, _ in
            if skip(CivilDate(dayNumber: date(first).dayNumber + day)) { return nil }
            switch pollutant {
            case .so2: return "10"
            case .no2: return "30"
            case .co: return "0.8"
            case .o3: return "90"
            case .pm10: return "60"
            case .pm25: return pm25(day)
            }
        }
        return AnnualAirEvaluation.evaluate(year: year, days: DailyAirReport.compute(data, standard: standard, areaClass: areaClass),
                                            standard: standard, areaClass: areaClass)
    }

    @Test("a complete clean year is valid and compliant, with its means and percentiles")
    func cleanYear() {
        let result = year()
        for item in result.items {
            #expect(item.validDays == 366 && item.annualValid && item.monthsShort.isEmpty && item.compliant == true, "\(item.item)")
        }
        #expect(result[.pm25].mean == ScaledDecimal(30) && result[.pm25].percentile == ScaledDecimal(30))
        #expect(result[.co].percentile == decimal("0.8") && result[.o3_8h].percentile == ScaledDecimal(90))
        #expect(result.compliant == true)
        #expect(result.aqiDays.validDays == 366 && result.aqiDays.goodDays == 366 && result.aqiDays.goodRatio == ScaledDecimal(100))
        // Indices with 2012 class 2 limits: 10/60 + 30/40 + 60/70 + 30/35 + 0.8/4 + 90/160.
        let expected = ExactNumber(10, over: 60) + ExactNumber(30, over: 40) + ExactNumber(60, over: 70) + ExactNumber(30, over: 35)
            + exact("0.2") + ExactNumber(90, over: 160)
        #expect(result.comprehensiveIndex == expected.rounded(decimals: 2))
        #expect(result.singleIndex[.pm25] == .some(decimal("0.86")))
        #expect(result.limitPhase == .gb3095_2012 && result.ruleSet == .v2012)
    }

    @Test("annual validity: 324 days valid, 323 not")
    func yearlyMinimum() {
        // 2015 has 365 days; skip 41 days spread so no month falls below 27: 324 remain.
        // Days 1-3 of every month (36) and day 4 of five 31-day months (5): every month keeps ≥ 27 (February 25).
        let skip41: (CivilDate) -> Bool = { d in d.day <= 3 || (d.day == 4 && [1, 3, 5, 7, 8].contains(d.month)) }
        let valid = year(2015, skip: skip41)
        #expect(valid[.pm25].validDays == 324 && valid[.pm25].monthsShort.isEmpty && valid[.pm25].annualValid)
        let skip42: (CivilDate) -> Bool = { d in skip41(d) || (d.day == 4 && d.month == 10) }
        let invalid = year(2015, skip: skip42)
        #expect(invalid[.pm25].validDays == 323 && invalid[.pm25].monthsShort.isEmpty && !invalid[.pm25].annualValid)
        #expect(invalid[.pm25].compliant == nil && invalid.compliant == nil)
        #expect(invalid[.pm25].mean == ScaledDecimal(30))   // still computed, flagged
    }

    @Test("monthly validity: 27 a month, 25 in February")
    func monthlyMinimum() {
        let april4 = year(2015, skip: { $0.month == 4 && $0.day <= 4 })   // April 26
        #expect(april4[.co].monthsShort == [4] && !april4[.co].annualValid && april4[.co].validDays == 361)
        let april3 = year(2015, skip: { $0.month == 4 && $0.day <= 3 })   // April 27
        #expect(april3[.co].monthsShort.isEmpty && april3[.co].annualValid)
        let february3 = year(2015, skip: { $0.month == 2 && $0.day <= 3 })   // 25 of 28
        #expect(february3[.so2].monthsShort.isEmpty)
        let february4 = year(2015, skip: { $0.month == 2 && $0.day <= 4 })   // 24
        #expect(february4[.so2].monthsShort == [2])
        let leap = year(2016, skip: { $0.month == 2 && $0.day <= 4 })        // 25 of 29
        #expect(leap[.so2].monthsShort.isEmpty)
    }

    @Test("days over the daily limit, exceedance multiples and compliance on the percentile")
    func exceedances() {
        // PM2.5: 19 days at 100, the rest at 30 (2012 class 2: 24-h limit 75).
        let result = year(2015, pm25: { $0 < 19 ? "100" : "30" })
        let pm25 = result[.pm25]
        #expect(pm25.daysOverDailyLimit == 19)
        // Mean (19×100 + 346×30)/365 = 33.64 → 34; P95: k = 1 + 364×0.95 = 346.8 → X346 + 0.8(X347 − X346) = 30 + 0.8×70 = 86.
        #expect(pm25.mean == ScaledDecimal(34) && pm25.percentile == ScaledDecimal(86))
        #expect(pm25.compliant == false && result.compliant == false)
        #expect(pm25.meanExceedance == nil && pm25.percentileExceedance == decimal("0.15"))   // (86 − 75)/75 = 0.1467
        #expect(AnnualAirEvaluation.exceedance(ScaledDecimal(70), 35) == decimal("1"))
        #expect(AnnualAirEvaluation.exceedance(ScaledDecimal(35), 35) == nil)
        // Class 1: PM2.5 annual 15, 24-h 35.
        let strict = year(2015, areaClass: .one)
        #expect(strict[.pm25].compliant == false && strict[.pm25].annualLimit == 15 && strict[.pm25].daysOverDailyLimit == 0)
        #expect(strict[.so2].annualLimit == 20 && strict[.o3_8h].dailyLimit == 100)
    }

    @Test("the limits follow the rule set: 2026 transitional and final PM limits")
    func limits() {
        #expect(AirQualityLimits.limit(.pm25, .annual, areaClass: .two, phase: .gb3095_2012) == 35)
        #expect(AirQualityLimits.limit(.pm25, .annual, areaClass: .two, phase: .gb3095_2026Transitional) == 30)
        #expect(AirQualityLimits.limit(.pm25, .annual, areaClass: .two, phase: .gb3095_2026Final) == 25)
        #expect(AirQualityLimits.limit(.pm25, .daily, areaClass: .two, phase: .gb3095_2026Transitional) == 60)
        #expect(AirQualityLimits.limit(.pm25, .daily, areaClass: .one, phase: .gb3095_2026Final) == 25)
        #expect(AirQualityLimits.limit(.pm10, .daily, areaClass: .two, phase: .gb3095_2026Transitional) == 120)
        #expect(AirQualityLimits.limit(.pm10, .annual, areaClass: .one, phase: .gb3095_2026Final) == 20)
        #expect(AirQualityLimits.limit(.so2, .annual, areaClass: .two, phase: .gb3095_2026Final) == 20)
        #expect(AirQualityLimits.limit(.so2, .annual, areaClass: .two, phase: .gb3095_2026Transitional) == 60)
        #expect(AirQualityLimits.limit(.no2, .daily, areaClass: .two, phase: .gb3095_2026Final) == 50)
        #expect(AirQualityLimits.limit(.co, .daily, areaClass: .one, phase: .gb3095_2012) == 4)
        #expect(AirQualityLimits.limit(.o3, .maximumDaily8h, areaClass: .two, phase: .gb3095_2026Final) == 160)
        #expect(AirQualityLimits.limit(.co, .annual, areaClass: .two, phase: .gb3095_2012) == nil)
        // PM2.5 at 65 every day of 2026 under auto: over the 2026 daily limit (60) from March only.
        let result = year(2026, pm25: { _ in "65" }, standard: .auto)
        #expect(result[.pm25].daysOverDailyLimit == 365 - 59)
        #expect(result.ruleSets == [.v2012, .v2026] && result.limitPhase == .gb3095_2026Transitional)
        #expect(result[.pm25].annualLimit == 30 && result[.pm25].compliant == false)
    }

    @Test("the comprehensive index sums exact single indices (worked example: 3.06)")
    func comprehensiveIndex() {
        // 21/35 + 39/70 + 9/60 + 15/40 + 192/160 + 0.7/4 = 3.057 → 3.06 (sum of rounded indices would give 3.07).
        let sum = ExactNumber(21, over: 35) + ExactNumber(39, over: 70) + ExactNumber(9, over: 60) + ExactNumber(15, over: 40)
            + ExactNumber(192, over: 160) + exact("0.175")
        #expect(sum.rounded(decimals: 2) == decimal("3.06"))
    }

    @Test("good-days ratio over valid days, levels and primary pollutants")
    func goodDays() {
        // 2015: PM2.5 at 100 on 73 days (2012: IAQI 132), 30 otherwise; 5 days without data.
        let result = year(2015, skip: { $0.month == 12 && $0.day > 26 }, pm25: { $0 % 5 == 0 ? "100" : "30" })
        #expect(result.aqiDays.validDays == 360)
        #expect(result.aqiDays.overDays == 72 && result.aqiDays.goodDays == 288)
        #expect(result.aqiDays.goodRatio == ScaledDecimal(80))
        #expect(result.aqiDays.perLevel[2] == 72)
        #expect(result.aqiDays.primaryPollutantDays[.pm25] == 72)
    }
}
