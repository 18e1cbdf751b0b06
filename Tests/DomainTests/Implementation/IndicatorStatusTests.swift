import Domain
import Foundation
import Testing
import TestSupport

@Suite("The indicator status rule")
struct IndicatorStatusTests {
    let plan = ImplementationSample.plan()

    func indicator(_ number: Int) -> Indicator { plan.indicators.first { $0.number == number }! }

    func assess(_ number: Int, _ figures: [YearFigure], year: Int) -> IndicatorAssessment {
        IndicatorStatusRule.assess(indicator(number), period: plan.period, baselineYear: plan.baselineYear, figures: figures, year: year)
    }

    @Test("rules are read from the printed targets")
    func rules() {
        #expect(IndicatorRule(indicator: indicator(1)) == .none)
        #expect(IndicatorRule(indicator: indicator(3)) == .atLeast(72))
        #expect(IndicatorRule(indicator: indicator(5)) == .cumulative(16.5))
        #expect(IndicatorRule(indicator: indicator(8)) == .atLeast(330))
        #expect(IndicatorRule(indicator: indicator(9)) == .atMost(35))
        #expect(IndicatorRule(indicator: indicator(13)) == .cityAssigned)
        let falling = Indicator(number: 99, domain: "", name: "x", unit: "", type: .expected, baseline: .parse("40"), target: .parse("30"))
        #expect(IndicatorRule(indicator: falling) == .atMost(30))
        #expect(!IndicatorRule.cumulative(16.5).explanation.zh.isEmpty)
    }

    @Test("a level target: met, on track on the straight path, at risk below it, missed in the final year")
    func level() {
        // 69.7 (2020) → 72 (2025): the path in 2023 is 69.7 + 2.3 × 3/5 = 71.08.
        #expect(assess(3, [YearFigure(year: 2023, value: 72.1)], year: 2023).status == .met)
        let onTrack = assess(3, [YearFigure(year: 2023, value: 71.2)], year: 2023)
        #expect(onTrack.status == .onTrack)
        #expect(abs((onTrack.expected ?? 0) - 71.08) < 1e-9)
        #expect(assess(3, [YearFigure(year: 2023, value: 70.0)], year: 2023).status == .atRisk)
        #expect(assess(3, [YearFigure(year: 2025, value: 71.9)], year: 2025).status == .missed)
        #expect(assess(3, [YearFigure(year: 2025, value: 72)], year: 2025).status == .met)
        #expect(assess(3, [YearFigure(year: 2024, value: nil)], year: 2024).status == .noData)
        #expect(assess(9, [YearFigure(year: 2025, value: 36)], year: 2025).status == .missed)
        #expect(assess(9, [YearFigure(year: 2022, value: 30)], year: 2022).status == .met)
        #expect(assess(8, [YearFigure(year: 2025, value: 330)], year: 2025).status == .met)
        #expect(assess(1, [YearFigure(year: 2025, value: 52.34)], year: 2025).status == .notAssessed)
    }

    @Test("[ ] figures accumulate over the years")
    func cumulative() {
        let years = [3.0, 3.5, 3.2, 3.4, 3.6].enumerated().map { YearFigure(year: 2021 + $0.offset, value: $0.element) }
        let mid = assess(5, Array(years.prefix(3)), year: 2023)
        #expect(abs((mid.actual ?? 0) - 9.7) < 1e-9)
        #expect(abs((mid.expected ?? 0) - 9.9) < 1e-9)
        #expect(mid.status == .atRisk)
        let final = assess(5, years, year: 2025)
        #expect(abs((final.actual ?? 0) - 16.7) < 1e-9)
        #expect(final.status == .met)
        #expect(assess(5, [YearFigure(year: 2021, value: 3), YearFigure(year: 2023, value: 4)], year: 2023).status == .noData)
        let short = [3.0, 3.0, 3.0, 3.0, 3.0].enumerated().map { YearFigure(year: 2021 + $0.offset, value: $0.element) }
        #expect(assess(5, short, year: 2025).status == .missed)
        // After two years the even pace is 16.5 × 2/5 = 6.6: 6.0 lags behind it, 6.8 keeps up.
        #expect(assess(5, Array(short.prefix(2)), year: 2022).status == .atRisk)
        let ahead = [YearFigure(year: 2021, value: 3.4), YearFigure(year: 2022, value: 3.4)]
        #expect(assess(5, ahead, year: 2022).status == .onTrack)
    }

