import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing
import TestSupport

@Suite("POST /api/v1/observations: JSON and CSV import through the real router, all or nothing, idempotent")
struct ObservationImportAPITests {
    static let json = """
    {"observations": [
      {"site": "AIR-XC", "code": "a34004", "field": "Avg", "kind": "hour", "time": "2026-05-01T08:00:00+08:00", "value": 35, "flag": "N"},
      {"site": "AIR-XC", "code": "a34004", "kind": "hour", "time": "2026-05-01T01:00:00Z", "value": 41.5},
      {"site": "W-DNH-NQ", "code": "w21003", "kind": "day", "time": "2026-05-01", "value": 0.21, "flag": "N", "mn": "LAB-01"}
    ]}
    """

    static func prepare(_ store: Store) async throws -> String {
        try await store.saveSites(try DemoRegistry.wuxiSites(), actor: "test")
        return try await staffToken(store)
    }

    static func headers(_ token: String, _ type: String = "application/json") -> HTTPFields {
        [.authorization: "Bearer \(token)", .contentType: type]
    }

    @Test("JSON: stored with CN api under the import pseudo-MN, China time; a resend adds nothing; audited", arguments: TestDatabase.available)
    func json(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store async throws in
            let token = try await Self.prepare(store)
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.headers(token), body: jsonBody(Self.json)) { response async throws in
                #expect(response.status == .ok, "\(response.text)")
                let body = try #require(try response.json() as? [String: Any])
                #expect(body["received"] as? Int == 3 && body["new"] as? Int == 3 && body["already_stored"] as? Int == 0)
            }
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.headers(token), body: jsonBody(Self.json)) { response async throws in
                let body = try #require(try response.json() as? [String: Any])
                #expect(body["new"] as? Int == 0 && body["already_stored"] as? Int == 3)
            }
            let stored = try await store.observations(mn: "IMPORT-AIR-XC")
            #expect(stored.map { LocalTime.format($0.observation.dataTime) } == ["2026-05-01T08:00:00", "2026-05-01T09:00:00"])
            #expect(stored.allSatisfy { $0.observation.cn == "api" && $0.observation.siteCode == "AIR-XC" && $0.observation.kind == .hour })
            #expect(stored.map(\.observation.flag) == ["N", nil])
            let lab = try await store.observations(mn: "LAB-01")
            #expect(lab.count == 1 && lab[0].observation.kind == .day && lab[0].observation.value == 0.21)
            let audit = try await store.auditEntries(entity: "observations")
            #expect(audit.count == 2 && audit.allSatisfy { $0.action == "observations.import" && $0.actor == "staff1" })
            #expect(try await store.observationCount() == 3)
        }
    }

    @Test("CSV: local times and ISO 8601; bad rows refused with 422 naming line, column and problem; nothing stored",
          arguments: TestDatabase.available)
    func csv(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store async throws in
            let token = try await Self.prepare(store)
            let good = """
            site,code,field,kind,time,value,flag
            AIR-XC,a34004,Avg,hour,2026-05-01 08:00,35,N
            AIR-XC,a21005,Avg,hour,2026-05-01T09:00:00+08:00,0.612,
            N-XC-4A,Leq,Avg,hour,2026-05-01 23:00:00,57.4,N
            """
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.headers(token, "text/csv; charset=utf-8"),
                                     body: ByteBuffer(string: good)) { response async throws in
                #expect(response.status == .ok, "\(response.text)")
                #expect((try response.json() as? [String: Any])?["new"] as? Int == 3)
            }
            let co = try await store.observations(mn: "IMPORT-AIR-XC", code: "a21005")
            #expect(co.count == 1 && co[0].observation.valueText == "0.612" && co[0].observation.cn == "csv" && co[0].observation.flag == nil)

            let bad = """
            site,code,field,kind,time,value,flag
            AIR-XC,a34004,Avg,hour,2026-05-02 08:00,35,N
            AIR-XX,a34004,Avg,hour,2026-05-02 09:00,35,N
            AIR-XC,a34004,Avg,hourly,2026-05-02 10:00,35,N
            AIR-XC,a34004,Avg,hour,2026-05-02 11:00,abc,N
            AIR-XC,a34004,Avg,hour,2026-05-32 12:00,35,N
            AIR-XC,a34004,Avg,hour,2026-05-02 12:30,35,N
            AIR-XC,a34004,Avg,hour,2026-05-02 13:00,35,Q
            AIR-XC,a34004,Avg,hour,2026-05-02 08:00:00,36,N
            """
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.headers(token, "text/csv"),
                                     body: ByteBuffer(string: bad)) { response async throws in
                #expect(response.status == .unprocessableContent)
                let error = try #require((try response.json() as? [String: Any])?["error"] as? [String: Any])
                #expect(error["code"] as? String == "invalid_observations")
                let problems = try #require(error["problems"] as? [[String: Any]])
                let found = problems.map { "\($0["line"] as? Int ?? 0):\($0["column"] as? Int ?? 0):\($0["field"] as? String ?? "")" }
                #expect(found == ["3:1:site", "4:4:kind", "5:6:value", "6:5:time", "7:5:time", "8:7:flag", "9:5:time"])
                let messages = problems.compactMap { $0["message"] as? String }
                #expect(messages[0].contains("unknown site \"AIR-XX\""))
                #expect(messages[1].contains("unknown kind \"hourly\""))
                #expect(messages[2].contains("not a number"))
                #expect(messages[3].contains("bad time"))
                #expect(messages[4].contains("on the hour"))
                #expect(messages[6].contains("line 2"))
            }
            #expect(try await store.observationCount() == 3)
            #expect(try await store.observations(mn: "IMPORT-AIR-XC", from: LocalTime.parse("2026-05-02T00:00:00")).isEmpty)
        }
    }

    @Test("JSON problems name the entry and field; a body that is not an import is a 400", arguments: TestDatabase.available)
    func jsonProblems(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store async throws in
            let token = try await Self.prepare(store)
            let bad = """
            {"observations": [
              {"site": "AIR-XC", "code": "a34004", "kind": "hour", "time": "2026-05-01T08:00:00+08:00", "value": 35},
              {"site": "AIR-XC", "code": "a34004", "kind": "hour", "time": "2026-05-01T09:00:00+08:00", "value": "35"},
              {"site": "AIR-XC", "code": "a34004", "kind": "day", "time": "2026-05-01T10:00:00+08:00", "value": 35, "colour": "red"}
            ]}
            """
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.headers(token), body: jsonBody(bad)) { response async throws in
                #expect(response.status == .unprocessableContent)
                let error = try #require((try response.json() as? [String: Any])?["error"] as? [String: Any])
                let problems = try #require(error["problems"] as? [[String: Any]])
                #expect(problems.map { "\($0["line"] as? Int ?? 0):\($0["field"] as? String ?? "")" } == ["2:value", "3:colour", "3:time"])
            }
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.headers(token), body: jsonBody("[1, 2]")) { response async throws in
                #expect(response.status == .badRequest)
            }
            #expect(try await store.observationCount() == 0)
        }
    }

    @Test("staff or admin only: no token 401, a viewer 403, a cookie session needs the CSRF token", arguments: TestDatabase.available)
    func access(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store async throws in
            _ = try await Self.prepare(store)
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: [.contentType: "application/json"],
                                     body: jsonBody(Self.json)) { response async throws in
                #expect(response.status == .unauthorized)
            }
            let viewer = try await staffToken(store, role: .viewer, name: "viewer1")
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: Self.headers(viewer), body: jsonBody(Self.json)) { response async throws in
                #expect(response.status == .forbidden)
            }
            let user = try await store.addUser(name: "admin1", role: .admin, password: "password-admin1", actor: "test", cost: 4)
            let session = try await store.issueToken(for: user, kind: .session, lifetime: 3600).token
            let csrf = String(repeating: "c", count: 40)
            let cookie: HTTPFields = [.cookie: "qs_session=\(session); qs_csrf=\(csrf)", .contentType: "application/json"]
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: cookie, body: jsonBody(Self.json)) { response async throws in
                #expect(response.status == .forbidden)
            }
            var withToken = cookie
            withToken[HTTPField.Name("X-CSRF-Token")!] = csrf
            try await client.execute(uri: "/api/v1/observations", method: .post, headers: withToken, body: jsonBody(Self.json)) { response async throws in
                #expect(response.status == .ok)
            }
            #expect(try await store.observationCount() == 3)
        }
    }

    @Test("the import route is in the OpenAPI document")
    func documented() async throws {
        try await withApp(.sqlite, loadWuxi: false) { client, _ async throws in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response async throws in
                let document = try #require(try response.json() as? [String: Any])
                let paths = try #require(document["paths"] as? [String: Any])
                let item = try #require(paths["/api/v1/observations"] as? [String: Any])
                #expect(item["get"] != nil && item["post"] != nil)
            }
        }
    }
}
