public import Domain
public import Foundation
import SQLKit

extension Store {
    /// Alarms, newest first, optionally of one state and one site.
    /// - Parameters:
    ///   - state: only alarms in this state.
    ///   - siteCode: only alarms about this site.
    ///   - limit: at most this many.
    public func alarms(state: AlarmState? = nil, siteCode: String? = nil, limit: Int = 500) async throws -> [AlarmRecord] {
        var query = reader.select().column("*").from("alarms")
        if let state { query = query.where("state", .equal, state.rawValue) }
        if let siteCode { query = query.where("site_code", .equal, siteCode) }
        return try await query.orderBy("id", .descending).limit(limit).all().map(Store.alarmRecord(from:))
    }

    /// The alarms not yet closed.
    public func activeAlarms() async throws -> [AlarmRecord] {
        try await reader.select().column("*").from("alarms").where("state", .notEqual, AlarmState.closed.rawValue)
            .orderBy("id").all().map(Store.alarmRecord(from:))
    }

    /// One alarm.
    /// - Throws: ``StoreError/notFound(_:)`` when there is no such alarm.
    public func alarm(id: Int64) async throws -> AlarmRecord {
        guard let record = try await Store.alarm(id: id, on: reader) else { throw StoreError.notFound("alarm \(id)") }
        return record
    }

    /// The history of an alarm, oldest first.
    public func alarmHistory(id: Int64) async throws -> [AlarmHistoryEntry] {
        try await reader.select().column("*").from("alarm_history").where("alarm_id", .equal, id).orderBy("id").all().map { row in
            AlarmHistoryEntry(
                id: try row.decode(column: "id", as: Int64.self), at: Store.date(try row.decode(column: "at", as: Int64.self)),
                actor: try row.decode(column: "actor", as: String.self), event: try row.decode(column: "event", as: String.self),
                detail: try row.decode(column: "detail", as: String.self), note: try row.decode(column: "note", as: String?.self),
                state: AlarmState(rawValue: try row.decode(column: "state", as: String.self)) ?? .open)
        }
    }

