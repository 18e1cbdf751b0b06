public import Domain
public import Foundation
public import SQLKit
import Standards

/// A stored observation with its storage metadata, as the API returns it.
public struct StoredObservation: Codable, Sendable, Equatable {
    /// The row's id (what a review names).
    public var id: Int64?
    /// The value as received.
    public var observation: Observation
    /// When it was received.
    public var receivedAt: Date
    /// The raw frame it came in, when archived.
    public var frameID: Int64?
    /// The review verdict, if reviewed (数据审核).
    public var review: ReviewStatus?
    /// The corrected value, for a correction.
    public var reviewedValue: Double?
    /// The reviewer's reason.
    public var reviewReason: String?
    /// Who reviewed it.
    public var reviewedBy: String?
    /// When.
    public var reviewedAt: Date?
    /// Why the value does not enter assessments (flag, sentinel, negative, reviewed invalid), or `nil` when it does.
    public var exclusion: String? {
        ReviewedValue(code: observation.code, field: observation.field, kind: observation.kind, time: observation.dataTime,
                      value: observation.value, valueText: observation.valueText, flag: observation.flag, review: review,
                      reviewedValue: reviewedValue).exclusion
    }
}

extension Store {
    /// Rows per INSERT statement of the rollup marks: well under SQLite's bound-parameter limit.
    static let observationBatch = 400

