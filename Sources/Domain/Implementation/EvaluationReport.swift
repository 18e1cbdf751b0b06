public import Foundation

/// The kind of an implementation report (第九章 强化考核评估: "做好规划实施中期评估、终期和总结评估").
public enum ReportKind: String, Codable, Sendable, CaseIterable {
    /// 年度实施情况报告 for one year.
    case annual
    /// 中期评估 (the plan's third year, 2023 for 2021-2025).
    case midterm
    /// 终期评估 (the plan's last year).
    case final

    /// The report's title word in Chinese.
    public var chineseName: String {
        switch self {
        case .annual: "年度实施情况报告"
        case .midterm: "中期评估报告"
        case .final: "终期评估报告"
        }
    }

    /// The report's title word in English.
    public var englishName: String {
        switch self {
        case .annual: "Annual implementation report"
        case .midterm: "Mid-term evaluation"
        case .final: "Final evaluation"
        }
    }

    /// The year a report of this kind covers for a plan: the given year for annual reports, the middle year for the
    /// mid-term evaluation (start + 2 for a five-year plan), the last year for the final one.
    public func year(for period: Period, annual: Int?) -> Int {
        switch self {
        case .annual: annual ?? period.startYear
        case .midterm: period.startYear + (period.endYear - period.startYear) / 2
        case .final: period.endYear
        }
    }
}

/// The narrative sections staff write for a report.
public enum NarrativeSection: String, Codable, Sendable, CaseIterable {
    /// 总体情况.
    case overview
    /// 主要成效.
    case achievements
    /// 存在问题.
    case problems
    /// 下一步工作 / 建议.
    case nextSteps = "next_steps"

    /// The heading in Chinese.
    public var chineseName: String {
        switch self {
        case .overview: "总体情况"
        case .achievements: "主要成效"
        case .problems: "存在问题"
        case .nextSteps: "下一步工作建议"
        }
    }

    /// The heading in English.
    public var englishName: String {
        switch self {
        case .overview: "Overview"
        case .achievements: "Achievements"
        case .problems: "Problems"
        case .nextSteps: "Next steps"
        }
    }
}

/// One indicator line of a report: the plan's figures, the approved yearly values and the status.
public struct ReportIndicatorLine: Sendable, Equatable {
    /// The indicator.
    public var indicator: Indicator
    /// The responsible unit's name.
    public var unit: String
    /// The approved value per year of the plan up to the report year (nil where none is approved).
    public var values: [(year: Int, value: Double?)]
    /// The city-assigned figure per year, for 完成市级下达 targets.
    public var cityAssigned: [Int: Double]
    /// The assessment for the report year.
    public var assessment: IndicatorAssessment

    /// Creates a line.
    public init(indicator: Indicator, unit: String, values: [(year: Int, value: Double?)], cityAssigned: [Int: Double],
                assessment: IndicatorAssessment) {
        self.indicator = indicator
        self.unit = unit
        self.values = values
        self.cityAssigned = cityAssigned
        self.assessment = assessment
    }

    /// Compares two lines.
    public static func == (lhs: ReportIndicatorLine, rhs: ReportIndicatorLine) -> Bool {
        lhs.indicator == rhs.indicator && lhs.unit == rhs.unit && lhs.values.map(\.year) == rhs.values.map(\.year)
            && lhs.values.map(\.value) == rhs.values.map(\.value) && lhs.cityAssigned == rhs.cityAssigned
            && lhs.assessment == rhs.assessment
    }

    /// Whether the indicator has a numeric target and values to chart.
    public var isQuantitative: Bool {
        switch assessment.rule {
        case .atLeast, .atMost, .cumulative, .cityAssigned: true
        case .none: false
        }
    }
}

/// One task line of a report.
public struct ReportTaskLine: Sendable, Equatable {
    /// The task.
    public var task: ResponsibilityTask
    /// The responsible unit's name.
    public var unit: String
    /// Its standing at the report date.
    public var standing: TaskStanding
}

