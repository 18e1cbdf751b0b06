import SQLKit

extension Migrations {
    /// 0010 (PostgreSQL): the archive's index on receive time becomes a BRIN index
    /// (<https://www.postgresql.org/docs/current/brin-intro.html>).
    ///
    /// Frames are appended in the order they arrive, so the receive time follows the table's physical order and a BRIN
    /// index (a few bytes per 128 pages) serves retention's one query, "received before the cutoff", as well as a
    /// B-tree did, while every frame no longer writes a B-tree entry: one index insert fewer per frame under load.
    /// SQLite has no BRIN; it keeps its B-tree.
    @Sendable static func v0010(_ db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        try await db.drop(index: "hj212_frames_received").run()
        try await db.raw("CREATE INDEX hj212_frames_received ON hj212_frames USING brin (received_at)").run()
    }
}
