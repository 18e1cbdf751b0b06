public import Domain
import Foundation
import SQLKit

/// Who is acting on implementation records: the user's name for the audit trail and what the user may do.
public struct ImplementationActor: Sendable, Equatable {
    /// The user's login name.
    public var name: String
    /// The user's access.
    public var access: UnitAccess
    /// The user's own unit, when the user belongs to one.
    public var organisationID: Int64?

    /// Creates an actor.
    public init(name: String, access: UnitAccess, organisationID: Int64?) {
        self.name = name
        self.access = access
        self.organisationID = organisationID
    }

    /// The bureau itself acting (tests, commands, the monitoring feed).
    public static func system(_ name: String = "system") -> ImplementationActor {
        ImplementationActor(name: name, access: UnitAccess(role: .admin, units: []), organisationID: nil)
    }
}

extension Store {
    static var nowMillis: Int64 { Int64((Date.now.timeIntervalSince1970 * 1000).rounded()) }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func date(millis: Int64?) -> Date? { millis.map { Date(timeIntervalSince1970: Double($0) / 1000) } }

    /// The organisations, in tree order (position).
    public func organisations() async throws -> [Organisation] {
        try await Store.organisations(on: reader)
    }

    static func organisations(on db: any SQLDatabase) async throws -> [Organisation] {
        try await db.select().columns("id", "name", "kind", "parent_id", "demo").from("organisations")
            .orderBy("position").orderBy("id").all().map { row in
                Organisation(
                    id: try row.decode(column: "id", as: Int64.self),
                    name: try row.decode(column: "name", as: String.self),
                    kind: OrganisationKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .department,
                    parentID: try row.decode(column: "parent_id", as: Int64?.self),
                    demo: try row.decode(column: "demo", as: Bool.self))
            }
    }

    /// The organisation tree.
    public func organisationTree() async throws -> OrganisationTree { OrganisationTree(try await organisations()) }

    /// Creates the organisations of a seed list that do not exist yet (matched by name), parents first, with one audit
    /// entry for the whole seeding.
    /// - Parameters:
    ///   - seeds: the organisations, parents before children.
    ///   - actor: who seeds.
    /// - Returns: how many organisations were created.
    @discardableResult
    public func seedOrganisations(_ seeds: [OrganisationSeed], actor: String) async throws -> Int {
        try await write { db in
            var existing = Dictionary(try await Store.organisations(on: db).map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
            var position = existing.count
            var created: [String] = []
            for seed in seeds where existing[seed.name] == nil {
                position += 1
                let parentID = seed.parent.flatMap { existing[$0] }
                let id = try await Store.insertOrganisation(name: seed.name, kind: seed.kind, parentID: parentID, demo: seed.demo,
                                                            position: position, on: db)
                existing[seed.name] = id
                created.append(seed.name)
            }
            if !created.isEmpty {
                try await AuditLog.record(on: db, actor: actor, action: "organisation.seed", entity: "organisation", entityID: "*",
                                          after: Store.json(created), detail: "\(created.count) organisations")
            }
            return created.count
        }
    }

    /// Adds one organisation under a parent.
    /// - Returns: the new organisation.
    public func addOrganisation(name: String, kind: OrganisationKind, parentID: Int64?, demo: Bool = false, actor: String) async throws -> Organisation {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw ImplementationError.invalid(field: "name", "must be 1-100 characters") }
        return try await write { db in
            if try await db.select().column("id").from("organisations").where("name", .equal, name).first() != nil {
                throw StoreError.conflict("an organisation named \(name) already exists")
            }
            let count = try await Store.organisations(on: db).count
            let id = try await Store.insertOrganisation(name: name, kind: kind, parentID: parentID, demo: demo, position: count + 1, on: db)
            let organisation = Organisation(id: id, name: name, kind: kind, parentID: parentID, demo: demo)
            try await AuditLog.record(on: db, actor: actor, action: "organisation.add", entity: "organisation", entityID: String(id),
                                      after: Store.json(organisation))
            return organisation
        }
    }

    static func insertOrganisation(name: String, kind: OrganisationKind, parentID: Int64?, demo: Bool, position: Int,
                                   on db: any SQLDatabase) async throws -> Int64 {
        try await db.insert(into: "organisations").columns("name", "kind", "parent_id", "position", "demo", "created_at")
            .values(SQLBind(name), SQLBind(kind.rawValue), SQLBind(parentID), SQLBind(position), SQLBind(demo), SQLBind(nowMillis))
            .run()
        guard let row = try await db.select().column("id").from("organisations").where("name", .equal, name).first() else {
            throw StoreError.notFound("organisation \(name)")
        }
        return try row.decode(column: "id", as: Int64.self)
    }

    /// Puts a user into an organisation (or takes them out), with an audit entry. The user's `organisation` text is
    /// set to the organisation's name too.
    public func setUserOrganisation(userName: String, organisationID: Int64?, actor: String) async throws {
        try await write { db in
            guard let row = try await db.select().columns("id", "organisation", "organisation_id").from("users")
                .where("name", .equal, userName).first() else { throw StoreError.notFound("user \(userName)") }
            let beforeID = try row.decode(column: "organisation_id", as: Int64?.self)
            var name: String?
            if let organisationID {
                guard let org = try await db.select().column("name").from("organisations").where("id", .equal, organisationID).first() else {
                    throw ImplementationError.notFound("organisation \(organisationID)")
                }
                name = try org.decode(column: "name", as: String.self)
            }
            try await db.update("users").set("organisation_id", to: SQLBind(organisationID)).set("organisation", to: SQLBind(name))
                .where("name", .equal, userName).run()
            try await AuditLog.record(on: db, actor: actor, action: "user.organisation", entity: "user", entityID: userName,
                                      before: Store.json(["organisation_id": beforeID]), after: Store.json(["organisation_id": organisationID]),
                                      detail: name)
        }
    }

    /// The organisation a user belongs to: the `organisation_id`, or else the organisation whose name is the user's
    /// `organisation` text.
    public func organisationID(ofUser user: User) async throws -> Int64? {
        if let row = try await reader.select().column("organisation_id").from("users").where("id", .equal, user.id).first(),
           let id = try row.decode(column: "organisation_id", as: Int64?.self) {
            return id
        }
        guard let name = user.organisation, !name.isEmpty else { return nil }
        return try await reader.select().column("id").from("organisations").where("name", .equal, name).first()
            .map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// The users with their organisation ids.
    public func usersWithOrganisations() async throws -> [(user: User, organisationID: Int64?)] {
        try await reader.select().columns("id", "name", "display_name", "role", "organisation", "disabled", "organisation_id").from("users")
            .orderBy("name").all().map { row in
                (try Store.user(from: row), try row.decode(column: "organisation_id", as: Int64?.self))
            }
    }

    /// What a signed-in user may do with implementation records: their unit with its subtree for unit roles.
    public func implementationActor(for user: User) async throws -> ImplementationActor {
        let organisationID = try await organisationID(ofUser: user)
        var units: Set<Int64> = []
        if user.role.isUnitRole, let organisationID {
            units = try await organisationTree().subtree(of: organisationID)
        }
        return ImplementationActor(name: user.name, access: UnitAccess(role: user.role, units: units), organisationID: organisationID)
    }
}
