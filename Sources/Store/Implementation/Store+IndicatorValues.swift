public import Domain
public import Foundation
import Crypto
import SQLKit

/// An evidence file attached to a yearly value, without its bytes.
public struct EvidenceInfo: Codable, Sendable, Equatable {
    /// The file's id.
    public var id: Int64
    /// The name it was uploaded under.
    public var fileName: String
    /// Its media type.
    public var contentType: String
    /// Its size in bytes.
    public var size: Int64
    /// The SHA-256 of its bytes, lower-case hex.
    public var sha256: String
    /// Who uploaded it.
    public var uploadedBy: String
    /// When.
    public var uploadedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, fileName = "file_name", contentType = "content_type", size, sha256, uploadedBy = "uploaded_by", uploadedAt = "uploaded_at"
    }
}

/// An indicator's figure for one year as stored: the value, where it comes from, and its review workflow.
public struct IndicatorValueRecord: Codable, Sendable, Equatable {
    /// The plan.
    public var planID: String
    /// The indicator's number.
    public var indicatorNumber: Int
    /// The year.
    public var year: Int
    /// The value, when numeric.
    public var value: Double?
    /// The value as entered (e.g. `72.3`, or words).
    public var valueText: String
    /// Where the figure comes from (统计年鉴, 监测报告 …).
    public var source: String
    /// Entered by hand or fed from monitoring.
    public var sourceKind: ValueSourceKind
    /// The city-assigned figure for the year (完成市级下达 targets).
    public var cityAssigned: Double?
    /// A note.
    public var note: String
    /// The review workflow.
    public var workflow: ReportWorkflow
    /// The unit that entered it.
    public var organisationID: Int64?
    /// Who entered it last.
    public var enteredBy: String
    /// Who decided last (approved, returned, reopened).
    public var decidedBy: String?
    /// The evidence files.
    public var evidence: [EvidenceInfo]

    enum CodingKeys: String, CodingKey {
        case planID = "plan_id", indicatorNumber = "indicator_number", year, value, valueText = "value_text", source
        case sourceKind = "source_kind", cityAssigned = "city_assigned", note, workflow, organisationID = "organisation_id"
        case enteredBy = "entered_by", decidedBy = "decided_by", evidence
    }

    /// The record's id in the audit trail: `plan/indicator/year`.
    public var auditID: String { "\(planID)/\(indicatorNumber)/\(year)" }
}

/// What a unit enters for an indicator's year.
public struct IndicatorValueEntry: Codable, Sendable, Equatable {
    /// The value as written (a number, or words for a text target).
    public var value: String
    /// Where it comes from.
    public var source: String
    /// The city-assigned figure for the year, as written, for 完成市级下达 targets.
    public var cityAssigned: String?
    /// A note.
    public var note: String?

    enum CodingKeys: String, CodingKey { case value, source, cityAssigned = "city_assigned", note }

    /// Creates an entry.
    public init(value: String, source: String, cityAssigned: String? = nil, note: String? = nil) {
        self.value = value
        self.source = source
        self.cityAssigned = cityAssigned
        self.note = note
    }
}

extension Store {
    /// The responsible unit per indicator number of a plan.
    public func indicatorUnits(planID: String) async throws -> [Int: Int64] {
        try await Store.indicatorUnits(planID: planID, on: reader)
    }

    static func indicatorUnits(planID: String, on db: any SQLDatabase) async throws -> [Int: Int64] {
        var map: [Int: Int64] = [:]
        for row in try await db.select().columns("indicator_number", "organisation_id").from("impl_indicator_units")
            .where("plan_id", .equal, planID).all() {
            map[try row.decode(column: "indicator_number", as: Int.self)] = try row.decode(column: "organisation_id", as: Int64.self)
        }
        return map
    }

