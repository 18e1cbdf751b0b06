/// Deriving the next five-year plan from the current one (e.g. 2026-2030 from 2021-2025).
public enum NextPlan {
    /// A project of the current plan carried into the next plan's reserve because it is not finished.
    public struct CarriedProject: Sendable, Equatable {
        /// The project as it was planned.
        public var project: Project
        /// Its status at the end of the current plan.
        public var status: ProjectStatus
        /// Planned investment not yet spent (万元), at least 0.
        public var remaining: Double
    }

    /// Derives the next plan as a draft: the same region and indicators, the period moved on by its length, the last
    /// year's approved value as each indicator's new baseline (the old baseline text is kept as `—` where no value is
    /// approved), and the targets left blank for staff to fill. The ledgers start empty; projects not completed or
    /// cancelled are returned separately, to be carried into the reserve.
    /// - Parameters:
    ///   - plan: the current plan.
    ///   - id: the new plan's id (e.g. `wuxi-2026-2030`).
    ///   - name: the new plan's title.
    ///   - finalValues: the approved value of the current plan's last year, per indicator number.
    ///   - standings: the projects' standings at the end of the current plan.
    /// - Returns: the draft plan and the projects to carry into its reserve.
    public static func derive(
        from plan: Plan, id: String, name: String, finalValues: [Int: Double], standings: [ProjectStanding]
    ) -> (plan: Plan, carried: [CarriedProject]) {
        let length = plan.period.endYear - plan.period.startYear + 1
        let start = plan.period.endYear + 1
        let period = Period(startYear: start, endYear: start + length - 1)
        let indicators = plan.indicators.map { indicator -> Indicator in
            let baseline: PlanValue
            if let value = finalValues[indicator.number] {
                let cumulative = IndicatorRule(indicator: indicator) == .cumulative(indicator.target.value ?? 0)
                let text = cumulative ? "[\(IndicatorRule.format(value))]" : IndicatorRule.format(value)
                baseline = PlanValue(year: plan.period.endYear, text: text, kind: .number, value: value, cumulative: cumulative)
            } else {
                baseline = PlanValue(year: plan.period.endYear, text: "—", kind: .none)
            }
            return Indicator(
                number: indicator.number, domain: indicator.domain, name: indicator.name, unit: indicator.unit, type: indicator.type,
                typeText: indicator.typeText, baseline: baseline, target: PlanValue(year: period.endYear, text: "", kind: .blank))
        }
        let next = Plan(
            id: id, name: name, nameEn: nil, region: plan.region, period: period, baselineYear: plan.period.endYear,
            visionYear: plan.visionYear.map { max($0, period.endYear) }, source: "由 \(plan.id) 结转生成（草案）",
            indicatorTable: IndicatorTable(title: plan.indicatorTable.title, notes: []), indicators: indicators)
        let carried = standings.filter { !$0.status.isClosed }.map { standing in
            CarriedProject(project: standing.project, status: standing.status,
                           remaining: max(0, standing.project.investment.total - standing.spent.total))
        }
        return (next, carried)
    }
}

/// Whether a plan may still be changed (第九章: "强化规划的权威性和刚性约束").
public enum PlanVersionState: String, Codable, Sendable, CaseIterable {
    /// A draft: targets may be filled and changed.
    case draft
    /// Approved: years and indicators never change again; a change is a new version with a reason.
    case approved

    /// The state in Chinese.
    public var chineseName: String { self == .draft ? "草案" : "已批准" }
}
