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
    public static func escape<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x0D: out += "\\r"
            case 0x0A: out += "\\n"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

extension Store {
    /// Archives frames; returns their ids in order.
    public static func insertFrames(_ frames: [ArchivedFrame], on db: any SQLDatabase) async throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(frames.count)
        var start = 0
        while start < frames.count {
            let end = min(start + 500, frames.count)
            var insert = db.insert(into: "hj212_frames").columns("received_at", "peer", "mn", "cn", "qn", "outcome", "raw")
            for frame in frames[start..<end] {
                insert = insert.values(
                    SQLBind(Int64((frame.receivedAt.timeIntervalSince1970 * 1000).rounded())), SQLBind(frame.peer), SQLBind(frame.mn),
                    SQLBind(frame.cn), SQLBind(frame.qn), SQLBind(frame.outcome), SQLBind(frame.raw))
            }
            let rows = try await insert.returning("id").all()
            ids += try rows.map { try $0.decode(column: "id", as: Int64.self) }
            start = end
        }
        return ids
    }

    /// The newest archived frames, optionally of one device.
    public func frames(mn: String?, limit: Int = 100) async throws -> [ArchivedFrame] {
        var query = reader.select().columns("id", "received_at", "peer", "mn", "cn", "qn", "outcome", "raw").from("hj212_frames")
        if let mn { query = query.where("mn", .equal, mn) }
        return try await query.orderBy("id", .descending).limit(limit).all().map { row in
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
    }

    /// Deletes archived frames received before `cutoff`.
    /// - Returns: how many were deleted.
    @discardableResult
    public func pruneFrames(before cutoff: Date) async throws -> Int {
        try await write { db in
            let rows = try await db.delete(from: "hj212_frames")
                .where("received_at", .lessThan, Int64((cutoff.timeIntervalSince1970 * 1000).rounded()))
                .returning("id").all()
            return rows.count
        }
    }
}
