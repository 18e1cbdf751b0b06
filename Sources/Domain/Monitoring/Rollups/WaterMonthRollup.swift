public import Foundation
public import Standards

/// The monthly water quality of one section or drinking-water source: each item's mean of the month's valid values,
/// the class by GB 3838-2002 (single-factor method, 《地表水环境质量评价办法（试行）》), compliance with the target class,
/// and for drinking-water sources compliance by GB 3838 §4.2 (表1 class III and 表2).
public struct WaterMonthRollup: Sendable, Equatable {
    /// One item's monthly mean.
    public struct ItemMean: Sendable, Equatable {
        /// The mean, with one decimal more than the values averaged.
        public var mean: ScaledDecimal
        /// Values averaged.
        public var count: Int

        /// Creates an item mean.
        public init(mean: ScaledDecimal, count: Int) {
            self.mean = mean
            self.count = count
        }
    }

    /// The site.
    public var siteCode: String
    /// The year.
    public var year: Int
    /// The month, 1-12.
    public var month: Int
    /// Distinct sampling times with at least one valid value.
    public var samples: Int
    /// Item means.
    public var items: [WaterItem: ItemMean]
    /// The class and main pollutants from the means, `nil` without values.
    public var evaluation: WaterSampleEvaluation?
    /// The site's target class.
    public var targetClass: WaterClass?
    /// For drinking-water sources: whether the month's means comply (GB 3838 §4.2).
    public var drinkingCompliant: Bool?
    /// Start of the local month.
    public var from: Date
    /// Start of the next local month.
    public var to: Date

    /// Whether the class is no worse than the target (drinking-water sources: GB 3838 §4.2 compliance).
    public var compliant: Bool? { drinkingCompliant ?? evaluation?.compliant }

    /// Computes the rollup of a month.
    /// - Parameters:
    ///   - siteCode: the site.
    ///   - year: the year.
    ///   - month: the month.
    ///   - values: the site's values of that month (fields other than `Avg`, kinds other than hour/day/minute, and
    ///     values outside the month are ignored).
    ///   - waterType: river or lake/reservoir.
    ///   - targetClass: the target class, if any.
    ///   - drinkingSource: whether the site is a drinking-water source.
    /// - Returns: the rollup.
    public static func compute(siteCode: String, year: Int, month: Int, values: [ReviewedValue], waterType: WaterType,
                               targetClass: WaterClass?, drinkingSource: Bool) -> WaterMonthRollup {
        var sums: [WaterItem: (sum: ExactNumber, count: Int, decimals: Int)] = [:]
        var times = Set<Date>()
        for value in values where value.field == MonitoringCodes.averageField && value.kind != .other {
            guard let item = MonitoringCodes.waterItem(code: value.code), let number = value.assessable else { continue }
            let local = LocalTime.components(value.time)
            guard local.year == year, local.month == month else { continue }
            let entry = sums[item] ?? (ExactNumber.zero, 0, 0)
            sums[item] = ((entry.sum + number.exact).reduced, entry.count + 1, max(entry.decimals, number.decimals))
            times.insert(value.time)
        }
        var items: [WaterItem: ItemMean] = [:]
        for (item, entry) in sums {
            // The mean keeps one decimal more than the values averaged (GB/T 8170 and HJ 630: a mean may carry one more
            // digit), so rounding never moves a mean across a class limit.
            items[item] = ItemMean(mean: (entry.sum / ExactNumber(entry.count)).rounded(decimals: min(entry.decimals + 1, 9)), count: entry.count)
        }
        let means = items.mapValues(\.mean)
        let evaluation = means.isEmpty ? nil : WaterQuality.evaluate(means, waterType: waterType, targetClass: targetClass)
        let first = CivilDate(year: year, month: month, day: 1)!
        let next = first.firstOfNextMonth
        return WaterMonthRollup(
            siteCode: siteCode, year: year, month: month, samples: times.count, items: items, evaluation: evaluation,
            targetClass: targetClass,
            drinkingCompliant: drinkingSource && !means.isEmpty ? WaterQuality.drinkingSourceCompliant(means, waterType: waterType) : nil,
            from: LocalTime.start(of: first), to: LocalTime.start(of: next))
    }
}
