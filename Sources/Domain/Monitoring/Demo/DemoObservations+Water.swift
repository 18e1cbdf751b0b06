import Foundation
import Standards

/// Surface-water sections (daily automatic-station values) and drinking-water sources (monthly samples), GB 3838-2002.
extension DemoObservations {
    /// A month in which one item of one section is a class worse than its target.
    struct WaterExcursion: Equatable {
        var site: String
        var month: Int
        var item: WaterItem
    }

    /// The excursions of a year: three (section, month, item) triples, mostly in the flood season (May-September),
    /// when run-off carries nutrients and organic matter into the rivers.
    func waterExcursions(year: Int) -> [WaterExcursion] {
        let sections = sites(.water)
        guard !sections.isEmpty else { return [] }
        var r = random("water-excursions", site: nil, year)
        var result: [WaterExcursion] = []
        while result.count < min(3, sections.count) {
            let site = sections[r.integer(0...(sections.count - 1))].code
            guard !result.contains(where: { $0.site == site }) else { continue }
            let month = r.chance(0.7) ? r.integer(5...9) : r.integer(1...12)
            let item: WaterItem = [.nh3n, .tp, .codmn][r.integer(0...2)]
            result.append(WaterExcursion(site: site, month: month, item: item))
        }
        return result
    }

    /// The township source and month of the year's non-compliant drinking-water sample (NH3-N of class IV).
    func drinkingWaterExcursion(year: Int) -> (site: String, month: Int)? {
        let sources = sites(.drinkingWater).filter { $0.sourceScale == "township" }
        guard !sources.isEmpty else { return nil }
        var r = random("dw-excursion", site: nil, year)
        return (sources[r.integer(0...(sources.count - 1))].code, r.integer(4...9))
    }

    /// The items generated for sections and sources, with the decimals they are reported with.
    static let waterItems: [(item: WaterItem, decimals: Int)] = [
        (.temperature, 1), (.ph, 2), (.dissolvedOxygen, 2), (.codmn, 1), (.cod, 1), (.bod5, 1), (.nh3n, 3), (.tp, 3), (.tn, 2),
    ]

    /// The value of one item on one day: for "≤" items a site-specific share of the target class's limit (a little
    /// higher in the flood season), or, in an excursion month, between the target limit and the next class's.
    func waterValue(_ item: WaterItem, site: Site, day: DemoDay, excursion: Bool, random r: inout DemoRandom) -> Double {
        let waterType: WaterType = site.waterType == "lake" ? .lake : .river
        let target = min(max(site.targetClass ?? 3, 1), 5)
        let flood = day.season(peak: 200)
        switch item {
        case .temperature:
            return 8 + 16 * day.season(peak: 215) + 0.8 * r.normal()
        case .ph:
            return 7.85 + 0.12 * smooth("w-ph", site: site, day: day.dayNumber) + 0.05 * r.normal()
        case .dissolvedOxygen:
            return 9.4 - 1.6 * day.season(peak: 215) + 0.3 * r.normal()
        case .tn where waterType == .river:
            // Not part of a river section's class (环办〔2011〕22号); mountain rivers carry about 1 mg/L.
            return (0.7 + 0.5 * trait("w-tn", site: site)) * (1 + 0.2 * flood) * exp(0.12 * r.normal())
        default:
            guard let limits = item.upperLimits(waterType) else { return 0 }
            let limit = limits[target - 1].doubleValue
            if excursion {
                let next = limits[min(target, 4)].doubleValue
                return limit + (next - limit) * r.uniform(0.25...0.6)
            }
            let share = 0.4 + 0.25 * trait("w-share-\(item.rawValue)", site: site)
            return min(limit * share * (1 + 0.18 * flood) * exp(0.12 * r.normal()), limit * 0.98)
        }
    }

    func water(_ site: Site, _ day: DemoDay, into batch: inout DemoBatch) {
        var r = random("water-day", site: site, day.dayNumber)
        // About one day in fifty lost (sampling pump, reagents).
        if r.chance(0.02) { return }
        let excursions = waterExcursions(year: day.date.year).filter { $0.site == site.code && $0.month == day.date.month }
        // One day a quarter is the station's maintenance day: its values are flagged M.
        let maintenance = day.date.day == 10 + Int(trait("w-maint", site: site) * 10) && day.date.month % 3 == 1
        for (item, decimals) in DemoObservations.waterItems {
            let value = waterValue(item, site: site, day: day, excursion: excursions.contains { $0.item == item }, random: &r)
            batch.add(MonitoringCodes.water[item]!, day: day.dayNumber, value: value, decimals: decimals, flag: maintenance ? "M" : "N")
        }
    }

    /// The supplementary items of a drinking-water source (GB 3838-2002 表2), with typical levels and decimals.
    static let supplementaryItems: [(item: WaterItem, low: Double, high: Double, decimals: Int)] = [
        (.sulfate, 15, 40, 1), (.chloride, 3, 10, 1), (.nitrate, 0.4, 1.5, 2), (.iron, 0.02, 0.1, 3), (.manganese, 0.004, 0.03, 3),
    ]

    func drinkingWater(_ site: Site, _ day: DemoDay, into batch: inout DemoBatch) {
        // One sample a month, on a day between the 5th and the 12th.
        var sampling = random("dw-day", site: site, day.date.year, day.date.month)
        guard day.date.day == sampling.integer(5...12) else { return }
        var r = random("dw-sample", site: site, day.dayNumber)
        let excursion = drinkingWaterExcursion(year: day.date.year).map { $0.site == site.code && $0.month == day.date.month } ?? false
        for (item, decimals) in DemoObservations.waterItems {
            var value = waterValue(item, site: site, day: day, excursion: false, random: &r)
            if excursion && item == .nh3n { value = r.uniform(1.15...1.4) }
            batch.add(MonitoringCodes.water[item]!, day: day.dayNumber, value: value, decimals: decimals)
        }
        for (item, low, high, decimals) in DemoObservations.supplementaryItems {
            batch.add(MonitoringCodes.water[item]!, day: day.dayNumber, value: r.uniform(low...high), decimals: decimals)
        }
    }
}
