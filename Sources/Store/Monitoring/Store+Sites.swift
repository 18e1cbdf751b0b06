public import Domain
import Foundation
import SQLKit

extension Store {
    /// Creates or updates sites in one transaction (all or none), each with an audit entry.
    /// - Parameters:
    ///   - sites: the sites; each must pass ``Domain/Site/problems()``.
    ///   - actor: who saves them.
    /// - Throws: ``SiteError`` naming the first invalid site; nothing is stored then.
    public func saveSites(_ sites: [Site], actor: String) async throws {
        for site in sites {
            if let problem = site.problems().first { throw SiteError(code: site.code, message: problem) }
        }
        try await write { db in
            for site in sites {
                let before = try await Store.site(site.code, on: db)
                let attributes = Store.json(site)
                if before == nil {
                    try await db.insert(into: "sites")
                        .columns("code", "kind", "name", "township", "longitude", "latitude", "attributes", "demo", "created_at")
                        .values(SQLBind(site.code), SQLBind(site.kind.rawValue), SQLBind(site.name), SQLBind(site.township),
                                SQLBind(site.longitude), SQLBind(site.latitude), SQLBind(attributes), SQLBind(site.demo),
                                SQLBind(Int64(Date.now.timeIntervalSince1970)))
                        .run()
                } else if before != site {
                    try await db.update("sites")
                        .set("kind", to: site.kind.rawValue).set("name", to: site.name).set("township", to: site.township)
                        .set("longitude", to: site.longitude).set("latitude", to: site.latitude).set("attributes", to: attributes)
                        .set("demo", to: site.demo)
                        .where("code", .equal, site.code).run()
                } else {
                    continue
                }
                try await AuditLog.record(on: db, actor: actor, action: before == nil ? "site.add" : "site.update", entity: "site",
                                          entityID: site.code, before: before.map { Store.json($0) }, after: attributes)
            }
        }
    }

    /// The sites, optionally of one kind, by code.
    public func sites(kind: SiteKind? = nil) async throws -> [Site] {
        var query = reader.select().column("attributes").from("sites")
        if let kind { query = query.where("kind", .equal, kind.rawValue) }
        return try await query.orderBy("code").all().map { try Store.decodeJSON(Site.self, try $0.decode(column: "attributes", as: String.self), what: "site") }
    }

    /// One site.
    public func site(_ code: String) async throws -> Site? { try await Store.site(code, on: reader) }

    /// The MNs of the devices bound to a site.
    public func deviceMNs(siteCode: String) async throws -> [String] {
        try await reader.select().column("mn").from("devices").where("site_code", .equal, siteCode).orderBy("mn").all()
            .map { try $0.decode(column: "mn", as: String.self) }
    }

    static func site(_ code: String, on db: any SQLDatabase) async throws -> Site? {
        try await db.select().column("attributes").from("sites").where("code", .equal, code).first()
            .map { try decodeJSON(Site.self, try $0.decode(column: "attributes", as: String.self), what: "site") }
    }
}

/// A site that breaks a registry rule.
public struct SiteError: Error, Sendable, CustomStringConvertible {
    /// The site's code.
    public var code: String
    /// What is wrong.
    public var message: String
    /// `site CODE: message`.
    public var description: String { "site \(code): \(message)" }
}
