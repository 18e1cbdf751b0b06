/// The evaluation items of a year (HJ 663 表1): the keys `so2`, `no2`, `pm10`, `pm25`, `co`, `o3_8h`.
public enum AnnualAirItem: String, Sendable, CaseIterable, Codable {
    /// SO2: annual mean and 24-hour 98th percentile.
    case so2
    /// NO2: annual mean and 24-hour 98th percentile.
    case no2
    /// PM10: annual mean and 24-hour 95th percentile.
    case pm10
    /// PM2.5: annual mean and 24-hour 95th percentile.
    case pm25
    /// CO: 24-hour 95th percentile.
    case co
    /// O3: daily maximum 8-hour average, 90th percentile.
    case o3_8h

    /// The pollutant.
    public var pollutant: AirPollutant {
        switch self {
        case .so2: .so2
        case .no2: .no2
        case .pm10: .pm10
        case .pm25: .pm25
        case .co: .co
        case .o3_8h: .o3
        }
    }

    /// The percentile of the daily values evaluated (HJ 663 表1): 98 for SO2 and NO2, 95 for PM10, PM2.5 and CO,
    /// 90 for the O3 daily maximum 8-hour average.
    public var percentileRank: Int {
        switch self {
        case .so2, .no2: 98
        case .pm10, .pm25, .co: 95
        case .o3_8h: 90
        }
    }

    /// `true` when the annual mean is an evaluation item with an annual limit (SO2, NO2, PM10, PM2.5).
    public var hasAnnualLimit: Bool { self != .co && self != .o3_8h }

    /// The averaging time of the daily value's limit.
    var dailyAveraging: AveragingTime { self == .o3_8h ? .maximumDaily8h : .daily }
}

/// The annual statistics and compliance of one item.
public struct AnnualItemEvaluation: Sendable, Hashable {
    /// The item.
    public var item: AnnualAirItem
    /// The number of valid daily values in the year.
    public var validDays: Int
    /// The months with fewer valid daily values than GB 3095 表4 requires (27; 25 in February).
    public var monthsShort: [Int]
    /// GB 3095 表4: at least 324 valid daily values in the year and at least 27 in each month (25 in February).
    public var annualValid: Bool
    /// The annual mean of the (rounded) valid daily values, rounded by GB/T 8170 to the reporting precision.
    public var mean: ScaledDecimal?
    /// The ``AnnualAirItem/percentileRank`` percentile of the daily values (HJ 663 A.2), rounded likewise.
    public var percentile: ScaledDecimal?
    /// The annual limit (SO2, NO2, PM10, PM2.5), or `nil`.
    public var annualLimit: Int?
    /// The limit the percentile is compared with: the 24-hour limit (O3: the 8-hour limit).
    public var dailyLimit: Int?
    /// Compliance (HJ 663 §7; digest §3.5): SO2, NO2, PM10, PM2.5 need mean ≤ annual limit and percentile ≤ 24-hour
    /// limit; CO its P95 ≤ the 24-hour limit; O3 its P90 ≤ the 8-hour limit. `nil` when the year's data are not
    /// valid (GB 3095 表4) or a statistic is missing.
    public var compliant: Bool?
    /// Valid days whose daily value exceeds the 24-hour (O3: 8-hour) limit in force that day.
    public var daysOverDailyLimit: Int
    /// 超标倍数 of the annual mean, (C − S)/S to 0.01, when C > S.
    public var meanExceedance: ScaledDecimal?
    /// 超标倍数 of the percentile, (C − S)/S to 0.01, when C > S.
    public var percentileExceedance: ScaledDecimal?
}

/// Counts of daily AQI over the valid days of a year (good-days ratio, 优良天数比例).
public struct AQIDayCounts: Sendable, Hashable {
    /// Valid days (an AQI was published, HJ 633-2026 §5.3.1 logic).
    public var validDays: Int
    /// Days with AQI ≤ 100 (优 and 良).
    public var goodDays: Int
    /// Days with AQI > 100.
    public var overDays: Int
    /// Days per level 1…6 (index 0 = level 1).
    public var perLevel: [Int]
    /// 优良天数比例 = good days / valid days × 100 %, rounded by GB/T 8170 to 0.1; `nil` without valid days.
    public var goodRatio: ScaledDecimal?
    /// Days on which each pollutant was primary (ties count for each).
    public var primaryPollutantDays: [AirPollutant: Int]
}

