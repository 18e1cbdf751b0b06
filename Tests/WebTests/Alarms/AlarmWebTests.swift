import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing
import TestSupport

@Suite("Alarms over HTTP: lifecycle, rules, webhooks, inbox pages")
struct AlarmWebTests {
    static func raise(_ store: Store, key: String = "rule:outlet-over-limit-3h:site:OUT-1") async throws -> AlarmRecord {
        let since = Date(timeIntervalSince1970: 1_795_000_000)
        let change = try await store.raiseAlarm(AlarmRaise(
            ruleID: "outlet-over-limit-3h", siteCode: "OUT-1", mn: "MN0001", subject: "OUT-1", title: "排放口连续3小时超标 · 某厂总排口",
            severity: .critical, since: since, heldAt: since.addingTimeInterval(7200), escalateAfter: 3600, dedupKey: key), now: Date())
        guard case .raised(let record) = change else { throw TestDatabaseError(message: "not raised: \(change)") }
        return record
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    @Test("acknowledge → dispatch → close through the router, 409 on an illegal transition, audit entries written",
          arguments: TestDatabase.available)
    func lifecycle(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store in
            let token = try await staffToken(store)
            let viewer = try await staffToken(store, role: .viewer, name: "viewer1")
            let alarm = try await Self.raise(store)
            let base = "/api/v1/alarms/\(alarm.id)"

            try await client.execute(uri: base + "/acknowledge", method: .post, headers: Self.bearer(viewer), body: jsonBody("{}")) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: base + "/acknowledge", method: .post, headers: Self.bearer(token),
                                     body: jsonBody(#"{"note": "已联系企业值班人员"}"#)) { response async throws in
                #expect(response.status == .ok)
                let body = try #require(try response.json() as? [String: Any])
                #expect(body["state"] as? String == "acknowledged" && body["acknowledged_by"] as? String == "staff1")
            }
            try await client.execute(uri: base + "/dispatch", method: .post, headers: Self.bearer(token), body: jsonBody("{}")) { response async throws in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: base + "/dispatch", method: .post, headers: Self.bearer(token),
                                     body: jsonBody(#"{"to": "县生态环境保护综合行政执法支队", "note": "现场核查"}"#)) { response async throws in
                #expect(response.status == .ok)
                let body = try #require(try response.json() as? [String: Any])
                #expect(body["state"] as? String == "dispatched" && body["dispatched_to"] as? String == "县生态环境保护综合行政执法支队")
            }
            try await client.execute(uri: base + "/notes", method: .post, headers: Self.bearer(token),
                                     body: jsonBody(#"{"text": "企业已停产检修"}"#)) { response async throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: base + "/close", method: .post, headers: Self.bearer(token),
                                     body: jsonBody(#"{"note": "整改完成"}"#)) { response async throws in
                #expect(response.status == .ok)
                let body = try #require(try response.json() as? [String: Any])
                #expect(body["state"] as? String == "closed" && body["closed_by"] as? String == "staff1" && body["closed_at"] is String)
            }
            try await client.execute(uri: base + "/acknowledge", method: .post, headers: Self.bearer(token), body: jsonBody("{}")) { response async throws in
                #expect(response.status == .conflict)
                let body = try #require(try response.json() as? [String: [String: Any]])
                #expect(body["error"]?["message"] as? String == "cannot acknowledge an alarm that is closed")
                #expect(body["error"]?["code"] as? String == "conflict")
            }
            try await client.execute(uri: base, method: .get, headers: Self.bearer(viewer)) { response async throws in
                #expect(response.status == .ok)
                let body = try #require(try response.json() as? [String: Any])
                let history = try #require(body["history"] as? [[String: Any]])
                #expect(history.map { $0["event"] as? String } == ["raised", "acknowledge", "dispatch", "note", "close"])
                #expect(history[1]["note"] as? String == "已联系企业值班人员" && history[1]["actor"] as? String == "staff1")
            }
            try await client.execute(uri: "/api/v1/alarms?state=closed&site=OUT-1", method: .get, headers: Self.bearer(viewer)) { response async throws in
                #expect((try response.json() as? [[String: Any]])?.count == 1)
            }
            try await client.execute(uri: "/api/v1/alarms?state=open", method: .get, headers: Self.bearer(viewer)) { response async throws in
                #expect((try response.json() as? [[String: Any]])?.isEmpty == true)
            }
            try await client.execute(uri: "/api/v1/alarms?state=nonsense", method: .get, headers: Self.bearer(viewer)) { response async throws in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/alarms", method: .get) { response async throws in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/alarms/999999", method: .get, headers: Self.bearer(viewer)) { response async throws in
                #expect(response.status == .notFound)
            }
            let audit = try await store.auditEntries(entity: "alarm", entityID: String(alarm.id))
            #expect(Set(audit.filter { $0.actor == "staff1" }.map(\.action)) == ["alarm.acknowledge", "alarm.dispatch", "alarm.note", "alarm.close"])
            #expect(audit.contains { $0.action == "alarm.raise" && $0.actor == "system" })
        }
    }

    @Test("rules and webhooks: admin writes them (audited), staff reads, bad input is 422, a taken id 409", arguments: TestDatabase.available)
    func rulesAndWebhooks(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store in
            let admin = try await staffToken(store, role: .admin, name: "admin1")
            let staff = try await staffToken(store)
            let rule = #"{"id": "cod-over-100", "name": "COD超100", "condition": {"threshold": {"code": "w01018", "field": "Avg", "comparison": ">", "value": 100}}, "duration": 2, "site_kind": "outlet", "severity": "critical", "escalate_after": 1800}"#
            try await client.execute(uri: "/api/v1/alarm-rules", method: .post, headers: Self.bearer(staff), body: jsonBody(rule)) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/alarm-rules", method: .post, headers: Self.bearer(admin), body: jsonBody(rule)) { response async throws in
                #expect(response.status == .created)
                let body = try #require(try response.json() as? [String: Any])
                #expect(body["id"] as? String == "cod-over-100" && body["duration"] as? Int == 2 && body["enabled"] as? Bool == true)
            }
            try await client.execute(uri: "/api/v1/alarm-rules", method: .post, headers: Self.bearer(admin), body: jsonBody(rule)) { response async throws in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/alarm-rules", method: .post, headers: Self.bearer(admin),
                                     body: jsonBody(#"{"id": "offline", "name": "x", "condition": {"aqiAbove": {"_0": 200}}}"#)) { response async throws in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/alarm-rules", method: .post, headers: Self.bearer(admin),
                                     body: jsonBody(#"{"id": "x", "name": "x", "condition": {"nonsense": 1}}"#)) { response async throws in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/alarm-rules/cod-over-100", method: .put, headers: Self.bearer(admin),
                                     body: jsonBody(#"{"name": "COD超120", "condition": {"any": {"_0": [{"overLimit": {"code": "w01018", "field": "Avg"}}]}}, "enabled": false}"#)) { response async throws in
                #expect(response.status == .ok)
            }
            let stored = try #require(try await store.alarmRule(id: "cod-over-100"))
            #expect(stored.rule.name == "COD超120" && !stored.enabled && stored.rule.condition == .any([.overLimit(code: "w01018", field: "Avg")]))
            try await client.execute(uri: "/api/v1/alarm-rules", method: .get, headers: Self.bearer(staff)) { response async throws in
                #expect((try response.json() as? [[String: Any]])?.map { $0["id"] as? String } == ["cod-over-100"])
            }
            try await client.execute(uri: "/api/v1/alarm-rules/cod-over-100", method: .delete, headers: Self.bearer(admin)) { response async throws in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/alarm-rules/cod-over-100", method: .delete, headers: Self.bearer(admin)) { response async throws in
                #expect(response.status == .notFound)
            }
            #expect(try await store.auditEntries(entity: "alarm_rule").map(\.action) == ["alarm_rule.delete", "alarm_rule.update", "alarm_rule.add"])

            var hookID = 0
            try await client.execute(uri: "/api/v1/webhooks", method: .post, headers: Self.bearer(admin),
                                     body: jsonBody(#"{"url": "ftp://example/x"}"#)) { response async throws in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/webhooks", method: .post, headers: Self.bearer(admin),
                                     body: jsonBody(#"{"url": "http://10.0.0.5:9000/hook", "description": "值班短信网关", "secret": "k"}"#)) { response async throws in
                #expect(response.status == .created)
                let body = try #require(try response.json() as? [String: Any])
                hookID = body["id"] as? Int ?? 0
                #expect(body["has_secret"] as? Bool == true && body["secret"] == nil)
            }
            let alarm = try await Self.raise(store)
            try await client.execute(uri: "/api/v1/webhooks/\(hookID)/deliveries", method: .get, headers: Self.bearer(staff)) { response async throws in
                let deliveries = try #require(try response.json() as? [[String: Any]])
                #expect(deliveries.count == 1)
                #expect(deliveries.first?["alarm_id"] as? Int == Int(alarm.id) && deliveries.first?["delivered"] as? Bool == false)
            }
            try await client.execute(uri: "/api/v1/webhooks", method: .get, headers: Self.bearer(staff)) { response async throws in
                #expect(!response.text.contains("\"k\""))
                #expect((try response.json() as? [[String: Any]])?.count == 1)
            }
            try await client.execute(uri: "/api/v1/webhooks/\(hookID)", method: .delete, headers: Self.bearer(staff)) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/webhooks/\(hookID)", method: .delete, headers: Self.bearer(admin)) { response async throws in
                #expect(response.status == .noContent)
            }
            #expect(try await store.webhooks().isEmpty)
            #expect(try await store.auditEntries(entity: "webhook").map(\.action) == ["webhook.delete", "webhook.add"])
        }
    }

    @Test("the inbox renders in Chinese and English, links each alarm to its page with history and the staff forms", arguments: [TestDatabase.sqlite])
    func inboxPages(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store in
            let token = try await staffToken(store)
            let alarm = try await Self.raise(store)
            let headers: HTTPFields = [.authorization: "Bearer \(token)"]
            try await client.execute(uri: "/alarms", method: .get) { response async throws in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/alarms", method: .get, headers: headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("报警收件箱"))
                #expect(response.text.contains("href=\"/alarms/\(alarm.id)\""))
                #expect(response.text.contains("排放口连续3小时超标 · 某厂总排口"))
                #expect(response.text.contains("待确认"))
                #expect(response.text.contains("<a href=\"/alarms\">报警</a>"))
                #expect(!response.text.contains("<script"))
            }
            try await client.execute(uri: "/alarms?state=closed&lang=en", method: .get, headers: headers) { response async throws in
                #expect(response.text.contains("Alarm inbox") && response.text.contains("No alarm matches."))
            }
            try await client.execute(uri: "/alarms/\(alarm.id)", method: .get, headers: headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("action=\"/alarms/\(alarm.id)/acknowledge\""))
                #expect(response.text.contains("action=\"/alarms/\(alarm.id)/dispatch\""))
                #expect(response.text.contains("name=\"csrf\""))
                #expect(response.text.contains("处理记录") && response.text.contains("raised: 排放口连续3小时超标"))
            }
            try await client.execute(uri: "/alarms/rules", method: .get, headers: headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("报警规则与推送"))
            }
            // A form post through the page route (bearer: no CSRF cookie involved) moves the alarm on and redirects.
            try await client.execute(uri: "/alarms/\(alarm.id)/acknowledge", method: .post,
                                     headers: [.authorization: "Bearer \(token)", .contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "note=%E5%B7%B2%E7%9F%A5")) { response async throws in
                #expect(response.status == .seeOther)
            }
            #expect(try await store.alarm(id: alarm.id).alarm.state == .acknowledged)
            #expect(try await store.alarmHistory(id: alarm.id).last?.note == "已知")
        }
    }

    @Test("every alarm route is in the OpenAPI document", arguments: [TestDatabase.sqlite])
    func openAPI(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, _ in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response async throws in
                let document = try #require(try response.json() as? [String: Any])
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let routes: [(String, String)] = [
                    ("get", "/api/v1/alarms"), ("get", "/api/v1/alarms/{id}"), ("post", "/api/v1/alarms/{id}/acknowledge"),
                    ("post", "/api/v1/alarms/{id}/dispatch"), ("post", "/api/v1/alarms/{id}/close"), ("post", "/api/v1/alarms/{id}/notes"),
                    ("get", "/api/v1/alarm-rules"), ("post", "/api/v1/alarm-rules"), ("put", "/api/v1/alarm-rules/{id}"),
                    ("delete", "/api/v1/alarm-rules/{id}"), ("get", "/api/v1/webhooks"), ("post", "/api/v1/webhooks"),
                    ("delete", "/api/v1/webhooks/{id}"), ("get", "/api/v1/webhooks/{id}/deliveries"),
                ]
                for (method, path) in routes { #expect(paths[path]?[method] != nil, "\(method) \(path) undocumented") }
                let components = try #require(document["components"] as? [String: [String: Any]])
                let refs = response.text.matches(of: /"#\/components\/(\w+)\/(\w+)"/).map { (String($0.1), String($0.2)) }
                for (section, name) in refs { #expect(components[section]?[name] != nil, "dangling $ref \(section)/\(name)") }
            }
        }
    }
}
