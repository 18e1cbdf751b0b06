public import Domain
public import Foundation
import SQLKit

extension Store {
    /// Registers a device, or updates it when its MN is known, with an audit entry.
    /// - Parameters:
    ///   - device: the device.
    ///   - actor: who registers it.
    public func saveDevice(_ device: Device, actor: String) async throws {
        try await saveDevices([device], actor: actor)
    }

    /// Registers or updates several devices in one transaction (all or none), each with an audit entry.
    public func saveDevices(_ devices: [Device], actor: String) async throws {
        try await write { db in
            for device in devices {
                let before = try await Store.device(device.mn, on: db)
                if before == nil {
                    try await db.insert(into: "devices")
                        .columns("mn", "password", "dialect", "site_code", "enabled", "created_at")
                        .values(SQLBind(device.mn), SQLBind(device.password), SQLBind(device.dialect.rawValue), SQLBind(device.siteCode),
                                SQLBind(device.enabled), SQLBind(Int64(Date.now.timeIntervalSince1970)))
                        .run()
                } else {
                    try await db.update("devices")
                        .set("password", to: device.password).set("dialect", to: device.dialect.rawValue)
                        .set("site_code", to: device.siteCode).set("enabled", to: device.enabled)
                        .where("mn", .equal, device.mn).run()
                }
                var redacted = device
                redacted.password = "••••"
                try await AuditLog.record(on: db, actor: actor, action: before == nil ? "device.add" : "device.update",
                                          entity: "device", entityID: device.mn,
                                          before: before.map { var b = $0; b.password = "••••"; return Store.json(b) },
                                          after: Store.json(redacted))
            }
        }
    }

    /// The registered devices, by MN.
    public func devices() async throws -> [Device] {
        try await reader.select().columns("mn", "password", "dialect", "site_code", "enabled").from("devices").orderBy("mn").all()
            .map(Store.device(from:))
    }

    /// One device.
    public func device(_ mn: String) async throws -> Device? {
        try await Store.device(mn, on: reader)
    }

    /// Records that a device was heard from.
    public func touchDevices(_ seen: [String: (at: Date, peer: String)]) async throws {
        guard !seen.isEmpty else { return }
        try await write { db in
            for (mn, info) in seen {
                try await db.update("devices").set("last_seen_at", to: Int64(info.at.timeIntervalSince1970)).set("last_peer", to: info.peer)
                    .where("mn", .equal, mn).run()
            }
        }
    }

    static func device(_ mn: String, on db: any SQLDatabase) async throws -> Device? {
        try await db.select().columns("mn", "password", "dialect", "site_code", "enabled").from("devices").where("mn", .equal, mn)
            .first().map(device(from:))
    }

    static func device(from row: any SQLRow) throws -> Device {
        Device(
            mn: try row.decode(column: "mn", as: String.self),
            password: try row.decode(column: "password", as: String.self),
            dialect: HJ212Dialect(rawValue: try row.decode(column: "dialect", as: String.self)) ?? .v2017,
            siteCode: try row.decode(column: "site_code", as: String?.self),
            enabled: try row.decode(column: "enabled", as: Bool.self))
    }
}
