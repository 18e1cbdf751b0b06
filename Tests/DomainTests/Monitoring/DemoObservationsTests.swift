import Domain
import Foundation
import Standards
import Testing

@Suite("Demo observations: seeded, realistic, with gaps, flags and exceedances")
struct DemoObservationsTests {
    static let sites = try! DemoRegistry.wuxiSites()
    static let generator = DemoObservations(sites: sites)
    static let year2025 = (CivilDate(year: 2025, month: 1, day: 1)!, CivilDate(year: 2025, month: 12, day: 31)!)

    static func site(_ code: String) -> Site { sites.first { $0.code == code }! }

    static func localHour(_ date: Date) -> Int { (Int(date.timeIntervalSince1970) + LocalTime.offset) / 3600 }

    /// The daily reports of one air station in 2025 from its valid values (flag N, not negative), as the
    /// assessments must read them.
    static func airReports(_ code: String) -> [DailyAirReport] {
        let (from, through) = year2025
        var series = HourlyAirSeries(firstDay: from, dayCount: through.dayNumber - from.dayNumber + 1)
        for o in generator.observations(for: site(code), from: from, through: through) where o.flag == "N" {
            guard let pollutant = MonitoringCodes.airPollutant(code: o.code), let value = o.value, value >= 0,
                  let decimal = ScaledDecimal.parse(Substring(o.valueText)) else { continue }
            series.set(pollutant, decimal, at: LocalHour(number: localHour(o.dataTime)))
        }
        return DailyAirReport.compute(series, standard: .auto, areaClass: site(code).areaClass == 1 ? .one : .two)
    }

    @Test("the same seed gives the same values; another seed others; a sub-range is a slice of the whole")
    func determinism() throws {
        let from = CivilDate(year: 2026, month: 1, day: 1)!, through = CivilDate(year: 2026, month: 1, day: 20)!
        for site in Self.sites {
            let a = Self.generator.observations(for: site, from: from, through: through)
            let b = DemoObservations(sites: Self.sites).observations(for: site, from: from, through: through)
            #expect(!a.isEmpty, "\(site.code)")
            #expect(a == b, "\(site.code)")
            let part = Self.generator.observations(for: site, from: CivilDate(year: 2026, month: 1, day: 11)!, through: through)
            #expect(Array(a.suffix(part.count)) == part, "\(site.code)")
        }
        let other = DemoObservations(sites: Self.sites, seed: 7).observations(for: Self.site("AIR-XC"), from: from, through: through)
        #expect(other != Self.generator.observations(for: Self.site("AIR-XC"), from: from, through: through))
        var random = DemoRandom(seed: 1)
        #expect(random.next() == 0x910A_2DEC_8902_5CC1)   // splitmix64.c, seed 1
    }

    @Test("every value comes from the site's demo device, with the gateway's command numbers and fields")
    func layout() throws {
        let day = CivilDate(year: 2025, month: 6, day: 10)!
        for site in Self.sites {
            for o in Self.generator.observations(for: site, from: day, through: day) {
                #expect(o.mn == "DEMO-\(site.code)" && o.siteCode == site.code)
                #expect(o.cn == (site.kind == .water || site.kind == .drinkingWater ? "2031" : "2061"))
                #expect(o.kind == DataKind(cn: o.cn))
                #expect(o.field == "Avg" || (site.kind == .outlet && o.field == "Cou"))
                #expect(o.value.map { String($0) } != nil && Double(o.valueText) == o.value)
            }
        }
        let air = Self.generator.observations(for: Self.site("AIR-XC"), from: day, through: day)
        #expect(Set(air.map(\.code)) == Set(MonitoringCodes.air.values))
        let outlet = Self.generator.observations(for: Self.site("OUT-WSC-01"), from: day, through: day)
        #expect(Set(outlet.map(\.code)) == ["w00000", "w01018", "w21003", "w21011", "w21001"])
    }

