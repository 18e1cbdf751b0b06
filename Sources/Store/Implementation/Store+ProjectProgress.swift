public import Domain
public import Foundation
import SQLKit

/// A project of the dynamic reserve (项目储备库).
public struct ReserveProject: Codable, Sendable, Equatable {
    /// The reserve entry's id.
    public var id: Int64
    /// The plan whose reserve it is in.
    public var planID: String
    /// The project's name.
    public var name: String
    /// The ledger category it would belong to.
    public var category: String
    /// The lead units.
    public var leadUnits: [String]
    /// The location.
    public var location: String
    /// Estimated investment (万元).
    public var investment: Double
    /// Where it stands.
    public var status: ReserveStatus
    /// A note (content, reason of the last change).
    public var note: String
    /// The plan and project it was carried from, when carried over.
    public var sourcePlanID: String?
    /// The project number in the source plan.
    public var sourceProjectNumber: Int?
    /// Who added it.
    public var createdBy: String
    /// When.
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, planID = "plan_id", name, category, leadUnits = "lead_units", location, investment, status, note
        case sourcePlanID = "source_plan_id", sourceProjectNumber = "source_project_number", createdBy = "created_by", createdAt = "created_at"
    }
}

/// A change of a reserve project's status.
public struct ReserveEvent: Codable, Sendable, Equatable {
    /// When.
    public var at: Date
    /// Who.
    public var actor: String
    /// The status before (nil when added).
    public var from: ReserveStatus?
    /// The status after.
    public var to: ReserveStatus
    /// Why.
    public var reason: String
}

extension Store {
    /// The units a project is assigned to: the organisations named among its lead units, and the townships its
    /// location names.
    public static func projectUnits(_ project: Project, tree: OrganisationTree) -> Set<Int64> {
        var ids = Set(project.leadUnits.compactMap { tree.named($0)?.id })
        for township in tree.mentioned(in: project.location) { ids.insert(township.id) }
        return ids
    }

    /// The yearly progress records of a plan, optionally of one project.
    public func projectProgress(planID: String, projectNumber: Int? = nil) async throws -> [ProjectYearProgress] {
        try await Store.projectProgress(planID: planID, projectNumber: projectNumber, on: reader)
    }

    static func projectProgress(planID: String, projectNumber: Int?, on db: any SQLDatabase) async throws -> [ProjectYearProgress] {
        var query = db.select().column("*").from("impl_project_progress").where("plan_id", .equal, planID)
        if let projectNumber { query = query.where("project_number", .equal, projectNumber) }
        return try await query.orderBy("project_number").orderBy("year").all().map { row in
            ProjectYearProgress(
                projectNumber: try row.decode(column: "project_number", as: Int.self),
                year: try row.decode(column: "year", as: Int.self),
                inPlace: Funds(fiscal: try row.decode(column: "in_place_fiscal", as: Double.self),
                               social: try row.decode(column: "in_place_social", as: Double.self),
                               other: try row.decode(column: "in_place_other", as: Double.self)),
                spent: Funds(fiscal: try row.decode(column: "spent_fiscal", as: Double.self),
                             social: try row.decode(column: "spent_social", as: Double.self),
                             other: try row.decode(column: "spent_other", as: Double.self)),
                physicalProgress: try row.decode(column: "physical_progress", as: Double.self),
                status: ProjectStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .notStarted,
                statusReason: try row.decode(column: "status_reason", as: String.self),
                score: try row.decode(column: "score", as: Double?.self),
                scoreComment: try row.decode(column: "score_comment", as: String.self))
        }
    }

