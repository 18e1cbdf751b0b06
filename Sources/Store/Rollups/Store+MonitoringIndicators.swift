public import Domain
import Foundation
import SQLKit
import Standards

/// A plan indicator's figure for one year computed from validated monitoring data, with what it was computed from.
public struct MonitoringIndicatorFigure: Codable, Sendable, Equatable {
    /// The plan.
    public var planID: String
    /// The indicator's number in the plan.
    public var number: Int
    /// The indicator's name.
    public var name: String
    /// Its unit.
    public var unit: String
    /// What is computed.
    public var metric: MonitoringIndicator
    /// The year.
    public var year: Int
    /// The figure, `nil` when there is no valid data.
    public var value: Double?
    /// The plan's target, as printed.
    public var target: String
    /// Whether the figure meets the target (`nil` when either is unknown).
    public var meetsTarget: Bool?
    /// How many valid days (air) or section/source-months (water) the figure rests on.
    public var used: Int
    /// The sites it was computed from.
    public var sites: [String]
    /// One sentence on how it was computed, with the period `[from, to)`.
    public var basis: String
    /// Per-site detail (a section's annual class, a source's compliant months …).
    public var details: [String]
}

extension Store {
    /// The figures of the monitoring-fed indicators (优良天数, PM2.5, 地表水Ⅲ类比例, 饮用水水源地达标率) of every stored
    /// plan whose period contains the year, computed from the stored rollups of validated data.
    /// - Parameters:
    ///   - year: the year.
    ///   - planID: one plan, or every plan covering the year.
    public func monitoringIndicators(year: Int, planID: String? = nil) async throws -> [MonitoringIndicatorFigure] {
        let summaries = try await planSummaries().filter { ($0.startYear...$0.endYear).contains(year) && (planID == nil || $0.id == planID) }
        guard !summaries.isEmpty else { return [] }
        let computed = try await computeMonitoringFigures(year: year)
        var figures: [MonitoringIndicatorFigure] = []
        for summary in summaries {
            guard let plan = try await plan(summary.id) else { continue }
            for indicator in plan.indicators {
                guard let metric = MonitoringIndicator(name: indicator.name), let figure = computed[metric] else { continue }
                figures.append(MonitoringIndicatorFigure(
                    planID: plan.id, number: indicator.number, name: indicator.name, unit: indicator.unit, metric: metric, year: year,
                    value: figure.value, target: indicator.target.text,
                    meetsTarget: figure.value.flatMap { Store.meets($0, indicator.target) }, used: figure.used, sites: figure.sites,
                    basis: figure.basis, details: figure.details))
            }
        }
        return figures
    }

    /// Records the monitoring-fed figures of the given years as submitted values of their plans' indicators
    /// (waiting for the bureau's approval; an approved figure is left alone).
    /// - Returns: how many figures were stored.
    @discardableResult
    public func feedMonitoringIndicators(years: [Int]) async throws -> Int {
        var stored = 0
        for year in years {
            for figure in try await monitoringIndicators(year: year) {
                guard let value = figure.value else { continue }
                if try await recordMonitoringValue(planID: figure.planID, number: figure.number, year: year, value: value,
                                                   source: "监测数据自动计算：\(figure.basis)") {
                    stored += 1
                }
            }
        }
        return stored
    }

    static func meets(_ value: Double, _ target: PlanValue) -> Bool? {
        guard let goal = target.value else { return nil }
        switch target.comparator {
        case .atMost: return value <= goal
        case .lessThan: return value < goal
        case .greaterThan: return value > goal
        case .atLeast, nil: return value >= goal
        }
    }

    private struct Computed {
        var value: Double?
        var used: Int
        var sites: [String]
        var basis: String
        var details: [String]
    }

