public import Domain
public import Foundation

/// A stored alarm rule: the rule, whether it is evaluated, and who changed it last.
public struct AlarmRuleRecord: Sendable, Equatable, Encodable {
    /// The rule.
    public var rule: AlarmRule
    /// Whether the evaluator uses it.
    public var enabled: Bool
    /// When it was last changed.
    public var updatedAt: Date
    /// Who changed it last.
    public var updatedBy: String

    /// Creates a record.
    public init(rule: AlarmRule, enabled: Bool, updatedAt: Date, updatedBy: String) {
        self.rule = rule
        self.enabled = enabled
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum Keys: String, CodingKey { case enabled, updatedAt = "updated_at", updatedBy = "updated_by" }

    /// Encodes the rule's fields with `enabled`, `updated_at` and `updated_by` beside them.
    public func encode(to encoder: any Encoder) throws {
        try rule.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(updatedBy, forKey: .updatedBy)
    }
}

/// A stored alarm: the lifecycle value and where it is about.
public struct AlarmRecord: Sendable, Equatable, Encodable {
    /// The database id (the same number as ``Domain/Alarm/id``).
    public var id: Int64
    /// The alarm's lifecycle.
    public var alarm: Alarm
    /// The site it is about, when known.
    public var siteCode: String?
    /// The device it is about (offline alarms) or the first device of the site.
    public var mn: String?
    /// The deduplication key: one active alarm per key (`rule:ID:site:CODE`, `offline:MN`).
    public var dedupKey: String
    /// When it was closed, if it is.
    public var closedAt: Date?

    /// Creates a record.
    public init(id: Int64, alarm: Alarm, siteCode: String?, mn: String?, dedupKey: String, closedAt: Date?) {
        self.id = id
        self.alarm = alarm
        self.siteCode = siteCode
        self.mn = mn
        self.dedupKey = dedupKey
        self.closedAt = closedAt
    }

    enum Keys: String, CodingKey { case id, siteCode = "site_code", mn, dedupKey = "dedup_key", closedAt = "closed_at" }

    /// Encodes the alarm's fields with `site_code`, `mn`, `dedup_key` and `closed_at` beside them; `id` is a number.
    public func encode(to encoder: any Encoder) throws {
        try alarm.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(id, forKey: .id)
        try container.encode(siteCode, forKey: .siteCode)
        try container.encode(mn, forKey: .mn)
        try container.encode(dedupKey, forKey: .dedupKey)
        try container.encode(closedAt, forKey: .closedAt)
    }
}

/// One line of an alarm's history: what happened, who did it, when, with the note given.
public struct AlarmHistoryEntry: Sendable, Equatable, Codable {
    /// Sequential id.
    public var id: Int64
    /// When.
    public var at: Date
    /// Who (`system` for the evaluator).
    public var actor: String
    /// The event: `raised`, `held`, `cleared`, `acknowledge`, `dispatch`, `close`, `note`, `escalated`.
    public var event: String
    /// The line the state machine recorded.
    public var detail: String
    /// The note the person gave, if any.
    public var note: String?
    /// The alarm's state after the event.
    public var state: AlarmState
}

/// What the evaluator asks the store to raise (or, when an alarm with the same key is up, to update).
public struct AlarmRaise: Sendable, Equatable {
    /// The rule (`offline` for offline detection).
    public var ruleID: String
    /// The site, when known.
    public var siteCode: String?
    /// The device, when known.
    public var mn: String?
    /// The site code or MN shown as the subject.
    public var subject: String
    /// A one-line description.
    public var title: String
    /// How serious.
    public var severity: AlarmSeverity
    /// When the condition started holding.
    public var since: Date
    /// The time step at which it was seen to hold.
    public var heldAt: Date
    /// Escalation delay, seconds.
    public var escalateAfter: TimeInterval?
    /// The deduplication key.
    public var dedupKey: String

    /// Creates a request.
    public init(ruleID: String, siteCode: String?, mn: String?, subject: String, title: String, severity: AlarmSeverity, since: Date,
                heldAt: Date, escalateAfter: TimeInterval?, dedupKey: String) {
        self.ruleID = ruleID
        self.siteCode = siteCode
        self.mn = mn
        self.subject = subject
        self.title = title
        self.severity = severity
        self.since = since
        self.heldAt = heldAt
        self.escalateAfter = escalateAfter
        self.dedupKey = dedupKey
    }
}

/// What the store did with an ``AlarmRaise`` or a clearing.
public enum AlarmChange: Sendable, Equatable {
    /// A new alarm was raised.
    case raised(AlarmRecord)
    /// The alarm up under the same key was updated (deduplicated, or cleared).
    case updated(AlarmRecord)
    /// Nothing changed (the step was already seen, or the alarm was closed by a person while the condition lasts).
    case unchanged
}

/// A webhook: where alarm notifications are POSTed. The secret, when set, signs each body and is never shown.
public struct Webhook: Sendable, Equatable, Codable {
    /// The id.
    public var id: Int64
    /// The URL (http or https).
    public var url: String
    /// What it is for, e.g. 值班短信网关.
    public var description: String
    /// Whether notifications go to it.
    public var enabled: Bool
    /// Whether a signing secret is set.
    public var hasSecret: Bool
    /// When it was added.
    public var createdAt: Date
    /// Who added it.
    public var createdBy: String