    /// Records a project's progress for a year (replacing that year's record), with an audit entry holding the
    /// record before and after. The performance score is the bureau's: a unit user's record keeps the stored score.
    /// - Throws: ``ImplementationError`` when the actor's unit does not lead the project or the record breaks a rule.
    public func saveProjectProgress(planID: String, _ progress: ProjectYearProgress, actor: ImplementationActor, now: Date = .now) async throws {
        var progress = progress
        progress.statusReason = progress.statusReason.trimmingCharacters(in: .whitespacesAndNewlines)
        progress.scoreComment = progress.scoreComment.trimmingCharacters(in: .whitespacesAndNewlines)
        let tree = try await organisationTree()
        let input = progress
        try await write { db in
            var progress = input
            guard let plan = try await Store.loadPlan(planID, from: db) else { throw StoreError.notFound("plan \(planID)") }
            guard let project = plan.projects.first(where: { $0.number == progress.projectNumber }) else {
                throw StoreError.notFound("project \(progress.projectNumber) of plan \(planID)")
            }
            guard plan.period.years.contains(progress.year) else {
                throw ImplementationError.invalid(field: "year", "\(progress.year) is outside the plan's years")
            }
            guard actor.access.canEdit(assignedTo: Store.projectUnits(project, tree: tree)) else {
                throw ImplementationError.forbidden("project \(project.number) is not led by your unit (该项目不属于本单位)")
            }
            let others = try await Store.projectProgress(planID: planID, projectNumber: progress.projectNumber, on: db)
            let problems = progress.problems(earlier: others)
            if !problems.isEmpty { throw ImplementationError.invalid(problems) }
            let before = others.first { $0.year == progress.year }
            if !actor.access.canReview {
                progress.score = before?.score
                progress.scoreComment = before?.scoreComment ?? ""
            }
            try await db.delete(from: "impl_project_progress").where("plan_id", .equal, planID)
                .where("project_number", .equal, progress.projectNumber).where("year", .equal, progress.year).run()
            try await db.insert(into: "impl_project_progress")
                .columns("plan_id", "project_number", "year", "in_place_fiscal", "in_place_social", "in_place_other", "spent_fiscal",
                         "spent_social", "spent_other", "physical_progress", "status", "status_reason", "score", "score_comment",
                         "updated_by", "updated_at")
                .values(SQLBind(planID), SQLBind(progress.projectNumber), SQLBind(progress.year), SQLBind(progress.inPlace.fiscal),
                        SQLBind(progress.inPlace.social), SQLBind(progress.inPlace.other), SQLBind(progress.spent.fiscal),
                        SQLBind(progress.spent.social), SQLBind(progress.spent.other), SQLBind(progress.physicalProgress),
                        SQLBind(progress.status.rawValue), SQLBind(progress.statusReason), SQLBind(progress.score),
                        SQLBind(progress.scoreComment), SQLBind(actor.name), SQLBind(Store.millis(now)))
                .run()
            var action = "project_progress.save"
            if let before, before.status != progress.status { action = "project_progress.status" }
            if before?.score != progress.score && progress.score != nil { action = "project_progress.score" }
            try await AuditLog.record(on: db, actor: actor.name, action: action, entity: "project_progress",
                                      entityID: "\(planID)/\(progress.projectNumber)/\(progress.year)",
                                      before: before.map { Store.json($0) }, after: Store.json(progress),
                                      detail: before?.status != progress.status ? "\(before?.status.chineseName ?? "—") → \(progress.status.chineseName)" : nil,
                                      at: now)
        }
    }

    /// A project's milestones by planned date.
    public func milestones(planID: String, projectNumber: Int? = nil) async throws -> [Milestone] {
        var query = reader.select().columns("id", "project_number", "title", "due", "done").from("impl_milestones").where("plan_id", .equal, planID)
        if let projectNumber { query = query.where("project_number", .equal, projectNumber) }
        return try await query.orderBy("due").orderBy("id").all().map { row in
            Milestone(id: try row.decode(column: "id", as: Int64.self), projectNumber: try row.decode(column: "project_number", as: Int.self),
                      title: try row.decode(column: "title", as: String.self), due: try row.decode(column: "due", as: String.self),
                      done: try row.decode(column: "done", as: String?.self))
        }
    }

