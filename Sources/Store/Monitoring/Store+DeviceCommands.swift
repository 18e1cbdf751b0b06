public import Foundation
import SQLKit

/// A platform-to-device command and what came of it.
public struct DeviceCommandRecord: Codable, Sendable, Equatable {
    /// Sequential id.
    public var id: Int64
    /// The device.
    public var mn: String
    /// The command number (1012 set time, 1061/1062 real-time interval, 1063/1064 minute interval, 2061 history …).
    public var cn: String
    /// The request number sent.
    public var qn: String
    /// The data area sent (`SystemTime=…`, `BeginTime=…;EndTime=…`).
    public var parameters: String
    /// Why it was sent (`api`, `backfill`, `time-calibration`).
    public var reason: String
    /// Who asked for it.
    public var requestedBy: String
    /// When it was requested.
    public var requestedAt: Date
    /// When it finished.
    public var finishedAt: Date?
    /// `succeeded`, `refused:N`, `failed:N`, `timeout:answer`, `timeout:execution`, `not_connected`; nil while running.
    public var outcome: String?
    /// How many times the request was sent.
    public var attempts: Int
    /// How many data packets came back for it.
    public var dataPackets: Int
    /// What the device answered, when it carries values (e.g. `RtdInterval=30`).
    public var answer: String?

    enum CodingKeys: String, CodingKey {
        case id, mn, cn, qn, parameters, reason, requestedBy = "requested_by", requestedAt = "requested_at"
        case finishedAt = "finished_at", outcome, attempts, dataPackets = "data_packets", answer
    }
}

extension Store {
    /// Records a command as requested; returns its id.
    public func recordCommand(mn: String, cn: String, qn: String, parameters: String, reason: String, requestedBy: String) async throws -> Int64 {
        try await write { db in
            let row = try await db.insert(into: "device_commands")
                .columns("mn", "cn", "qn", "parameters", "reason", "requested_by", "requested_at")
                .values(SQLBind(mn), SQLBind(cn), SQLBind(qn), SQLBind(parameters), SQLBind(reason), SQLBind(requestedBy),
                        SQLBind(Int64(Date.now.timeIntervalSince1970)))
                .returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.corrupt("no id for the new command") }
            if requestedBy != "system" {
                try await AuditLog.record(on: db, actor: requestedBy, action: "device.command", entity: "device", entityID: mn,
                                          detail: "CN \(cn) \(parameters)")
            }
            return id
        }
    }

    /// Records how a command ended.
    public func finishCommand(id: Int64, outcome: String, attempts: Int, dataPackets: Int, answer: String?) async throws {
        try await write { db in
            try await db.update("device_commands")
                .set("finished_at", to: Int64(Date.now.timeIntervalSince1970)).set("outcome", to: outcome)
                .set("attempts", to: attempts).set("data_packets", to: dataPackets).set("answer", to: answer)
                .where("id", .equal, id).run()
        }
    }

    /// The newest commands, optionally of one device.
    public func commands(mn: String?, limit: Int = 100) async throws -> [DeviceCommandRecord] {
        var query = reader.select().column("*").from("device_commands")
        if let mn { query = query.where("mn", .equal, mn) }
        return try await query.orderBy("id", .descending).limit(limit).all().map { row in
            DeviceCommandRecord(
                id: try row.decode(column: "id", as: Int64.self), mn: try row.decode(column: "mn", as: String.self),
                cn: try row.decode(column: "cn", as: String.self), qn: try row.decode(column: "qn", as: String.self),
                parameters: try row.decode(column: "parameters", as: String.self), reason: try row.decode(column: "reason", as: String.self),
                requestedBy: try row.decode(column: "requested_by", as: String.self),
                requestedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "requested_at", as: Int64.self))),
                finishedAt: try row.decode(column: "finished_at", as: Int64?.self).map { Date(timeIntervalSince1970: Double($0)) },
                outcome: try row.decode(column: "outcome", as: String?.self),
                attempts: try row.decode(column: "attempts", as: Int.self), dataPackets: try row.decode(column: "data_packets", as: Int.self),
                answer: try row.decode(column: "answer", as: String?.self))
        }
    }

    /// The hours (start instants) in `[from, to)` for which a device has hourly data (CN 2061).
    public func hoursWithData(mn: String, from: Date, to: Date) async throws -> Set<Int64> {
        let rows = try await reader.select().distinct().column("data_time").from("observations")
            .where("mn", .equal, mn).where("cn", .equal, "2061")
            .where("data_time", .greaterThanOrEqual, Int64(from.timeIntervalSince1970))
            .where("data_time", .lessThan, Int64(to.timeIntervalSince1970))
            .all()
        return Set(try rows.map { try $0.decode(column: "data_time", as: Int64.self) })
    }

    /// The devices that have ever sent hourly data.
    public func devicesWithHourlyData() async throws -> [String] {
        try await reader.select().distinct().column("mn").from("observations").where("cn", .equal, "2061").all()
            .map { try $0.decode(column: "mn", as: String.self) }
    }
}
