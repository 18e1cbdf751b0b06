import Domain
import Foundation
import SQLKit
import Store
import Testing
import TestSupport

@Suite("Plan implementation in the store, on SQLite and PostgreSQL")
struct ImplementationStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// A store with the sample plan, the Wuxi organisations, and a township, a department and a staff actor.
    func prepare(_ store: Store) async throws -> (plan: Plan, tree: OrganisationTree, staff: ImplementationActor, forestry: ImplementationActor,
                                                 township: ImplementationActor) {
        let plan = ImplementationSample.plan()
        try await store.importPlan(plan, actor: "test")
        #expect(try await store.seedOrganisations(WuxiOrganisations.seeds(extraUnits: plan.projects.flatMap(\.leadUnits)), actor: "test") > 40)
        #expect(try await store.seedOrganisations(WuxiOrganisations.seeds(), actor: "test") == 0, "seeding is idempotent")
        let tree = try await store.organisationTree()
        let staffUser = try await store.addUser(name: "bureau", role: .staff, password: "password-1", actor: "test", cost: 4)
        let forestryUser = try await store.addUser(name: "linye", role: .department, password: "password-2", actor: "test", cost: 4)
        let townshipUser = try await store.addUser(name: "hongchiba", role: .township, password: "password-3",
                                                   organisation: "红池坝镇", actor: "test", cost: 4)
        try await store.setUserOrganisation(userName: "linye", organisationID: tree.named("县林业局")!.id, actor: "test")
        let staff = try await store.implementationActor(for: staffUser)
        let forestry = try await store.implementationActor(for: forestryUser)
        let township = try await store.implementationActor(for: townshipUser)
        #expect(forestry.access.units == [tree.named("县林业局")!.id])
        #expect(township.organisationID == tree.named("红池坝镇")!.id, "the organisation text is used when no id is set")
        try await store.applySuggestedAssignments(plan: plan, actor: staff)
        return (plan, tree, staff, forestry, township)
    }

    @Test("a year's value is entered, returned, corrected, approved; every step audited; other units refused",
          arguments: TestDatabase.available)
    func valueWorkflow(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let (plan, tree, staff, forestry, township) = try await prepare(store)
            #expect(try await store.indicatorUnits(planID: plan.id)[3] == tree.named("县林业局")!.id)
            let entry = IndicatorValueEntry(value: "70.8", source: "林业统计年报")
            await #expect(throws: ImplementationError.self) {
                try await store.saveIndicatorValue(planID: plan.id, number: 3, year: 2023, entry: entry, actor: township)
            }
            await #expect(throws: ImplementationError.self) {
                try await store.saveIndicatorValue(planID: plan.id, number: 3, year: 2019, entry: entry, actor: forestry)
            }
            await #expect(throws: ImplementationError.self) {
                try await store.saveIndicatorValue(planID: plan.id, number: 3, year: 2023, entry: IndicatorValueEntry(value: "很多", source: "x"), actor: forestry)
            }
            try await store.saveIndicatorValue(planID: plan.id, number: 3, year: 2023, entry: entry, actor: forestry, now: t0)
            try await store.transitionIndicatorValue(planID: plan.id, number: 3, year: 2023, event: .submit, actor: forestry, now: t0)
            await #expect(throws: ImplementationError.self) {
                try await store.transitionIndicatorValue(planID: plan.id, number: 3, year: 2023, event: .approve, actor: forestry)
            }
            await #expect(throws: ImplementationError.self) {
                try await store.saveIndicatorValue(planID: plan.id, number: 3, year: 2023, entry: entry, actor: forestry)
            }
            try await store.transitionIndicatorValue(planID: plan.id, number: 3, year: 2023, event: .sendBack(reason: "请附林地变更调查成果"),
                                                     actor: staff, now: t0)
            var record = try #require(try await store.indicatorValues(planID: plan.id, number: 3, year: 2023).first)
            #expect(record.workflow.state == .returned && record.workflow.reason == "请附林地变更调查成果")
            // Evidence: bytes kept in the database with their SHA-256.
            let bytes = Data((0..<2000).map { UInt8($0 % 251) })
            let info = try await store.addEvidence(planID: plan.id, number: 3, year: 2023, fileName: "C:\\docs\\林地变更.pdf",
                                                   contentType: "application/pdf", data: bytes, actor: forestry)
            #expect(info.fileName == "林地变更.pdf" && info.size == 2000 && info.sha256.count == 64)
            let file = try await store.evidenceFile(id: info.id)
            #expect(file.data == bytes && file.number == 3 && file.year == 2023)
            try await store.saveIndicatorValue(planID: plan.id, number: 3, year: 2023, entry: IndicatorValueEntry(value: "71.2", source: "林业统计年报"),
                                               actor: forestry, now: t0)
            try await store.transitionIndicatorValue(planID: plan.id, number: 3, year: 2023, event: .submit, actor: forestry, now: t0)
            try await store.transitionIndicatorValue(planID: plan.id, number: 3, year: 2023, event: .approve, actor: staff, now: t0)
            record = try #require(try await store.indicatorValues(planID: plan.id, number: 3, year: 2023).first)
            #expect(record.workflow.state == .approved && record.workflow.round == 2 && record.value == 71.2 && record.decidedBy == "bureau")
            #expect(record.evidence.map(\.id) == [info.id])
            #expect(try await store.approvedFigures(planID: plan.id)[3] == [YearFigure(year: 2023, value: 71.2)])
            let audit = try await store.implementationAudit(entity: "indicator_value", idPrefix: "\(plan.id)/3/2023")
            #expect(audit.map(\.action).reversed() == [
                "indicator_value.edit", "indicator_value.submit", "indicator_value.return", "indicator_value.evidence",
                "indicator_value.edit", "indicator_value.submit", "indicator_value.approve"])
            let correction = try #require(audit.first { $0.action == "indicator_value.edit" && $0.after?.contains("71.2") == true })
            #expect(correction.before?.contains("70.8") == true && correction.actor == "linye")
            // Monitoring-fed values are marked and wait for approval; approved ones are left alone.
            #expect(try await store.recordMonitoringValue(planID: plan.id, number: 8, year: 2023, value: 351, source: "自动站日报统计"))
            let fed = try #require(try await store.indicatorValues(planID: plan.id, number: 8, year: 2023).first)
            #expect(fed.sourceKind == .monitoring && fed.workflow.state == .submitted)
            #expect(try await store.recordMonitoringValue(planID: plan.id, number: 3, year: 2023, value: 1, source: "x") == false)
        }
    }

    @Test("project progress, milestones, reserve with history, tasks, report and the next plan", arguments: TestDatabase.available)
    func progressAndReports(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let (plan, tree, staff, forestry, township) = try await prepare(store)
            let progress = ProjectYearProgress(projectNumber: 3, year: 2022, inPlace: Funds(fiscal: 800, social: 100), spent: Funds(fiscal: 600, social: 100),
                                               physicalProgress: 30, status: .inProgress, score: 99)
            try await store.saveProjectProgress(planID: plan.id, progress, actor: forestry, now: t0)
            #expect(try await store.projectProgress(planID: plan.id, projectNumber: 3).first?.score == nil, "the score is the bureau's")
            await #expect(throws: ImplementationError.self) { try await store.saveProjectProgress(planID: plan.id, progress, actor: township) }
            var bad = progress
            bad.status = .adjusted
            await #expect(throws: ImplementationError.self) { try await store.saveProjectProgress(planID: plan.id, bad, actor: forestry) }
            bad.statusReason = "调整建设地点"
            bad.score = 85
            try await store.saveProjectProgress(planID: plan.id, bad, actor: staff, now: t0)
            // The township sees the project its name is in the location of.
            let two = ProjectYearProgress(projectNumber: 2, year: 2023, inPlace: Funds(fiscal: 500, social: 200), spent: Funds(fiscal: 500, social: 200),
                                          physicalProgress: 100, status: .completed)
            try await store.saveProjectProgress(planID: plan.id, two, actor: township, now: t0)
            try await store.saveMilestone(planID: plan.id, projectNumber: 3, title: "可研批复", due: "2022-03-31", done: "2022-03-20", actor: forestry)
            #expect(try await store.milestones(planID: plan.id, projectNumber: 3).map(\.title) == ["可研批复"])
            let standings = try await store.projectStandings(plan: plan, year: 2025)
            #expect(standings.first { $0.project.number == 2 }?.townships == ["红池坝镇"])
            #expect(standings.first { $0.project.number == 3 }?.status == .adjusted)
            let audit = try await store.implementationAudit(entity: "project_progress", idPrefix: "\(plan.id)/3/")
            #expect(audit.contains { $0.action == "project_progress.score" || $0.action == "project_progress.status" })

            let reserve = try await store.addReserveProject(planID: plan.id, name: "宁厂古镇污水管网", category: "水污染防治工程", leadUnits: ["县住房城乡建委"],
                                                            location: "宁厂镇", investment: 300, note: "", actor: staff)
            await #expect(throws: ImplementationError.self) {
                try await store.moveReserveProject(id: reserve.id, to: .retired, reason: "x", actor: forestry)
            }
            try await store.moveReserveProject(id: reserve.id, to: .retired, reason: "并入城镇管网项目", actor: staff)
            await #expect(throws: ImplementationError.self) {
                try await store.moveReserveProject(id: reserve.id, to: .active, reason: "重新纳入", actor: staff)
            }
            #expect(try await store.reserveHistory(id: reserve.id).map(\.to) == [.reserve, .retired])

            let task = try await store.addTask(planID: plan.id, year: 2025, keyTask: "国土绿化", title: "完成森林抚育 6 万亩",
                                               organisationID: tree.named("县林业局")!.id, deadline: "2025-11-30", actor: staff)
            await #expect(throws: ImplementationError.self) {
                try await store.reportTask(id: task.id, progress: 50, text: "x", done: false, actor: township)
            }
            try await store.reportTask(id: task.id, progress: 60, text: "已完成 3.6 万亩", done: false, actor: forestry, now: t0)
            #expect(try await store.tasks(planID: plan.id, year: 2025, units: forestry.access.units).map(\.progress) == [60])
            #expect(try await store.tasks(planID: plan.id, year: 2025, units: township.access.units).isEmpty)

            for (year, value) in [(2025, 72.3)] {
                try await store.saveIndicatorValue(planID: plan.id, number: 3, year: year, entry: IndicatorValueEntry(value: String(value), source: "年报"), actor: forestry)
                try await store.transitionIndicatorValue(planID: plan.id, number: 3, year: year, event: .submit, actor: forestry)
                try await store.transitionIndicatorValue(planID: plan.id, number: 3, year: year, event: .approve, actor: staff)
            }
            try await store.saveNarratives(planID: plan.id, kind: .final, year: 2025, texts: [.overview: "目标总体完成"], actor: staff)
            await #expect(throws: ImplementationError.self) {
                try await store.saveNarratives(planID: plan.id, kind: .final, year: 2025, texts: [.overview: "x"], actor: forestry)
            }
            let report = try await store.evaluationReport(planID: plan.id, kind: .final, year: nil, now: t0)
            #expect(report.year == 2025)
            #expect(report.indicators.first { $0.indicator.number == 3 }?.assessment.status == .met)
            #expect(report.indicators.first { $0.indicator.number == 3 }?.unit == "县林业局")
            #expect(report.total.spent.total == 700 + 700)
            #expect(report.narrative[.overview] == "目标总体完成")
            #expect(report.tasks.count == 1)

            let (next, carried) = try await store.createNextPlan(from: plan.id, id: "sample-2026-2030", name: "示例县“十五五”规划", actor: staff, now: t0)
            #expect(next.period.startYear == 2026 && carried == 2)
            let stored = try #require(try await store.plan("sample-2026-2030"))
            #expect(stored.indicators.first { $0.number == 3 }?.baseline.value == 72.3)
            #expect(try await store.planVersion(planID: "sample-2026-2030").state == .draft)
            #expect(try await store.reserve(planID: "sample-2026-2030").count == 2)
            try await store.setIndicatorTarget(planID: "sample-2026-2030", number: 3, target: "≥73", actor: staff)
            #expect(try await store.plan("sample-2026-2030")?.indicators.first { $0.number == 3 }?.target.value == 73)
            try await store.approvePlan(planID: "sample-2026-2030", actor: staff)
            await #expect(throws: ImplementationError.self) {
                try await store.setIndicatorTarget(planID: "sample-2026-2030", number: 3, target: "≥74", actor: staff)
            }
            await #expect(throws: ImplementationError.self) {
                try await store.setIndicatorTarget(planID: plan.id, number: 3, target: "≥74", actor: staff)
            }
            let v2 = try await store.newPlanVersion(of: "sample-2026-2030", reason: "市级目标调整", actor: staff)
            #expect(v2 == "sample-2026-2030-v2")
            let version = try await store.planVersion(planID: v2)
            #expect(version.state == .draft && version.version == 2)
        }
    }
}