    @Test("完成市级下达 targets are judged against each year's city figure")
    func cityAssigned() {
        #expect(assess(13, [YearFigure(year: 2023, value: 2.1, cityAssigned: 2.0)], year: 2023).status == .met)
        #expect(assess(13, [YearFigure(year: 2023, value: 1.5, cityAssigned: 2.0)], year: 2023).status == .atRisk)
        #expect(assess(13, [YearFigure(year: 2025, value: 1.5, cityAssigned: 2.0)], year: 2025).status == .missed)
        let missing = assess(13, [YearFigure(year: 2023, value: 1.5)], year: 2023)
        #expect(missing.status == .noData && missing.actual == 1.5)
    }
}

@Suite("Project progress, rollups, deadlines, reports and the next plan")
struct ProjectProgressTests {
    let plan = ImplementationSample.plan()

    @Test("progress records are validated field by field")
    func validation() {
        var p = ProjectYearProgress(projectNumber: 1, year: 2022, inPlace: Funds(fiscal: 100), spent: Funds(fiscal: 120),
                                    physicalProgress: 120, status: .adjusted)
        let fields = Set(p.problems().map(\.field))
        #expect(fields == ["spent.fiscal", "physical_progress", "status_reason"])
        p.spent = Funds(fiscal: 80)
        p.physicalProgress = 40
        p.statusReason = "调整建设规模"
        #expect(p.problems().isEmpty)
        p.status = .completed
        #expect(p.problems().map(\.field) == ["physical_progress"])
        p.score = 101
        #expect(p.problems().contains { $0.field == "score" })
        // Funds that arrived in an earlier year may be spent later.
        let later = ProjectYearProgress(projectNumber: 1, year: 2023, inPlace: Funds(fiscal: 10), spent: Funds(fiscal: 50), physicalProgress: 50,
                                        status: .inProgress)
        #expect(later.problems().map(\.field) == ["spent.fiscal"])
        #expect(later.problems(earlier: [ProjectYearProgress(projectNumber: 1, year: 2022, inPlace: Funds(fiscal: 60))]).isEmpty)
        #expect(later.problems(earlier: [ProjectYearProgress(projectNumber: 1, year: 2024, inPlace: Funds(fiscal: 60))]).map(\.field) == ["spent.fiscal"])
    }

    @Test("standings sum the years and rollups group by category, lead unit and township")
    func rollups() {
        let records = [
            ProjectYearProgress(projectNumber: 2, year: 2022, inPlace: Funds(fiscal: 300, social: 100), spent: Funds(fiscal: 200, social: 50),
                                physicalProgress: 40, status: .inProgress),
            ProjectYearProgress(projectNumber: 2, year: 2023, inPlace: Funds(fiscal: 200, social: 100), spent: Funds(fiscal: 300, social: 150),
                                physicalProgress: 100, status: .completed, score: 92, scoreComment: "按期完工"),
        ]
        let standings = plan.projects.map { project in
            ProjectStanding(project: project, records: records.filter { $0.projectNumber == project.number }, year: 2023,
                            townships: ["红池坝镇"].filter { project.location.contains($0) })
        }
        let two = standings[1]
        #expect(two.spent.total == 700 && two.inPlace.total == 700 && two.status == .completed && two.score == 92)
        #expect(two.investmentCompletion == 100)
        let early = ProjectStanding(project: plan.projects[1], records: records, year: 2022)
        #expect(early.spent.total == 250 && early.status == .inProgress && early.score == nil)
        #expect(ProjectRollup.byCategory(standings).map(\.name) == ["水污染防治工程", "生态环境保护与修复"])
        #expect(ProjectRollup.byCategory(standings)[0].spent.total == 700)
        let byUnit = ProjectRollup.byLeadUnit(standings)
        #expect(byUnit.first { $0.name == "县生态环境局" }?.count == 2)
        #expect(byUnit.first { $0.name == "县生态环境局" }?.planned == 1700)
        #expect(ProjectRollup.byTownship(standings).map(\.name) == ["县域内", "红池坝镇"])
        #expect(ProjectRollup.total(standings).planned == 4700 && ProjectRollup.total(standings).completed == 1)
    }

