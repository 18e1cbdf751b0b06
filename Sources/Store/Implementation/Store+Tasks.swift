public import Domain
public import Foundation
import SQLKit

/// A progress report on a task.
public struct TaskReport: Codable, Sendable, Equatable {
    /// When.
    public var at: Date
    /// Who.
    public var actor: String
    /// Progress, 0-100 %.
    public var progress: Double
    /// What was done.
    public var text: String
}

extension Store {
    /// The tasks of a plan, optionally of one year and of some units, by deadline.
    public func tasks(planID: String, year: Int? = nil, units: Set<Int64>? = nil) async throws -> [ResponsibilityTask] {
        try await Store.tasks(planID: planID, year: year, id: nil, on: reader).filter { units?.contains($0.organisationID) ?? true }
    }

    static func tasks(planID: String?, year: Int?, id: Int64?, on db: any SQLDatabase) async throws -> [ResponsibilityTask] {
        var query = db.select().column("*").from("impl_tasks")
        if let planID { query = query.where("plan_id", .equal, planID) }
        if let year { query = query.where("year", .equal, year) }
        if let id { query = query.where("id", .equal, id) }
        return try await query.orderBy("deadline").orderBy("id").all().map { row in
            ResponsibilityTask(
                id: try row.decode(column: "id", as: Int64.self), year: try row.decode(column: "year", as: Int.self),
                keyTask: try row.decode(column: "key_task", as: String.self), title: try row.decode(column: "title", as: String.self),
                organisationID: try row.decode(column: "organisation_id", as: Int64.self),
                deadline: try row.decode(column: "deadline", as: String.self),
                completedOn: try row.decode(column: "completed_on", as: String?.self),
                progress: try row.decode(column: "progress", as: Double.self))
        }
    }

    /// One task with its plan id.
    public func task(id: Int64) async throws -> (planID: String, task: ResponsibilityTask) {
        guard let row = try await reader.select().column("plan_id").from("impl_tasks").where("id", .equal, id).first(),
              let task = try await Store.tasks(planID: nil, year: nil, id: id, on: reader).first else {
            throw ImplementationError.notFound("task \(id)")
        }
        return (try row.decode(column: "plan_id", as: String.self), task)
    }

    /// Assigns a task of a year to a unit with a deadline (bureau staff only), with an audit entry.
    @discardableResult
    public func addTask(planID: String, year: Int, keyTask: String, title: String, organisationID: Int64, deadline: String,
                        actor: ImplementationActor, now: Date = .now) async throws -> ResponsibilityTask {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff decompose tasks to units") }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [ImplementationProblem] = []
        if title.isEmpty { problems.append(.init(field: "title", message: "say what is to be done")) }
        if !TaskDeadlineRule.isDay(deadline) { problems.append(.init(field: "deadline", message: "a date YYYY-MM-DD")) }
        if !problems.isEmpty { throw ImplementationError.invalid(problems) }
        return try await write { db in
            guard let plan = try await db.select().columns("start_year", "end_year").from("plans").where("id", .equal, planID).first() else {
                throw StoreError.notFound("plan \(planID)")
            }
            let years = try plan.decode(column: "start_year", as: Int.self)...(try plan.decode(column: "end_year", as: Int.self))
            guard years.contains(year) else { throw ImplementationError.invalid(field: "year", "\(year) is outside the plan's years") }
            guard try await db.select().column("id").from("organisations").where("id", .equal, organisationID).first() != nil else {
                throw ImplementationError.notFound("organisation \(organisationID)")
            }
            try await db.insert(into: "impl_tasks")
                .columns("plan_id", "year", "key_task", "title", "organisation_id", "deadline", "completed_on", "progress", "created_by", "created_at")
                .values(SQLBind(planID), SQLBind(year), SQLBind(keyTask.trimmingCharacters(in: .whitespacesAndNewlines)), SQLBind(title),
                        SQLBind(organisationID), SQLBind(deadline), SQLBind(String?.none), SQLBind(0.0), SQLBind(actor.name), SQLBind(Store.millis(now)))
                .run()
            guard let task = try await Store.tasks(planID: planID, year: year, id: nil, on: db).max(by: { $0.id < $1.id }) else {
                throw StoreError.notFound("task")
            }
            try await AuditLog.record(on: db, actor: actor.name, action: "task.add", entity: "task", entityID: "\(planID)/\(task.id)",
                                      after: Store.json(task), at: now)
            return task
        }
    }

    /// Reports progress on a task (the responsible unit or bureau staff); `done` marks it completed on `now`'s day.
    public func reportTask(id: Int64, progress: Double, text: String, done: Bool, actor: ImplementationActor, now: Date = .now) async throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [ImplementationProblem] = []
        if !(0...100).contains(progress) { problems.append(.init(field: "progress", message: "between 0 and 100 %")) }
        if text.isEmpty { problems.append(.init(field: "text", message: "say what was done (填写进展情况)")) }
        if !problems.isEmpty { throw ImplementationError.invalid(problems) }
        try await write { db in
            guard let row = try await db.select().column("plan_id").from("impl_tasks").where("id", .equal, id).first(),
                  let task = try await Store.tasks(planID: nil, year: nil, id: id, on: db).first else {
                throw ImplementationError.notFound("task \(id)")
            }
            guard actor.access.canEdit(assignedTo: [task.organisationID]) else {
                throw ImplementationError.forbidden("task \(id) is not assigned to your unit (该任务不属于本单位)")
            }
            let planID = try row.decode(column: "plan_id", as: String.self)
            let completedOn = done ? (task.completedOn ?? TaskDeadlineRule.day(of: now)) : nil
            let newProgress = done ? 100 : progress
            try await db.update("impl_tasks").set("progress", to: SQLBind(newProgress)).set("completed_on", to: SQLBind(completedOn))
                .where("id", .equal, id).run()
            try await db.insert(into: "impl_task_reports").columns("task_id", "at", "actor", "progress", "text")
                .values(SQLBind(id), SQLBind(Store.millis(now)), SQLBind(actor.name), SQLBind(newProgress), SQLBind(text)).run()
            try await AuditLog.record(on: db, actor: actor.name, action: done ? "task.complete" : "task.report", entity: "task",
                                      entityID: "\(planID)/\(id)",
                                      before: Store.json(["progress": String(task.progress), "completed_on": task.completedOn ?? ""]),
                                      after: Store.json(["progress": String(newProgress), "completed_on": completedOn ?? ""]), detail: text, at: now)
        }
    }

    /// The progress reports of a task, oldest first.
    public func taskReports(id: Int64) async throws -> [TaskReport] {
        try await reader.select().columns("at", "actor", "progress", "text").from("impl_task_reports").where("task_id", .equal, id)
            .orderBy("id").all().map { row in
                TaskReport(at: Store.date(millis: try row.decode(column: "at", as: Int64.self)) ?? .distantPast,
                           actor: try row.decode(column: "actor", as: String.self),
                           progress: try row.decode(column: "progress", as: Double.self), text: try row.decode(column: "text", as: String.self))
            }
    }
}
