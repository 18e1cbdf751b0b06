import SQLKit

extension Migrations {
    /// 0008: real-time values stored one row per packet (`observation_packets`, see ``Domain/PackedValues``): the key
    /// (MN, CN, data time, signature of the packet's codes and fields) makes storing a resent upload a no-op; the site
    /// index serves the alarms and the charts. The gateway stores these packets in the same transaction as their frames,
    /// so the materialiser leaves real-time frames archived from now on alone; `ingest_progress` keeps, under
    /// `packets_at_ingest`, the newest frame from before (whose values, if not yet materialised, it still stores).
    @Sendable static func v0008(_ db: any SQLDatabase) async throws {
        try await db.create(table: "observation_packets")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("site_code", type: .text)
            .column("mn", type: .text, .notNull)
            .column("cn", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("data_time", type: .bigint, .notNull)
            .column("signature", type: .bigint, .notNull)
            .column("received_at", type: .bigint, .notNull)
            .column("frame_id", type: .bigint)
            .column("value_count", type: .int, .notNull)
            .column("items", type: .text, .notNull)
            .run()
        try await db.create(index: "observation_packets_key").unique().on("observation_packets")
            .column("mn").column("cn").column("data_time").column("signature").run()
        try await db.create(index: "observation_packets_site").on("observation_packets")
            .column("site_code").column("data_time").run()
        try await db.raw("""
            INSERT INTO ingest_progress (consumer, frame_id) SELECT 'packets_at_ingest', COALESCE(MAX(id), 0) FROM hj212_frames
            """).run()
    }
}
