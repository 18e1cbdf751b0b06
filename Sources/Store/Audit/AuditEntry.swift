public import Foundation
public import SQLKit

/// One line of the audit trail: who changed what, when, with the record before and after.
public struct AuditEntry: Codable, Sendable, Equatable {
    /// Sequential id.
    public var id: Int64
    /// When the change was committed.
    public var at: Date
    /// The user (or `system`) who made it.
    public var actor: String
    /// What was done: `plan.import`, `plan.replace`, `user.add`, `session.login` …
    public var action: String
    /// The kind of record: `plan`, `user` …
    public var entity: String
    /// The record's id.
    public var entityID: String
    /// The record before the change (JSON), when there was one.
    public var before: String?
    /// The record after the change (JSON), when there is one.
    public var after: String?
    /// A short human-readable note.
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, entity, entityID = "entity_id", before, after, detail
    }
}

/// Recording and reading the audit trail. Every write of an official record leaves an entry, written in the same
/// transaction as the change so that the two commit or fail together.
public enum AuditLog {
    /// Appends an entry.
    /// - Parameters:
    ///   - db: the transaction the change runs in.
    ///   - actor: who made the change.
    ///   - action: what was done.
    ///   - entity: the kind of record.
    ///   - entityID: the record's id.
    ///   - before: the record before, as JSON text.
    ///   - after: the record after, as JSON text.
    ///   - detail: a short note.
    public static func record(
        on db: any SQLDatabase, actor: String, action: String, entity: String, entityID: String,
        before: String? = nil, after: String? = nil, detail: String? = nil, at: Date = .now
    ) async throws {
        try await db.insert(into: "audit_log")
            .columns("at", "actor", "action", "entity", "entity_id", "before", "after", "detail")
            .values(
                SQLBind(Int64((at.timeIntervalSince1970 * 1000).rounded())), SQLBind(actor), SQLBind(action), SQLBind(entity),
                SQLBind(entityID), SQLBind(before), SQLBind(after), SQLBind(detail))
            .run()
    }
}

extension Store {
    /// Reads audit entries, newest first.
    /// - Parameters:
    ///   - entity: only entries about this kind of record, when given.
    ///   - entityID: only entries about this record, when given.
    ///   - limit: at most this many.
    public func auditEntries(entity: String? = nil, entityID: String? = nil, limit: Int = 200) async throws -> [AuditEntry] {
        var query = reader.select().columns("id", "at", "actor", "action", "entity", "entity_id", "before", "after", "detail")
            .from("audit_log")
        if let entity { query = query.where("entity", .equal, entity) }
        if let entityID { query = query.where("entity_id", .equal, entityID) }
        return try await query.orderBy("id", .descending).limit(limit).all().map { row in
            AuditEntry(
                id: try row.decode(column: "id", as: Int64.self),
                at: Date(timeIntervalSince1970: Double(try row.decode(column: "at", as: Int64.self)) / 1000),
                actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                entity: try row.decode(column: "entity", as: String.self),
                entityID: try row.decode(column: "entity_id", as: String.self),
                before: try row.decode(column: "before", as: String?.self),
                after: try row.decode(column: "after", as: String?.self),
                detail: try row.decode(column: "detail", as: String?.self))
        }
    }
}
