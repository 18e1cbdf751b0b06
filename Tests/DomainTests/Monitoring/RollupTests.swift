import Domain
import Foundation
import Standards
import Testing

@Suite("Rollups: which values count, and the daily, monthly and emission figures")
struct RollupTests {
    let day = CivilDate(year: 2026, month: 5, day: 1)!

    func hour(_ h: Int) -> Date { LocalTime.date(year: 2026, month: 5, day: 1, hour: h)! }

    @Test("flags, sentinels, negative values and reviews decide what enters a statistic")
    func exclusion() {
        func value(_ v: Double, text: String? = nil, flag: String? = "N", review: ReviewStatus? = nil, corrected: Double? = nil,
                   field: String = "Avg") -> ReviewedValue {
            ReviewedValue(code: "a34004", field: field, kind: .hour, time: hour(0), value: v, valueText: text ?? String(v), flag: flag,
                          review: review, reviewedValue: corrected)
        }
        #expect(value(35, text: "35").assessable == ScaledDecimal(35))
        #expect(value(35, text: "35.20").assessable == ScaledDecimal.parse("35.20"))
        #expect(value(35, flag: nil).exclusion == nil)
        #expect(value(35, flag: "S").exclusion == nil)
        for flag in ["F", "M", "D", "C", "T", "B"] { #expect(value(35, flag: flag).exclusion == "flag \(flag)") }
        #expect(value(-99, text: "-99").exclusion == "sentinel -99")
        #expect(value(9999, text: "9999").exclusion == "sentinel 9999")
        #expect(value(-3, text: "-3").exclusion == "negative")
        #expect(value(.nan, text: "NaN").exclusion == "not a number")
        #expect(value(35, review: .invalid).assessable == nil)
        #expect(value(400, flag: "N", review: .corrected, corrected: 40).assessable == ScaledDecimal(40))
        #expect(value(35, flag: "C", review: .valid).assessable == ScaledDecimal(35))
        // Amounts (Cou) are not concentrations: a large amount is not a sentinel.
        #expect(value(9999, text: "9999", field: "Cou").exclusion == nil)
    }

    @Test("a station day from stored values equals the standards engine's day, and counts only valid hours")
    func airDay() {
        var values: [ReviewedValue] = []
        var series = HourlyAirSeries(firstDay: day, dayCount: 1)
        for h in 0..<24 where h != 5 {
            let pm = 30 + h
            values.append(ReviewedValue(code: "a34004", field: "Avg", kind: .hour, time: hour(h), value: Double(pm), valueText: "\(pm)", flag: "N"))
            series.set(.pm25, ScaledDecimal(pm), at: LocalHour(date: day, hour: h))
        }
        // Flagged and minute values are ignored.
        values.append(ReviewedValue(code: "a34004", field: "Avg", kind: .hour, time: hour(5), value: 900, valueText: "900", flag: "D"))
        values.append(ReviewedValue(code: "a34004", field: "Avg", kind: .minute, time: hour(6), value: 900, valueText: "900", flag: "N"))
        let rollup = AirDayRollup.compute(siteCode: "S", day: day, values: values, areaClass: .two)
        let reference = DailyAirReport.compute(series, date: day, standard: .auto, areaClass: .two)
        #expect(rollup.report == reference)
        #expect(rollup.hours == 23 && rollup.valueCount == 23)
        #expect(rollup.report.statistics.pm25.count == 23 && rollup.report.statistics.pm25.isValid)
        #expect(rollup.from == LocalTime.date(year: 2026, month: 5, day: 1) && rollup.to == LocalTime.date(year: 2026, month: 5, day: 2))
    }

    @Test("a water month averages each item and classes the means; a drinking source is judged by GB 3838 §4.2")
    func waterMonth() {
        let values = [("w21003", "0.2"), ("w21003", "0.9"), ("w01009", "6.5"), ("w21011", "0.08")].enumerated().map { index, pair in
            ReviewedValue(code: pair.0, field: "Avg", kind: .day, time: hour(index), value: Double(pair.1), valueText: pair.1)
        }
        let rollup = WaterMonthRollup.compute(siteCode: "W", year: 2026, month: 5, values: values, waterType: .river,
                                              targetClass: WaterClass(2), drinkingSource: false)
        #expect(rollup.items[.nh3n]?.mean == ScaledDecimal.parse("0.55"))
        #expect(rollup.items[.nh3n]?.count == 2)
        #expect(rollup.evaluation?.waterClass == WaterClass(3))
        #expect(rollup.compliant == false)
        #expect(rollup.samples == 4)
        let source = WaterMonthRollup.compute(siteCode: "DW", year: 2026, month: 5, values: values, waterType: .river,
                                              targetClass: WaterClass(3), drinkingSource: true)
        #expect(source.drinkingCompliant == true)
    }

    @Test("noise day and night levels by GB 3096 hours; emission totals from hourly Cou, else the daily one")
    func noiseAndEmissions() {
        let levels = (0..<24).map { h in
            ReviewedValue(code: "Leq", field: "Avg", kind: .hour, time: hour(h), value: h >= 22 || h < 6 ? 52 : 60, valueText: h >= 22 || h < 6 ? "52" : "60")
        }
        let noise = NoiseDayRollup.compute(siteCode: "N", day: day, zone: .zone2, values: levels)
        #expect(noise.session.ld == ScaledDecimal.parse("60.0") && noise.session.ln == ScaledDecimal.parse("52.0"))
        #expect(noise.session.dayCompliant == true && noise.session.nightCompliant == false)

        var amounts = (0..<24).map { h in ReviewedValue(code: "w01018", field: "Cou", kind: .hour, time: hour(h), value: 0.5, valueText: "0.5") }
        amounts.append(ReviewedValue(code: "w01018", field: "Cou", kind: .day, time: hour(0), value: 99, valueText: "99"))
        amounts.append(ReviewedValue(code: "w21003", field: "Cou", kind: .day, time: hour(0), value: 1.25, valueText: "1.25"))
        let emissions = EmissionDayRollup.compute(siteCode: "O", day: day, values: amounts)
        #expect(emissions.totals.map(\.code) == ["w01018", "w21003"])
        #expect(emissions.totals[0].total == 12 && emissions.totals[0].count == 24)
        #expect(emissions.totals[1].total == 1.25 && emissions.totals[1].count == 1)
    }

    @Test("the Wuxi plan's indicators 8-12 are recognised by name; others are not")
    func indicatorNames() throws {
        let plan = try BuiltInPlans.load()
        let recognised = plan.indicators.compactMap { indicator in MonitoringIndicator(name: indicator.name).map { (indicator.number, $0) } }
        #expect(recognised.map(\.0) == [8, 9, 10, 11, 12])
        #expect(recognised.map(\.1) == [.goodDays, .pm25AnnualMean, .waterClassIIIShare, .cityDrinkingWater, .townshipDrinkingWater])
    }

    @Test("the county's day is the mean of its stations' valid daily values (HJ 663 §5.2)")
    func countyDays() {
        func report(_ pm25: Int?, valid: Bool = true) -> DailyAirReport {
            let none = DailyStatistic(count: 0, value: nil, isValid: false)
            return DailyAirReport.from(DailyAirStatistics(
                date: day, so2: none, no2: none, co: none, pm10: none,
                pm25: DailyStatistic(count: 24, value: pm25.map { ScaledDecimal($0) }, isValid: valid),
                o3MaximumDaily8h: none, o3MaximumDaily1h: none), standard: .auto)
        }
        let county = CountyAirDays.combine([[report(30)], [report(41)], [report(500, valid: false)]])
        #expect(county.count == 1)
        #expect(county[0].statistics.pm25.value == ScaledDecimal(36))
        #expect(county[0].statistics.pm25.count == 2)
    }
}
