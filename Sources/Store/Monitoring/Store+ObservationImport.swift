public import Domain
import Foundation
import SQLKit

/// What an import stored.
public struct ObservationImportResult: Codable, Sendable, Equatable {
    /// Values in the import.
    public var received: Int
    /// Values stored now.
    public var new: Int
    /// Values that were already stored under the same key (a resent import).
    public var alreadyStored: Int

    enum CodingKeys: String, CodingKey { case received, new, alreadyStored = "already_stored" }

    /// Creates a result.
    public init(received: Int, new: Int, alreadyStored: Int) {
        self.received = received
        self.new = new
        self.alreadyStored = alreadyStored
    }
}

extension Store {
    /// Stores checked imported observations in one transaction with an audit entry (`observations.import`) naming the
    /// source, the sites, the period and the counts. Values already stored under the same key are left as they are,
    /// so a resent import adds nothing.
    /// - Parameters:
    ///   - observations: the values, as ``ObservationImport`` read them.
    ///   - source: where they came from (a file name, `request body`).
    ///   - actor: who imports them.
    /// - Returns: how many were new and how many already stored.
    public func importObservations(_ observations: [Observation], source: String, actor: String) async throws -> ObservationImportResult {
        struct Summary: Encodable {
            var source: String
            var cn: [String]
            var sites: [String]
            var from: String?
            var to: String?
            var received: Int
            var new: Int
        }
        return try await write { db in
            let new = try await Store.insertObservations(observations, on: db)
            let times = observations.map(\.dataTime)
            let summary = Summary(
                source: source, cn: Set(observations.map(\.cn)).sorted(), sites: Set(observations.compactMap(\.siteCode)).sorted(),
                from: times.min().map(LocalTime.format), to: times.max().map(LocalTime.format), received: observations.count, new: new)
            try await AuditLog.record(on: db, actor: actor, action: "observations.import", entity: "observations",
                                      entityID: summary.sites.joined(separator: ","), after: Store.json(summary))
            return ObservationImportResult(received: observations.count, new: new, alreadyStored: observations.count - new)
        }
    }
}
