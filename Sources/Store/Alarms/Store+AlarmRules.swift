public import Domain
public import Foundation
import SQLKit

extension Store {
    /// The alarm rules, by id.
    public func alarmRules() async throws -> [AlarmRuleRecord] {
        try await Store.alarmRules(id: nil, on: reader)
    }

    /// One alarm rule.
    /// - Parameter id: the rule's id.
    /// - Returns: the rule, or nil.
    public func alarmRule(id: String) async throws -> AlarmRuleRecord? {
        try await Store.alarmRules(id: id, on: reader).first
    }

    /// Adds a rule, with an audit entry.
    /// - Parameters:
    ///   - rule: the rule.
    ///   - enabled: whether it is evaluated.
    ///   - actor: who adds it.
    ///   - now: the time of the change.
    /// - Returns: the stored rule.
    /// - Throws: ``AlarmInputError`` for a bad rule; ``StoreError/conflict(_:)`` when the id is taken.
    @discardableResult
    public func addAlarmRule(_ rule: AlarmRule, enabled: Bool = true, actor: String, now: Date = .now) async throws -> AlarmRuleRecord {
        try Store.validate(rule)
        return try await write { db in
            if try await Store.alarmRules(id: rule.id, on: db).first != nil { throw StoreError.conflict("alarm rule \(rule.id) already exists") }
            try await Store.insertRule(rule, enabled: enabled, actor: actor, now: now, on: db)
            let record = AlarmRuleRecord(rule: rule, enabled: enabled, updatedAt: Store.second(now), updatedBy: actor)
            try await AuditLog.record(on: db, actor: actor, action: "alarm_rule.add", entity: "alarm_rule", entityID: rule.id,
                                      after: Store.json(record), at: now)
            return record
        }
    }

    /// Replaces a rule (its id stays), with an audit entry holding the rule before and after.
    /// - Throws: ``AlarmInputError`` for a bad rule; ``StoreError/notFound(_:)`` when there is no such rule.
    @discardableResult
    public func updateAlarmRule(_ rule: AlarmRule, enabled: Bool, actor: String, now: Date = .now) async throws -> AlarmRuleRecord {
        try Store.validate(rule)
        return try await write { db in
            guard let before = try await Store.alarmRules(id: rule.id, on: db).first else { throw StoreError.notFound("alarm rule \(rule.id)") }
            try await db.update("alarm_rules")
                .set("name", to: rule.name).set("condition", to: Store.json(rule.condition)).set("duration", to: rule.duration)
                .set("clear_after", to: rule.clearAfter).set("site_codes", to: Store.json(rule.siteCodes))
                .set("site_kind", to: rule.siteKind?.rawValue).set("severity", to: rule.severity.rawValue)
                .set("escalate_after", to: rule.escalateAfter.map { Int64($0) }).set("enabled", to: enabled)
                .set("updated_at", to: Store.seconds(now)).set("updated_by", to: actor)
                .where("id", .equal, rule.id).run()
            let record = AlarmRuleRecord(rule: rule, enabled: enabled, updatedAt: Store.second(now), updatedBy: actor)
            try await AuditLog.record(on: db, actor: actor, action: "alarm_rule.update", entity: "alarm_rule", entityID: rule.id,
                                      before: Store.json(before), after: Store.json(record), at: now)
            return record
        }
    }

    /// Deletes a rule, with an audit entry. Its alarms stay, with their history.
    /// - Throws: ``StoreError/notFound(_:)`` when there is no such rule.
    public func deleteAlarmRule(id: String, actor: String, now: Date = .now) async throws {
        try await write { db in
            guard let before = try await Store.alarmRules(id: id, on: db).first else { throw StoreError.notFound("alarm rule \(id)") }
            try await db.delete(from: "alarm_rules").where("id", .equal, id).run()
            try await AuditLog.record(on: db, actor: actor, action: "alarm_rule.delete", entity: "alarm_rule", entityID: id,
                                      before: Store.json(before), at: now)
        }
    }

