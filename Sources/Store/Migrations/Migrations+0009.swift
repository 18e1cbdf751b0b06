import SQLKit

extension Migrations {
    /// 0009: the real-time packets' unique key leads with the data time, (data time, MN, CN, signature), instead of
    /// the MN.
    ///
    /// Every logger sends real-time values for "now", so a key that starts with the time puts the new entries of a
    /// commit side by side at the end of the index, where keyed by MN they landed in as many leaf pages as devices sent
    /// (about a thousand under load), each page written to the WAL again at every commit. Reads by MN (the
    /// observations API, always with a time range) scan the range's entries and check the MN in the index.
    @Sendable static func v0009(_ db: any SQLDatabase) async throws {
        try await db.drop(index: "observation_packets_key").run()
        try await db.create(index: "observation_packets_time_key").unique().on("observation_packets")
            .column("data_time").column("mn").column("cn").column("signature").run()
    }
}