    /// Makes a unit responsible for an indicator (bureau staff only), with an audit entry.
    public func assignIndicator(planID: String, number: Int, organisationID: Int64, actor: ImplementationActor) async throws {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff assign indicators to units") }
        try await write { db in
            let before = try await Store.indicatorUnits(planID: planID, on: db)[number]
            try await db.delete(from: "impl_indicator_units").where("plan_id", .equal, planID).where("indicator_number", .equal, number).run()
            try await db.insert(into: "impl_indicator_units").columns("plan_id", "indicator_number", "organisation_id")
                .values(SQLBind(planID), SQLBind(number), SQLBind(organisationID)).run()
            try await AuditLog.record(on: db, actor: actor.name, action: "indicator.assign", entity: "indicator", entityID: "\(planID)/\(number)",
                                      before: before.map { Store.json(["organisation_id": $0]) }, after: Store.json(["organisation_id": organisationID]))
        }
    }

    /// Assigns every unassigned indicator of a plan to its suggested unit (``WuxiOrganisations/suggestedUnit(forIndicator:)``),
    /// falling back to the bureau when the suggested unit does not exist.
    /// - Returns: how many indicators were assigned.
    @discardableResult
    public func applySuggestedAssignments(plan: Plan, actor: ImplementationActor) async throws -> Int {
        guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff assign indicators to units") }
        let tree = try await organisationTree()
        let existing = try await indicatorUnits(planID: plan.id)
        let fallback = tree.ofKind(.bureau).first ?? tree.named(WuxiOrganisations.bureau)
        var count = 0
        for indicator in plan.indicators where existing[indicator.number] == nil {
            guard let unit = tree.named(WuxiOrganisations.suggestedUnit(forIndicator: indicator.name)) ?? fallback else { continue }
            try await assignIndicator(planID: plan.id, number: indicator.number, organisationID: unit.id, actor: actor)
            count += 1
        }
        return count
    }

    /// The stored figures of a plan, optionally only one indicator's or one year's, with their evidence lists.
    public func indicatorValues(planID: String, number: Int? = nil, year: Int? = nil) async throws -> [IndicatorValueRecord] {
        try await Store.indicatorValues(planID: planID, number: number, year: year, on: reader)
    }

