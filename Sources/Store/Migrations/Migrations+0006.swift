import SQLKit

extension Migrations {
    /// 0006: alarms (rules, alarms and their history, webhooks and their delivery log).
    @Sendable static func v0006(_ db: any SQLDatabase) async throws {
    }
}