    @Test("air: the county town's 2025 good-day ratio is 93-97 %, PM2.5 about 25-30 µg/m³, some days over AQI 100 and 150")
    func airQuality() throws {
        let town = AnnualAirEvaluation.evaluate(year: 2025, days: Self.airReports("AIR-XC"), standard: .auto, areaClass: .two)
        let ratio = try #require(town.aqiDays.goodRatio).doubleValue
        #expect((93...97).contains(ratio), "good-day ratio \(ratio)")
        let pm25 = try #require(town[.pm25].mean).doubleValue
        #expect((25...30).contains(pm25), "PM2.5 annual mean \(pm25)")
        #expect(town.aqiDays.overDays >= 8)
        #expect(town.aqiDays.perLevel[3...].reduce(0, +) >= 1, "a day over AQI 150")
        #expect(town.aqiDays.validDays >= 340)
        let background = AnnualAirEvaluation.evaluate(year: 2025, days: Self.airReports("AIR-HCB"), standard: .auto, areaClass: .one)
        let backgroundRatio = try #require(background.aqiDays.goodRatio).doubleValue
        #expect(backgroundRatio > ratio && backgroundRatio <= 100)
        // O3 is highest on summer afternoons.
        let reports = Self.airReports("AIR-XC")
        let july = reports.filter { $0.date.month == 7 }.compactMap { $0.statistics.o3MaximumDaily8h.value?.doubleValue }
        let january = reports.filter { $0.date.month == 1 }.compactMap { $0.statistics.o3MaximumDaily8h.value?.doubleValue }
        let julyMean: Double = july.reduce(0, +) / Double(july.count)
        let januaryMean: Double = january.reduce(0, +) / Double(january.count)
        #expect(julyMean > 1.5 * januaryMean)
    }

    @Test("air: missing hours and days, a 3-day outage, flags D, M and C with numbers, a -99 sentinel and a negative value")
    func airIrregularities() throws {
        let (from, through) = Self.year2025
        var outages = 0
        for site in Self.sites where site.kind == .air {
            let values = Self.generator.observations(for: site, from: from, through: through)
            #expect(values.count < 365 * 24 * 6 * 99 / 100 && values.count > 365 * 24 * 6 * 9 / 10, "\(site.code): \(values.count)")
            let flags = Set(values.compactMap(\.flag))
            #expect(flags.isSuperset(of: ["N", "D", "M", "C"]), "\(site.code): \(flags)")
            #expect(values.filter { $0.flag != "N" }.allSatisfy { $0.value != nil })
            #expect(values.contains { $0.value == -99 && $0.flag == "D" && $0.code == "a34004" })
            #expect(values.contains { ($0.value ?? 0) < 0 && $0.flag == "N" })
            let days = Set(values.map { LocalTime.dayText($0.dataTime) })
            #expect(days.count < 365)
            var run = 0
            for number in from.dayNumber...through.dayNumber {
                run = days.contains(CivilDate(dayNumber: number).description) ? 0 : run + 1
                if run == 3 { outages += 1 }
            }
        }
        #expect(outages >= 1)
    }

    @Test("water sections: monthly means mostly meet the target class, a few months one class worse")
    func waterSections() throws {
        let (from, through) = Self.year2025
        var meeting = 0, worse = 0
        for site in Self.sites where site.kind == .water {
            let values = Self.generator.observations(for: site, from: from, through: through)
            #expect(values.count > 300 * 9)
            for month in 1...12 {
                var sums: [WaterItem: (Double, Int)] = [:]
                for o in values where LocalTime.components(o.dataTime).month == month {
                    guard let item = MonitoringCodes.waterItem(code: o.code), let value = o.value else { continue }
                    sums[item, default: (0, 0)].0 += value
                    sums[item, default: (0, 0)].1 += 1
                }
                var means: [WaterItem: ScaledDecimal] = [:]
                for (item, (sum, n)) in sums { means[item] = ScaledDecimal.parse(Substring(String(format: "%.4f", sum / Double(n)))) }
                let target = WaterClass(site.targetClass!)
                let evaluation = WaterQuality.evaluate(means, waterType: site.waterType == "lake" ? .lake : .river, targetClass: target)
                let achieved = try #require(evaluation.waterClass)
                if achieved <= target { meeting += 1 } else {
                    #expect(achieved.value == target.value + 1, "\(site.code) \(month): \(achieved.name)")
                    worse += 1
                }
            }
        }
        #expect((1...5).contains(worse), "\(worse) section-months worse than target")
        #expect(meeting >= 13 * 12 - 5)
    }

