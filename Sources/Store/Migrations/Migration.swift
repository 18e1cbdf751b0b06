public import SQLKit

/// A versioned change to the schema. Migrations are append-only: once released, a migration is never edited; a
/// change is a new migration. Each runs in its own transaction and is recorded in `qingshan_migrations`.
public struct Migration: Sendable {
    /// Sortable, unique id, e.g. `0001`.
    public let id: String
    /// What the migration does.
    public let name: String
    /// The statements, written in SQLKit's schema language so one text serves SQLite and PostgreSQL.
    public let apply: @Sendable (any SQLDatabase) async throws -> Void

    /// Creates a migration.
    public init(id: String, name: String, apply: @escaping @Sendable (any SQLDatabase) async throws -> Void) {
        self.id = id
        self.name = name
        self.apply = apply
    }
}

/// Column types both engines agree on.
enum ColumnType {
    /// 64-bit IEEE float: `DOUBLE PRECISION` (SQLite gives it REAL affinity).
    static let double = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
}

extension Store {
    /// Every migration of the platform, in order. Append new ones at the end; never edit a released one.
    public static let migrations: [Migration] = [
        Migration(id: "0001", name: "plan ledger, accounts, audit trail", apply: Migrations.v0001),
        Migration(id: "0002", name: "monitoring sites, HJ 212 devices, observations, raw frames", apply: Migrations.v0002),
        Migration(id: "0003", name: "plan implementation: organisations, yearly values, progress, tasks, reports", apply: Migrations.v0003),
        Migration(id: "0004", name: "platform-to-device commands", apply: Migrations.v0004),
        Migration(id: "0005", name: "monitoring rollups: air days, water months, noise days, emission days", apply: Migrations.v0005),
        Migration(id: "0006", name: "alarms: rules, alarms, history, webhooks, deliveries", apply: Migrations.v0006),
        Migration(id: "0007", name: "HJ 212 ingest log: observations materialised from the frame archive", apply: Migrations.v0007),
        Migration(id: "0008", name: "real-time values stored one row per packet", apply: Migrations.v0008),
        Migration(id: "0009", name: "real-time packets keyed by data time first", apply: Migrations.v0009),
        Migration(id: "0010", name: "archive's receive-time index as BRIN (PostgreSQL)", apply: Migrations.v0010),
    ]

    /// Applies the migrations not yet applied, each in its own transaction.
    /// - Returns: the ids of the migrations applied now.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await write { db in
            try await db.create(table: "qingshan_migrations").ifNotExists()
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .bigint, .notNull)
                .run()
        }
        var applied: [String] = []
        for migration in Store.migrations {
            let done = try await write { db in
                let existing = try await db.select().column("id").from("qingshan_migrations")
                    .where("id", .equal, migration.id).first()
                if existing != nil { return false }
                try await migration.apply(db)
                try await db.insert(into: "qingshan_migrations")
                    .columns("id", "name", "applied_at")
                    .values(SQLBind(migration.id), SQLBind(migration.name), SQLBind(Int64(Date.now.timeIntervalSince1970)))
                    .run()
                return true
            }
            if done {
                applied.append(migration.id)
                logger.info("applied migration \(migration.id): \(migration.name)")
            }
        }
        return applied
    }

    /// The ids of the migrations already applied.
    public func appliedMigrations() async throws -> [String] {
        try await reader.select().column("id").from("qingshan_migrations").orderBy("id").all()
            .map { try $0.decode(column: "id", as: String.self) }
    }
}

import Foundation
import Logging
