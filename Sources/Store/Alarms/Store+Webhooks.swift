import Crypto
public import Foundation
import SQLKit

extension Store {
    /// The webhooks, by id.
    public func webhooks() async throws -> [Webhook] {
        try await Store.webhooks(id: nil, on: reader)
    }

    /// Adds a webhook, with an audit entry (the secret is not written to the audit trail).
    /// - Parameters:
    ///   - url: an `http` or `https` URL.
    ///   - description: what it is for.
    ///   - secret: the signing secret, if any.
    ///   - enabled: whether notifications go to it.
    ///   - actor: who adds it.
    ///   - now: the time of the change.
    /// - Returns: the webhook.
    /// - Throws: ``AlarmInputError`` for a URL that is not http(s).
    @discardableResult
    public func addWebhook(url: String, description: String = "", secret: String? = nil, enabled: Bool = true, actor: String,
                           now: Date = .now) async throws -> Webhook {
        let url = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              parsed.host?.isEmpty == false else {
            throw AlarmInputError(field: "url", message: "\"\(url)\" is not an http or https URL")
        }
        let secret = secret.flatMap { $0.isEmpty ? nil : $0 }
        return try await write { db in
            let row = try await db.insert(into: "webhooks").columns("url", "description", "enabled", "secret", "created_at", "created_by")
                .values(SQLBind(url), SQLBind(description), SQLBind(enabled), SQLBind(secret), SQLBind(Store.seconds(now)), SQLBind(actor))
                .returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int64.self), let hook = try await Store.webhooks(id: id, on: db).first else {
                throw StoreError.corrupt("webhook insert returned no id")
            }
            try await AuditLog.record(on: db, actor: actor, action: "webhook.add", entity: "webhook", entityID: String(id),
                                      after: Store.json(hook), at: now)
            return hook
        }
    }

    /// Deletes a webhook and its delivery log, with an audit entry.
    /// - Throws: ``StoreError/notFound(_:)`` when there is no such webhook.
    public func deleteWebhook(id: Int64, actor: String, now: Date = .now) async throws {
        try await write { db in
            guard let before = try await Store.webhooks(id: id, on: db).first else { throw StoreError.notFound("webhook \(id)") }
            let deliveries = try await db.select().column("id").from("webhook_deliveries").where("webhook_id", .equal, id).all()
                .map { try $0.decode(column: "id", as: Int64.self) }
            if !deliveries.isEmpty {
                try await db.delete(from: "webhook_attempts").where("delivery_id", .in, deliveries).run()
            }
            try await db.delete(from: "webhook_deliveries").where("webhook_id", .equal, id).run()
            try await db.delete(from: "webhooks").where("id", .equal, id).run()
            try await AuditLog.record(on: db, actor: actor, action: "webhook.delete", entity: "webhook", entityID: String(id),
                                      before: Store.json(before), at: now)
        }
    }

    /// The delivery log of a webhook, newest first, each with its attempts.
    /// - Throws: ``StoreError/notFound(_:)`` when there is no such webhook.
    public func webhookDeliveries(webhookID: Int64, limit: Int = 200) async throws -> [WebhookDelivery] {
        guard try await Store.webhooks(id: webhookID, on: reader).first != nil else { throw StoreError.notFound("webhook \(webhookID)") }
        let rows = try await reader.select().column("*").from("webhook_deliveries").where("webhook_id", .equal, webhookID)
            .orderBy("id", .descending).limit(limit).all()
        var deliveries: [WebhookDelivery] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            let attempts = try await reader.select().column("*").from("webhook_attempts").where("delivery_id", .equal, id).orderBy("attempt")
                .all().map { a in
                    WebhookAttempt(attempt: try a.decode(column: "attempt", as: Int.self), at: Store.date(try a.decode(column: "at", as: Int64.self)),
                                   statusCode: try a.decode(column: "status_code", as: Int?.self), error: try a.decode(column: "error", as: String?.self),
                                   milliseconds: try a.decode(column: "milliseconds", as: Int.self))
                }
            deliveries.append(WebhookDelivery(
                id: id, webhookID: webhookID, alarmID: try row.decode(column: "alarm_id", as: Int64.self),
                reason: try row.decode(column: "reason", as: String.self), payload: try row.decode(column: "payload", as: String.self),
                attempts: try row.decode(column: "attempts", as: Int.self), statusCode: try row.decode(column: "status_code", as: Int?.self),
                error: try row.decode(column: "error", as: String?.self),
                nextAttemptAt: try row.decode(column: "next_attempt_at", as: Int64?.self).map(Store.date),
                delivered: try row.decode(column: "delivered", as: Bool.self),
                createdAt: Store.date(try row.decode(column: "created_at", as: Int64.self)), attemptLog: attempts))
        }
        return deliveries
    }

    /// The notifications due for an attempt at `now`, oldest first.
    public func dueWebhookDeliveries(now: Date, limit: Int = 100) async throws -> [DueWebhookDelivery] {
        try await reader.select()
            .column(SQLColumn("id", table: "d")).column(SQLColumn("url", table: "w")).column(SQLColumn("secret", table: "w"))
            .column(SQLColumn("payload", table: "d")).column(SQLColumn("attempts", table: "d")).column(SQLColumn("alarm_id", table: "d"))
            .from(SQLAlias(SQLIdentifier("webhook_deliveries"), as: SQLIdentifier("d")))
            .join(SQLAlias(SQLIdentifier("webhooks"), as: SQLIdentifier("w")), on: SQLColumn("webhook_id", table: "d"), .equal, SQLColumn("id", table: "w"))
            .where(SQLColumn("delivered", table: "d"), .equal, SQLBind(false))
            .where(SQLColumn("next_attempt_at", table: "d"), .lessThanOrEqual, SQLBind(Store.seconds(now)))
            .where(SQLColumn("enabled", table: "w"), .equal, SQLBind(true))
            .orderBy(SQLColumn("id", table: "d")).limit(limit).all().map { row in
                DueWebhookDelivery(id: try row.decode(column: "id", as: Int64.self), url: try row.decode(column: "url", as: String.self),
                                   secret: try row.decode(column: "secret", as: String?.self), payload: try row.decode(column: "payload", as: String.self),
                                   attempts: try row.decode(column: "attempts", as: Int.self), alarmID: try row.decode(column: "alarm_id", as: Int64.self))
            }
    }

    /// Writes one delivery attempt to the log and the delivery's new state.
    /// - Parameters:
    ///   - deliveryID: the delivery.
    ///   - attempt: the attempt's number (1, 2, …).
    ///   - at: when it was made.
    ///   - statusCode: the receiver's status, when it answered.
    ///   - error: what went wrong, when it did.
    ///   - milliseconds: how long it took.
    ///   - delivered: whether the receiver accepted it.
    ///   - nextAttemptAt: when to try again; nil when delivered or given up.
    public func recordWebhookAttempt(deliveryID: Int64, attempt: Int, at: Date, statusCode: Int?, error: String?, milliseconds: Int,
                                     delivered: Bool, nextAttemptAt: Date?) async throws {
        try await write { db in
            try await db.insert(into: "webhook_attempts").columns("delivery_id", "attempt", "at", "status_code", "error", "milliseconds")
                .values(SQLBind(deliveryID), SQLBind(attempt), SQLBind(Store.seconds(at)), SQLBind(statusCode), SQLBind(error), SQLBind(milliseconds))
                .run()
            try await db.update("webhook_deliveries")
                .set("attempts", to: attempt).set("status_code", to: statusCode).set("error", to: error).set("delivered", to: delivered)
                .set("next_attempt_at", to: nextAttemptAt.map { Int64($0.timeIntervalSince1970.rounded(.up)) })
                .set("updated_at", to: Store.seconds(at))
                .where("id", .equal, deliveryID).run()
        }
    }

    /// The signature header value of a webhook body: `sha256=` and the hex HMAC-SHA256 of the body under the secret.
    /// - Parameters:
    ///   - body: the bytes sent.
    ///   - secret: the webhook's secret.
    public static func webhookSignature(body: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func webhooks(id: Int64?, on db: any SQLDatabase) async throws -> [Webhook] {
        var query = db.select().column("*").from("webhooks")
        if let id { query = query.where("id", .equal, id) }
        return try await query.orderBy("id").all().map { row in
            Webhook(id: try row.decode(column: "id", as: Int64.self), url: try row.decode(column: "url", as: String.self),
                    description: try row.decode(column: "description", as: String.self), enabled: try row.decode(column: "enabled", as: Bool.self),
                    hasSecret: try row.decode(column: "secret", as: String?.self) != nil,
                    createdAt: date(try row.decode(column: "created_at", as: Int64.self)), createdBy: try row.decode(column: "created_by", as: String.self))
        }
    }
}