    static func indicatorValues(planID: String, number: Int? = nil, year: Int? = nil, on db: any SQLDatabase) async throws -> [IndicatorValueRecord] {
        var query = db.select().column("*").from("impl_indicator_values").where("plan_id", .equal, planID)
        if let number { query = query.where("indicator_number", .equal, number) }
        if let year { query = query.where("year", .equal, year) }
        var records = try await query.orderBy("indicator_number").orderBy("year").all().map(Store.valueRecord(from:))
        var evidenceQuery = db.select()
            .columns("id", "indicator_number", "year", "file_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
            .from("impl_evidence").where("plan_id", .equal, planID)
        if let number { evidenceQuery = evidenceQuery.where("indicator_number", .equal, number) }
        if let year { evidenceQuery = evidenceQuery.where("year", .equal, year) }
        var evidence: [String: [EvidenceInfo]] = [:]
        for row in try await evidenceQuery.orderBy("id").all() {
            let key = "\(try row.decode(column: "indicator_number", as: Int.self))/\(try row.decode(column: "year", as: Int.self))"
            evidence[key, default: []].append(try Store.evidenceInfo(from: row))
        }
        for index in records.indices {
            records[index].evidence = evidence["\(records[index].indicatorNumber)/\(records[index].year)"] ?? []
        }
        return records
    }

    static func evidenceInfo(from row: any SQLRow) throws -> EvidenceInfo {
        EvidenceInfo(
            id: try row.decode(column: "id", as: Int64.self), fileName: try row.decode(column: "file_name", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self), size: try row.decode(column: "size", as: Int64.self),
            sha256: try row.decode(column: "sha256", as: String.self), uploadedBy: try row.decode(column: "uploaded_by", as: String.self),
            uploadedAt: Store.date(millis: try row.decode(column: "uploaded_at", as: Int64.self)) ?? .distantPast)
    }

    static func valueRecord(from row: any SQLRow) throws -> IndicatorValueRecord {
        IndicatorValueRecord(
            planID: try row.decode(column: "plan_id", as: String.self),
            indicatorNumber: try row.decode(column: "indicator_number", as: Int.self),
            year: try row.decode(column: "year", as: Int.self),
            value: try row.decode(column: "value", as: Double?.self),
            valueText: try row.decode(column: "value_text", as: String.self),
            source: try row.decode(column: "source", as: String.self),
            sourceKind: ValueSourceKind(rawValue: try row.decode(column: "source_kind", as: String.self)) ?? .manual,
            cityAssigned: try row.decode(column: "city_assigned", as: Double?.self),
            note: try row.decode(column: "note", as: String.self),
            workflow: ReportWorkflow(
                state: ReportState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
                round: try row.decode(column: "round", as: Int.self),
                reason: try row.decode(column: "reason", as: String?.self),
                submittedAt: Store.date(millis: try row.decode(column: "submitted_at", as: Int64?.self)),
                decidedAt: Store.date(millis: try row.decode(column: "decided_at", as: Int64?.self)),
                updatedAt: Store.date(millis: try row.decode(column: "updated_at", as: Int64.self))),
            organisationID: try row.decode(column: "organisation_id", as: Int64?.self),
            enteredBy: try row.decode(column: "entered_by", as: String.self),
            decidedBy: try row.decode(column: "decided_by", as: String?.self),
            evidence: [])
    }

    static func upsert(_ record: IndicatorValueRecord, exists: Bool, on db: any SQLDatabase) async throws {
        let w = record.workflow
        if exists {
            try await db.update("impl_indicator_values")
                .set("value", to: SQLBind(record.value)).set("value_text", to: SQLBind(record.valueText))
                .set("source", to: SQLBind(record.source)).set("source_kind", to: SQLBind(record.sourceKind.rawValue))
                .set("city_assigned", to: SQLBind(record.cityAssigned)).set("note", to: SQLBind(record.note))
                .set("state", to: SQLBind(w.state.rawValue)).set("round", to: SQLBind(w.round)).set("reason", to: SQLBind(w.reason))
                .set("organisation_id", to: SQLBind(record.organisationID)).set("entered_by", to: SQLBind(record.enteredBy))
                .set("submitted_at", to: SQLBind(w.submittedAt.map(Store.millis))).set("decided_at", to: SQLBind(w.decidedAt.map(Store.millis)))
                .set("decided_by", to: SQLBind(record.decidedBy)).set("updated_at", to: SQLBind(Store.millis(w.updatedAt ?? .now)))
                .where("plan_id", .equal, record.planID).where("indicator_number", .equal, record.indicatorNumber)
                .where("year", .equal, record.year)
                .run()
        } else {
            try await db.insert(into: "impl_indicator_values")
                .columns("plan_id", "indicator_number", "year", "value", "value_text", "source", "source_kind", "city_assigned", "note",
                         "state", "round", "reason", "organisation_id", "entered_by", "submitted_at", "decided_at", "decided_by", "updated_at")
                .values(SQLBind(record.planID), SQLBind(record.indicatorNumber), SQLBind(record.year), SQLBind(record.value),
                        SQLBind(record.valueText), SQLBind(record.source), SQLBind(record.sourceKind.rawValue), SQLBind(record.cityAssigned),
                        SQLBind(record.note), SQLBind(w.state.rawValue), SQLBind(w.round), SQLBind(w.reason), SQLBind(record.organisationID),
                        SQLBind(record.enteredBy), SQLBind(w.submittedAt.map(Store.millis)), SQLBind(w.decidedAt.map(Store.millis)),
                        SQLBind(record.decidedBy), SQLBind(Store.millis(w.updatedAt ?? .now)))
                .run()
        }
    }

    /// The audit view of a value: what counts when comparing before and after.
    struct ValueSnapshot: Encodable {
        var value: Double?
        var valueText: String
        var source: String
        var sourceKind: String
        var cityAssigned: Double?
        var note: String
        var state: String
        var round: Int
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case value, valueText = "value_text", source, sourceKind = "source_kind", cityAssigned = "city_assigned", note, state, round, reason
        }

        init(_ record: IndicatorValueRecord) {
            value = record.value
            valueText = record.valueText
            source = record.source
            sourceKind = record.sourceKind.rawValue
            cityAssigned = record.cityAssigned
            note = record.note
            state = record.workflow.state.rawValue
            round = record.workflow.round
            reason = record.workflow.reason
        }
    }

