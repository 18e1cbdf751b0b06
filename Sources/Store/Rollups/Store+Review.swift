public import Domain
public import Foundation
import SQLKit

extension Store {
    /// Records a reviewer's verdict on a stored value (数据审核): the value as received is kept, the verdict, the
    /// corrected value and the reason are added, the change goes into the audit trail with the before and after, and
    /// the value's (site, day) is queued so every rollup it feeds is recomputed.
    /// - Parameters:
    ///   - id: the observation's id.
    ///   - review: the verdict.
    ///   - actor: who reviews.
    ///   - now: the time of the review.
    /// - Returns: the observation as it now stands.
    /// - Throws: ``ReviewError`` for an incomplete verdict, ``StoreError/notFound(_:)`` for an unknown id.
    @discardableResult
    public func review(observation id: Int64, _ review: ObservationReview, actor: String, now: Date = .now) async throws -> StoredObservation {
        try review.validate()
        return try await write { db in
            guard let row = try await db.select().columns(Store.storedObservationColumns).from("observations")
                .where("id", .equal, id).first() else { throw StoreError.notFound("observation \(id)") }
            let before = try Store.storedObservation(row)
            try await db.update("observations")
                .set("review_status", to: review.status.rawValue)
                .set("reviewed_value", to: SQLBind(review.value))
                .set("review_reason", to: review.reason)
                .set("reviewed_by", to: actor)
                .set("reviewed_at", to: Int64(now.timeIntervalSince1970))
                .where("id", .equal, id).run()
            guard let updated = try await db.select().columns(Store.storedObservationColumns).from("observations")
                .where("id", .equal, id).first().map(Store.storedObservation) else { throw StoreError.notFound("observation \(id)") }
            try await Store.markRollupsPending([updated.observation], on: db)
            let o = updated.observation
            try await AuditLog.record(
                on: db, actor: actor, action: "observation.review.\(review.status.rawValue)", entity: "observation", entityID: String(id),
                before: Store.json(before), after: Store.json(updated),
                detail: "\(o.siteCode ?? o.mn) \(o.code)-\(o.field) \(LocalTime.format(o.dataTime)) \(o.valueText): \(review.reason)", at: now)
            return updated
        }
    }

    /// One stored observation by id.
    public func observation(id: Int64) async throws -> StoredObservation? {
        try await reader.select().columns(Store.storedObservationColumns).from("observations").where("id", .equal, id).first()
            .map(Store.storedObservation)
    }
}
