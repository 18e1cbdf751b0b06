import Domain
import Foundation
import Hummingbird
import Store

/// An alarm with its history, as `GET /api/v1/alarms/{id}` returns it.
struct AlarmDetail: Encodable {
    var alarm: AlarmRecord
    var history: [AlarmHistoryEntry]

    func encode(to encoder: any Encoder) throws {
        try alarm.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(history, forKey: .history)
    }

    enum Keys: String, CodingKey { case history }
}

/// A rule as the API takes it: the rule's fields, most with defaults, and `enabled`.
struct AlarmRuleInput: Decodable {
    var id: String?
    var name: String
    var condition: AlarmCondition
    var duration: Int?
    var clearAfter: Int?
    var siteCodes: [String]?
    var siteKind: SiteKind?
    var severity: AlarmSeverity?
    var escalateAfter: TimeInterval?
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case id, name, condition, duration, clearAfter = "clear_after", siteCodes = "site_codes", siteKind = "site_kind", severity
        case escalateAfter = "escalate_after", enabled
    }

    func rule(id fixed: String? = nil) throws -> AlarmRule {
        guard let id = fixed ?? id else { throw AlarmInputError(field: "id", message: "a rule needs an id") }
        return AlarmRule(id: id, name: name, condition: condition, duration: duration ?? 1, clearAfter: clearAfter ?? 1,
                         siteCodes: siteCodes ?? [], siteKind: siteKind, severity: severity ?? .warning, escalateAfter: escalateAfter)
    }
}

/// The alarm routes' shared pieces: error mapping at the edge and the role checks.
enum AlarmRoutes {
    /// Runs a handler body, turning the alarm errors into HTTP: a refused transition is 409 with the state machine's
    /// message, a bad rule or webhook is 422.
    @discardableResult
    static func mapping<R>(_ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch let error as AlarmTransitionError {
            throw HTTPError(.conflict, message: error.description)
        } catch let error as AlarmInputError {
            throw HTTPError(.unprocessableContent, message: error.description)
        }
    }

    /// The signed-in user if an administrator, else 401 or 403.
    static func requireAdmin(_ context: AppRequestContext) throws -> User {
        let user = try context.requireUser()
        guard user.role.canAdminister else { throw HTTPError(.forbidden, message: "this needs the admin role") }
        return user
    }

    /// Reads `state=` (empty or `all` for every state).
    static func state(_ text: String?) throws -> AlarmState? {
        guard let text, !text.isEmpty, text != "all" else { return nil }
        guard let state = AlarmState(rawValue: text) else {
            throw HTTPError(.badRequest, message: "state=\(text) must be one of \(AlarmState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return state
    }

    /// The event a person's action on an alarm stands for.
    static func event(_ action: String, fields: [String: String], user: User) throws -> AlarmEvent {
        let note = fields["note"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        switch action {
        case "acknowledge": return .acknowledge(by: user.name, note: note)
        case "dispatch":
            guard let to = fields["to"]?.trimmingCharacters(in: .whitespacesAndNewlines), !to.isEmpty else {
                throw AlarmInputError(field: "to", message: "say which unit the alarm is dispatched to")
            }
            return .dispatch(by: user.name, to: to, note: note)
        case "close": return .close(by: user.name, note: note)
        case "notes":
            guard let text = (fields["text"] ?? note)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                throw AlarmInputError(field: "text", message: "a note needs text")
            }
            return .note(by: user.name, text: text)
        default:
            throw HTTPError(.notFound, message: "no such alarm action \(action)")
        }
    }
}

extension Router<AppRequestContext> {
    /// The alarm API: alarms and their lifecycle, rules, webhooks and their delivery log.
    func addAlarmRoutes(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")

        api.get("alarms") { request, context in
            _ = try context.requireUser()
            let state = try AlarmRoutes.state(request.uri.queryParameters.get("state"))
            let site = request.uri.queryParameters.get("site").flatMap { $0.isEmpty ? nil : $0 }
            return JSONResponse.make(try await store.alarms(state: state, siteCode: site))
        }

        api.get("alarms/{id}") { _, context in
            _ = try context.requireUser()
            let id = try context.parameters.require("id", as: Int64.self)
            return JSONResponse.make(AlarmDetail(alarm: try await store.alarm(id: id), history: try await store.alarmHistory(id: id)))
        }

        for action in ["acknowledge", "dispatch", "close", "notes"] {
            api.post("alarms/{id}/\(action)") { request, context in
                let user = try context.requireStaff()
                try request.verifyCSRF(nil, context: context)
                let id = try context.parameters.require("id", as: Int64.self)
                let fields = try await formFields(request, context: context)
                let record = try await AlarmRoutes.mapping {
                    try await store.applyAlarmEvent(try AlarmRoutes.event(action, fields: fields, user: user), to: id, actor: user.name)
                }
                return JSONResponse.make(AlarmDetail(alarm: record, history: try await store.alarmHistory(id: id)))
            }
        }

        api.get("alarm-rules") { _, context in
            _ = try context.requireUser()
            return JSONResponse.make(try await store.alarmRules())
        }

        api.post("alarm-rules") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            try request.verifyCSRF(nil, context: context)
            let input = try await request.decode(as: AlarmRuleInput.self, context: context)
            let record = try await AlarmRoutes.mapping {
                try await store.addAlarmRule(try input.rule(), enabled: input.enabled ?? true, actor: user.name)
            }
            return JSONResponse.make(record, status: .created)
        }

        api.put("alarm-rules/{id}") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            try request.verifyCSRF(nil, context: context)
            let id = try context.parameters.require("id")
            let input = try await request.decode(as: AlarmRuleInput.self, context: context)
            if let bodyID = input.id, bodyID != id {
                throw HTTPError(.unprocessableContent, message: "id: the body says \(bodyID), the path \(id)")
            }
            let record = try await AlarmRoutes.mapping {
                try await store.updateAlarmRule(try input.rule(id: id), enabled: input.enabled ?? true, actor: user.name)
            }
            return JSONResponse.make(record)
        }

        api.delete("alarm-rules/{id}") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            try request.verifyCSRF(nil, context: context)
            try await store.deleteAlarmRule(id: try context.parameters.require("id"), actor: user.name)
            return Response(status: .noContent)
        }

        api.get("webhooks") { _, context in
            _ = try context.requireStaff()
            return JSONResponse.make(try await store.webhooks())
        }

        api.post("webhooks") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            try request.verifyCSRF(nil, context: context)
            let fields = try await formFields(request, context: context)
            let hook = try await AlarmRoutes.mapping {
                try await store.addWebhook(url: fields["url"] ?? "", description: fields["description"] ?? "", secret: fields["secret"],
                                           enabled: fields["enabled"].map { $0 == "true" || $0 == "1" || $0 == "on" } ?? true, actor: user.name)
            }
            return JSONResponse.make(hook, status: .created)
        }

        api.delete("webhooks/{id}") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            try request.verifyCSRF(nil, context: context)
            try await store.deleteWebhook(id: try context.parameters.require("id", as: Int64.self), actor: user.name)
            return Response(status: .noContent)
        }

        api.get("webhooks/{id}/deliveries") { _, context in
            _ = try context.requireStaff()
            return JSONResponse.make(try await store.webhookDeliveries(webhookID: try context.parameters.require("id", as: Int64.self)))
        }
    }
}