    @Test("a task is overdue the day after its deadline in Beijing time")
    func overdue() {
        var task = ResponsibilityTask(id: 1, year: 2023, keyTask: "", title: "x", organisationID: 1, deadline: "2023-06-30")
        // 2023-06-30 23:30 in Beijing is 15:30 UTC.
        let lastEvening = Date(timeIntervalSince1970: 1_688_139_000)
        #expect(TaskDeadlineRule.day(of: lastEvening) == "2023-06-30")
        #expect(TaskDeadlineRule.standing(of: task, now: lastEvening) == .open)
        #expect(TaskDeadlineRule.standing(of: task, now: lastEvening.addingTimeInterval(3600)) == .overdue)
        task.completedOn = "2023-07-02"
        #expect(TaskDeadlineRule.standing(of: task, now: lastEvening) == .doneLate)
        task.completedOn = "2023-06-29"
        #expect(TaskDeadlineRule.standing(of: task, now: lastEvening) == .done)
        #expect(TaskDeadlineRule.isDay("2024-02-29") && !TaskDeadlineRule.isDay("2023-02-29") && !TaskDeadlineRule.isDay("2023-6-1"))
    }

    @Test("the final evaluation uses the last year; the mid-term the third")
    func reportYears() {
        #expect(ReportKind.midterm.year(for: plan.period, annual: nil) == 2023)
        #expect(ReportKind.final.year(for: plan.period, annual: nil) == 2025)
        #expect(ReportKind.annual.year(for: plan.period, annual: 2022) == 2022)
        let report = EvaluationReport(kind: .final, annualYear: nil, plan: plan, units: [3: "县林业局"],
                                      figures: [3: [YearFigure(year: 2025, value: 72.5)]], progress: [:], townships: [],
                                      tasks: [], narrative: [.overview: "总体良好"], now: Date(timeIntervalSince1970: 0))
        #expect(report.year == 2025)
        #expect(report.indicators.first { $0.indicator.number == 3 }?.assessment.status == .met)
        #expect(report.indicators.first { $0.indicator.number == 3 }?.values.count == 5)
        #expect(report.statusCounts[.met] == 1)
        #expect(report.total.planned == 4700)
        #expect(report.title.contains("终期评估报告（2025年）"))
    }

    @Test("the next plan carries the 2025 actuals as baselines and unfinished projects to the reserve")
    func nextPlan() throws {
        let standings = plan.projects.map { project in
            ProjectStanding(project: project, records: project.number == 2
                ? [ProjectYearProgress(projectNumber: 2, year: 2023, spent: .zero, physicalProgress: 100, status: .completed)]
                : [ProjectYearProgress(projectNumber: project.number, year: 2025, inPlace: Funds(fiscal: 400), spent: Funds(fiscal: 400),
                                       physicalProgress: 60, status: .inProgress)],
                year: 2025)
        }
        let (next, carried) = NextPlan.derive(from: plan, id: "sample-2026-2030", name: "下一期", finalValues: [3: 72.4, 5: 3.6],
                                              standings: standings)
        #expect(next.period == Period(startYear: 2026, endYear: 2030))
        #expect(next.baselineYear == 2025)
        #expect(next.indicators.count == plan.indicators.count)
        let forest = next.indicators.first { $0.number == 3 }!
        #expect(forest.baseline.value == 72.4 && forest.baseline.year == 2025 && forest.target.kind == .blank)
        #expect(next.indicators.first { $0.number == 5 }!.baseline.text == "[3.6]")
        #expect(next.indicators.first { $0.number == 8 }!.baseline.kind == .none)
        #expect(carried.map(\.project.number) == [1, 3])
        #expect(carried.first { $0.project.number == 3 }?.remaining == 2600)
        #expect(next.problems().isEmpty)
    }
}