    /// Adds a milestone to a project, or marks one reached (when `id` is given), with an audit entry.
    public func saveMilestone(planID: String, projectNumber: Int, id: Int64? = nil, title: String, due: String, done: String?,
                              actor: ImplementationActor, now: Date = .now) async throws {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [ImplementationProblem] = []
        if title.isEmpty { problems.append(.init(field: "title", message: "name the milestone")) }
        if !TaskDeadlineRule.isDay(due) { problems.append(.init(field: "due", message: "a date YYYY-MM-DD")) }
        if let done, !done.isEmpty, !TaskDeadlineRule.isDay(done) { problems.append(.init(field: "done", message: "a date YYYY-MM-DD")) }
        if !problems.isEmpty { throw ImplementationError.invalid(problems) }
        let doneDay = done.flatMap { $0.isEmpty ? nil : $0 }
        let tree = try await organisationTree()
        try await write { db in
            guard let plan = try await Store.loadPlan(planID, from: db),
                  let project = plan.projects.first(where: { $0.number == projectNumber }) else {
                throw StoreError.notFound("project \(projectNumber) of plan \(planID)")
            }
            guard actor.access.canEdit(assignedTo: Store.projectUnits(project, tree: tree)) else {
                throw ImplementationError.forbidden("project \(project.number) is not led by your unit (该项目不属于本单位)")
            }
            if let id {
                try await db.update("impl_milestones").set("title", to: SQLBind(title)).set("due", to: SQLBind(due)).set("done", to: SQLBind(doneDay))
                    .where("id", .equal, id).where("plan_id", .equal, planID).where("project_number", .equal, projectNumber).run()
            } else {
                try await db.insert(into: "impl_milestones").columns("plan_id", "project_number", "title", "due", "done", "created_by", "created_at")
                    .values(SQLBind(planID), SQLBind(projectNumber), SQLBind(title), SQLBind(due), SQLBind(doneDay), SQLBind(actor.name),
                            SQLBind(Store.millis(now))).run()
            }
            try await AuditLog.record(on: db, actor: actor.name, action: id == nil ? "milestone.add" : "milestone.update", entity: "project_progress",
                                      entityID: "\(planID)/\(projectNumber)/milestone", after: Store.json(["title": title, "due": due, "done": doneDay ?? ""]),
                                      at: now)
        }
    }

    /// The standings of a plan's projects at the end of a year, with the townships their locations name.
    public func projectStandings(plan: Plan, year: Int) async throws -> [ProjectStanding] {
        let records = Dictionary(grouping: try await projectProgress(planID: plan.id), by: \.projectNumber)
        let townships = try await organisationTree().ofKind(.township).map(\.name)
        return plan.projects.map { project in
            ProjectStanding(project: project, records: records[project.number] ?? [], year: year,
                            townships: townships.filter { project.location.contains($0) })
        }
    }

    // MARK: The dynamic reserve

    /// The reserve of a plan.
    public func reserve(planID: String) async throws -> [ReserveProject] {
        try await Store.reserve(planID: planID, id: nil, on: reader)
    }

    static func reserve(planID: String?, id: Int64?, on db: any SQLDatabase) async throws -> [ReserveProject] {
        var query = db.select().column("*").from("impl_reserve")
        if let planID { query = query.where("plan_id", .equal, planID) }
        if let id { query = query.where("id", .equal, id) }
        return try await query.orderBy("id").all().map { row in
            ReserveProject(
                id: try row.decode(column: "id", as: Int64.self), planID: try row.decode(column: "plan_id", as: String.self),
                name: try row.decode(column: "name", as: String.self), category: try row.decode(column: "category", as: String.self),
                leadUnits: try decodeJSON([String].self, try row.decode(column: "lead_units", as: String.self), what: "lead units"),
                location: try row.decode(column: "location", as: String.self), investment: try row.decode(column: "investment", as: Double.self),
                status: ReserveStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .reserve,
                note: try row.decode(column: "note", as: String.self),
                sourcePlanID: try row.decode(column: "source_plan_id", as: String?.self),
                sourceProjectNumber: try row.decode(column: "source_project_number", as: Int?.self),
                createdBy: try row.decode(column: "created_by", as: String.self),
                createdAt: Store.date(millis: try row.decode(column: "created_at", as: Int64.self)) ?? .distantPast)
        }
    }

    /// Adds a project to a plan's reserve (充实一批), bureau staff only, with its first history line and an audit entry.
    @discardableResult
    public func addReserveProject(planID: String, name: String, category: String, leadUnits: [String], location: String, investment: Double,
                                  note: String, sourcePlanID: String? = nil, sourceProjectNumber: Int? = nil,
                                  actor: ImplementationActor, now: Date = .now) async throws -> ReserveProject {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff manage the project reserve") }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [ImplementationProblem] = []
        if name.isEmpty { problems.append(.init(field: "name", message: "name the project")) }
        if investment < 0 || !investment.isFinite { problems.append(.init(field: "investment", message: "a non-negative amount (万元)")) }
        if !problems.isEmpty { throw ImplementationError.invalid(problems) }
        return try await write { db in
            guard try await db.select().column("id").from("plans").where("id", .equal, planID).first() != nil else {
                throw StoreError.notFound("plan \(planID)")
            }
            let reserve = try await Store.insertReserve(planID: planID, name: name, category: category, leadUnits: leadUnits, location: location,
                                                        investment: investment, note: note, sourcePlanID: sourcePlanID,
                                                        sourceProjectNumber: sourceProjectNumber, actor: actor.name, now: now, on: db)
            try await AuditLog.record(on: db, actor: actor.name, action: "reserve.add", entity: "reserve", entityID: "\(planID)/\(reserve.id)",
                                      after: Store.json(reserve), at: now)
            return reserve
        }
    }

