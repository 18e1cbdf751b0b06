public import Domain
public import Foundation
import SQLKit

/// A stored observation as the alarm evaluator reads it: the value, its flag and its review.
public struct AlarmInputValue: Sendable, Equatable {
    /// The site.
    public var siteCode: String
    /// The data kind.
    public var kind: DataKind
    /// The pollutant code.
    public var code: String
    /// The statistic.
    public var field: String
    /// The time the value is for.
    public var time: Date
    /// The value to use: the corrected value when the review corrected it, else the value received.
    public var value: Double?
    /// The value exactly as sent.
    public var valueText: String
    /// The HJ 212 flag.
    public var flag: String?
    /// The review verdict, if any.
    public var review: ReviewStatus?
}

/// New observations seen after a cursor: where and when they are, and who sent them.
public struct ObservationArrivals: Sendable, Equatable {
    /// The id of the last row read (the next cursor); the old cursor when nothing is new.
    public var lastID: Int64
    /// How many rows were read.
    public var rows: Int
    /// The hours (start instants) with new real-time or hourly values, by site.
    public var times: [String: Set<Date>]
    /// The latest receipt time of each device.
    public var heard: [String: Date]
}

/// A registered device as the offline check sees it.
public struct DeviceHeartbeat: Sendable, Equatable {
    /// The MN.
    public var mn: String
    /// The site it is bound to.
    public var siteCode: String?
    /// When data from it was last received.
    public var lastSeen: Date?
    /// When it was registered.
    public var registeredAt: Date
}

extension Store {
    /// The observations stored after a cursor, at most `limit` rows.
    /// - Parameters:
    ///   - id: the cursor: the last id already evaluated.
    ///   - limit: the most rows to read.
    public func observationArrivals(after id: Int64, limit: Int) async throws -> ObservationArrivals {
        try await arrivals(in: "observations", after: id, limit: limit)
    }

    /// The packets of real-time values (``ObservationPacket``) stored after a cursor, at most `limit` rows.
    /// - Parameters:
    ///   - id: the cursor: the last packet id already evaluated.
    ///   - limit: the most rows to read.
    public func observationPacketArrivals(after id: Int64, limit: Int) async throws -> ObservationArrivals {
        try await arrivals(in: "observation_packets", after: id, limit: limit)
    }

    /// The arrivals in the next `limit` rows of `table` after `id`, summed up by the database: the latest receipt per
    /// device and the hours with real-time or hourly data per site. Under load a window holds tens of thousands of rows
    /// of a thousand devices; three aggregate queries return a few thousand.
    private func arrivals(in table: String, after id: Int64, limit: Int) async throws -> ObservationArrivals {
        guard let window = try await reader.raw("""
            SELECT MAX(id) AS last, COUNT(*) AS n FROM (SELECT id FROM \(ident: table) WHERE id > \(bind: id) ORDER BY id LIMIT \(bind: limit)) w
            """).first(), let last = try window.decode(column: "last", as: Int64?.self) else {
            return ObservationArrivals(lastID: id, rows: 0, times: [:], heard: [:])
        }
        var result = ObservationArrivals(lastID: last, rows: try window.decode(column: "n", as: Int.self), times: [:], heard: [:])
        for row in try await reader.raw("""
            SELECT mn, MAX(received_at) AS received FROM \(ident: table) WHERE id > \(bind: id) AND id <= \(bind: last) GROUP BY mn
            """).all() {
            result.heard[try row.decode(column: "mn", as: String.self)] =
                Date(timeIntervalSince1970: Double(try row.decode(column: "received", as: Int64.self)) / 1000)
        }
        for row in try await reader.raw("""
            SELECT DISTINCT site_code, (data_time / 3600) * 3600 AS hour FROM \(ident: table)
            WHERE id > \(bind: id) AND id <= \(bind: last) AND site_code IS NOT NULL
              AND kind IN (\(bind: DataKind.hour.rawValue), \(bind: DataKind.realtime.rawValue))
            """).all() {
            result.times[try row.decode(column: "site_code", as: String.self), default: []]
                .insert(Store.date(try row.decode(column: "hour", as: Int64.self)))
        }
        return result
    }

