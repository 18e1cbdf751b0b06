import Domain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Store
import Testing
import TestSupport
import Web

@Suite("Pages and sign-in through the real router")
struct PageTests {
    @Test("home and plan overview, Chinese by default and English on request", arguments: [TestDatabase.sqlite])
    func pages(database: TestDatabase) async throws {
        try await withApp(database) { client, _ async throws in
            try await client.execute(uri: "/", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("lang=\"zh-CN\""))
                #expect(response.text.contains("巫溪县"))
                #expect(!response.text.contains("http://") || !response.text.contains("<script src=\"http"))
            }
            try await client.execute(uri: "/plans/wuxi-2021-2025", method: .get) { response async throws in
                let html = response.text
                #expect(response.status == .ok)
                for text in ["目标指标", "项目台账", "政策台账", "亮点台账", "水污染防治工程", "环境能力及示范建设工程", "69080", "35730",
                             "生态保护红线面积占比", "≧330", "[16.5]", "1700（国家680，市级408，县612）", "中央环保专项资金"] {
                    #expect(html.contains(text), "page lacks \(text)")
                }
                #expect(!html.contains("https://"), "no external request")
            }
            try await client.execute(uri: "/plans/wuxi-2021-2025?lang=en", method: .get) { response async throws in
                #expect(response.text.contains("lang=\"en\""))
                #expect(response.text.contains("Project ledger"))
                #expect(response.cookie("qs_lang")?.value == "en")
            }
            try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.9,zh;q=0.5"]) { response in
                #expect(response.text.contains("lang=\"en\""))
            }
            try await client.execute(uri: "/assets/app.css", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("@media print"))
            }
            try await client.execute(uri: "/plans/none", method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.text.contains("未找到"))
            }
        }
    }

    @Test("sign-in sets an HttpOnly SameSite session cookie; forms need the CSRF token", arguments: [TestDatabase.sqlite])
    func login(database: TestDatabase) async throws {
        try await withApp(database) { client, store async throws in
            try await store.addUser(name: "li", role: .staff, password: "s3cret-pass", actor: "test", cost: 4)
            let csrf = try await client.execute(uri: "/login", method: .get) { response async throws in
                #expect(response.status == .ok)
                return try #require(response.cookie("qs_csrf")).value
            }
            let form: [HTTPField] = [HTTPField(name: .contentType, value: "application/x-www-form-urlencoded")]
            // Without the token: refused.
            try await client.execute(uri: "/login", method: .post, headers: HTTPFields(form + [HTTPField(name: .cookie, value: "qs_csrf=\(csrf)")]),
                                     body: ByteBuffer(string: "name=li&password=s3cret-pass")) { response in
                #expect(response.status == .forbidden)
            }
            // Wrong password: the form again, 401.
            try await client.execute(uri: "/login", method: .post, headers: HTTPFields(form + [HTTPField(name: .cookie, value: "qs_csrf=\(csrf)")]),
                                     body: ByteBuffer(string: "csrf=\(csrf)&name=li&password=nope")) { response in
                #expect(response.status == .unauthorized)
                #expect(response.text.contains("用户名或密码错误"))
            }
            let session = try await client.execute(
                uri: "/login", method: .post, headers: HTTPFields(form + [HTTPField(name: .cookie, value: "qs_csrf=\(csrf)")]),
                body: ByteBuffer(string: "csrf=\(csrf)&name=li&password=s3cret-pass&next=%2Fplans%2Fimport")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/plans/import")
                let cookie = try #require(response.cookie("qs_session"))
                #expect(cookie.line.contains("HttpOnly"))
                #expect(cookie.line.contains("SameSite=Lax"))
                return cookie.value
            }
            let cookies = "qs_csrf=\(csrf); qs_session=\(session)"
            try await client.execute(uri: "/plans/import", method: .get, headers: [.cookie: cookies]) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("name=\"csrf\" value=\"\(csrf)\""))
            }
            // A broken plan through the form: listed problems, nothing stored.
            var plan = try Fixtures.wuxi()
            plan.id = "form-test"
            plan.projectsTotal = 1
            let encoded = String(decoding: PlanFile.encode(plan), as: UTF8.self)
                .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/plans/import", method: .post, headers: HTTPFields(form + [HTTPField(name: .cookie, value: cookies)]),
                                     body: ByteBuffer(string: "csrf=\(csrf)&plan=\(encoded)")) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("projects_total"))
            }
            #expect(try await store.plan("form-test") == nil)
            // Signed out, the import page needs sign-in.
            try await client.execute(uri: "/plans/import", method: .get) { response async throws in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
