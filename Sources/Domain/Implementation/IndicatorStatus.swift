/// Where an indicator's figure comes from.
public enum ValueSourceKind: String, Codable, Sendable, CaseIterable {
    /// Entered by the responsible unit.
    case manual
    /// Filled from monitoring data (air, water …) and marked so.
    case monitoring

    /// The kind's name in Chinese.
    public var chineseName: String { self == .manual ? "人工填报" : "监测数据" }
}

/// An indicator's standing against its target.
public enum IndicatorStatus: String, Codable, Sendable, CaseIterable {
    /// 已达标: the target is satisfied.
    case met
    /// 进展正常: not yet satisfied, but at or ahead of the straight path from baseline to target.
    case onTrack = "on_track"
    /// 存在风险: behind the straight path before the final year.
    case atRisk = "at_risk"
    /// 未完成: not satisfied in the final year.
    case missed
    /// 无数据: no approved figure for the year (or, for city-assigned targets, no assigned figure).
    case noData = "no_data"
    /// 不评价: the plan sets no assessable target (e.g. `—`).
    case notAssessed = "not_assessed"

    /// The status in Chinese.
    public var chineseName: String {
        switch self {
        case .met: "已达标"
        case .onTrack: "进展正常"
        case .atRisk: "存在风险"
        case .missed: "未完成"
        case .noData: "无数据"
        case .notAssessed: "不评价"
        }
    }

    /// The status in English.
    public var englishName: String {
        switch self {
        case .met: "met"
        case .onTrack: "on track"
        case .atRisk: "at risk"
        case .missed: "missed"
        case .noData: "no data"
        case .notAssessed: "not assessed"
        }
    }
}

/// How an indicator's target is judged; derived from the printed target by ``IndicatorRule/init(indicator:)``.
public enum IndicatorRule: Sendable, Equatable {
    /// The yearly value must be at least the target (`≥38`, or a target above the baseline, or equal to it).
    case atLeast(Double)
    /// The yearly value must be at most the target (`≤35`, or a target below the baseline).
    case atMost(Double)
    /// Yearly figures accumulate over the period and the sum must reach the target (`[16.5]`).
    case cumulative(Double)
    /// Each year's value must reach the figure the city assigns for that year (完成市级下达…).
    case cityAssigned
    /// No assessable target (`—`, blank).
    case none

    /// Reads the rule from an indicator's printed target and baseline.
    ///
    /// A comparator decides the direction; without one a target above the baseline must be reached from below, a
    /// target below the baseline from above, and a target equal to the baseline (e.g. 100 → 100) must be kept;
    /// a bracketed figure is cumulative; words mentioning 市级下达 are judged against the city's yearly figure.
    public init(indicator: Indicator) {
        let target = indicator.target
        switch target.kind {
        case .number:
            guard let value = target.value else { self = .none; return }
            if target.cumulative { self = .cumulative(value); return }
            switch target.comparator {
            case .atLeast?, .greaterThan?: self = .atLeast(value)
            case .atMost?, .lessThan?: self = .atMost(value)
            case nil:
                if let base = indicator.baseline.value, !indicator.baseline.cumulative, value < base {
                    self = .atMost(value)
                } else {
                    self = .atLeast(value)
                }
            }
        case .text:
            self = target.text.contains("市级下达") || target.text.contains("下达") ? .cityAssigned : .none
        case .none, .blank:
            self = .none
        }
    }

    /// The rule in a few characters, for table cells: `≥ 72`, `≤ 35`, `累计 ≥ 16.5`, `≥ 市级下达值`, `—`.
    public var shortLabel: String {
        switch self {
        case .atLeast(let t): "≥ \(IndicatorRule.format(t))"
        case .atMost(let t): "≤ \(IndicatorRule.format(t))"
        case .cumulative(let t): "累计 ≥ \(IndicatorRule.format(t))"
        case .cityAssigned: "≥ 市级下达值"
        case .none: "—"
        }
    }

    /// The rule in one sentence, Chinese and English.
    public var explanation: (zh: String, en: String) {
        switch self {
        case .atLeast(let t):
            ("当年审核值 ≥ \(IndicatorRule.format(t)) 为达标；未达标时，不低于基准值到目标值的线性进度为进展正常，否则为存在风险，规划末年仍未达标为未完成。",
             "Met when the year's approved value is ≥ \(IndicatorRule.format(t)); otherwise on track if at or above the straight line from baseline to target for that year, at risk if below it, and missed in the final year.")
        case .atMost(let t):
            ("当年审核值 ≤ \(IndicatorRule.format(t)) 为达标；未达标时，不高于基准值到目标值的线性进度为进展正常，否则为存在风险，规划末年仍未达标为未完成。",
             "Met when the year's approved value is ≤ \(IndicatorRule.format(t)); otherwise on track if at or below the straight line from baseline to target for that year, at risk if above it, and missed in the final year.")
        case .cumulative(let t):
            ("逐年审核值累加，累计达到 \(IndicatorRule.format(t)) 为达标；未达到时，累计值不低于目标按年平均分摊的进度为进展正常，否则为存在风险，规划末年仍未达到为未完成。",
             "Yearly approved values add up; met when the sum reaches \(IndicatorRule.format(t)); otherwise on track if the sum keeps pace with the target spread evenly over the years, at risk if not, and missed in the final year.")
        case .cityAssigned:
            ("每年审核值不低于当年市级下达值为达标；低于下达值的，规划末年为未完成，其他年份为存在风险；未录入下达值的为无数据。",
             "Met when the year's approved value reaches the figure the city assigned for that year; below it, missed in the final year and at risk before; no data while the city figure is not entered.")
        case .none:
            ("规划未设定可评价的目标值，仅记录数值。", "The plan sets no assessable target; values are recorded only.")
        }
    }

