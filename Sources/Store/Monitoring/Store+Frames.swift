public import Foundation
import SQLKit

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
    /// The newest archived frames, optionally of one device, newest first.
    /// - Parameters:
    ///   - mn: the device, or nil for all.
    ///   - before: only frames with a smaller id (the last id of the previous page, to read on).
    ///   - limit: at most this many.
    public func frames(mn: String?, before: Int64? = nil, limit: Int = 100) async throws -> [ArchivedFrame] {
        var query = reader.select().columns("id", "received_at", "peer", "mn", "cn", "qn", "outcome", "raw").from("hj212_frames")
        if let mn { query = query.where("mn", .equal, mn) }
        if let before { query = query.where("id", .lessThan, before) }
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
