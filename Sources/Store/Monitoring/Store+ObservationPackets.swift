public import Domain
public import Foundation
public import SQLKit

/// The values of one upload stored as one row (``Domain/PackedValues``): how real-time data are kept.
public struct ObservationPacket: Sendable, Equatable {
    /// The site the device is bound to, when known.
    public var siteCode: String?
    /// The device.
    public var mn: String
    /// The command number (`2011`).
    public var cn: String
    /// The data kind.
    public var kind: DataKind
    /// The packet's DataTime.
    public var dataTime: Date
    /// The packet's signature (its codes and fields), part of the idempotence key.
    public var signature: Int64
    /// When the frame was received, in ms since 1970.
    public var receivedAtMilliseconds: Int64
    /// The archived frame it came in.
    public var frameID: Int64?
    /// How many values it carries.
    public var valueCount: Int
    /// The packed values.
    public var items: String

    /// Packs the values of one upload (all of one MN, CN and data time); nil when there are none.
    /// - Parameters:
    ///   - observations: the values.
    ///   - receivedAt: when the frame was received.
    ///   - frameID: the archived frame.
    public init?(observations: [Observation], receivedAt: Date, frameID: Int64?) {
        guard let first = observations.first else { return nil }
        self.init(siteCode: first.siteCode, mn: first.mn, cn: first.cn, kind: first.kind, dataTime: first.dataTime,
                  values: observations, receivedAt: receivedAt, frameID: frameID)
    }

    /// Packs the values of one upload given with the packet's MN, CN and data time (the gateway's real-time path,
    /// which makes ``PackedValues/Value``s straight from the packet); nil when there are none.
    /// - Parameters:
    ///   - siteCode: the site the device is bound to.
    ///   - mn: the device.
    ///   - cn: the command number.
    ///   - kind: the data kind.
    ///   - dataTime: the packet's DataTime.
    ///   - values: the values.
    ///   - receivedAt: when the frame was received.
    ///   - frameID: the archived frame.
    public init?<V: PackableValue>(siteCode: String?, mn: String, cn: String, kind: DataKind, dataTime: Date, values: [V],
                                   receivedAt: Date, frameID: Int64?) {
        guard !values.isEmpty else { return nil }
        let (items, signature) = PackedValues.pack(values)
        self.siteCode = siteCode
        self.mn = mn
        self.cn = cn
        self.kind = kind
        self.dataTime = dataTime
        self.signature = signature
        self.receivedAtMilliseconds = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded())
        self.frameID = frameID
        self.valueCount = values.count
        self.items = items
    }
}

extension Store {
    /// Rows per INSERT of packets: 10 parameters each, well under SQLite's and PostgreSQL's limits.
    static let packetBatch = 2_000

    /// Stores packets; one already stored under the same (MN, CN, data time, signature) is left as it is, so a resent
    /// upload never doubles its values.
    /// - Parameters:
    ///   - packets: the packets.
    ///   - db: the transaction.
    /// - Returns: how many values the new packets carry.
    @discardableResult
    public static func insertObservationPackets(_ packets: [ObservationPacket], on db: any SQLDatabase) async throws -> Int {
        var stored = 0
        var start = 0
        while start < packets.count {
            let end = min(start + packetBatch, packets.count)
            var insert = db.insert(into: "observation_packets")
                .columns("site_code", "mn", "cn", "kind", "data_time", "signature", "received_at", "frame_id", "value_count", "items")
            for packet in packets[start..<end] {
                insert = insert.values(
                    SQLBind(packet.siteCode), SQLBind(packet.mn), SQLBind(packet.cn), SQLBind(packet.kind.rawValue),
                    SQLBind(Int64(packet.dataTime.timeIntervalSince1970)), SQLBind(packet.signature),
                    SQLBind(packet.receivedAtMilliseconds), SQLBind(packet.frameID), SQLBind(packet.valueCount), SQLBind(packet.items))
            }
            let rows = try await insert.ignoringConflicts(with: ["data_time", "mn", "cn", "signature"]).returning("value_count").all()
            for row in rows { stored += try row.decode(column: "value_count", as: Int.self) }
            start = end
        }
        return stored
    }

