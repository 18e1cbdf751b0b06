import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Store
import Testing
import TestSupport
import Web

@Suite("Plan JSON API through the real router")
struct PlanAPITests {
    @Test("GET /api/v1/plans lists the Wuxi plan", arguments: TestDatabase.available)
    func list(database: TestDatabase) async throws {
        try await withApp(database) { client, _ async throws in
            try await client.execute(uri: "/api/v1/plans", method: .get) { response async throws in
                #expect(response.status == .ok)
                let plans = try #require(try response.json() as? [[String: Any]])
                #expect(plans.count == 1)
                #expect(plans[0]["id"] as? String == "wuxi-2021-2025")
                #expect(plans[0]["county"] as? String == "巫溪县")
                #expect(plans[0]["province"] as? String == "重庆市")
                #expect(plans[0]["start_year"] as? Int == 2021)
                #expect(plans[0]["vision_year"] as? Int == 2035)
            }
        }
    }

    @Test("indicators carry the checked keys and cell objects", arguments: TestDatabase.available)
    func indicators(database: TestDatabase) async throws {
        try await withApp(database) { client, _ async throws in
            try await client.execute(uri: "/api/v1/plans/wuxi-2021-2025/indicators", method: .get) { response async throws in
                #expect(response.status == .ok)
                let list = try #require(try response.json() as? [[String: Any]])
                #expect(list.count == 19)
                for indicator in list {
                    for key in ["number", "domain", "name", "unit", "type", "baseline", "target"] { #expect(indicator[key] != nil, "missing \(key)") }
                    #expect(["binding", "expected"].contains(indicator["type"] as? String ?? ""))
                    for cellKey in ["baseline", "target"] {
                        let cell = try #require(indicator[cellKey] as? [String: Any])
                        for key in ["year", "text", "value", "comparator", "cumulative"] { #expect(cell.keys.contains(key), "\(cellKey) missing \(key)") }
                    }
                }
                let eight = try #require(list.first { $0["number"] as? Int == 8 })
                let target = try #require(eight["target"] as? [String: Any])
                #expect(target["text"] as? String == "≧330")
                #expect(target["value"] as? Double == 330)
                #expect(target["comparator"] as? String == "≥")
                let five = try #require(list.first { $0["number"] as? Int == 5 })
                #expect((five["target"] as? [String: Any])?["cumulative"] as? Bool == true)
                #expect((five["target"] as? [String: Any])?["value"] as? Double == 16.5)
                let one = try #require(list.first { $0["number"] as? Int == 1 })
                #expect((one["target"] as? [String: Any])?["value"] is NSNull)
            }
        }
    }

    @Test("projects filter by category and lead unit; the summary adds up", arguments: TestDatabase.available)
    func projects(database: TestDatabase) async throws {
        try await withApp(database) { client, _ async throws in
            let category = "大气污染防治工程".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            try await client.execute(uri: "/api/v1/plans/wuxi-2021-2025/projects?category=\(category)", method: .get) { response async throws in
                let list = try #require(try response.json() as? [[String: Any]])
                #expect(list.map { $0["number"] as? Int } == [7, 8, 9])
                let first = list[0]
                for key in ["number", "category", "name", "lead_units", "content", "location", "years", "investment", "remark"] {
                    #expect(first[key] != nil, "missing \(key)")
                }
                let investment = try #require(first["investment"] as? [String: Any])
                #expect(Set(investment.keys).isSuperset(of: ["total", "fiscal", "social", "other"]))
            }
            let unit = "县水利局".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            try await client.execute(uri: "/api/v1/plans/wuxi-2021-2025/projects?lead_unit=\(unit)", method: .get) { response async throws in
                let list = try #require(try response.json() as? [[String: Any]])
                #expect(!list.isEmpty)
                #expect(list.allSatisfy { ($0["lead_units"] as? [String])?.contains("县水利局") == true })
            }
            try await client.execute(uri: "/api/v1/plans/wuxi-2021-2025/projects/summary", method: .get) { response async throws in
                let summary = try #require(try response.json() as? [String: Any])
                #expect(summary["total"] as? Double == 69080)
                let categories = try #require(summary["categories"] as? [[String: Any]])
                #expect(categories.count == 8)
                #expect(categories[0]["name"] as? String == "水污染防治工程")
                #expect(categories[0]["count"] as? Int == 6)
                #expect(categories[0]["total"] as? Double == 35730)
            }
        }
    }

    @Test("review, policies, highlights and the whole plan", arguments: TestDatabase.available)
    func others(database: TestDatabase) async throws {
        try await withApp(database) { client, _ async throws in
            try await client.execute(uri: "/api/v1/plans/wuxi-2021-2025/review", method: .get) { response async throws in
                let review = try #require(try response.json() as? [String: Any])
                #expect((review["indicators"] as? [Any])?.count == 19)
            }
            try await client.execute(uri: "/api/v1/plans/wuxi-2021-2025/policies", method: .get) { response async throws in
                #expect((try response.json() as? [Any])?.count == 8)
            }
            try await client.execute(uri: "/api/v1/plans/wuxi-2021-2025/highlights", method: .get) { response async throws in
                #expect((try response.json() as? [Any])?.count == 20)
            }
            try await client.execute(uri: "/api/v1/plans/wuxi-2021-2025", method: .get) { response async throws in
                let plan = try #require(try response.json() as? [String: Any])
                #expect(plan["id"] as? String == "wuxi-2021-2025")
                #expect((plan["projects"] as? [Any])?.count == 38)
            }
            try await client.execute(uri: "/api/v1/plans/nope", method: .get) { response async throws in
                #expect(response.status == .notFound)
                let body = try #require(try response.json() as? [String: Any])
                let error = try #require(body["error"] as? [String: Any])
                #expect(error["code"] as? String == "not_found")
                #expect((error["message"] as? String)?.contains("nope") == true)
            }
        }
    }

    @Test("importing needs staff; a broken file is refused with nothing stored", arguments: TestDatabase.available)
    func importing(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store async throws in
            var plan = try Fixtures.wuxi()
            let good = String(decoding: PlanFile.encode(plan), as: UTF8.self)
            try await client.execute(uri: "/api/v1/plans", method: .post, body: jsonBody(good)) { response in
                #expect(response.status == .unauthorized)
            }
            let viewer = try await staffToken(store, role: .viewer, name: "viewer1")
            try await client.execute(uri: "/api/v1/plans", method: .post, headers: [.authorization: "Bearer \(viewer)"], body: jsonBody(good)) { response in
                #expect(response.status == .forbidden)
            }
            let staff = try await staffToken(store)
            plan.projectCategories[1].subtotal = 1301
            let broken = String(decoding: PlanFile.encode(plan), as: UTF8.self)
            try await client.execute(uri: "/api/v1/plans", method: .post, headers: [.authorization: "Bearer \(staff)"], body: jsonBody(broken)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("大气污染防治工程"))
                #expect(response.text.contains("invalid_plan"))
            }
            #expect(try await store.planSummaries().isEmpty)
            try await client.execute(uri: "/api/v1/plans", method: .post, headers: [.authorization: "Bearer \(staff)"], body: jsonBody(good)) { response in
                #expect(response.status == .created)
            }
            #expect(try await store.planSummaries().count == 1)
            #expect(try await store.auditEntries(entity: "plan").first?.actor == "staff1")
        }
    }