    private func computeMonitoringFigures(year: Int) async throws -> [MonitoringIndicator: Computed] {
        var result: [MonitoringIndicator: Computed] = [:]
        let period = "[\(year)-01-01, \(year + 1)-01-01)"
        // Air: the county's assessment stations (国控/市控 city stations; all stations when none is marked).
        let airSites = try await sites(kind: .air)
        let cityStations = airSites.filter { $0.controlLevel == .national || $0.controlLevel == .city }
        let stations = cityStations.isEmpty ? airSites : cityStations
        if !stations.isEmpty {
            let days = try await airDays(siteCodes: stations.map(\.code), from: CivilDate(year: year, month: 1, day: 1)!,
                                         to: CivilDate(year: year + 1, month: 1, day: 1)!)
            let byStation = Dictionary(grouping: days, by: \.siteCode).values.map { $0.map(\.report) }
            let county = CountyAirDays.combine(Array(byStation))
            let evaluation = AnnualAirEvaluation.evaluate(year: year, days: county, standard: .auto, areaClass: .two)
            let codes = stations.map(\.code)
            let valid = evaluation.aqiDays.validDays
            result[.goodDays] = Computed(
                value: valid > 0 ? Double(evaluation.aqiDays.goodDays) : nil, used: valid, sites: codes,
                basis: "\(codes.joined(separator: "、")) \(period) 有效天数 \(valid) 天，其中优良（AQI≤100）\(evaluation.aqiDays.goodDays) 天，优良率 \(evaluation.aqiDays.goodRatio?.description ?? "—")%（HJ 633、HJ 663）",
                details: evaluation.aqiDays.perLevel.enumerated().map { "\($0.offset + 1) 级 \($0.element) 天" })
            let pm25 = evaluation[.pm25]
            result[.pm25AnnualMean] = Computed(
                value: pm25.mean.map { $0.exact.doubleValue }, used: pm25.validDays, sites: codes,
                basis: "\(codes.joined(separator: "、")) \(period) \(pm25.validDays) 个有效日均值的算术平均\(pm25.annualValid ? "" : "（有效日数不足 324 天或有月份不足，年均值仅供参考）")（HJ 663 §5.3）",
                details: pm25.monthsShort.isEmpty ? [] : ["有效日数不足的月份：\(pm25.monthsShort.map(String.init).joined(separator: "、"))"])
        }
        // Surface water: each section's annual class from the mean of its monthly means.
        let sections = try await sites(kind: .water)
        if !sections.isEmpty {
            let months = try await waterMonths(year: year, siteCodes: sections.map(\.code))
            var details: [String] = []
            var good = 0, evaluated = 0, used = 0
            for section in sections {
                let own = months.filter { $0.siteCode == section.code && $0.samples > 0 }
                guard !own.isEmpty else { continue }
                var sums: [WaterItem: (ExactNumber, Int, Int)] = [:]
                for month in own {
                    for (key, entry) in month.items {
                        guard let item = WaterItem(rawValue: key), let text = entry["mean"], let mean = ScaledDecimal.parse(Substring(text)) else { continue }
                        let current = sums[item] ?? (.zero, 0, 0)
                        sums[item] = ((current.0 + mean.exact).reduced, current.1 + 1, max(current.2, mean.decimals))
                    }
                }
                let means = sums.mapValues { ($0.0 / ExactNumber($0.1)).rounded(decimals: $0.2) }
                let evaluation = WaterQuality.evaluate(means, waterType: section.waterType == "lake" ? .lake : .river,
                                                       targetClass: section.targetClass.map { WaterClass($0) })
                guard let waterClass = evaluation.waterClass else { continue }
                evaluated += 1
                used += own.count
                if waterClass.value <= 3 { good += 1 }
                details.append("\(section.code) \(section.name)：\(own.count) 个月，年均 \(waterClass.name) 类")
            }
            result[.waterClassIIIShare] = Computed(
                value: evaluated > 0 ? (Double(good) * 1000 / Double(evaluated)).rounded() / 10 : nil, used: used,
                sites: sections.map(\.code),
                basis: "\(period) \(evaluated) 个断面按月均值的年均值评价，达到或好于Ⅲ类 \(good) 个（GB 3838-2002，单因子评价）", details: details)
        }
        // Drinking-water sources: compliant monthly evaluations over evaluated ones, city and township apart.
        let sources = try await sites(kind: .drinkingWater)
        for (metric, scale, label) in [(MonitoringIndicator.cityDrinkingWater, "city", "城市"), (.townshipDrinkingWater, "township", "乡镇")] {
            let chosen = sources.filter { $0.sourceScale == scale }
            guard !chosen.isEmpty else { continue }
            let months = try await waterMonths(year: year, siteCodes: chosen.map(\.code)).filter { $0.compliant != nil }
            let compliant = months.filter { $0.compliant == true }.count
            result[metric] = Computed(
                value: months.isEmpty ? nil : (Double(compliant) * 1000 / Double(months.count)).rounded() / 10, used: months.count,
                sites: chosen.map(\.code),
                basis: "\(period) \(label)集中式饮用水水源地 \(chosen.count) 个，月评价 \(months.count) 次，达标 \(compliant) 次（GB 3838-2002 §4.2）",
                details: months.filter { $0.compliant == false }.map { "\($0.siteCode) \($0.month) 不达标" })
        }
        return result
    }
}