/// An evaluation report's content, computed from the plan and the stored implementation data; renderers turn it into
/// HTML, CSV and a workbook.
public struct EvaluationReport: Sendable, Equatable {
    /// The kind of report.
    public var kind: ReportKind
    /// The year it covers.
    public var year: Int
    /// The plan.
    public var planID: String
    /// The plan's title.
    public var planName: String
    /// The county.
    public var county: String
    /// The plan's years.
    public var period: Period
    /// When the report was produced.
    public var generatedAt: Date
    /// The indicators with their status.
    public var indicators: [ReportIndicatorLine]
    /// The projects with their progress up to the year.
    public var projects: [ProjectStanding]
    /// Rollups by category.
    public var byCategory: [ProjectRollup]
    /// Rollups by lead unit.
    public var byLeadUnit: [ProjectRollup]
    /// Rollups by township.
    public var byTownship: [ProjectRollup]
    /// The grand total.
    public var total: ProjectRollup
    /// The tasks of the year.
    public var tasks: [ReportTaskLine]
    /// The narrative staff wrote, by section.
    public var narrative: [NarrativeSection: String]

    /// How many indicators have each status.
    public var statusCounts: [IndicatorStatus: Int] {
        Dictionary(grouping: indicators, by: \.assessment.status).mapValues(\.count)
    }

    /// The report's title, e.g. 巫溪县“十四五”生态环境保护规划 终期评估报告（2025年）.
    public var title: String { "\(planName) \(kind.chineseName)（\(year)年）" }

    /// Assembles a report.
    /// - Parameters:
    ///   - kind: the kind.
    ///   - annualYear: the year, for annual reports.
    ///   - plan: the plan.
    ///   - units: the responsible unit's name per indicator number.
    ///   - figures: approved figures per indicator number.
    ///   - progress: yearly progress per project number.
    ///   - townships: the township names used to read project locations.
    ///   - tasks: the year's tasks with their units' names.
    ///   - narrative: the staff's texts.
    ///   - now: when the report is produced (for task standings).
    public init(
        kind: ReportKind, annualYear: Int?, plan: Plan, units: [Int: String], figures: [Int: [YearFigure]],
        progress: [Int: [ProjectYearProgress]], townships: [String], tasks: [(ResponsibilityTask, String)],
        narrative: [NarrativeSection: String], now: Date
    ) {
        self.kind = kind
        let year = kind.year(for: plan.period, annual: annualYear)
        self.year = year
        planID = plan.id
        planName = plan.name
        county = plan.region.county
        period = plan.period
        generatedAt = now
        indicators = plan.indicators.map { indicator in
            let list = figures[indicator.number] ?? []
            let byYear = Dictionary(list.map { ($0.year, $0) }, uniquingKeysWith: { _, b in b })
            let years = Array(plan.period.startYear...min(year, plan.period.endYear))
            return ReportIndicatorLine(
                indicator: indicator, unit: units[indicator.number] ?? "",
                values: years.map { ($0, byYear[$0]?.value) },
                cityAssigned: byYear.compactMapValues(\.cityAssigned),
                assessment: IndicatorStatusRule.assess(indicator, period: plan.period, baselineYear: plan.baselineYear, figures: list, year: year))
        }
        projects = plan.projects.map { project in
            ProjectStanding(project: project, records: progress[project.number] ?? [], year: year,
                            townships: townships.filter { project.location.contains($0) })
        }
        byCategory = ProjectRollup.byCategory(projects)
        byLeadUnit = ProjectRollup.byLeadUnit(projects)
        byTownship = ProjectRollup.byTownship(projects)
        total = ProjectRollup.total(projects)
        self.tasks = tasks.map { ReportTaskLine(task: $0.0, unit: $0.1, standing: TaskDeadlineRule.standing(of: $0.0, now: now)) }
        self.narrative = narrative
    }
}