    @Test("drinking-water sources: a sample a month, compliant except one month at one township source")
    func drinkingWater() throws {
        let (from, through) = Self.year2025
        var failures: [String] = []
        for site in Self.sites where site.kind == .drinkingWater {
            let values = Self.generator.observations(for: site, from: from, through: through)
            let samples = Dictionary(grouping: values) { LocalTime.dayText($0.dataTime) }
            #expect(samples.count == 12)
            for (day, sample) in samples {
                var items: [WaterItem: ScaledDecimal] = [:]
                for o in sample { items[MonitoringCodes.waterItem(code: o.code)!] = ScaledDecimal.parse(Substring(o.valueText)) }
                if WaterQuality.drinkingSourceCompliant(items, waterType: site.waterType == "lake" ? .lake : .river) != true {
                    failures.append("\(site.code) \(day)")
                    #expect(site.sourceScale == "township")
                }
            }
        }
        #expect(failures.count == 1, "\(failures)")
    }

    @Test("noise: day louder than night by zone; a few nights over the 4a night limit")
    func noise() throws {
        let (from, through) = Self.year2025
        for site in Self.sites where site.kind == .noise {
            let zone = try #require(NoiseZone(text: site.zone!))
            let values = Self.generator.observations(for: site, from: from, through: through).filter { $0.flag == "N" }
            var nights: [String: [Double]] = [:]
            var dayLevels: [Double] = []
            for o in values {
                let c = LocalTime.components(o.dataTime)
                if c.hour >= 22 || c.hour < 6 {
                    // The night of 22 h belongs to that evening's date.
                    let evening = c.hour >= 22 ? LocalTime.dayText(o.dataTime) : LocalTime.dayText(o.dataTime.addingTimeInterval(-86_400))
                    nights[evening, default: []].append(o.value!)
                } else {
                    dayLevels.append(o.value!)
                }
            }
            func leq(_ levels: [Double]) -> Double { 10 * log10(levels.map { pow(10, $0 / 10) }.reduce(0, +) / Double(levels.count)) }
            #expect(leq(dayLevels) < Double(zone.dayLimit) && leq(dayLevels) > Double(zone.dayLimit) - 8)
            let loud = nights.values.filter { $0.count >= 6 && leq($0) > Double(zone.nightLimit) }.count
            if zone == .zone4a { #expect((2...20).contains(loud), "\(site.code): \(loud) nights over") } else { #expect(loud <= 3) }
        }
    }

    @Test("outlets: amounts follow concentration × flow; three consecutive hours over a limit once a year")
    func outlets() throws {
        let (from, through) = Self.year2025
        var runs = 0
        for site in Self.sites where site.kind == .outlet {
            let values = Self.generator.observations(for: site, from: from, through: through)
            let gas = site.medium == "gas"
            let flows = Dictionary(values.filter { $0.code == (gas ? "a00000" : "w00000") && $0.field == "Cou" }.map { ($0.dataTime, $0.value!) },
                                   uniquingKeysWith: { a, _ in a })
            for pollutant in site.pollutants ?? [] {
                let avg = values.filter { $0.code == pollutant.code && $0.field == "Avg" && $0.flag == "N" }
                let cou = Dictionary(values.filter { $0.code == pollutant.code && $0.field == "Cou" }.map { ($0.dataTime, $0.value!) },
                                     uniquingKeysWith: { a, _ in a })
                for o in avg.prefix(200) {
                    let expected = o.value! * flows[o.dataTime]! / (gas ? 1_000_000 : 1000)
                    #expect(abs(cou[o.dataTime]! - expected) <= max(0.002, expected * 0.01), "\(site.code) \(pollutant.code)")
                }
                var run = 0
                for o in avg {
                    run = o.value! > pollutant.limit! ? run + 1 : 0
                    if run == 3 { runs += 1 }
                }
            }
            if !gas {
                let daily = flows.values.reduce(0, +) / 365
                #expect((5_000...25_000).contains(daily), "\(site.code) \(daily) m³/d")
            }
            #expect(!gas || values.contains { $0.flag == "F" })
        }
        #expect(runs == 1)
    }
}