    @Test("the OpenAPI document is 3.1 and describes every API route", arguments: [TestDatabase.sqlite])
    func openAPI(database: TestDatabase) async throws {
        try await withApp(database) { client, _ async throws in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response async throws in
                let document = try #require(try response.json() as? [String: Any])
                #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let routes: [(String, String)] = [
                    ("get", "/api/v1/plans"), ("post", "/api/v1/plans"), ("get", "/api/v1/plans/{id}"),
                    ("get", "/api/v1/plans/{id}/indicators"), ("get", "/api/v1/plans/{id}/review"),
                    ("get", "/api/v1/plans/{id}/projects"), ("get", "/api/v1/plans/{id}/projects/summary"),
                    ("get", "/api/v1/plans/{id}/policies"), ("get", "/api/v1/plans/{id}/highlights"),
                    ("get", "/api/v1/plans/{id}/export"), ("get", "/api/v1/openapi.json"), ("post", "/api/v1/auth/token"),
                    ("delete", "/api/v1/auth/token"), ("get", "/api/v1/me"), ("get", "/api/v1/audit"), ("get", "/healthz"),
                ]
                for (method, path) in routes { #expect(paths[path]?[method] != nil, "\(method) \(path) undocumented") }
                // Every $ref points at something that exists.
                let text = response.text
                let components = try #require(document["components"] as? [String: [String: Any]])
                let refs = text.matches(of: /"#\/components\/(\w+)\/(\w+)"/).map { (String($0.1), String($0.2)) }
                for (section, name) in refs { #expect(components[section]?[name] != nil, "dangling $ref \(section)/\(name)") }
            }
        }
    }
}
