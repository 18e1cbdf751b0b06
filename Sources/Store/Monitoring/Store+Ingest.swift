import Domain
import Foundation
import NIOCore
import NIOPosix

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
    /// On SQLite the transaction runs as one blocking call on a connection and thread of its own
    /// (``SQLiteIngestConnection``: statements prepared once, values bound as they are). On PostgreSQL the batch is one
    /// statement on a connection of its own, each column bound as one array (``PostgresIngestConnection``).
    /// - Returns: the frames' ids, in order.
    @discardableResult
    public func appendFrames(_ frames: [ArchivedFrame]) async throws -> [Int64] {
        guard !frames.isEmpty else { return [] }
        let committed = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: [Int64].self)
        await sendFrames(frames) { committed.completeWith($0) }
        return try await committed.futureResult.get()
    }
}