    /// Checks that the plan exists, the indicator is one of its own and the year lies in its period.
    static func checkIndicatorYear(planID: String, number: Int, year: Int, on db: any SQLDatabase) async throws {
        guard let plan = try await db.select().columns("start_year", "end_year").from("plans").where("id", .equal, planID).first() else {
            throw StoreError.notFound("plan \(planID)")
        }
        let start = try plan.decode(column: "start_year", as: Int.self), end = try plan.decode(column: "end_year", as: Int.self)
        guard try await db.select().column("number").from("plan_indicators").where("plan_id", .equal, planID)
            .where("number", .equal, number).first() != nil else { throw StoreError.notFound("indicator \(number) of plan \(planID)") }
        guard (start...end).contains(year) else {
            throw ImplementationError.invalid(field: "year", "\(year) is outside the plan's years \(start)-\(end)")
        }
    }

    /// Parses a number as people write it: full-width digits, a trailing `%`, thousands commas.
    static func parseNumber(_ text: String) -> Double? {
        var cleaned = ""
        for scalar in text.unicodeScalars {
            if (0xFF10...0xFF19).contains(scalar.value) {
                cleaned.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            } else if scalar == "．" {
                cleaned += "."
            } else if scalar == "," || scalar == "%" || scalar == "％" || scalar == " " {
                continue
            } else {
                cleaned.unicodeScalars.append(scalar)
            }
        }
        guard let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    /// Enters or changes a unit's figure for an indicator and year (a draft, or a returned figure being corrected).
    /// - Parameters:
    ///   - planID: the plan.
    ///   - number: the indicator's number.
    ///   - year: the year.
    ///   - entry: what was entered.
    ///   - actor: who enters it; must be the responsible unit (or bureau staff).
    ///   - now: the time of the change.
    /// - Returns: the stored record.
    /// - Throws: ``ImplementationError`` (forbidden, invalid, locked), ``WorkflowError``, ``StoreError``.
    @discardableResult
    public func saveIndicatorValue(planID: String, number: Int, year: Int, entry: IndicatorValueEntry, actor: ImplementationActor,
                                   now: Date = .now) async throws -> IndicatorValueRecord {
        let valueText = entry.value.trimmingCharacters(in: .whitespacesAndNewlines)
        let source = entry.source.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [ImplementationProblem] = []
        if valueText.isEmpty { problems.append(.init(field: "value", message: "enter the year's value (填写当年数值)")) }
        if source.isEmpty { problems.append(.init(field: "source", message: "say where the value comes from (填写数据来源)")) }
        if valueText.count > 200 { problems.append(.init(field: "value", message: "at most 200 characters")) }
        var cityAssigned: Double?
        if let text = entry.cityAssigned?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            cityAssigned = Store.parseNumber(text)
            if cityAssigned == nil { problems.append(.init(field: "city_assigned", message: "\"\(text)\" is not a number")) }
        }
        if !problems.isEmpty { throw ImplementationError.invalid(problems) }
        let numeric = Store.parseNumber(valueText)
        let assignedFigure = cityAssigned
        return try await write { db in
            try await Store.checkIndicatorYear(planID: planID, number: number, year: year, on: db)
            guard let indicatorRow = try await db.select().column("target").from("plan_indicators").where("plan_id", .equal, planID)
                .where("number", .equal, number).first() else { throw StoreError.notFound("indicator \(number)") }
            let target = try Store.decodeJSON(PlanValue.self, try indicatorRow.decode(column: "target", as: String.self), what: "target")
            if numeric == nil && target.kind == .number {
                throw ImplementationError.invalid(field: "value", "\"\(valueText)\" is not a number; this indicator's target is numeric")
            }
            let assigned = try await Store.indicatorUnits(planID: planID, on: db)[number]
            guard actor.access.canEdit(assignedTo: assigned.map { [$0] } ?? []) else {
                throw ImplementationError.forbidden("indicator \(number) is not assigned to your unit (该指标不属于本单位)")
            }
            let existing = try await Store.indicatorValues(planID: planID, number: number, year: year, on: db).first
            var record = existing ?? IndicatorValueRecord(
                planID: planID, indicatorNumber: number, year: year, value: nil, valueText: "", source: "", sourceKind: .manual,
                cityAssigned: nil, note: "", workflow: ReportWorkflow(), organisationID: nil, enteredBy: actor.name, decidedBy: nil, evidence: [])
            if existing?.workflow.isEditable == false {
                throw ImplementationError.locked("the \(year) value of indicator \(number) is \(record.workflow.state.chineseName); it cannot be changed now")
            }
            let before = existing.map { Store.json(ValueSnapshot($0)) }
            let actions = try record.workflow.apply(.edit, now: now, prefix: "indicator_value")
            record.value = numeric
            record.valueText = valueText
            record.source = source
            record.sourceKind = .manual
            record.cityAssigned = assignedFigure ?? (entry.cityAssigned == nil ? record.cityAssigned : nil)
            record.note = entry.note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? record.note
            record.organisationID = actor.organisationID ?? assigned
            record.enteredBy = actor.name
            try await Store.upsert(record, exists: existing != nil, on: db)
            try await Store.performAudit(actions, actor: actor.name, entity: "indicator_value", id: record.auditID,
                                         before: before, after: Store.json(ValueSnapshot(record)), on: db, now: now)
            return record
        }
    }