    /// The real-time and hourly values of a site with data times in `[from, to)`, excluding nothing: the caller drops
    /// values reviewed invalid.
    public func alarmInputs(siteCode: String, from: Date, to: Date) async throws -> [AlarmInputValue] {
        let single = try await singleAlarmInputs(siteCode: siteCode, from: from, to: to)
        // Real-time values from the gateway are stored one row per packet; a value stored on its own wins.
        let packed = try await packedObservations(mn: nil, cn: nil, siteCode: siteCode, code: nil, from: from,
                                                  to: to.addingTimeInterval(-1), limit: nil).values
        guard !packed.isEmpty else { return single }
        func key(_ kind: DataKind, _ code: String, _ field: String, _ time: Date) -> String { "\(kind)|\(code)|\(field)|\(time.timeIntervalSince1970)" }
        let present = Set(single.map { key($0.kind, $0.code, $0.field, $0.time) })
        let extra = packed.compactMap { stored -> AlarmInputValue? in
            let o = stored.observation
            guard o.kind == .realtime || o.kind == .hour, !present.contains(key(o.kind, o.code, o.field, o.dataTime)) else { return nil }
            return AlarmInputValue(siteCode: siteCode, kind: o.kind, code: o.code, field: o.field, time: o.dataTime, value: o.value,
                                   valueText: o.valueText, flag: o.flag, review: nil)
        }
        return (single + extra).sorted { $0.time < $1.time }
    }

    private func singleAlarmInputs(siteCode: String, from: Date, to: Date) async throws -> [AlarmInputValue] {
        try await reader.select()
            .columns("kind", "code", "field", "data_time", "value", "value_text", "flag", "review_status", "reviewed_value")
            .from("observations")
            .where("site_code", .equal, siteCode)
            .where("kind", .in, [DataKind.hour.rawValue, DataKind.realtime.rawValue])
            .where("data_time", .greaterThanOrEqual, Store.seconds(from)).where("data_time", .lessThan, Store.seconds(to))
            .orderBy("data_time").all().map { row in
                let review = try row.decode(column: "review_status", as: String?.self).flatMap(ReviewStatus.init(rawValue:))
                let received = try row.decode(column: "value", as: Double?.self)
                let corrected = try row.decode(column: "reviewed_value", as: Double?.self)
                return AlarmInputValue(
                    siteCode: siteCode, kind: DataKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                    code: try row.decode(column: "code", as: String.self), field: try row.decode(column: "field", as: String.self),
                    time: Store.date(try row.decode(column: "data_time", as: Int64.self)),
                    value: review == .corrected ? (corrected ?? received) : received,
                    valueText: review == .corrected ? (corrected.map { String($0) } ?? "") : try row.decode(column: "value_text", as: String.self),
                    flag: try row.decode(column: "flag", as: String?.self), review: review)
            }
    }

    /// The enabled devices with when they were last heard and registered.
    public func deviceHeartbeats() async throws -> [DeviceHeartbeat] {
        try await reader.select().columns("mn", "site_code", "last_seen_at", "created_at").from("devices").where("enabled", .equal, true)
            .orderBy("mn").all().map { row in
                DeviceHeartbeat(mn: try row.decode(column: "mn", as: String.self), siteCode: try row.decode(column: "site_code", as: String?.self),
                                lastSeen: try row.decode(column: "last_seen_at", as: Int64?.self).map(Store.date),
                                registeredAt: Store.date(try row.decode(column: "created_at", as: Int64.self)))
            }
    }

    /// Moves the devices' last-heard times forward (never back) and the evaluator's cursor, in one transaction.
    /// - Parameters:
    ///   - heard: the latest receipt time of each device.
    ///   - cursor: the evaluator's cursor name and new value.
    ///   - now: the current time.
    public func recordArrivals(heard: [String: Date], cursor: (name: String, value: Int64), now: Date) async throws {
        let devices = heard.sorted { $0.key < $1.key }
        try await write { db in
            // One statement per 500 devices (UPDATE … FROM, SQLite 3.33+ and PostgreSQL), not one per device: a
            // thousand loggers would otherwise hold the write lock, which the gateway's acknowledgements wait for.
            var start = 0
            while start < devices.count {
                let end = min(start + 500, devices.count)
                var rows: [SQLQueryString] = []
                for (index, (mn, at)) in devices[start..<end].enumerated() {
                    rows.append(index == 0 ? "SELECT \(bind: mn) AS mn, \(bind: Store.seconds(at)) AS t" : "SELECT \(bind: mn), \(bind: Store.seconds(at))")
                }
                try await db.raw("""
                    UPDATE devices SET last_seen_at = h.t FROM (\(rows.joined(separator: " UNION ALL "))) AS h
                    WHERE devices.mn = h.mn AND (devices.last_seen_at IS NULL OR devices.last_seen_at < h.t)
                    """).run()
                start = end
            }
            try await Store.setCursor(cursor.name, to: cursor.value, now: now, on: db)
        }
    }

    /// The id of the newest observation (0 when there is none).
    public func latestObservationID() async throws -> Int64 {
        try await reader.select().column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "m").from("observations").first()?
            .decode(column: "m", as: Int64?.self) ?? 0
    }
}
