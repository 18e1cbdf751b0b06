import SQLKit

extension Migrations {
    /// 0004: platform-to-device commands (set time, intervals, history back-fill) with their outcome.
    @Sendable static func v0004(_ db: any SQLDatabase) async throws {
        try await db.create(table: "device_commands")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("mn", type: .text, .notNull)
            .column("cn", type: .text, .notNull)
            .column("qn", type: .text, .notNull)
            .column("parameters", type: .text, .notNull)
            .column("reason", type: .text, .notNull)
            .column("requested_by", type: .text, .notNull)
            .column("requested_at", type: .bigint, .notNull)
            .column("finished_at", type: .bigint)
            .column("outcome", type: .text)
            .column("attempts", type: .int, .notNull, .default(0))
            .column("data_packets", type: .int, .notNull, .default(0))
            .column("answer", type: .text)
            .run()
        try await db.create(index: "device_commands_mn").on("device_commands").column("mn").column("id").run()
    }
}