    /// Stores packets in their own transaction.
    /// - Returns: how many values the new packets carry.
    @discardableResult
    public func storeObservationPackets(_ packets: [ObservationPacket]) async throws -> Int {
        try await write { db in try await Store.insertObservationPackets(packets, on: db) }
    }

    /// The values of the packets matching a query, unpacked, as ``observations(mn:cn:siteCode:code:from:to:limit:)``
    /// returns them (without an id: a packed value is not reviewed on its own). Of two packets of one time carrying
    /// the same code and field, the one stored first counts, as for values stored one by one. Also tells how many
    /// packets were read (`limit` at most) and the data time of the last.
    func packedObservations(mn: String?, cn: String?, siteCode: String?, code: String?, from: Date?, to: Date?,
                            limit: Int?) async throws -> (values: [StoredObservation], packets: Int, lastDataTime: Date?) {
        var query = reader.select().columns("site_code", "mn", "cn", "kind", "data_time", "received_at", "frame_id", "items")
            .from("observation_packets")
        if let mn { query = query.where("mn", .equal, mn) }
        if let cn { query = query.where("cn", .equal, cn) }
        if let siteCode { query = query.where("site_code", .equal, siteCode) }
        if let from { query = query.where("data_time", .greaterThanOrEqual, Int64(from.timeIntervalSince1970)) }
        if let to { query = query.where("data_time", .lessThanOrEqual, Int64(to.timeIntervalSince1970)) }
        // Every packet carries at least one value, so `limit` packets in time order hold the first `limit` values.
        query = query.orderBy("data_time").orderBy("id")
        if let limit { query = query.limit(limit) }
        let rows = try await query.all()
        var result: [StoredObservation] = []
        var seen = Set<String>()
        var lastDataTime: Date?
        for row in rows {
            let mn = try row.decode(column: "mn", as: String.self), cn = try row.decode(column: "cn", as: String.self)
            let dataTime = Date(timeIntervalSince1970: Double(try row.decode(column: "data_time", as: Int64.self)))
            lastDataTime = dataTime
            let site = try row.decode(column: "site_code", as: String?.self)
            let kind = DataKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other
            let receivedAt = Date(timeIntervalSince1970: Double(try row.decode(column: "received_at", as: Int64.self)) / 1000)
            let frameID = try row.decode(column: "frame_id", as: Int64?.self)
            for value in try PackedValues.unpack(try row.decode(column: "items", as: String.self)) {
                if let code, value.code != code { continue }
                guard seen.insert("\(mn)|\(cn)|\(value.code)|\(value.field)|\(Int64(dataTime.timeIntervalSince1970))").inserted else { continue }
                result.append(StoredObservation(
                    id: nil,
                    observation: Observation(siteCode: site, mn: mn, cn: cn, kind: kind, code: value.code, originalCode: value.originalCode,
                                             field: value.field, dataTime: dataTime, value: value.value, valueText: value.valueText,
                                             flag: value.flag),
                    receivedAt: receivedAt, frameID: frameID))
            }
        }
        return (result, rows.count, lastDataTime)
    }

    /// How many values the stored packets carry.
    public func packedValueCount() async throws -> Int {
        try await reader.select().column(SQLFunction("SUM", args: SQLIdentifier("value_count")), as: "n").from("observation_packets")
            .first()?.decode(column: "n", as: Int?.self) ?? 0
    }

    /// The id of the newest packet (0 when there is none).
    public func latestObservationPacketID() async throws -> Int64 {
        try await reader.select().column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "m").from("observation_packets").first()?
            .decode(column: "m", as: Int64?.self) ?? 0
    }
}