    static func performAudit(_ actions: [ReportWorkflow.Action], actor: String, entity: String, id: String, before: String?, after: String?,
                             on db: any SQLDatabase, now: Date) async throws {
        var notes: [String] = []
        for action in actions {
            switch action {
            case .notifyReviewers: notes.append("待生态环境局审核")
            case .notifyUnit(let reason): notes.append("退回理由：\(reason)")
            case .publish: notes.append("计入评价")
            case .unpublish: notes.append("不再计入评价")
            case .audit: break
            }
        }
        for action in actions {
            if case .audit(let name) = action {
                try await AuditLog.record(on: db, actor: actor, action: name, entity: entity, entityID: id, before: before, after: after,
                                          detail: notes.isEmpty ? nil : notes.joined(separator: "；"), at: now)
            }
        }
    }

    /// Moves a figure through its review: submit or withdraw (the unit), approve, return or reopen (bureau staff).
    /// - Throws: ``ImplementationError/forbidden(_:)`` when the actor may not cause the event; ``WorkflowError`` when
    ///   the state does not allow it; ``ImplementationError/notFound(_:)`` when nothing was entered.
    @discardableResult
    public func transitionIndicatorValue(planID: String, number: Int, year: Int, event: ReportWorkflow.Event, actor: ImplementationActor,
                                         now: Date = .now) async throws -> IndicatorValueRecord {
        try await write { db in
            let assigned = try await Store.indicatorUnits(planID: planID, on: db)[number]
            if event.needsReviewer {
                guard actor.access.canReview else { throw ImplementationError.forbidden("only the bureau approves or returns values (仅生态环境局可审核)") }
            } else {
                guard actor.access.canEdit(assignedTo: assigned.map { [$0] } ?? []) else {
                    throw ImplementationError.forbidden("indicator \(number) is not assigned to your unit (该指标不属于本单位)")
                }
            }
            guard var record = try await Store.indicatorValues(planID: planID, number: number, year: year, on: db).first else {
                throw ImplementationError.notFound("the \(year) value of indicator \(number)")
            }
            let before = Store.json(ValueSnapshot(record))
            let actions = try record.workflow.apply(event, now: now, prefix: "indicator_value")
            if event.needsReviewer { record.decidedBy = actor.name }
            try await Store.upsert(record, exists: true, on: db)
            try await Store.performAudit(actions, actor: actor.name, entity: "indicator_value", id: record.auditID,
                                         before: before, after: Store.json(ValueSnapshot(record)), on: db, now: now)
            return record
        }
    }

