import Domain
import Foundation
import Store
import Testing
import TestSupport

@Suite("Implementation tracking over the built-in Wuxi plan")
struct ImplementationWuxiTests {
    @Test("every lead unit is an organisation; all 19 indicators get a unit and a rule; the final report covers the ledger",
          arguments: TestDatabase.available)
    func wuxi(database: TestDatabase) async throws {
        let plan = try Fixtures.wuxi()
        try await database.withStore { store async throws in
            try await store.importPlan(plan, actor: "test")
            let units = plan.projects.flatMap(\.leadUnits) + plan.policies.flatMap(\.leadUnits) + plan.highlights.flatMap(\.leadUnits)
            try await store.seedOrganisations(WuxiOrganisations.seeds(extraUnits: units), actor: "test")
            let tree = try await store.organisationTree()
            for unit in Set(units) { #expect(tree.named(unit) != nil, "\(unit) is not an organisation") }
            #expect(tree.ofKind(.department).count == WuxiOrganisations.departments.count, "the plan names no unit beyond the list")
            #expect(tree.ofKind(.township).count == 30)
            for project in plan.projects { #expect(!Store.projectUnits(project, tree: tree).isEmpty, "project \(project.number) has no unit") }

            #expect(try await store.applySuggestedAssignments(plan: plan, actor: .system()) == 19)
            let assigned = try await store.indicatorUnits(planID: plan.id)
            #expect(assigned.count == 19)
            #expect(assigned[3] == tree.named("县林业局")?.id)
            #expect(assigned[7] == tree.named("县水利局")?.id)
            #expect(assigned[8] == tree.named("县生态环境局")?.id)

            let rules = Dictionary(uniqueKeysWithValues: plan.indicators.map { ($0.number, IndicatorRule(indicator: $0)) })
            #expect(rules[1] == IndicatorRule.none)
            #expect(rules[4] == .atLeast(38) && rules[9] == .atMost(35) && rules[10] == .atLeast(100) && rules[17] == .atLeast(95))
            #expect(rules[5] == .cumulative(16.5) && rules[6] == .cumulative(15) && rules[7] == .cumulative(30))
            for number in 13...16 { #expect(rules[number] == .cityAssigned) }

            let report = try await store.evaluationReport(planID: plan.id, kind: .final, year: nil)
            #expect(report.indicators.count == 19 && report.projects.count == 38)
            #expect(report.total.planned == 69080)
            #expect(report.byCategory.map(\.planned) == [35730, 1300, 3250, 8300, 2800, 4700, 1400, 11600])
            #expect(Set(report.byTownship.map(\.name)).isSubset(of: ["县域内", "县城内"]))
            #expect(report.statusCounts[.noData] == 18 && report.statusCounts[.notAssessed] == 1)
            let mid = try await store.evaluationReport(planID: plan.id, kind: .midterm, year: nil)
            #expect(mid.year == 2023 && mid.indicators.first?.values.map(\.year) == [2021, 2022, 2023])
        }
    }
}
