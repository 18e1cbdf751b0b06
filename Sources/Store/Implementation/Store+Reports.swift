public import Domain
public import Foundation
import SQLKit

/// A plan's version record: draft or approved, its number, what it was based on and why it was made.
public struct PlanVersion: Codable, Sendable, Equatable {
    /// The plan.
    public var planID: String
    /// Draft or approved.
    public var state: PlanVersionState
    /// 1 for the first version.
    public var version: Int
    /// The plan it was derived from.
    public var basedOn: String?
    /// Why this version was made.
    public var reason: String
    /// Who approved it.
    public var approvedBy: String?

    enum CodingKeys: String, CodingKey { case planID = "plan_id", state, version, basedOn = "based_on", reason, approvedBy = "approved_by" }
}

extension Store {
    // MARK: Narratives

    /// The narrative texts of a report.
    public func narratives(planID: String, kind: ReportKind, year: Int) async throws -> [NarrativeSection: String] {
        var texts: [NarrativeSection: String] = [:]
        for row in try await reader.select().columns("section", "text").from("impl_narratives").where("plan_id", .equal, planID)
            .where("kind", .equal, kind.rawValue).where("year", .equal, year).all() {
            if let section = NarrativeSection(rawValue: try row.decode(column: "section", as: String.self)) {
                texts[section] = try row.decode(column: "text", as: String.self)
            }
        }
        return texts
    }

    /// Saves narrative texts of a report (bureau staff only), with an audit entry per changed section.
    public func saveNarratives(planID: String, kind: ReportKind, year: Int, texts: [NarrativeSection: String], actor: ImplementationActor,
                               now: Date = .now) async throws {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff write the reports") }
        let current = try await narratives(planID: planID, kind: kind, year: year)
        try await write { db in
            for (section, text) in texts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where current[section] != text {
                try await db.delete(from: "impl_narratives").where("plan_id", .equal, planID).where("kind", .equal, kind.rawValue)
                    .where("year", .equal, year).where("section", .equal, section.rawValue).run()
                try await db.insert(into: "impl_narratives").columns("plan_id", "kind", "year", "section", "text", "updated_by", "updated_at")
                    .values(SQLBind(planID), SQLBind(kind.rawValue), SQLBind(year), SQLBind(section.rawValue), SQLBind(text),
                            SQLBind(actor.name), SQLBind(Store.millis(now))).run()
                try await AuditLog.record(on: db, actor: actor.name, action: "report.narrative", entity: "report",
                                          entityID: "\(planID)/\(kind.rawValue)/\(year)/\(section.rawValue)",
                                          before: current[section].map { Store.json(["text": $0]) }, after: Store.json(["text": text]), at: now)
            }
        }
    }

    // MARK: Reports

    /// Assembles an evaluation report from the stored plan and implementation data (approved values only).
    public func evaluationReport(planID: String, kind: ReportKind, year: Int?, now: Date = .now) async throws -> EvaluationReport {
        guard let plan = try await plan(planID) else { throw StoreError.notFound("plan \(planID)") }
        let tree = try await organisationTree()
        let units = try await indicatorUnits(planID: planID).compactMapValues { tree[$0]?.name }
        let figures = try await approvedFigures(planID: planID)
        let progress = Dictionary(grouping: try await projectProgress(planID: planID), by: \.projectNumber)
        let reportYear = kind.year(for: plan.period, annual: year)
        let tasks = try await tasks(planID: planID, year: reportYear).map { ($0, tree[$0.organisationID]?.name ?? "") }
        let narrative = try await narratives(planID: planID, kind: kind, year: reportYear)
        return EvaluationReport(kind: kind, annualYear: year, plan: plan, units: units, figures: figures, progress: progress,
                                townships: tree.ofKind(.township).map(\.name), tasks: tasks, narrative: narrative, now: now)
    }

    // MARK: Plan versions and the next plan

    /// A plan's version record; a plan imported from a file has none and counts as approved, version 1.
    public func planVersion(planID: String) async throws -> PlanVersion {
        try await Store.planVersion(planID: planID, on: reader)
    }

    static func planVersion(planID: String, on db: any SQLDatabase) async throws -> PlanVersion {
        guard let row = try await db.select().column("*").from("impl_plan_versions").where("plan_id", .equal, planID).first() else {
            return PlanVersion(planID: planID, state: .approved, version: 1, basedOn: nil, reason: "", approvedBy: nil)
        }
        return PlanVersion(
            planID: planID, state: PlanVersionState(rawValue: try row.decode(column: "state", as: String.self)) ?? .approved,
            version: try row.decode(column: "version", as: Int.self), basedOn: try row.decode(column: "based_on", as: String?.self),
            reason: try row.decode(column: "reason", as: String.self), approvedBy: try row.decode(column: "approved_by", as: String?.self))
    }