    /// Stores observations; a value already stored under the same (MN, CN, code, field, data time) is left as it is,
    /// so resent packets never double a value.
    ///
    /// The rows go in multi-row statements of up to 4 000 rows written by ``ObservationInsertStatement``, which binds
    /// the texts repeated from row to row once per statement; the new rows are counted by SQLite's `changes()` or by
    /// PostgreSQL's `RETURNING id`.
    /// - Parameters:
    ///   - observations: the values.
    ///   - frameIDs: the archived frame each came in, if any.
    ///   - receivedAt: when they were received, for all of them…
    ///   - receivedAtMilliseconds: …unless each has its own (ms since 1970, the frame's receive time).
    ///   - db: the transaction to write in.
    /// - Returns: how many rows were new.
    @discardableResult
    public static func insertObservations(
        _ observations: [Observation], frameIDs: [Int64?]? = nil, receivedAt: Date = .now, receivedAtMilliseconds: [Int64]? = nil,
        on db: any SQLDatabase
    ) async throws -> Int {
        guard !observations.isEmpty else { return 0 }
        let received = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded())
        var inserted = 0
        if db.dialect.name == "postgresql" {
            var start = 0
            while start < observations.count {
                let end = min(start + 20_000, observations.count)
                inserted += try await insertObservationColumns(
                    observations[start..<end], frameIDs: frameIDs?[start..<end],
                    receivedAt: receivedAtMilliseconds?[start..<end] ?? ArraySlice(repeating: received, count: end - start), on: db)
                start = end
            }
            try await markRollupsPending(observations, on: db)
            return inserted
        }
        var statement = ObservationInsertStatement(database: db)
        for index in observations.indices {
            statement.append(observations[index], receivedAt: receivedAtMilliseconds?[index] ?? received,
                             frameID: frameIDs.flatMap { $0[index] })
            if !statement.hasRoom {
                inserted += try await db.execute(counting: statement)
                statement = ObservationInsertStatement(database: db)
            }
        }
        if statement.rows > 0 { inserted += try await db.execute(counting: statement) }
        try await markRollupsPending(observations, on: db)
        return inserted
    }

    /// PostgreSQL: one statement whatever the number of rows, each column bound as one array and turned back into rows
    /// by `unnest` (<https://www.postgresql.org/docs/current/functions-array.html>): the server parses and plans a
    /// short text once instead of a `VALUES` list of thousands of rows with tens of thousands of parameters. An absent
    /// site or flag is marked in a boolean column, an absent value travels as NaN and an absent frame as 0 (ids start
    /// at 1), each turned back into `NULL`.
    private static func insertObservationColumns(
        _ rows: ArraySlice<Observation>, frameIDs: ArraySlice<Int64?>?, receivedAt: ArraySlice<Int64>, on db: any SQLDatabase
    ) async throws -> Int {
        let sites = rows.map { $0.siteCode ?? "" }, noSite = rows.map { $0.siteCode == nil }, mns = rows.map(\.mn), cns = rows.map(\.cn), kinds = rows.map(\.kind.rawValue)
        let codes = rows.map(\.code), originals = rows.map(\.originalCode), fields = rows.map(\.field)
        let times = rows.map { Int64($0.dataTime.timeIntervalSince1970) }
        let values = rows.map { $0.value.flatMap { $0.isFinite ? $0 : nil } ?? .nan }
        let texts = rows.map(\.valueText), flags = rows.map { $0.flag ?? "" }, noFlag = rows.map { $0.flag == nil }
        let received = Array(receivedAt), frames = frameIDs.map { $0.map { $0 ?? 0 } } ?? Array(repeating: 0, count: rows.count)
        let inserted = try await db.raw("""
            INSERT INTO observations (site_code, mn, cn, kind, code, original_code, field, data_time, value, value_text, flag,
                                      received_at, frame_id)
            SELECT CASE WHEN ns THEN NULL ELSE s END, m, c, k, co, o, f, t, NULLIF(v, 'NaN'::float8), x,
                   CASE WHEN nf THEN NULL ELSE fl END, r, NULLIF(fr, 0)
            FROM unnest(\(bind: sites)::text[], \(bind: mns)::text[], \(bind: cns)::text[], \(bind: kinds)::text[],
                        \(bind: codes)::text[], \(bind: originals)::text[], \(bind: fields)::text[], \(bind: times)::bigint[],
                        \(bind: values)::float8[], \(bind: texts)::text[], \(bind: flags)::text[], \(bind: received)::bigint[],
                        \(bind: frames)::bigint[], \(bind: noSite)::bool[], \(bind: noFlag)::bool[])
                 AS u(s, m, c, k, co, o, f, t, v, x, fl, r, fr, ns, nf)
            ON CONFLICT (mn, cn, code, field, data_time) DO NOTHING
            RETURNING id
            """).all()
        return inserted.count
    }

    /// Marks the (site, local day) pairs the observations fall in as waiting to be rolled up, in the same transaction
    /// as the values: a crash can never leave stored values without their rollup being redone.
    /// - Parameters:
    ///   - observations: values just stored or reviewed.
    ///   - db: the transaction.
    public static func markRollupsPending(_ observations: [Observation], on db: any SQLDatabase) async throws {
        // Local day numbers first, text only once per distinct pair: a batch of hourly data has a few pairs in
        // thousands of rows.
        struct Pair: Hashable { var site: String; var day: Int64 }
        var pairs = Set<Pair>()
        var last: Pair?
        for observation in observations {
            guard let site = observation.siteCode, observation.kind != .other else { continue }
            let seconds = Int64(observation.dataTime.timeIntervalSince1970.rounded(.down)) + Int64(LocalTime.offset)
            let pair = Pair(site: site, day: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
            if pair != last {
                pairs.insert(pair)
                last = pair
            }
        }
        let keys = Set(pairs.map { RollupKey(siteCode: $0.site, day: CivilDate(dayNumber: Int($0.day)).description) })
        try await markRollupsPending(keys, on: db)
    }

    /// Marks (site, local day) pairs as waiting to be rolled up.
    /// - Parameters:
    ///   - keys: the pairs.
    ///   - db: the transaction.
    public static func markRollupsPending(_ keys: Set<RollupKey>, on db: any SQLDatabase) async throws {
        guard !keys.isEmpty else { return }
        let now = Int64(Date.now.timeIntervalSince1970)
        let sorted = keys.sorted { ($0.siteCode, $0.day) < ($1.siteCode, $1.day) }
        var start = 0
        while start < sorted.count {
            let end = min(start + observationBatch, sorted.count)
            var insert = db.insert(into: "rollup_pending").columns("site_code", "day", "marked_at")
            for key in sorted[start..<end] {
                insert = insert.values(SQLBind(key.siteCode), SQLBind(key.day), SQLBind(now))
            }
            // An update (not "do nothing") on conflict, so a concurrent rollup that is taking the pair off the queue
            // waits for this transaction and the pair stays queued for the values it brings.
            try await insert.onConflict(with: ["site_code", "day"]) { $0.set(excludedValueOf: "marked_at") }.run()
            start = end
        }
    }

    /// Stores observations in their own transaction.
    @discardableResult
    public func storeObservations(_ observations: [Observation]) async throws -> Int {
        try await write { db in try await Store.insertObservations(observations, on: db) }
    }

    /// Observations of one device, optionally of one command and time range `[from, to]`, ordered by data time.
    /// - Parameters:
    ///   - mn: the device.
    ///   - cn: the command number (`2061` …), when filtering.
    ///   - from: earliest data time, inclusive.
    ///   - to: latest data time, inclusive.
    ///   - limit: at most this many.
    public func observations(mn: String?, cn: String? = nil, siteCode: String? = nil, code: String? = nil,
                             from: Date? = nil, to: Date? = nil, limit: Int = 10_000) async throws -> [StoredObservation] {
        let read = try await readObservations(mn: mn, cn: cn, siteCode: siteCode, code: code, from: from, to: to, limit: limit)
        return Array(read.rows.prefix(limit))
    }

    /// One page of a long read of observations (``observationPage(mn:cn:siteCode:code:from:to:pageSize:)``): rows in
    /// data-time order, every row of each data time it covers, and where the next page starts.
    public struct ObservationPage: Sendable {
        /// The observations, ordered by data time, code and field.
        public var rows: [StoredObservation]
        /// The data time the next page starts at (inclusive), or `nil` when the read is complete.
        public var next: Date?
    }

    /// A page of the observations matching a query, for reading a range of any length piece by piece with bounded
    /// memory (the observations API streams its answer so). A page ends at a whole data time: it holds every
    /// observation of each data time it covers, so following `next` until it is `nil` yields each matching observation
    /// exactly once. A page holds about `pageSize` rows; a single data time with more is read whole.
    public func observationPage(mn: String?, cn: String? = nil, siteCode: String? = nil, code: String? = nil,
                                from: Date?, to: Date?, pageSize: Int = 10_000) async throws -> ObservationPage {
        let read = try await readObservations(mn: mn, cn: cn, siteCode: siteCode, code: code, from: from, to: to, limit: pageSize)
        guard let boundary = read.completeBefore else { return ObservationPage(rows: read.rows, next: nil) }
        let rows = read.rows.filter { $0.observation.dataTime < boundary }
        if !rows.isEmpty { return ObservationPage(rows: rows, next: boundary) }
        // Every row read has the boundary's data time: read that second whole.
        let second = try await readObservations(mn: mn, cn: cn, siteCode: siteCode, code: code, from: boundary, to: boundary, limit: nil)
        let next = boundary.addingTimeInterval(1)
        if let to, next > to { return ObservationPage(rows: second.rows, next: nil) }
        return ObservationPage(rows: second.rows, next: next)
    }

    /// The values stored one by one and the values of packets matching a query, merged in data-time order, with the
    /// data time before which the merge is complete when a `limit` cut either source short (its last data time read:
    /// rows of that time may be missing).
    private func readObservations(mn: String?, cn: String?, siteCode: String?, code: String?, from: Date?, to: Date?,
                                  limit: Int?) async throws -> (rows: [StoredObservation], completeBefore: Date?) {
        var query = reader.select().columns(Store.storedObservationColumns).from("observations")
        if let mn { query = query.where("mn", .equal, mn) }
        if let cn { query = query.where("cn", .equal, cn) }
        if let siteCode { query = query.where("site_code", .equal, siteCode) }
        if let code { query = query.where("code", .equal, code) }
        if let from { query = query.where("data_time", .greaterThanOrEqual, Int64(from.timeIntervalSince1970)) }
        if let to { query = query.where("data_time", .lessThanOrEqual, Int64(to.timeIntervalSince1970)) }
        query = query.orderBy("data_time").orderBy("code").orderBy("field")
        if let limit { query = query.limit(limit) }
        let single = try await query.all().map(Store.storedObservation)
        var cuts: [Date] = []
        if let limit, single.count >= limit, let last = single.last { cuts.append(last.observation.dataTime) }
        // Real-time values from the gateway are stored one row per packet (``PackedValues``): add them, unless the
        // query names a command whose values are never packed.
        guard cn.map({ PackedValues.isPacked(DataKind(cn: $0)) }) ?? true else { return (single, cuts.min()) }
        let packed = try await packedObservations(mn: mn, cn: cn, siteCode: siteCode, code: code, from: from, to: to, limit: limit)
        if let limit, packed.packets >= limit, let last = packed.lastDataTime { cuts.append(last) }
        guard !packed.values.isEmpty else { return (single, cuts.min()) }
        // A value stored on its own (imported, or from before packets) wins over the same key in a packet.
        func key(_ o: Observation) -> String { "\(o.mn)|\(o.cn)|\(o.code)|\(o.field)|\(Int64(o.dataTime.timeIntervalSince1970))" }
        let present = Set(single.map { key($0.observation) })
        let merged = (single + packed.values.filter { !present.contains(key($0.observation)) }).sorted { a, b in
            let x = a.observation, y = b.observation
            if x.dataTime != y.dataTime { return x.dataTime < y.dataTime }
            if x.code != y.code { return x.code < y.code }
            return x.field < y.field
        }
        return (merged, cuts.min())
    }

    static let storedObservationColumns = [
        "id", "site_code", "mn", "cn", "kind", "code", "original_code", "field", "data_time", "value", "value_text", "flag",
        "received_at", "frame_id", "review_status", "reviewed_value", "review_reason", "reviewed_by", "reviewed_at",
    ]

    static func storedObservation(_ row: any SQLRow) throws -> StoredObservation {
            StoredObservation(
                id: try row.decode(column: "id", as: Int64.self),
                observation: Observation(
                    siteCode: try row.decode(column: "site_code", as: String?.self),
                    mn: try row.decode(column: "mn", as: String.self),
                    cn: try row.decode(column: "cn", as: String.self),
                    kind: DataKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                    code: try row.decode(column: "code", as: String.self),
                    originalCode: try row.decode(column: "original_code", as: String.self),
                    field: try row.decode(column: "field", as: String.self),
                    dataTime: Date(timeIntervalSince1970: Double(try row.decode(column: "data_time", as: Int64.self))),
                    value: try row.decode(column: "value", as: Double?.self),
                    valueText: try row.decode(column: "value_text", as: String.self),
                    flag: try row.decode(column: "flag", as: String?.self)),
                receivedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "received_at", as: Int64.self)) / 1000),
                frameID: try row.decode(column: "frame_id", as: Int64?.self),
                review: try row.decode(column: "review_status", as: String?.self).flatMap(ReviewStatus.init(rawValue:)),
                reviewedValue: try row.decode(column: "reviewed_value", as: Double?.self),
                reviewReason: try row.decode(column: "review_reason", as: String?.self),
                reviewedBy: try row.decode(column: "reviewed_by", as: String?.self),
                reviewedAt: try row.decode(column: "reviewed_at", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }

    /// How many observations are stored: rows of single values plus the values of stored packets.
    public func observationCount() async throws -> Int {
        let single = try await reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("observations").first()?
            .decode(column: "n", as: Int.self) ?? 0
        return single + (try await packedValueCount())
    }
}
