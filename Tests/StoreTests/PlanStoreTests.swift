import Domain
import Foundation
import SQLKit
import Store
import Testing
import TestSupport

@Suite("Plans in the store, on SQLite and PostgreSQL")
struct PlanStoreTests {
    @Test("migrations apply once and are recorded", arguments: TestDatabase.available)
    func migrations(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            #expect(try await store.appliedMigrations() == Store.migrations.map(\.id))
            #expect(try await store.migrate().isEmpty)
        }
    }

    @Test("the Wuxi plan is stored and read back exactly", arguments: TestDatabase.available)
    func roundTrip(database: TestDatabase) async throws {
        let plan = try Fixtures.wuxi()
        try await database.withStore { store async throws in
            try await store.importPlan(plan, actor: "test")
            let loaded = try await store.plan(plan.id)
            #expect(loaded == plan)
            let summaries = try await store.planSummaries()
            #expect(summaries.count == 1)
            #expect(summaries[0].indicatorCount == 19)
            #expect(summaries[0].projectCount == 38)
            #expect(summaries[0].projectsTotal == 69080)
        }
    }

    @Test("projects filter by category and by lead unit, joint leads included", arguments: TestDatabase.available)
    func filters(database: TestDatabase) async throws {
        let plan = try Fixtures.wuxi()
        try await database.withStore { store async throws in
            try await store.importPlan(plan, actor: "test")
            let water = try await store.projects(planID: plan.id, category: "水污染防治工程")
            #expect(water.map(\.number) == [1, 2, 3, 4, 5, 6])
            let forestry = try await store.projects(planID: plan.id, leadUnit: "县林业局")
            let expected = plan.projects.filter { $0.leadUnits.contains("县林业局") }.map(\.number)
            #expect(forestry.map(\.number) == expected)
            #expect(!expected.isEmpty)
            let both = try await store.projects(planID: plan.id, category: "生态环境保护与修复", leadUnit: "县林业局")
            #expect(both.allSatisfy { $0.category == "生态环境保护与修复" && $0.leadUnits.contains("县林业局") })
            #expect(try await store.projects(planID: plan.id, leadUnit: "不存在的单位").isEmpty)
        }
    }

    @Test("the project summary adds up to the printed subtotals and 69,080 万元", arguments: TestDatabase.available)
    func summary(database: TestDatabase) async throws {
        let plan = try Fixtures.wuxi()
        try await database.withStore { store async throws in
            try await store.importPlan(plan, actor: "test")
            let summary = try #require(try await store.projectSummary(planID: plan.id))
            #expect(summary.total == 69080)
            #expect(summary.count == 38)
            #expect(summary.categories.map(\.total) == [35730, 1300, 3250, 8300, 2800, 4700, 1400, 11600])
            #expect(summary.categories.map(\.count) == [6, 3, 4, 5, 3, 6, 3, 8])
            for category in summary.categories { #expect(category.total == category.printedSubtotal) }
        }
    }

    @Test("a broken plan is refused and nothing of it is stored", arguments: TestDatabase.available)
    func refused(database: TestDatabase) async throws {
        var plan = try Fixtures.wuxi()
        plan.projects[3].investment.total += 1
        plan.projects[3].investment.fiscal! += 1
        try await database.withStore { store async throws in
            await #expect(throws: PlanFileError.self) { try await store.importPlan(plan, actor: "test") }
            #expect(try await store.planSummaries().isEmpty)
            #expect(try await store.auditEntries().isEmpty)
        }
    }

    @Test("a failure inside a write rolls back every statement of it", arguments: TestDatabase.available)
    func rollback(database: TestDatabase) async throws {
        struct Boom: Error {}
        try await database.withStore { store async throws in
            await #expect(throws: Boom.self) {
                try await store.write { db in
                    try await AuditLog.record(on: db, actor: "test", action: "x", entity: "y", entityID: "z")
                    throw Boom()
                }
            }
            #expect(try await store.auditEntries().isEmpty)
        }
    }

    @Test("importing the same id twice conflicts; replacing keeps the old version in the audit trail", arguments: TestDatabase.available)
    func replace(database: TestDatabase) async throws {
        let plan = try Fixtures.wuxi()
        try await database.withStore { store async throws in
            try await store.importPlan(plan, actor: "alice")
            await #expect(throws: StoreError.self) { try await store.importPlan(plan, actor: "alice") }
            var changed = plan
            changed.name += "（修订）"
            try await store.importPlan(changed, actor: "bob", replace: true)
            #expect(try await store.plan(plan.id)?.name == changed.name)
            let audit = try await store.auditEntries(entity: "plan", entityID: plan.id)
            #expect(audit.map(\.action) == ["plan.replace", "plan.import"])
            #expect(audit[0].actor == "bob")
            #expect(audit[0].before?.contains(plan.name) == true)
            #expect(audit[0].after?.contains("（修订）") == true)
        }
    }
}

@Suite("Accounts in the store")
struct AccountStoreTests {
    @Test("users sign in with bcrypt-hashed passwords and tokens", arguments: TestDatabase.available)
    func accounts(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let user = try await store.addUser(name: "wang", role: .staff, password: "correct horse", actor: "test", cost: 4)
            #expect(user.role == .staff)
            await #expect(throws: AccountError.self) {
                try await store.addUser(name: "wang", role: .viewer, password: "another one", actor: "test", cost: 4)
            }
            await #expect(throws: AccountError.self) { try await store.authenticate(name: "wang", password: "wrong horse") }
            await #expect(throws: AccountError.self) { try await store.authenticate(name: "nobody", password: "correct horse") }
            let signedIn = try await store.authenticate(name: "wang", password: "correct horse")
            let token = try await store.issueToken(for: signedIn, kind: .api, lifetime: 60)
            #expect(try await store.user(forToken: token.token)?.name == "wang")
            #expect(try await store.user(forToken: token.token, now: Date().addingTimeInterval(120)) == nil)
            try await store.revokeToken(token.token)
            #expect(try await store.user(forToken: token.token) == nil)
            let hash = try await store.reader.select().column("password_hash").from("users").first()?.decode(column: "password_hash", as: String.self)
            #expect(hash?.hasPrefix("$2") == true)
            #expect(hash?.contains("correct horse") == false)
            #expect(try await store.auditEntries(entity: "user").contains { $0.action == "user.add" })
        }
    }
}