    /// Raises an alarm for a condition that holds, or — when an alarm with the same key is still up — records that the
    /// condition persists (deduplication: no second alarm). A condition still holding after a person closed its alarm
    /// raises nothing until it has ended. Runs in one transaction with the history, the webhook notifications and an
    /// audit entry.
    /// - Parameters:
    ///   - raise: what holds, where, since when.
    ///   - now: the current time.
    /// - Returns: what changed.
    public func raiseAlarm(_ raise: AlarmRaise, now: Date) async throws -> AlarmChange {
        try await write { db in
            if let latest = try await Store.latestAlarm(dedupKey: raise.dedupKey, on: db) {
                if latest.alarm.isActive {
                    guard Store.second(raise.heldAt) > latest.alarm.lastHeldAt else { return .unchanged }
                    return try await Store.apply(.conditionHeld(at: raise.heldAt), to: latest, event: "held", actor: "system", note: nil,
                                                 now: now, on: db).map(AlarmChange.updated) ?? .unchanged
                }
                if latest.alarm.clearedAt == nil && latest.alarm.closedBy != "system" { return .unchanged }
            }
            var alarm = Alarm(id: "", ruleID: raise.ruleID, subject: raise.subject, title: raise.title, severity: raise.severity,
                              raisedAt: Store.second(raise.since), escalateAfter: raise.escalateAfter)
            alarm.lastHeldAt = Store.second(max(raise.heldAt, raise.since))
            alarm.stateSince = Store.second(now)
            let row = try await db.insert(into: "alarms")
                .columns("rule_id", "site_code", "mn", "subject", "title", "severity", "state", "raised_at", "last_held_at", "occurrences",
                         "cleared_at", "closed_at", "escalation", "escalate_after", "acknowledged_by", "dispatched_to", "closed_by",
                         "state_since", "dedup_key", "created_at")
                .values(SQLBind(alarm.ruleID), SQLBind(raise.siteCode), SQLBind(raise.mn), SQLBind(alarm.subject), SQLBind(alarm.title),
                        SQLBind(alarm.severity.rawValue), SQLBind(alarm.state.rawValue), SQLBind(Store.seconds(alarm.raisedAt)),
                        SQLBind(Store.seconds(alarm.lastHeldAt)), SQLBind(alarm.occurrences), SQLBind(Int64?.none), SQLBind(Int64?.none),
                        SQLBind(0), SQLBind(alarm.escalateAfter.map { Int64($0) }), SQLBind(String?.none), SQLBind(String?.none),
                        SQLBind(String?.none), SQLBind(Store.seconds(alarm.stateSince)), SQLBind(raise.dedupKey), SQLBind(Store.seconds(now)))
                .returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.corrupt("alarm insert returned no id") }
            alarm.id = String(id)
            let record = AlarmRecord(id: id, alarm: alarm, siteCode: raise.siteCode, mn: raise.mn, dedupKey: raise.dedupKey, closedAt: nil)
            try await Store.history(record, event: "raised", actor: "system", detail: "raised: \(alarm.title)", note: nil, now: now, on: db)
            try await Store.notify(record, reason: "raised", now: now, on: db)
            try await AuditLog.record(on: db, actor: "system", action: "alarm.raise", entity: "alarm", entityID: String(id),
                                      after: Store.json(record), at: now)
            return .raised(record)
        }
    }

    /// Clears the alarm up under a key: the condition has ended. An open alarm closes itself; a taken one stays open
    /// for its handler, marked cleared.
    /// - Parameters:
    ///   - dedupKey: the key.
    ///   - at: the time step at which the condition was seen not to hold.
    ///   - now: the current time.
    /// - Returns: what changed.
    public func clearAlarm(dedupKey: String, at: Date, now: Date) async throws -> AlarmChange {
        try await write { db in
            guard let latest = try await Store.latestAlarm(dedupKey: dedupKey, on: db), latest.alarm.clearedAt == nil,
                  Store.second(at) > latest.alarm.lastHeldAt || latest.alarm.ruleID == "offline" else { return .unchanged }
            if !latest.alarm.isActive {
                // Closed by a person while the condition lasted: note that it has ended, so that it can be raised again.
                try await db.update("alarms").set("cleared_at", to: Store.seconds(at)).where("id", .equal, latest.id).run()
                var after = latest
                after.alarm.clearedAt = Store.second(at)
                try await Store.history(after, event: "cleared", actor: "system", detail: "condition ended (after closing)", note: nil,
                                        now: now, on: db)
                try await AuditLog.record(on: db, actor: "system", action: "alarm.cleared", entity: "alarm", entityID: String(latest.id),
                                          before: Store.json(latest), after: Store.json(after), at: now)
                return .updated(after)
            }
            return try await Store.apply(.conditionCleared(at: Store.second(at)), to: latest, event: "cleared", actor: "system", note: nil,
                                         now: now, on: db).map(AlarmChange.updated) ?? .unchanged
        }
    }

    /// Applies a person's event (acknowledge, dispatch, close, note) or the clock's tick to an alarm, with its history,
    /// notifications and an audit entry, in one transaction.
    /// - Parameters:
    ///   - event: the event.
    ///   - id: the alarm.
    ///   - actor: who (`system` for ticks).
    ///   - now: the current time.
    /// - Returns: the alarm after the event.
    /// - Throws: ``Domain/AlarmTransitionError`` when the state machine refuses the event; ``StoreError/notFound(_:)``.
    @discardableResult
    public func applyAlarmEvent(_ event: AlarmEvent, to id: Int64, actor: String, now: Date = .now) async throws -> AlarmRecord {
        try await write { db in
            guard let record = try await Store.alarm(id: id, on: db) else { throw StoreError.notFound("alarm \(id)") }
            let (name, note): (String, String?) = switch event {
            case .acknowledge(_, let note): ("acknowledge", note)
            case .dispatch(_, _, let note): ("dispatch", note)
            case .close(_, let note): ("close", note)
            case .note(_, let text): ("note", text)
            case .tick: ("escalated", nil)
            case .conditionHeld: ("held", nil)
            case .conditionCleared: ("cleared", nil)
            }
            return try await Store.apply(event, to: record, event: name, actor: actor, note: note, now: now, on: db) ?? record
        }
    }

    /// Escalates every open alarm past its acknowledgement deadline (the state machine's `.tick`).
    /// - Parameter now: the current time.
    /// - Returns: the alarms escalated.
    @discardableResult
    public func escalateAlarms(now: Date) async throws -> [AlarmRecord] {
        let candidates = try await reader.select().column("*").from("alarms").where("state", .equal, AlarmState.open.rawValue)
            .where("escalate_after", .isNot, SQLLiteral.null).all().map(Store.alarmRecord(from:))
        var escalated: [AlarmRecord] = []
        for candidate in candidates {
            var probe = candidate.alarm
            guard let actions = try? probe.apply(.tick, now: now), !actions.isEmpty else { continue }
            escalated.append(try await applyAlarmEvent(.tick, to: candidate.id, actor: "system", now: now))
        }
        return escalated
    }

    /// Applies an event and writes what changed; nil when the state machine changed nothing.
    static func apply(_ event: AlarmEvent, to record: AlarmRecord, event name: String, actor: String, note: String?, now: Date,
                      on db: any SQLDatabase) async throws -> AlarmRecord? {
        var after = record
        let actions = try after.alarm.apply(event, now: Store.second(now))
        guard after.alarm != record.alarm || !actions.isEmpty else { return nil }
        if after.alarm.state == .closed && record.alarm.state != .closed { after.closedAt = Store.second(now) }
        let a = after.alarm
        try await db.update("alarms")
            .set("state", to: a.state.rawValue).set("last_held_at", to: seconds(a.lastHeldAt)).set("occurrences", to: a.occurrences)
            .set("cleared_at", to: a.clearedAt.map(seconds)).set("closed_at", to: after.closedAt.map(seconds))
            .set("escalation", to: a.escalation).set("acknowledged_by", to: a.acknowledgedBy).set("dispatched_to", to: a.dispatchedTo)
            .set("closed_by", to: a.closedBy).set("state_since", to: seconds(a.stateSince))
            .where("id", .equal, record.id).run()
        for action in actions {
            switch action {
            case .record(let line):
                try await history(after, event: name, actor: actor, detail: line, note: note, now: now, on: db)
            case .notify(let reason):
                try await notify(after, reason: reason, now: now, on: db)
            }
        }
        try await AuditLog.record(on: db, actor: actor, action: "alarm.\(name)", entity: "alarm", entityID: String(record.id),
                                  before: json(record), after: json(after), detail: note, at: now)
        return after
    }

    static func history(_ record: AlarmRecord, event: String, actor: String, detail: String, note: String?, now: Date,
                        on db: any SQLDatabase) async throws {
        try await db.insert(into: "alarm_history").columns("alarm_id", "at", "actor", "event", "detail", "note", "state")
            .values(SQLBind(record.id), SQLBind(seconds(now)), SQLBind(actor), SQLBind(event), SQLBind(detail), SQLBind(note),
                    SQLBind(record.alarm.state.rawValue))
            .run()
    }

    /// Queues the notification of an alarm event for every enabled webhook (the delivery service sends it).
    static func notify(_ record: AlarmRecord, reason: String, now: Date, on db: any SQLDatabase) async throws {
        let hooks = try await db.select().column("id").from("webhooks").where("enabled", .equal, true).all()
            .map { try $0.decode(column: "id", as: Int64.self) }
        guard !hooks.isEmpty else { return }
        let ruleName: String
        if record.alarm.ruleID == "offline" {
            ruleName = "设备离线"
        } else {
            ruleName = try await db.select().column("name").from("alarm_rules").where("id", .equal, record.alarm.ruleID).first()?
                .decode(column: "name", as: String.self) ?? record.alarm.ruleID
        }
        let a = record.alarm
        let notification = AlarmNotification(
            alarmID: record.id, ruleID: a.ruleID, ruleName: ruleName, siteCode: record.siteCode, mn: record.mn, title: a.title, state: a.state,
            reason: reason, severity: a.severity, escalation: a.escalation, raisedAt: a.raisedAt, lastHeldAt: a.lastHeldAt,
            clearedAt: a.clearedAt, at: second(now))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let payload = String(decoding: try encoder.encode(notification), as: UTF8.self)
        for hook in hooks {
            try await db.insert(into: "webhook_deliveries")
                .columns("webhook_id", "alarm_id", "reason", "payload", "attempts", "next_attempt_at", "delivered", "created_at", "updated_at")
                .values(SQLBind(hook), SQLBind(record.id), SQLBind(reason), SQLBind(payload), SQLBind(0), SQLBind(seconds(now)),
                        SQLBind(false), SQLBind(seconds(now)), SQLBind(seconds(now)))
                .run()
        }
    }

    static func alarm(id: Int64, on db: any SQLDatabase) async throws -> AlarmRecord? {
        try await db.select().column("*").from("alarms").where("id", .equal, id).first().map(alarmRecord(from:))
    }

    static func latestAlarm(dedupKey: String, on db: any SQLDatabase) async throws -> AlarmRecord? {
        try await db.select().column("*").from("alarms").where("dedup_key", .equal, dedupKey).orderBy("id", .descending).limit(1)
            .first().map(alarmRecord(from:))
    }

    static func alarmRecord(from row: any SQLRow) throws -> AlarmRecord {
        let id = try row.decode(column: "id", as: Int64.self)
        var alarm = Alarm(
            id: String(id), ruleID: try row.decode(column: "rule_id", as: String.self), subject: try row.decode(column: "subject", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            severity: AlarmSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .warning,
            raisedAt: date(try row.decode(column: "raised_at", as: Int64.self)),
            escalateAfter: try row.decode(column: "escalate_after", as: Int64?.self).map { TimeInterval($0) })
        alarm.state = AlarmState(rawValue: try row.decode(column: "state", as: String.self)) ?? .open
        alarm.lastHeldAt = date(try row.decode(column: "last_held_at", as: Int64.self))
        alarm.occurrences = try row.decode(column: "occurrences", as: Int.self)
        alarm.clearedAt = try row.decode(column: "cleared_at", as: Int64?.self).map(date)
        alarm.escalation = try row.decode(column: "escalation", as: Int.self)
        alarm.acknowledgedBy = try row.decode(column: "acknowledged_by", as: String?.self)
        alarm.dispatchedTo = try row.decode(column: "dispatched_to", as: String?.self)
        alarm.closedBy = try row.decode(column: "closed_by", as: String?.self)
        alarm.stateSince = date(try row.decode(column: "state_since", as: Int64.self))
        return AlarmRecord(id: id, alarm: alarm, siteCode: try row.decode(column: "site_code", as: String?.self),
                           mn: try row.decode(column: "mn", as: String?.self), dedupKey: try row.decode(column: "dedup_key", as: String.self),
                           closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(date))
    }
}

extension Store {
    /// The deduplication keys whose latest alarm has not seen its condition end (open or taken alarms, and alarms a
    /// person closed while the condition lasted): the keys a clearing can change.
    public func alarmKeysAwaitingClear() async throws -> [String] {
        try await reader.select().distinct().column("dedup_key").from("alarms").where("cleared_at", .is, SQLLiteral.null).all()
            .map { try $0.decode(column: "dedup_key", as: String.self) }
    }
}