    static func insertReserve(planID: String, name: String, category: String, leadUnits: [String], location: String, investment: Double,
                              note: String, sourcePlanID: String?, sourceProjectNumber: Int?, actor: String, now: Date,
                              on db: any SQLDatabase) async throws -> ReserveProject {
        try await db.insert(into: "impl_reserve")
            .columns("plan_id", "name", "category", "lead_units", "location", "investment", "status", "note", "source_plan_id",
                     "source_project_number", "created_by", "created_at")
            .values(SQLBind(planID), SQLBind(name), SQLBind(category), SQLBind(json(leadUnits)), SQLBind(location), SQLBind(investment),
                    SQLBind(ReserveStatus.reserve.rawValue), SQLBind(note), SQLBind(sourcePlanID), SQLBind(sourceProjectNumber),
                    SQLBind(actor), SQLBind(millis(now)))
            .run()
        guard let reserve = try await reserve(planID: planID, id: nil, on: db).last else { throw StoreError.notFound("reserve entry") }
        try await db.insert(into: "impl_reserve_events").columns("reserve_id", "at", "actor", "from_status", "to_status", "reason")
            .values(SQLBind(reserve.id), SQLBind(millis(now)), SQLBind(actor), SQLBind(String?.none), SQLBind(ReserveStatus.reserve.rawValue),
                    SQLBind(note.isEmpty ? "充实一批" : note)).run()
        return reserve
    }

    /// Moves a reserve project to another status (纳入实施、建成、退出), bureau staff only; the reason is kept in its history.
    public func moveReserveProject(id: Int64, to status: ReserveStatus, reason: String, actor: ImplementationActor, now: Date = .now) async throws {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff manage the project reserve") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ImplementationError.invalid(field: "reason", "say why (填写原因)") }
        try await write { db in
            guard let entry = try await Store.reserve(planID: nil, id: id, on: db).first else { throw ImplementationError.notFound("reserve entry \(id)") }
            guard entry.status.next.contains(status) else {
                throw ImplementationError.invalid(field: "status", "a project \(entry.status.chineseName) cannot become \(status.chineseName)")
            }
            try await db.update("impl_reserve").set("status", to: SQLBind(status.rawValue)).where("id", .equal, id).run()
            try await db.insert(into: "impl_reserve_events").columns("reserve_id", "at", "actor", "from_status", "to_status", "reason")
                .values(SQLBind(id), SQLBind(Store.millis(now)), SQLBind(actor.name), SQLBind(entry.status.rawValue), SQLBind(status.rawValue),
                        SQLBind(reason)).run()
            try await AuditLog.record(on: db, actor: actor.name, action: "reserve.status", entity: "reserve", entityID: "\(entry.planID)/\(id)",
                                      before: Store.json(["status": entry.status.rawValue]), after: Store.json(["status": status.rawValue]),
                                      detail: reason, at: now)
        }
    }

    /// The history of a reserve project, oldest first.
    public func reserveHistory(id: Int64) async throws -> [ReserveEvent] {
        try await reader.select().columns("at", "actor", "from_status", "to_status", "reason").from("impl_reserve_events")
            .where("reserve_id", .equal, id).orderBy("id").all().map { row in
                ReserveEvent(at: Store.date(millis: try row.decode(column: "at", as: Int64.self)) ?? .distantPast,
                             actor: try row.decode(column: "actor", as: String.self),
                             from: try row.decode(column: "from_status", as: String?.self).flatMap(ReserveStatus.init(rawValue:)),
                             to: ReserveStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .reserve,
                             reason: try row.decode(column: "reason", as: String.self))
            }
    }
}