    /// Creates the next plan from a plan as a draft (``NextPlan/derive(from:id:name:finalValues:standings:)``): the
    /// last year's approved values become baselines, targets are left blank, and unfinished projects are carried into
    /// the new plan's reserve. Bureau staff only.
    /// - Returns: the new plan and how many projects were carried.
    @discardableResult
    public func createNextPlan(from planID: String, id newID: String, name: String, actor: ImplementationActor, now: Date = .now) async throws
        -> (plan: Plan, carried: Int) {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff create plans") }
        guard let plan = try await plan(planID) else { throw StoreError.notFound("plan \(planID)") }
        let finalYear = plan.period.endYear
        let finalValues = try await approvedFigures(planID: planID).compactMapValues { list -> Double? in
            list.first { $0.year == finalYear }?.value
        }
        let standings = try await projectStandings(plan: plan, year: finalYear)
        // Cumulative indicators carry the last year's figure, not the five-year sum, as the new baseline.
        let derived = NextPlan.derive(from: plan, id: newID, name: name, finalValues: finalValues, standings: standings)
        try derived.plan.validate()
        try await importPlan(derived.plan, actor: actor.name)
        try await write { db in
            try await db.insert(into: "impl_plan_versions")
                .columns("plan_id", "state", "version", "based_on", "reason", "created_by", "created_at")
                .values(SQLBind(newID), SQLBind(PlanVersionState.draft.rawValue), SQLBind(1), SQLBind(planID),
                        SQLBind("由 \(planID) 结转"), SQLBind(actor.name), SQLBind(Store.millis(now))).run()
            for carried in derived.carried {
                let project = carried.project
                let note = "结转自 \(planID) 第\(project.number)号项目（\(carried.status.chineseName)），剩余投资 \(IndicatorRule.format(carried.remaining)) 万元"
                let reserve = try await Store.insertReserve(
                    planID: newID, name: project.name.isEmpty ? project.content : project.name, category: project.category,
                    leadUnits: project.leadUnits, location: project.location, investment: carried.remaining, note: note,
                    sourcePlanID: planID, sourceProjectNumber: project.number, actor: actor.name, now: now, on: db)
                try await AuditLog.record(on: db, actor: actor.name, action: "reserve.carry", entity: "reserve", entityID: "\(newID)/\(reserve.id)",
                                          after: Store.json(reserve), detail: note, at: now)
            }
            try await AuditLog.record(on: db, actor: actor.name, action: "plan.derive", entity: "plan", entityID: newID,
                                      detail: "from \(planID): \(derived.plan.indicators.count) indicators, \(derived.carried.count) projects carried to the reserve",
                                      at: now)
        }
        return (derived.plan, derived.carried.count)
    }

    /// Sets a draft plan's target for an indicator. An approved plan's indicators never change.
    /// - Throws: ``ImplementationError/locked(_:)`` for an approved plan.
    public func setIndicatorTarget(planID: String, number: Int, target text: String, actor: ImplementationActor, now: Date = .now) async throws {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff edit plans") }
        try await write { db in
            let version = try await Store.planVersion(planID: planID, on: db)
            guard version.state == .draft else {
                throw ImplementationError.locked("plan \(planID) is approved; its indicators are never edited — make a new version with a reason")
            }
            guard let row = try await db.select().columns("target", "end_year").from("plan_indicators")
                .join("plans", on: SQLColumn("plan_id", table: "plan_indicators"), .equal, SQLColumn("id", table: "plans"))
                .where(SQLColumn("plan_id", table: "plan_indicators"), .equal, SQLBind(planID))
                .where(SQLColumn("number", table: "plan_indicators"), .equal, SQLBind(number)).first() else {
                throw StoreError.notFound("indicator \(number) of plan \(planID)")
            }
            let before = try row.decode(column: "target", as: String.self)
            let value = PlanValue.parse(text, year: try row.decode(column: "end_year", as: Int.self))
            try await db.update("plan_indicators").set("target", to: SQLBind(Store.json(value))).set("target_value", to: SQLBind(value.value))
                .where("plan_id", .equal, planID).where("number", .equal, number).run()
            try await AuditLog.record(on: db, actor: actor.name, action: "plan.target", entity: "indicator", entityID: "\(planID)/\(number)",
                                      before: before, after: Store.json(value), at: now)
        }
    }

    /// Approves a draft plan: from now on its years and indicators never change.
    public func approvePlan(planID: String, actor: ImplementationActor, now: Date = .now) async throws {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff approve plans") }
        try await write { db in
            let version = try await Store.planVersion(planID: planID, on: db)
            guard version.state == .draft else { throw ImplementationError.locked("plan \(planID) is already approved") }
            try await db.update("impl_plan_versions").set("state", to: SQLBind(PlanVersionState.approved.rawValue))
                .set("approved_by", to: SQLBind(actor.name)).set("approved_at", to: SQLBind(Store.millis(now)))
                .where("plan_id", .equal, planID).run()
            try await AuditLog.record(on: db, actor: actor.name, action: "plan.approve", entity: "plan", entityID: planID,
                                      before: Store.json(["state": "draft"]), after: Store.json(["state": "approved"]), at: now)
        }
    }

    /// Makes a new draft version of a plan with a reason: a copy under a new id that may be changed and approved.
    /// - Returns: the new version's id.
    @discardableResult
    public func newPlanVersion(of planID: String, reason: String, actor: ImplementationActor, now: Date = .now) async throws -> String {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff make plan versions") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ImplementationError.invalid(field: "reason", "a new version needs a reason (填写调整理由)") }
        guard var plan = try await plan(planID) else { throw StoreError.notFound("plan \(planID)") }
        let version = try await planVersion(planID: planID)
        let root = version.basedOn.map { _ in planID.replacingOccurrences(of: #"-v\d+$"#, with: "", options: .regularExpression) } ?? planID
        var candidate = version.version + 1
        while try await self.plan("\(root)-v\(candidate)") != nil { candidate += 1 }
        let number = candidate
        let newID = "\(root)-v\(number)"
        plan.id = newID
        try await importPlan(plan, actor: actor.name)
        try await write { db in
            try await db.insert(into: "impl_plan_versions")
                .columns("plan_id", "state", "version", "based_on", "reason", "created_by", "created_at")
                .values(SQLBind(newID), SQLBind(PlanVersionState.draft.rawValue), SQLBind(number), SQLBind(planID), SQLBind(reason),
                        SQLBind(actor.name), SQLBind(Store.millis(now))).run()
            try await AuditLog.record(on: db, actor: actor.name, action: "plan.version", entity: "plan", entityID: newID,
                                      detail: "version \(number) of \(planID): \(reason)", at: now)
        }
        return newID
    }
}