    enum CodingKeys: String, CodingKey {
        case id, url, description, enabled, hasSecret = "has_secret", createdAt = "created_at", createdBy = "created_by"
    }
}

/// One attempt to deliver a notification.
public struct WebhookAttempt: Sendable, Equatable, Codable {
    /// 1, 2, 3 …
    public var attempt: Int
    /// When it was made.
    public var at: Date
    /// The HTTP status the receiver answered, when it answered.
    public var statusCode: Int?
    /// What went wrong, when it did.
    public var error: String?
    /// How long it took.
    public var milliseconds: Int

    enum CodingKeys: String, CodingKey { case attempt, at, statusCode = "status_code", error, milliseconds }
}

/// One notification of one alarm event to one webhook, with its retry schedule and attempts (the delivery log).
public struct WebhookDelivery: Sendable, Equatable, Codable {
    /// The id.
    public var id: Int64
    /// The webhook.
    public var webhookID: Int64
    /// The alarm.
    public var alarmID: Int64
    /// Why it was sent: `raised`, `acknowledged`, `dispatched`, `closed`, `cleared`, `escalated` …
    public var reason: String
    /// The JSON body.
    public var payload: String
    /// Attempts made.
    public var attempts: Int
    /// The last status code.
    public var statusCode: Int?
    /// The last error.
    public var error: String?
    /// When the next attempt is due; nil once delivered or given up.
    public var nextAttemptAt: Date?
    /// Whether the receiver accepted it (2xx).
    public var delivered: Bool
    /// When it was queued.
    public var createdAt: Date
    /// The attempts, oldest first.
    public var attemptLog: [WebhookAttempt]

    /// Whether it was given up after the last attempt failed.
    public var gaveUp: Bool { !delivered && nextAttemptAt == nil }

    enum CodingKeys: String, CodingKey {
        case id, webhookID = "webhook_id", alarmID = "alarm_id", reason, payload, attempts, statusCode = "status_code", error
        case nextAttemptAt = "next_attempt_at", delivered, createdAt = "created_at", attemptLog = "attempt_log"
    }
}

/// A notification due for an attempt, with where to send it.
public struct DueWebhookDelivery: Sendable, Equatable {
    /// The delivery's id.
    public var id: Int64
    /// The URL.
    public var url: String
    /// The signing secret, if any.
    public var secret: String?
    /// The JSON body.
    public var payload: String
    /// Attempts made so far.
    public var attempts: Int
    /// The alarm.
    public var alarmID: Int64
}

/// The JSON body POSTed to webhooks: the alarm as it was when the event happened.
public struct AlarmNotification: Sendable, Equatable, Codable {
    /// The alarm's id.
    public var alarmID: Int64
    /// The rule's id (`offline` for offline detection).
    public var ruleID: String
    /// The rule's name.
    public var ruleName: String
    /// The site, when known.
    public var siteCode: String?
    /// The device, when known.
    public var mn: String?
    /// The alarm's title.
    public var title: String
    /// The state after the event.
    public var state: AlarmState
    /// Why this notification was sent.
    public var reason: String
    /// How serious.
    public var severity: AlarmSeverity
    /// Escalation level.
    public var escalation: Int
    /// When the condition started.
    public var raisedAt: Date
    /// When it was last seen to hold.
    public var lastHeldAt: Date
    /// When it ended, if it has.
    public var clearedAt: Date?
    /// When the event happened.
    public var at: Date

    enum CodingKeys: String, CodingKey {
        case alarmID = "alarm_id", ruleID = "rule_id", ruleName = "rule_name", siteCode = "site_code", mn, title, state, reason, severity
        case escalation, raisedAt = "raised_at", lastHeldAt = "last_held_at", clearedAt = "cleared_at", at
    }
}

/// A problem with an alarm rule or webhook sent by a person: which field, what is wrong.
public struct AlarmInputError: Error, Sendable, CustomStringConvertible {
    /// The field.
    public var field: String
    /// What is wrong.
    public var message: String
    /// Creates the error.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}