    /// Records a figure fed by monitoring data (source kind `monitoring`): it is stored as submitted, waiting for the
    /// bureau's approval, unless an approved figure exists, which is left alone.
    /// - Returns: whether the figure was stored.
    @discardableResult
    public func recordMonitoringValue(planID: String, number: Int, year: Int, value: Double, source: String, now: Date = .now) async throws -> Bool {
        try await write { db in
            try await Store.checkIndicatorYear(planID: planID, number: number, year: year, on: db)
            let existing = try await Store.indicatorValues(planID: planID, number: number, year: year, on: db).first
            if existing?.workflow.state == .approved { return false }
            var record = existing ?? IndicatorValueRecord(
                planID: planID, indicatorNumber: number, year: year, value: nil, valueText: "", source: "", sourceKind: .monitoring,
                cityAssigned: nil, note: "", workflow: ReportWorkflow(), organisationID: nil, enteredBy: "system:monitoring", decidedBy: nil, evidence: [])
            let before = existing.map { Store.json(ValueSnapshot($0)) }
            if record.workflow.state == .submitted { _ = try record.workflow.apply(.withdraw, now: now) }
            var actions = try record.workflow.apply(.edit, now: now, prefix: "indicator_value")
            actions += try record.workflow.apply(.submit, now: now, prefix: "indicator_value")
            record.value = value
            record.valueText = IndicatorRule.format(value)
            record.source = source
            record.sourceKind = .monitoring
            record.enteredBy = "system:monitoring"
            try await Store.upsert(record, exists: existing != nil, on: db)
            try await Store.performAudit(actions.filter { $0 == .audit("indicator_value.submit") || $0 == .notifyReviewers },
                                         actor: "system:monitoring", entity: "indicator_value", id: record.auditID,
                                         before: before, after: Store.json(ValueSnapshot(record)), on: db, now: now)
            return true
        }
    }

