public import Foundation
public import SQLKit

/// A frame as it arrived on the HJ 212 port, kept so any figure can be traced to its bytes.
public struct ArchivedFrame: Codable, Sendable, Equatable {
    /// Sequential id.
    public var id: Int64
    /// When it was received.
    public var receivedAt: Date
    /// The peer's address and port.
    public var peer: String
    /// The MN, when the frame could be parsed that far.
    public var mn: String?
    /// The command number, when parsed.
    public var cn: String?
    /// The request number, when parsed.
    public var qn: String?
    /// `ok`, or the error kind (`bad_crc` …), or a gateway decision (`unknown_mn`, `bad_password` …).
    public var outcome: String
    /// The bytes: printable ASCII as is, anything else as `\xNN` (and `\` as `\\`).
    public var raw: String
    /// The real-time values the frame carries, stored as an ``ObservationPacket`` in the same transaction as the frame
    /// (``Store/appendFrames(_:)``), so they are in the database when the 9014 goes out. Not a column of the archive.
    public var packet: ObservationPacket? = nil

    enum CodingKeys: String, CodingKey { case id, receivedAt = "received_at", peer, mn, cn, qn, outcome, raw }

    /// Creates a frame record.
    public init(id: Int64 = 0, receivedAt: Date, peer: String, mn: String?, cn: String?, qn: String?, outcome: String, raw: String) {
        self.id = id
        self.receivedAt = receivedAt
        self.peer = peer
        self.mn = mn
        self.cn = cn
        self.qn = qn
        self.outcome = outcome
        self.raw = raw
    }

    /// Renders bytes for ``raw``: printable ASCII kept, everything else escaped, losslessly.
    public static func escape(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { bytes in
            // Most frames are printable ASCII without a backslash, apart from the CR LF at the end: one check, one copy.
            var plainEnd = bytes.count
            if plainEnd >= 2 && bytes[plainEnd - 2] == 0x0D && bytes[plainEnd - 1] == 0x0A { plainEnd -= 2 }
            var plain = true
            for index in 0..<plainEnd where bytes[index] < 0x20 || bytes[index] > 0x7E || bytes[index] == UInt8(ascii: "\\") {
                plain = false
                break
            }
            if plain {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<plainEnd]), as: UTF8.self)
                return plainEnd == bytes.count ? text : text + "\\r\\n"
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            let hexDigits: StaticString = "0123456789ABCDEF"
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): out.append(byte); out.append(byte)
                case 0x20...0x7E: out.append(byte)
                case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                default:
                    out.append(UInt8(ascii: "\\"))
                    out.append(UInt8(ascii: "x"))
                    out.append(hexDigits.utf8Start[Int(byte >> 4)])
                    out.append(hexDigits.utf8Start[Int(byte & 0x0F)])
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The bytes ``escape(_:)`` rendered: the inverse, for re-reading an archived frame.
    /// - Returns: the original bytes, or nil when `raw` is not an escaped rendering.
    public static func unescape(_ raw: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        func hexValue(_ byte: UInt8?) -> UInt8? {
            switch byte {
            case .some(let b) where b >= 0x30 && b <= 0x39: return b - 0x30
            case .some(let b) where b >= 0x41 && b <= 0x46: return b - 0x41 + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
            switch iterator.next() {
            case UInt8(ascii: "\\"): out.append(byte)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "x"):
                guard let high = hexValue(iterator.next()), let low = hexValue(iterator.next()) else { return nil }
                out.append(high << 4 | low)
            default: return nil
            }
        }
        return out
    }
}

extension Store {
    /// The real-time packets the frames carry, each linked to its frame's id.
    static func packets(of frames: [ArchivedFrame], ids: [Int64]) -> [ObservationPacket] {
        var packets: [ObservationPacket] = []
        for (index, frame) in frames.enumerated() {
            guard var packet = frame.packet else { continue }
            packet.frameID = ids[index]
            packets.append(packet)
        }
        return packets
    }