    /// Formats a figure without binary noise or trailing zeros (`72`, `16.5`).
    /// - Parameter value: the figure.
    /// - Returns: its text.
    public static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e12 { return String(Int64(value)) }
        var text = String(value)
        if text.contains("e") { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// One year's figure as the status rule sees it: the approved value and, for city-assigned targets, the city figure.
public struct YearFigure: Sendable, Equatable {
    /// The year.
    public var year: Int
    /// The approved value, nil when none is approved.
    public var value: Double?
    /// The figure the city assigned for the year (完成市级下达…), when entered.
    public var cityAssigned: Double?

    /// Creates a year's figure.
    public init(year: Int, value: Double?, cityAssigned: Double? = nil) {
        self.year = year
        self.value = value
        self.cityAssigned = cityAssigned
    }
}

/// The outcome of the status rule for one indicator and year.
public struct IndicatorAssessment: Sendable, Equatable {
    /// The status.
    public var status: IndicatorStatus
    /// The figure that was judged: the year's value, or the running sum for cumulative targets.
    public var actual: Double?
    /// What the figure was compared with: the target, the straight-line path for the year, or the city figure.
    public var expected: Double?
    /// The rule that was applied.
    public var rule: IndicatorRule
}

/// The status rule: an indicator's standing for a year, from approved yearly figures only. Pure and documented in
/// ``IndicatorRule/explanation``.
public enum IndicatorStatusRule {
    /// Assesses an indicator for a year of the plan.
    /// - Parameters:
    ///   - indicator: the indicator with its baseline and target.
    ///   - period: the plan's years.
    ///   - baselineYear: the year of the baseline value.
    ///   - figures: the approved figures by year (years without an approved value may be absent).
    ///   - year: the year to assess.
    /// - Returns: the status, the figure judged and what it was compared with.
    public static func assess(
        _ indicator: Indicator, period: Period, baselineYear: Int, figures: [YearFigure], year: Int
    ) -> IndicatorAssessment {
        let rule = IndicatorRule(indicator: indicator)
        let byYear = Dictionary(figures.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        let isFinal = year >= period.endYear
        switch rule {
        case .none:
            return IndicatorAssessment(status: .notAssessed, actual: byYear[year]?.value, expected: nil, rule: rule)
        case .atLeast(let target), .atMost(let target):
            let increasing: Bool
            if case .atLeast = rule { increasing = true } else { increasing = false }
            guard let value = byYear[year]?.value else {
                return IndicatorAssessment(status: .noData, actual: nil, expected: target, rule: rule)
            }
            let satisfied = increasing ? value >= target - 1e-9 : value <= target + 1e-9
            if satisfied { return IndicatorAssessment(status: .met, actual: value, expected: target, rule: rule) }
            if isFinal { return IndicatorAssessment(status: .missed, actual: value, expected: target, rule: rule) }
            let base = indicator.baseline.cumulative ? nil : indicator.baseline.value
            guard let base else { return IndicatorAssessment(status: .atRisk, actual: value, expected: target, rule: rule) }
            let span = Double(max(1, period.endYear - baselineYear))
            let share = min(1, max(0, Double(year - baselineYear) / span))
            let path = base + (target - base) * share
            let onPath = increasing ? value >= path - 1e-9 : value <= path + 1e-9
            return IndicatorAssessment(status: onPath ? .onTrack : .atRisk, actual: value, expected: path, rule: rule)
        case .cumulative(let target):
            let years = period.startYear...min(year, period.endYear)
            var sum = 0.0
            for y in years {
                guard let value = byYear[y]?.value else {
                    return IndicatorAssessment(status: .noData, actual: nil, expected: target, rule: rule)
                }
                sum += value
            }
            if sum >= target - 1e-9 { return IndicatorAssessment(status: .met, actual: sum, expected: target, rule: rule) }
            if isFinal { return IndicatorAssessment(status: .missed, actual: sum, expected: target, rule: rule) }
            let pace = target * Double(years.count) / Double(max(1, period.years.count))
            return IndicatorAssessment(status: sum >= pace - 1e-9 ? .onTrack : .atRisk, actual: sum, expected: pace, rule: rule)
        case .cityAssigned:
            guard let figure = byYear[year], let value = figure.value else {
                return IndicatorAssessment(status: .noData, actual: nil, expected: byYear[year]?.cityAssigned, rule: rule)
            }
            guard let assigned = figure.cityAssigned else {
                return IndicatorAssessment(status: .noData, actual: value, expected: nil, rule: rule)
            }
            if value >= assigned - 1e-9 { return IndicatorAssessment(status: .met, actual: value, expected: assigned, rule: rule) }
            return IndicatorAssessment(status: isFinal ? .missed : .atRisk, actual: value, expected: assigned, rule: rule)
        }
    }
}