    /// Attaches an evidence file to a figure that the unit may still change; the bytes are kept in the database with
    /// their SHA-256.
    /// - Returns: the stored file's description.
    @discardableResult
    public func addEvidence(planID: String, number: Int, year: Int, fileName: String, contentType: String, data: Data,
                            actor: ImplementationActor, now: Date = .now) async throws -> EvidenceInfo {
        let name = String(fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "file").prefix(200)
        guard !data.isEmpty else { throw ImplementationError.invalid(field: "file", "the file is empty") }
        guard data.count <= 20 * 1024 * 1024 else { throw ImplementationError.invalid(field: "file", "files are limited to 20 MB") }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return try await write { db in
            let assigned = try await Store.indicatorUnits(planID: planID, on: db)[number]
            guard actor.access.canEdit(assignedTo: assigned.map { [$0] } ?? []) else {
                throw ImplementationError.forbidden("indicator \(number) is not assigned to your unit (该指标不属于本单位)")
            }
            guard let record = try await Store.indicatorValues(planID: planID, number: number, year: year, on: db).first else {
                throw ImplementationError.notFound("the \(year) value of indicator \(number) (enter the value first)")
            }
            guard record.workflow.isEditable else {
                throw ImplementationError.locked("the \(year) value of indicator \(number) is \(record.workflow.state.chineseName); evidence cannot be added now")
            }
            let at = Store.millis(now)
            try await db.insert(into: "impl_evidence")
                .columns("plan_id", "indicator_number", "year", "file_name", "content_type", "size", "sha256", "data", "uploaded_by", "uploaded_at")
                .values(SQLBind(planID), SQLBind(number), SQLBind(year), SQLBind(String(name)), SQLBind(contentType), SQLBind(Int64(data.count)),
                        SQLBind(digest), SQLBind(data), SQLBind(actor.name), SQLBind(at))
                .run()
            guard let row = try await db.select()
                .columns("id", "file_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at").from("impl_evidence")
                .where("plan_id", .equal, planID).where("indicator_number", .equal, number).where("year", .equal, year)
                .orderBy("id", .descending).first() else { throw StoreError.notFound("evidence") }
            let info = try Store.evidenceInfo(from: row)
            try await AuditLog.record(on: db, actor: actor.name, action: "indicator_value.evidence", entity: "indicator_value",
                                      entityID: record.auditID, after: Store.json(info), detail: "\(info.fileName) sha256 \(digest)", at: now)
            return info
        }
    }

    /// An evidence file with its bytes, and the figure it belongs to (for the caller's access check).
    public func evidenceFile(id: Int64) async throws -> (planID: String, number: Int, year: Int, info: EvidenceInfo, data: Data) {
        guard let row = try await reader.select().column("*").from("impl_evidence").where("id", .equal, id).first() else {
            throw ImplementationError.notFound("evidence file \(id)")
        }
        return (try row.decode(column: "plan_id", as: String.self), try row.decode(column: "indicator_number", as: Int.self),
                try row.decode(column: "year", as: Int.self), try Store.evidenceInfo(from: row), try row.decode(column: "data", as: Data.self))
    }

    /// The approved figures of a plan per indicator, as the status rule takes them.
    public func approvedFigures(planID: String) async throws -> [Int: [YearFigure]] {
        var figures: [Int: [YearFigure]] = [:]
        for record in try await indicatorValues(planID: planID) {
            let approved = record.workflow.state == .approved
            figures[record.indicatorNumber, default: []].append(
                YearFigure(year: record.year, value: approved ? record.value : nil, cityAssigned: approved ? record.cityAssigned : nil))
        }
        return figures
    }

    /// Audit entries about implementation records whose id starts with a prefix (e.g. `wuxi-2021-2025/8/`), newest first.
    public func implementationAudit(entity: String? = nil, idPrefix: String, limit: Int = 1000) async throws -> [AuditEntry] {
        // LIKE narrows the rows (ids here have no wildcard characters); the prefix test in Swift is exact.
        var base = reader.select().columns("id", "at", "actor", "action", "entity", "entity_id", "before", "after", "detail").from("audit_log")
            .where("entity_id", .like, idPrefix + "%")
        if let entity { base = base.where("entity", .equal, entity) }
        let rows = try await base.orderBy("id", .descending).limit(20_000).all()
        var entries: [AuditEntry] = []
        for row in rows {
            let entityID = try row.decode(column: "entity_id", as: String.self)
            guard entityID.hasPrefix(idPrefix) else { continue }
            entries.append(AuditEntry(
                id: try row.decode(column: "id", as: Int64.self),
                at: Date(timeIntervalSince1970: Double(try row.decode(column: "at", as: Int64.self)) / 1000),
                actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                entity: try row.decode(column: "entity", as: String.self), entityID: entityID,
                before: try row.decode(column: "before", as: String?.self), after: try row.decode(column: "after", as: String?.self),
                detail: try row.decode(column: "detail", as: String?.self)))
            if entries.count >= limit { break }
        }
        return entries
    }
}
