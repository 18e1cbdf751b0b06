import SQLKit

extension Migrations {
    /// 0007: the frame archive becomes the gateway's ingest log. The gateway acknowledges (9014) a packet once its raw
    /// frame is committed; the observations are materialised from the log behind it, and `ingest_progress` keeps how
    /// far (the last frame id turned into observations, committed with them). A database from before starts at its
    /// newest frame: everything it archived was already stored as observations.
    @Sendable static func v0007(_ db: any SQLDatabase) async throws {
        try await db.create(table: "ingest_progress")
            .column("consumer", type: .text, .primaryKey(autoIncrement: false))
            .column("frame_id", type: .bigint, .notNull)
            .run()
        try await db.raw("""
            INSERT INTO ingest_progress (consumer, frame_id) SELECT 'observations', COALESCE(MAX(id), 0) FROM hj212_frames
            """).run()
    }
}
