import Domain
import Foundation
import SQLiteNIO
import Synchronization

/// The gateway's ingest transaction: what a 9014 waits for.
extension Store {
    /// Appends frames to the archive, the gateway's ingest log, with the real-time packets they carry
    /// (``ArchivedFrame/packet``), in one transaction of its own. The observations materialiser finds the other frames
    /// by id order (``framesToMaterialize(after:limit:)``).
    ///
    /// The ids are taken before the insert and written explicitly, so each packet knows its frame without reading
    /// rows back. On SQLite they follow the largest id in the archive or in `ingest_progress` (the write lock is held):
    /// retention deletes only frames up to the materialiser's position, so even an emptied archive never gives out an
    /// id the materialiser has passed (SQLite alone would restart at 1). On PostgreSQL they come from the column's
    /// sequence.
    ///
    /// On SQLite the two inserts bypass the generic SQL builder: the statement texts (a row of `?` per frame) are made
    /// once per batch size and the values are bound as they are, which is most of the work of a commit of a thousand
    /// packets. On PostgreSQL each column goes as one array (``appendFrameColumns(_:ids:on:)``).
    /// - Returns: the frames' ids, in order.
    @discardableResult
    public func appendFrames(_ frames: [ArchivedFrame]) async throws -> [Int64] {
        guard !frames.isEmpty else { return [] }
        guard let connection = sqliteWriter else {
            return try await write { db in
                let ids = try await Store.reserveFrameIDs(frames.count, on: db)
                try await Store.appendFrameColumns(frames, ids: ids, on: db)
                return ids
            }
        }
        return try await write { db in
            let ids = try await Store.reserveFrameIDs(frames.count, on: db)
            var start = 0
            while start < frames.count {
                let end = min(start + IngestStatements.framesPerStatement, frames.count)
                var binds: [SQLiteData] = []
                binds.reserveCapacity((end - start) * 8)
                for index in start..<end {
                    let frame = frames[index]
                    binds.append(.integer(Int(ids[index])))
                    binds.append(.integer(Int((frame.receivedAt.timeIntervalSince1970 * 1000).rounded())))
                    binds.append(.text(frame.peer))
                    binds.append(frame.mn.map(SQLiteData.text) ?? .null)
                    binds.append(frame.cn.map(SQLiteData.text) ?? .null)
                    binds.append(frame.qn.map(SQLiteData.text) ?? .null)
                    binds.append(.text(frame.outcome))
                    binds.append(.text(frame.raw))
                }
                try await connection.query(IngestStatements.frames(rows: end - start), binds) { _ in }
                start = end
            }
            let packets = Store.packets(of: frames, ids: ids)
            start = 0
            while start < packets.count {
                let end = min(start + IngestStatements.packetsPerStatement, packets.count)
                var binds: [SQLiteData] = []
                binds.reserveCapacity((end - start) * 10)
                for packet in packets[start..<end] {
                    binds.append(packet.siteCode.map(SQLiteData.text) ?? .null)
                    binds.append(.text(packet.mn))
                    binds.append(.text(packet.cn))
                    binds.append(.text(packet.kind.rawValue))
                    binds.append(.integer(Int(packet.dataTime.timeIntervalSince1970)))
                    binds.append(.integer(Int(packet.signature)))
                    binds.append(.integer(Int(packet.receivedAtMilliseconds)))
                    binds.append(packet.frameID.map { .integer(Int($0)) } ?? .null)
                    binds.append(.integer(packet.valueCount))
                    binds.append(.text(packet.items))
                }
                try await connection.query(IngestStatements.packets(rows: end - start), binds) { _ in }
                start = end
            }
            return ids
        }
    }
}

/// The SQLite statement texts of the ingest transaction, made once per number of rows.
private enum IngestStatements {
    /// Frames per INSERT: 8 parameters each, under SQLite's 32,766.
    static let framesPerStatement = 2_000
    /// Packets per INSERT: 10 parameters each.
    static let packetsPerStatement = 2_000

    private static let cache = Mutex<[String: String]>([:])

    static func frames(rows: Int) -> String {
        text(key: "f\(rows)", prefix: "INSERT INTO hj212_frames (id, received_at, peer, mn, cn, qn, outcome, raw) VALUES ",
             row: "(?,?,?,?,?,?,?,?)", rows: rows, suffix: "")
    }

    static func packets(rows: Int) -> String {
        text(key: "p\(rows)",
             prefix: "INSERT INTO observation_packets (site_code, mn, cn, kind, data_time, signature, received_at, frame_id, value_count, items) VALUES ",
             row: "(?,?,?,?,?,?,?,?,?,?)", rows: rows, suffix: " ON CONFLICT (mn, cn, data_time, signature) DO NOTHING")
    }

    private static func text(key: String, prefix: String, row: String, rows: Int, suffix: String) -> String {
        if let cached = cache.withLock({ $0[key] }) { return cached }
        var text = prefix
        text.reserveCapacity(prefix.count + rows * (row.count + 1) + suffix.count)
        for index in 0..<rows {
            if index > 0 { text += "," }
            text += row
        }
        text += suffix
        // Batch sizes vary with the load; keep the texts of at most a few hundred sizes.
        cache.withLock { cache in
            if cache.count > 512 { cache.removeAll() }
            cache[key] = text
        }
        return text
    }
}