    /// Stores the default rules once, on the first start of an installation: an outlet over its limit for 3 consecutive
    /// hours (COD, NH3-N, SO2, NOx, particulate matter), a section worse than its target class, hourly AQI above 200,
    /// a value flagged D/F/M for 2 hours. Deleting them later does not bring them back.
    /// - Parameter now: the time of the change.
    /// - Returns: how many rules were stored (0 when the defaults were seeded before).
    @discardableResult
    public func seedDefaultAlarmRules(now: Date = .now) async throws -> Int {
        try await write { db in
            if try await Store.cursor("default_rules_seeded", on: db) != nil { return 0 }
            var added = 0
            for rule in Store.defaultAlarmRules where try await Store.alarmRules(id: rule.id, on: db).first == nil {
                try await Store.insertRule(rule, enabled: true, actor: "system", now: now, on: db)
                try await AuditLog.record(on: db, actor: "system", action: "alarm_rule.add", entity: "alarm_rule", entityID: rule.id,
                                          after: Store.json(AlarmRuleRecord(rule: rule, enabled: true, updatedAt: Store.second(now), updatedBy: "system")),
                                          detail: "default rule", at: now)
                added += 1
            }
            try await Store.setCursor("default_rules_seeded", to: 1, now: now, on: db)
            return added
        }
    }

    /// The rules ``seedDefaultAlarmRules(now:)`` stores. An alarm's escalation deadline counts from when its condition
    /// started (``Domain/Alarm/raisedAt``), so each rule's `escalateAfter` covers its duration, the hour it takes the
    /// hourly value to arrive, and the time given to acknowledge (about an hour).
    public static let defaultAlarmRules: [AlarmRule] = {
        let outletCodes = ["w01018", "w21003", "w21011", "a21026", "a21002", "a34013"]
        let flagCodes = ["a21026", "a21004", "a21005", "a05024", "a34002", "a34004", "w01018", "w21003", "w21011", "w21001", "w01001",
                         "w01009", "w01019", "a21002", "a34013"]
        return [
            AlarmRule(id: "outlet-over-limit-3h", name: "排放口连续3小时超标",
                      condition: .any(outletCodes.map { .overLimit(code: $0, field: "Avg") }), duration: 3, clearAfter: 1,
                      siteKind: .outlet, severity: .critical, escalateAfter: 5 * 3600),
            AlarmRule(id: "section-worse-than-target", name: "断面水质劣于目标类别", condition: .worseThanTargetClass, duration: 1,
                      clearAfter: 1, siteKind: .water, severity: .warning, escalateAfter: 4 * 3600),
            AlarmRule(id: "aqi-over-200", name: "小时AQI大于200（重度污染及以上）", condition: .aqiAbove(200), duration: 1, clearAfter: 1,
                      siteKind: .air, severity: .warning, escalateAfter: 2 * 3600),
            AlarmRule(id: "flag-dfm-2h", name: "数据标记D/F/M持续2小时", condition: .any(flagCodes.map { .flagIn(code: $0, flags: ["D", "F", "M"]) }),
                      duration: 2, clearAfter: 1, severity: .info),
        ]
    }()

    /// The value of one of the evaluator's cursors (e.g. the last observation id evaluated).
    public func alarmCursor(_ name: String) async throws -> Int64? {
        try await Store.cursor(name, on: reader)
    }

    /// Moves one of the evaluator's cursors.
    public func setAlarmCursor(_ name: String, to value: Int64, now: Date = .now) async throws {
        try await write { db in try await Store.setCursor(name, to: value, now: now, on: db) }
    }

    static func cursor(_ name: String, on db: any SQLDatabase) async throws -> Int64? {
        try await db.select().column("value").from("alarm_cursors").where("name", .equal, name).first()?.decode(column: "value", as: Int64.self)
    }