/// The annual evaluation of one station (HJ 663; GB 3095 表1, 表4).
public struct AnnualAirEvaluation: Sendable, Hashable {
    /// The calendar year.
    public var year: Int
    /// The rule sets the days of the year were judged by (both in 2026 under `auto`).
    public var ruleSets: [AirRuleSet]
    /// The rule set of the annual evaluation (that in force at the end of the year).
    public var ruleSet: AirRuleSet
    /// The limits of the annual evaluation.
    public var limitPhase: LimitPhase
    /// The area class.
    public var areaClass: AreaClass
    /// The items, in the order SO2, NO2, PM10, PM2.5, CO, O3.
    public var items: [AnnualItemEvaluation]
    /// Single indices I_i = C_i / S_i with class 2 limits (annual mean over the annual limit; CO P95 over the
    /// 24-hour limit; O3 P90 over the 8-hour limit), to 0.01 (城市环境空气质量排名技术规定, 环办监测〔2018〕19号).
    public var singleIndex: [AnnualAirItem: ScaledDecimal?]
    /// The comprehensive index Σ I_i (exact sum, then rounded to 0.01); `nil` when an item is missing.
    public var comprehensiveIndex: ScaledDecimal?
    /// Overall compliance: all six items compliant; `false` when any is not; `nil` otherwise.
    public var compliant: Bool?
    /// The daily AQI counts.
    public var aqiDays: AQIDayCounts

    /// The item evaluation.
    public subscript(item: AnnualAirItem) -> AnnualItemEvaluation { items.first { $0.item == item }! }

    /// Evaluates one year from its daily reports.
    ///
    /// Pipeline (digest §3.4): hourly → exact daily value → rounded daily value (GB/T 8170) → annual mean and
    /// percentile of the rounded daily values → rounded again → compared with the limits.
    /// - Parameters:
    ///   - year: the calendar year.
    ///   - days: daily reports (days outside the year are ignored; absent days count as missing).
    ///   - standard: the rule-set choice.
    ///   - areaClass: the area class.
    /// - Returns: the evaluation.
    public static func evaluate(year: Int, days: [DailyAirReport], standard: AirStandardChoice,
                                areaClass: AreaClass) -> AnnualAirEvaluation {
        let phase = standard.annualLimitPhase(year: year)
        let ruleSet = standard.annualRuleSet(year: year)
        // One pass over the days: each item's valid rounded daily values (units at its reporting precision), the
        // month of each, and whether it exceeds the daily limit in force that day.
        var columns = Array(repeating: ItemColumn(), count: AnnualAirItem.allCases.count)
        var counts = AQIDayCounts(validDays: 0, goodDays: 0, overDays: 0, perLevel: Array(repeating: 0, count: 6),
                                  goodRatio: nil, primaryPollutantDays: [:])
        var ruleSets: Set<AirRuleSet> = []
        for day in days where day.statistics.date.year == year {
            let statistics = day.statistics
            let month = statistics.date.month
            let dayPhase = day.limitPhase
            ruleSets.insert(day.ruleSet)
            for (slot, item) in AnnualAirItem.allCases.enumerated() {
                guard let value = statistics[item.pollutant].validValue else { continue }
                let scaled = value.rounded(decimals: item.pollutant.reportDecimals)
                columns[slot].units.append(scaled.units)
                columns[slot].perMonth[month] += 1
                if let limit = AirQualityLimits.limit(item.pollutant, item.dailyAveraging, areaClass: areaClass, phase: dayPhase),
                   scaled > ScaledDecimal(limit) {
                    columns[slot].over += 1
                }
            }
            count(day.aqi, into: &counts)
        }
        if counts.validDays > 0 {
            counts.goodRatio = ExactNumber(Int128(counts.goodDays) * 100, over: Int128(counts.validDays)).rounded(decimals: 1)
        }
        var items: [AnnualItemEvaluation] = []
        for (slot, item) in AnnualAirItem.allCases.enumerated() {
            items.append(evaluateItem(item, column: columns[slot], phase: phase, areaClass: areaClass))
        }
        // Single and comprehensive indices: class 2 limits of the annual evaluation's edition.
        var single: [AnnualAirItem: ScaledDecimal?] = [:]
        var total = ExactNumber.zero
        var totalKnown = true
        for evaluation in items {
            let c = evaluation.item.hasAnnualLimit ? evaluation.mean : evaluation.percentile
            let s = evaluation.item.hasAnnualLimit
                ? AirQualityLimits.limit(evaluation.item.pollutant, .annual, areaClass: .two, phase: phase)
                : AirQualityLimits.limit(evaluation.item.pollutant, evaluation.item.dailyAveraging, areaClass: .two, phase: phase)
            if let c, let s {
                let index = c.exact / ExactNumber(s)
                single[evaluation.item] = index.rounded(decimals: 2)
                total = (total + index).reduced
            } else {
                single[evaluation.item] = .some(nil)
                totalKnown = false
            }
        }
        let verdicts = items.map(\.compliant)
        let overall: Bool? = verdicts.contains(false) ? false : (verdicts.allSatisfy { $0 == true } ? true : nil)
        return AnnualAirEvaluation(
            year: year, ruleSets: ruleSets.sorted { $0.rawValue < $1.rawValue },
            ruleSet: ruleSet, limitPhase: phase, areaClass: areaClass, items: items, singleIndex: single,
            comprehensiveIndex: totalKnown ? total.rounded(decimals: 2) : nil, compliant: overall,
            aqiDays: counts)
    }

