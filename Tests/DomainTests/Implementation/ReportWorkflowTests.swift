import Domain
import Foundation
import Testing

@Suite("The review workflow of a yearly figure, synchronously")
struct ReportWorkflowTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("draft → submitted → returned → resubmitted → approved, with the actions to perform")
    func happyPath() throws {
        var w = ReportWorkflow()
        #expect(w.state == .draft && w.round == 0 && w.isEditable)
        #expect(try w.apply(.edit, now: t0, prefix: "v") == [.audit("v.edit")])
        #expect(try w.apply(.submit, now: t0.addingTimeInterval(1), prefix: "v") == [.audit("v.submit"), .notifyReviewers])
        #expect(w.state == .submitted && w.round == 1 && !w.isEditable)
        #expect(w.submittedAt == t0.addingTimeInterval(1))
        #expect(try w.apply(.sendBack(reason: "来源不明"), now: t0.addingTimeInterval(2), prefix: "v") == [.audit("v.return"), .notifyUnit(reason: "来源不明")])
        #expect(w.state == .returned && w.reason == "来源不明" && w.isEditable)
        _ = try w.apply(.edit, now: t0.addingTimeInterval(3))
        #expect(w.state == .returned, "a corrected figure stays returned until it is sent again")
        _ = try w.apply(.submit, now: t0.addingTimeInterval(4))
        #expect(w.state == .submitted && w.round == 2)
        #expect(try w.apply(.approve, now: t0.addingTimeInterval(5), prefix: "v") == [.audit("v.approve"), .publish])
        #expect(w.state == .approved && w.reason == nil && w.decidedAt == t0.addingTimeInterval(5))
    }

    @Test("refused events leave the state unchanged")
    func refusals() throws {
        var w = ReportWorkflow()
        #expect(throws: WorkflowError.self) { try w.apply(.approve, now: t0) }
        #expect(throws: WorkflowError.self) { try w.apply(.withdraw, now: t0) }
        #expect(w == ReportWorkflow())
        _ = try w.apply(.submit, now: t0)
        #expect(throws: WorkflowError.self) { try w.apply(.edit, now: t0) }
        do {
            _ = try w.apply(.sendBack(reason: "  "), now: t0)
            Issue.record("a return without a reason must be refused")
        } catch {
            #expect(error.isReasonRequired)
        }
        #expect(w.state == .submitted)
        _ = try w.apply(.approve, now: t0)
        #expect(throws: WorkflowError.self) { try w.apply(.edit, now: t0) }
        #expect(throws: WorkflowError.self) { try w.apply(.submit, now: t0) }
        #expect(throws: WorkflowError.self) { try w.apply(.reopen(reason: ""), now: t0) }
        #expect(w.state == .approved)
    }

    @Test("withdraw and reopen")
    func withdrawAndReopen() throws {
        var w = ReportWorkflow()
        _ = try w.apply(.submit, now: t0)
        _ = try w.apply(.withdraw, now: t0)
        #expect(w.state == .draft && w.round == 1)
        _ = try w.apply(.submit, now: t0)
        _ = try w.apply(.approve, now: t0)
        let actions = try w.apply(.reopen(reason: "统计口径调整"), now: t0)
        #expect(actions == [.audit("report.reopen"), .unpublish, .notifyUnit(reason: "统计口径调整")])
        #expect(w.state == .returned && w.isEditable)
    }

    @Test("only reviewer events need the bureau")
    func reviewerEvents() {
        #expect(ReportWorkflow.Event.approve.needsReviewer)
        #expect(ReportWorkflow.Event.sendBack(reason: "x").needsReviewer)
        #expect(ReportWorkflow.Event.reopen(reason: "x").needsReviewer)
        #expect(!ReportWorkflow.Event.submit.needsReviewer)
        #expect(!ReportWorkflow.Event.edit.needsReviewer)
    }
}

@Suite("Unit access and roles")
struct UnitAccessTests {
    @Test("unit users reach only their unit's records; staff everything; viewers read only")
    func access() {
        let township = UnitAccess(role: .township, units: [7])
        #expect(township.canRead(assignedTo: [7]))
        #expect(!township.canRead(assignedTo: [8]))
        #expect(!township.canRead(assignedTo: []))
        #expect(township.canEdit(assignedTo: [7, 9]))
        #expect(!township.canEdit(assignedTo: [8]))
        #expect(!township.canReview)
        let staff = UnitAccess(role: .staff, units: [])
        #expect(staff.canRead(assignedTo: [8]) && staff.canEdit(assignedTo: []) && staff.canReview)
        let viewer = UnitAccess(role: .viewer, units: [])
        #expect(viewer.canRead(assignedTo: [8]) && !viewer.canEdit(assignedTo: [8]) && !viewer.canReview)
        let lost = UnitAccess(role: .department, units: [])
        #expect(!lost.canRead(assignedTo: [1]))
    }

    @Test("unit roles rank below staff and cannot write official records")
    func roles() {
        #expect(!Role.department.canWrite && !Role.township.canWrite)
        #expect(Role.department.isUnitRole && Role.township.isUnitRole && !Role.staff.isUnitRole)
        #expect(Role.viewer < Role.township && Role.township < Role.staff && Role.staff < Role.admin)
        #expect(Role(rawValue: "township") == .township)
    }

    @Test("the Wuxi tree: county at the root, the bureau, every lead unit, townships with unconfirmed ones marked demo")
    func tree() {
        let seeds = WuxiOrganisations.seeds(extraUnits: ["县林业局", "县整改办"])
        #expect(seeds.first?.name == "巫溪县" && seeds.first?.parent == nil)
        #expect(seeds.filter { $0.name == "县林业局" }.count == 1)
        #expect(seeds.contains { $0.name == "县整改办" && $0.kind == .department })
        #expect(seeds.filter { $0.kind == .township }.count == 30)
        #expect(seeds.first { $0.name == "红池坝镇" }?.demo == false)
        #expect(seeds.first { $0.name == "柏杨街道" }?.demo == true)
        var id: Int64 = 0
        var ids: [String: Int64] = [:]
        let orgs = seeds.map { seed -> Organisation in
            id += 1
            ids[seed.name] = id
            return Organisation(id: id, name: seed.name, kind: seed.kind, parentID: seed.parent.flatMap { ids[$0] }, demo: seed.demo)
        }
        let tree = OrganisationTree(orgs)
        #expect(tree.roots.map(\.name) == ["巫溪县"])
        #expect(tree.subtree(of: 1).count == orgs.count)
        #expect(tree.mentioned(in: "红池坝镇、尖山镇").map(\.name) == ["尖山镇", "红池坝镇"])
        #expect(WuxiOrganisations.suggestedUnit(forIndicator: "森林覆盖率") == "县林业局")
        #expect(WuxiOrganisations.suggestedUnit(forIndicator: "细颗粒物（PM2.5）年平均浓度") == "县生态环境局")
    }
}