    static func setCursor(_ name: String, to value: Int64, now: Date, on db: any SQLDatabase) async throws {
        try await db.insert(into: "alarm_cursors").columns("name", "value", "updated_at")
            .values(SQLBind(name), SQLBind(value), SQLBind(seconds(now)))
            .onConflict(with: ["name"]) { $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at") }
            .run()
    }

    static func validate(_ rule: AlarmRule) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        if rule.id.isEmpty || rule.id.count > 64 || !rule.id.allSatisfy({ allowed.contains($0) }) {
            throw AlarmInputError(field: "id", message: "1-64 letters, digits, '-', '_' or '.'")
        }
        if rule.id == "offline" { throw AlarmInputError(field: "id", message: "\"offline\" is reserved for offline detection") }
        if rule.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw AlarmInputError(field: "name", message: "must not be empty") }
        if rule.duration > 24 * 31 { throw AlarmInputError(field: "duration", message: "at most 744 hourly steps") }
        if rule.clearAfter > 24 * 31 { throw AlarmInputError(field: "clear_after", message: "at most 744 hourly steps") }
        if let escalate = rule.escalateAfter, escalate < 60 { throw AlarmInputError(field: "escalate_after", message: "at least 60 seconds") }
        func check(_ condition: AlarmCondition) throws {
            switch condition {
            case .all(let list), .any(let list):
                if list.isEmpty { throw AlarmInputError(field: "condition", message: "an all/any needs at least one condition") }
                try list.forEach(check)
            case .flagIn(_, let flags) where flags.isEmpty:
                throw AlarmInputError(field: "condition", message: "flagIn needs at least one flag")
            default: break
            }
        }
        try check(rule.condition)
    }

    static func insertRule(_ rule: AlarmRule, enabled: Bool, actor: String, now: Date, on db: any SQLDatabase) async throws {
        try await db.insert(into: "alarm_rules")
            .columns("id", "name", "condition", "duration", "clear_after", "site_codes", "site_kind", "severity", "escalate_after",
                     "enabled", "created_at", "updated_at", "updated_by")
            .values(SQLBind(rule.id), SQLBind(rule.name), SQLBind(json(rule.condition)), SQLBind(rule.duration), SQLBind(rule.clearAfter),
                    SQLBind(json(rule.siteCodes)), SQLBind(rule.siteKind?.rawValue), SQLBind(rule.severity.rawValue),
                    SQLBind(rule.escalateAfter.map { Int64($0) }), SQLBind(enabled), SQLBind(seconds(now)), SQLBind(seconds(now)),
                    SQLBind(actor))
            .run()
    }

    static func alarmRules(id: String?, on db: any SQLDatabase) async throws -> [AlarmRuleRecord] {
        var query = db.select().column("*").from("alarm_rules")
        if let id { query = query.where("id", .equal, id) }
        return try await query.orderBy("id").all().map { row in
            let id = try row.decode(column: "id", as: String.self)
            let rule = AlarmRule(
                id: id, name: try row.decode(column: "name", as: String.self),
                condition: try decodeJSON(AlarmCondition.self, try row.decode(column: "condition", as: String.self), what: "alarm rule \(id)"),
                duration: try row.decode(column: "duration", as: Int.self), clearAfter: try row.decode(column: "clear_after", as: Int.self),
                siteCodes: try decodeJSON([String].self, try row.decode(column: "site_codes", as: String.self), what: "alarm rule \(id)"),
                siteKind: try row.decode(column: "site_kind", as: String?.self).flatMap(SiteKind.init(rawValue:)),
                severity: AlarmSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .warning,
                escalateAfter: try row.decode(column: "escalate_after", as: Int64?.self).map { TimeInterval($0) })
            return AlarmRuleRecord(rule: rule, enabled: try row.decode(column: "enabled", as: Bool.self),
                                   updatedAt: date(try row.decode(column: "updated_at", as: Int64.self)),
                                   updatedBy: try row.decode(column: "updated_by", as: String.self))
        }
    }

    /// Epoch seconds of an instant (rounded down), as the alarm tables store times.
    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    /// An instant rounded down to the second.
    static func second(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }
    /// The instant of epoch seconds.
    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
}
