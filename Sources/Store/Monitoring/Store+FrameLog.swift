public import Domain
public import Foundation
import SQLKit

/// The frame archive as the gateway's ingest log.
///
/// The gateway commits each received frame (``appendFrames(_:)``) and acknowledges the packet (9014) after that
/// commit; the observations the frame carries are materialised from the log behind it, in id order, and
/// `ingest_progress` records, in the same transaction as those observations, the last frame id done. A crash loses
/// nothing that was acknowledged: after a restart the materialiser resumes at the recorded id, and storing is
/// idempotent on (MN, CN, code, field, data time), so a frame done twice never doubles a value.
extension Store {
    /// The materialiser's name in `ingest_progress`.
    static let observationConsumer = "observations"

    /// The id of the newest archived frame, 0 when there is none.
    public func latestFrameID() async throws -> Int64 {
        try await reader.select().column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "m").from("hj212_frames").first()?
            .decode(column: "m", as: Int64?.self) ?? 0
    }

    /// The id of the last frame whose observations are stored.
    public func materializedFrameID() async throws -> Int64 {
        try await reader.select().column("frame_id").from("ingest_progress").where("consumer", .equal, Store.observationConsumer)
            .first()?.decode(column: "frame_id", as: Int64.self) ?? 0
    }

    /// The frames whose values the materialiser stores, after position `id`: every archived frame except the real-time
    /// uploads whose values were stored with them at ingest (``appendFrames(_:)``).
    /// - Parameters:
    ///   - id: the materialiser's position.
    ///   - limit: at most this many frames.
    /// - Returns: the frames, in id order, and the position they bring the materialiser to (the last frame considered,
    ///   returned or not).
    public func framesToMaterialize(after id: Int64, limit: Int) async throws -> (frames: [ArchivedFrame], through: Int64) {
        let newest = try await latestFrameID()
        guard newest > id else { return ([], id) }
        let query = try await framesToMaterialize(reader.select().columns("id", "received_at", "peer", "mn", "cn", "qn", "outcome", "raw"),
                                                  after: id, through: newest)
        let frames = try await query.orderBy("id").limit(limit).all().map(Store.archivedFrame(from:))
        return (frames, frames.count == limit ? frames[frames.count - 1].id : newest)
    }

    /// Restricts a query of `hj212_frames` to the frames in `(after, through]` whose values the materialiser stores
    /// (not the real-time uploads stored at ingest, except those archived before migration 0008).
    private func framesToMaterialize(_ query: SQLSelectBuilder, after id: Int64, through newest: Int64) async throws -> SQLSelectBuilder {
        let boundary = try await reader.select().column("frame_id").from("ingest_progress").where("consumer", .equal, "packets_at_ingest")
            .first()?.decode(column: "frame_id", as: Int64.self) ?? 0
        let packedCNs = ["2011"]
        return query.from("hj212_frames").where("id", .greaterThan, id).where("id", .lessThanOrEqual, newest)
            .where { $0.where("id", .lessThanOrEqual, boundary).orWhere("cn", .is, SQLLiteral.null).orWhere("cn", .notIn, packedCNs) }
    }

    /// Stores the observations materialised from frames up to `frameID` and records that position, in one
    /// transaction. Rows are written in key order, which keeps the unique index's inserts local.
    /// - Parameters:
    ///   - observations: the values stored one row each, each with the id and receive time (ms) of the frame it came
    ///     from.
    ///   - packets: the uploads stored one row per packet (real-time values, ``Domain/PackedValues``).
    ///   - frameID: the last frame these observations cover (frames without values included).
    /// - Returns: how many values were new.
    @discardableResult
    public func storeMaterializedObservations(_ observations: [(observation: Observation, frameID: Int64, receivedAt: Date)],
                                              packets: [ObservationPacket] = [],
                                              through frameID: Int64) async throws -> Int {
        let ordered = observations.sorted { a, b in
            let x = a.observation, y = b.observation
            if x.mn != y.mn { return x.mn < y.mn }
            if x.cn != y.cn { return x.cn < y.cn }
            if x.code != y.code { return x.code < y.code }
            if x.field != y.field { return x.field < y.field }
            return x.dataTime < y.dataTime
        }
        return try await write { db in
            let stored = try await Store.insertObservations(
                ordered.map(\.observation), frameIDs: ordered.map(\.frameID),
                receivedAtMilliseconds: ordered.map { Int64(($0.receivedAt.timeIntervalSince1970 * 1000).rounded()) }, on: db)
                + Store.insertObservationPackets(packets, on: db)
            try await db.update("ingest_progress").set("frame_id", to: frameID)
                .where("consumer", .equal, Store.observationConsumer).where("frame_id", .lessThan, frameID).run()
            return stored
        }
    }

    /// Waits until the observations of every frame archived when called are stored, or `timeout` has passed: what
    /// reads observations right after a device was acknowledged (the API, tests) sees its values.
    /// - Returns: whether the materialiser caught up in time.
    @discardableResult
    public func waitForMaterializedObservations(timeout: Duration = .seconds(10)) async throws -> Bool {
        let target = try await latestFrameID()
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(5)
        // Done when no frame up to the target is left to materialise (real-time frames after the stored position
        // carry their values already).
        while try await framesToMaterialize(reader.select().column("id"), after: try await materializedFrameID(), through: target)
            .limit(1).first() != nil {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(100))
        }
        return true
    }
}