    /// PostgreSQL: frames and packets each in one statement, every column bound as one array and turned back into rows
    /// by `unnest` (as ``insertObservations(_:frameIDs:receivedAt:receivedAtMilliseconds:on:)`` does); absent texts
    /// are marked in boolean columns.
    static func appendFrameColumns(_ frames: [ArchivedFrame], ids: [Int64], on db: any SQLDatabase) async throws {
        let received = frames.map { Int64(($0.receivedAt.timeIntervalSince1970 * 1000).rounded()) }
        let peers = frames.map(\.peer), outcomes = frames.map(\.outcome), raws = frames.map(\.raw)
        let mns = frames.map { $0.mn ?? "" }, cns = frames.map { $0.cn ?? "" }, qns = frames.map { $0.qn ?? "" }
        let noMN = frames.map { $0.mn == nil }, noCN = frames.map { $0.cn == nil }, noQN = frames.map { $0.qn == nil }
        try await db.raw("""
            INSERT INTO hj212_frames (id, received_at, peer, mn, cn, qn, outcome, raw)
            SELECT i, r, p, CASE WHEN nm THEN NULL ELSE m END, CASE WHEN nc THEN NULL ELSE c END, CASE WHEN nq THEN NULL ELSE q END, o, x
            FROM unnest(\(bind: ids)::bigint[], \(bind: received)::bigint[], \(bind: peers)::text[], \(bind: mns)::text[],
                        \(bind: cns)::text[], \(bind: qns)::text[], \(bind: outcomes)::text[], \(bind: raws)::text[],
                        \(bind: noMN)::bool[], \(bind: noCN)::bool[], \(bind: noQN)::bool[])
                 AS u(i, r, p, m, c, q, o, x, nm, nc, nq)
            """).run()
        let packets = packets(of: frames, ids: ids)
        guard !packets.isEmpty else { return }
        let sites = packets.map { $0.siteCode ?? "" }, noSite = packets.map { $0.siteCode == nil }
        let times = packets.map { Int64($0.dataTime.timeIntervalSince1970) }, signatures = packets.map(\.signature)
        let packetMNs = packets.map(\.mn), packetCNs = packets.map(\.cn), kinds = packets.map(\.kind.rawValue)
        let receivedAt = packets.map(\.receivedAtMilliseconds), frameIDs = packets.map { $0.frameID ?? 0 }
        let counts = packets.map { Int64($0.valueCount) }, items = packets.map(\.items)
        try await db.raw("""
            INSERT INTO observation_packets (site_code, mn, cn, kind, data_time, signature, received_at, frame_id, value_count, items)
            SELECT CASE WHEN ns THEN NULL ELSE s END, m, c, k, t, g, r, NULLIF(f, 0), n, x
            FROM unnest(\(bind: sites)::text[], \(bind: packetMNs)::text[], \(bind: packetCNs)::text[], \(bind: kinds)::text[],
                        \(bind: times)::bigint[], \(bind: signatures)::bigint[], \(bind: receivedAt)::bigint[], \(bind: frameIDs)::bigint[],
                        \(bind: counts)::bigint[], \(bind: items)::text[], \(bind: noSite)::bool[])
                 AS u(s, m, c, k, t, g, r, f, n, x, ns)
            ON CONFLICT (data_time, mn, cn, signature) DO NOTHING
            """).run()
    }

    /// Takes `count` new frame ids, ascending, inside the caller's transaction.
    static func reserveFrameIDs(_ count: Int, on db: any SQLDatabase) async throws -> [Int64] {
        if db.dialect.name == "sqlite" {
            let base = try await db.raw("""
                SELECT MAX(COALESCE((SELECT MAX(id) FROM hj212_frames), 0),
                           COALESCE((SELECT MAX(frame_id) FROM ingest_progress), 0)) AS base
                """).first()?.decode(column: "base", as: Int64.self) ?? 0
            return (1...Int64(count)).map { base + $0 }
        }
        // One row holding every id as an array: thousands of one-column rows cost more to decode than to make.
        let ids = try await db.raw("""
            SELECT array_agg(nextval(pg_get_serial_sequence('hj212_frames', 'id'))) AS ids FROM generate_series(1, \(bind: count))
            """).first()?.decode(column: "ids", as: [Int64].self) ?? []
        return ids.sorted()
    }

    /// The newest archived frames, optionally of one device.
    public func frames(mn: String?, limit: Int = 100) async throws -> [ArchivedFrame] {
        var query = reader.select().columns("id", "received_at", "peer", "mn", "cn", "qn", "outcome", "raw").from("hj212_frames")
        if let mn { query = query.where("mn", .equal, mn) }
        return try await query.orderBy("id", .descending).limit(limit).all().map(Store.archivedFrame(from:))
    }

    /// Decodes a row of `hj212_frames`.
    static func archivedFrame(from row: any SQLRow) throws -> ArchivedFrame {
        ArchivedFrame(
            id: try row.decode(column: "id", as: Int64.self),
            receivedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "received_at", as: Int64.self)) / 1000),
            peer: try row.decode(column: "peer", as: String.self),
            mn: try row.decode(column: "mn", as: String?.self),
            cn: try row.decode(column: "cn", as: String?.self),
            qn: try row.decode(column: "qn", as: String?.self),
            outcome: try row.decode(column: "outcome", as: String.self),
            raw: try row.decode(column: "raw", as: String.self))
    }

    /// Deletes archived frames received before `cutoff`, except those whose observations are not materialised yet
    /// (the archive is the ingest log: a frame leaves it only after its values are stored).
    /// - Returns: how many were deleted.
    @discardableResult
    public func pruneFrames(before cutoff: Date) async throws -> Int {
        try await write { db in
            let rows = try await db.delete(from: "hj212_frames")
                .where("received_at", .lessThan, Int64((cutoff.timeIntervalSince1970 * 1000).rounded()))
                .where(SQLIdentifier("id"), .lessThanOrEqual, SQLSubquery.select { $0
                    .column("frame_id").from("ingest_progress").where("consumer", .equal, Store.observationConsumer) })
                .returning("id").all()
            return rows.count
        }
    }
}
