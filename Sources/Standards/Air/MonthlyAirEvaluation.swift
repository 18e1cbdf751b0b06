/// One item's monthly statistic: the mean (or, for CO and O3, the percentile HJ 663 uses) of the month's valid
/// rounded daily values.
public struct MonthlyItemEvaluation: Sendable, Hashable {
    /// The item.
    public var item: AnnualAirItem
    /// Valid daily values in the month.
    public var validDays: Int
    /// Whether the month has enough daily values: at least 27 (25 in February) (GB 3095-2012 表4 and GB 3095-2026
    /// 表4, 月平均).
    public var valid: Bool
    /// The mean of the valid rounded daily values, rounded by GB/T 8170.
    public var mean: ScaledDecimal?
    /// The item's percentile of the daily values (CO 95th, O3 90th, the others 98th/95th as in the annual
    /// evaluation: HJ 663 §5.3), rounded.
    public var percentile: ScaledDecimal?
}

/// The evaluation of one calendar month of one station or city (HJ 663 §5: 月评价 uses the month's daily values).
public struct MonthlyAirEvaluation: Sendable, Hashable {
    /// The year.
    public var year: Int
    /// The month, 1-12.
    public var month: Int
    /// One evaluation per annual item.
    public var items: [MonthlyItemEvaluation]
    /// The AQI day counts of the month (valid days, good days, days per level, primary pollutants).
    public var aqiDays: AQIDayCounts

    /// The fewest daily values of a valid monthly statistic (GB 3095 表4: 27 a month, 25 in February).
    public static func minimumDays(month: Int) -> Int { month == 2 ? 25 : 27 }

    /// Evaluates one month from its daily reports.
    /// - Parameters:
    ///   - year: the year.
    ///   - month: the month.
    ///   - days: daily reports (days outside the month are ignored).
    /// - Returns: the evaluation.
    public static func evaluate(year: Int, month: Int, days: [DailyAirReport]) -> MonthlyAirEvaluation {
        var units = Array(repeating: [Int64](), count: AnnualAirItem.allCases.count)
        var counts = AQIDayCounts(validDays: 0, goodDays: 0, overDays: 0, perLevel: Array(repeating: 0, count: 6),
                                  goodRatio: nil, primaryPollutantDays: [:])
        for day in days where day.date.year == year && day.date.month == month {
            for (slot, item) in AnnualAirItem.allCases.enumerated() {
                guard let value = day.statistics[item.pollutant].validValue else { continue }
                units[slot].append(value.rounded(decimals: item.pollutant.reportDecimals).units)
            }
            AnnualAirEvaluation.count(day.aqi, into: &counts)
        }
        if counts.validDays > 0 {
            counts.goodRatio = ExactNumber(Int128(counts.goodDays) * 100, over: Int128(counts.validDays)).rounded(decimals: 1)
        }
        let items = AnnualAirItem.allCases.enumerated().map { slot, item in
            let decimals = item.pollutant.reportDecimals
            let column = units[slot]
            let mean: ScaledDecimal? = column.isEmpty ? nil
                : ExactNumber(Int128(column.reduce(0, +)), over: Int128(column.count) * Int128(ScaledDecimal.powerOfTen(decimals)))
                    .rounded(decimals: decimals)
            return MonthlyItemEvaluation(
                item: item, validDays: column.count, valid: column.count >= minimumDays(month: month), mean: mean,
                percentile: HJ663Percentile.percentile(units: column, decimals: decimals, p: item.percentileRank)?.rounded(decimals: decimals))
        }
        return MonthlyAirEvaluation(year: year, month: month, items: items, aqiDays: counts)
    }
}