    /// The valid daily values of one item over a year.
    struct ItemColumn {
        var units: [Int64] = []
        var perMonth = Array(repeating: 0, count: 13)
        var over = 0
    }

    static func evaluateItem(_ item: AnnualAirItem, column: ItemColumn, phase: LimitPhase, areaClass: AreaClass) -> AnnualItemEvaluation {
        let pollutant = item.pollutant
        let decimals = pollutant.reportDecimals
        let units = column.units, perMonth = column.perMonth, over = column.over
        // GB 3095 表4: ≥ 324 daily values a year and ≥ 27 a month (≥ 25 in February).
        let monthsShort = (1...12).filter { perMonth[$0] < ($0 == 2 ? 25 : 27) }
        let annualValid = units.count >= 324 && monthsShort.isEmpty
        let mean: ScaledDecimal? = units.isEmpty ? nil
            : ExactNumber(Int128(units.reduce(0, +)), over: Int128(units.count) * Int128(ScaledDecimal.powerOfTen(decimals)))
                .rounded(decimals: decimals)
        let percentile = HJ663Percentile.percentile(units: units, decimals: decimals, p: item.percentileRank)?
            .rounded(decimals: decimals)
        let annualLimit = item.hasAnnualLimit ? AirQualityLimits.limit(pollutant, .annual, areaClass: areaClass, phase: phase) : nil
        let dailyLimit = AirQualityLimits.limit(pollutant, item.dailyAveraging, areaClass: areaClass, phase: phase)
        var compliant: Bool?
        if annualValid, let percentile, let dailyLimit {
            let percentileOK = percentile <= ScaledDecimal(dailyLimit)
            if let annualLimit {
                if let mean { compliant = percentileOK && mean <= ScaledDecimal(annualLimit) }
            } else {
                compliant = percentileOK
            }
        }
        return AnnualItemEvaluation(
            item: item, validDays: units.count, monthsShort: monthsShort, annualValid: annualValid, mean: mean,
            percentile: percentile, annualLimit: annualLimit, dailyLimit: dailyLimit, compliant: compliant,
            daysOverDailyLimit: over, meanExceedance: exceedance(mean, annualLimit),
            percentileExceedance: exceedance(percentile, dailyLimit))
    }

    /// 超标倍数 = (C − S)/S, rounded to 0.01 by GB/T 8170, when C > S.
    /// - Parameters:
    ///   - value: the concentration C.
    ///   - limit: the limit S.
    /// - Returns: the multiple, or `nil` when C ≤ S or either is unknown.
    public static func exceedance(_ value: ScaledDecimal?, _ limit: Int?) -> ScaledDecimal? {
        guard let value, let limit, limit > 0, value > ScaledDecimal(limit) else { return nil }
        return ((value.exact - ExactNumber(limit)) / ExactNumber(limit)).rounded(decimals: 2)
    }

    static func count(_ result: AQIResult, into counts: inout AQIDayCounts) {
        guard let aqi = result.aqi, let level = result.level else { return }
        counts.validDays += 1
        if aqi <= 100 { counts.goodDays += 1 } else { counts.overDays += 1 }
        counts.perLevel[level.rawValue - 1] += 1
        for pollutant in result.primary ?? [] { counts.primaryPollutantDays[pollutant, default: 0] += 1 }
    }
}
