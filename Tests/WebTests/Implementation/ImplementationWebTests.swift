import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing
import TestSupport
import Web

/// A browser-like signed-in user: a session cookie and the CSRF cookie.
struct Browser {
    let cookie: String
    let csrf: String
    let bearer: String

    static func signIn(_ store: Store, name: String, role: Role, organisation: String?) async throws -> Browser {
        let user = try await store.addUser(name: name, role: role, password: "password-\(name)", actor: "test", cost: 4)
        if let organisation, let org = try await store.organisationTree().named(organisation) {
            try await store.setUserOrganisation(userName: name, organisationID: org.id, actor: "test")
        }
        let session = try await store.issueToken(for: user, kind: .session, lifetime: 3600).token
        let bearer = try await store.issueToken(for: user, kind: .api, lifetime: 3600).token
        let csrf = String(repeating: "c", count: 40)
        return Browser(cookie: "qs_session=\(session); qs_csrf=\(csrf)", csrf: csrf, bearer: bearer)
    }

    var headers: HTTPFields { [.cookie: cookie] }

    var formHeaders: HTTPFields { [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"] }

    var api: HTTPFields { [.authorization: "Bearer \(bearer)", .contentType: "application/json"] }

    func form(_ fields: [String: String], csrf: Bool = true) -> ByteBuffer {
        var all = fields
        if csrf { all["csrf"] = self.csrf }
        return ByteBuffer(string: all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&"))
    }
}

func withImplementationApp(
    _ database: TestDatabase,
    _ test: @escaping @Sendable (any TestClientProtocol, Store, Plan, (staff: Browser, forestry: Browser, township: Browser)) async throws -> Void
) async throws {
    try await database.withStore { store in
        let plan = ImplementationSample.plan()
        try await store.importPlan(plan, actor: "system")
        try await store.seedOrganisations(WuxiOrganisations.seeds(extraUnits: plan.projects.flatMap(\.leadUnits)), actor: "system")
        let staff = try await Browser.signIn(store, name: "bureau", role: .staff, organisation: "县生态环境局")
        let forestry = try await Browser.signIn(store, name: "linye", role: .department, organisation: "县林业局")
        let township = try await Browser.signIn(store, name: "hongchiba", role: .township, organisation: "红池坝镇")
        try await store.applySuggestedAssignments(plan: plan, actor: .system())
        let environment = try WebEnvironment(store: store, configuration: WebConfiguration())
        let app = Application(router: buildRouter(environment: environment))
        try await app.test(.router) { client in try await test(client, store, plan, (staff, forestry, township)) }
    }
}

@Suite("Plan implementation through the real router")
struct ImplementationWebTests {
    @Test("a township user is refused another unit's records, in the API and in pages", arguments: TestDatabase.available)
    func refusal(database: TestDatabase) async throws {
        try await withImplementationApp(database) { client, store, plan, users async throws in
            let base = "/implementation/\(plan.id)"
            try await client.execute(uri: base, method: .get) { response async throws in #expect(response.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/implementation/\(plan.id)/indicators/3/values", method: .get, headers: users.township.api) { response async throws in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("\"code\":\"forbidden\""))
            }
            try await client.execute(uri: "/api/v1/implementation/\(plan.id)/indicators/3/values/2023", method: .put, headers: users.township.api,
                                     body: ByteBuffer(string: #"{"value":"80","source":"x"}"#)) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "\(base)/indicators/3", method: .get, headers: users.township.headers) { response async throws in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("无权"))
            }
            try await client.execute(uri: "\(base)/indicators/3/2023/save", method: .post, headers: users.township.formHeaders,
                                     body: users.township.form(["value": "80", "source": "x"])) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "\(base)/projects/3", method: .get, headers: users.township.headers) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "\(base)/reports/final", method: .get, headers: users.township.headers) { response async throws in
                #expect(response.status == .forbidden)
            }
            let forestryID = try await store.organisationTree().named("县林业局")!.id
            try await client.execute(uri: "\(base)/responsibility/\(forestryID)", method: .get, headers: users.township.headers) { response async throws in
                #expect(response.status == .forbidden)
            }
            // Their own: the project in 红池坝镇 is readable and the overview lists only what is theirs.
            try await client.execute(uri: "\(base)/projects/2", method: .get, headers: users.township.headers) { response async throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "\(base)/projects", method: .get, headers: users.township.headers) { response async throws in
                #expect(response.text.contains("红池坝镇污水处理站"))
                #expect(!response.text.contains("国土绿化提升"))
            }
            try await client.execute(uri: "/api/v1/implementation/\(plan.id)/indicators", method: .get, headers: users.township.api) { response async throws in
                #expect((try response.json() as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/api/v1/implementation/\(plan.id)/indicators", method: .get, headers: users.forestry.api) { response async throws in
                let list = try #require(try response.json() as? [[String: Any]])
                #expect(list.compactMap { $0["number"] as? Int } == [3])
            }
        }
    }

    @Test("a department enters a year's value through the pages; the bureau returns it, then approves the correction",
          arguments: TestDatabase.available)
    func workflowThroughPages(database: TestDatabase) async throws {
        try await withImplementationApp(database) { client, store, plan, users async throws in
            let base = "/implementation/\(plan.id)"
            try await client.execute(uri: "\(base)/indicators/3", method: .get, headers: users.forestry.headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("name=\"csrf\" value=\"\(users.forestry.csrf)\""))
                #expect(response.text.contains("当年审核值 ≥ 72 为达标"))
            }
            // No CSRF token: refused.
            try await client.execute(uri: "\(base)/indicators/3/2025/save", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form(["value": "71.5", "source": "林业统计年报"], csrf: false)) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "\(base)/indicators/3/2025/save", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form(["value": "71.5", "source": "林业统计年报"])) { response async throws in
                #expect(response.status == .seeOther)
            }
            // Evidence as multipart/form-data.
            let boundary = "----qingshan-test"
            var multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(users.forestry.csrf)\r\n"
            multipart += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"森林资源年报.txt\"\r\nContent-Type: text/plain\r\n\r\n森林覆盖率 71.5%\r\n--\(boundary)--\r\n"
            try await client.execute(uri: "\(base)/indicators/3/2025/evidence", method: .post,
                                     headers: [.cookie: users.forestry.cookie, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                     body: ByteBuffer(string: multipart)) { response async throws in
                #expect(response.status == .seeOther)
            }
            let evidence = try #require(try await store.indicatorValues(planID: plan.id, number: 3, year: 2025).first?.evidence.first)
            #expect(evidence.fileName == "森林资源年报.txt")
            try await client.execute(uri: "/implementation/evidence/\(evidence.id)", method: .get, headers: users.forestry.headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text == "森林覆盖率 71.5%")
            }
            try await client.execute(uri: "/implementation/evidence/\(evidence.id)", method: .get, headers: users.township.headers) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "\(base)/indicators/3/2025/submit", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form([:])) { response async throws in #expect(response.status == .seeOther) }
            // The unit cannot approve its own figure.
            try await client.execute(uri: "\(base)/indicators/3/2025/approve", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form([:])) { response async throws in #expect(response.status == .forbidden) }
            // A return needs a reason.
            try await client.execute(uri: "\(base)/indicators/3/2025/return", method: .post, headers: users.staff.formHeaders,
                                     body: users.staff.form(["reason": ""])) { response async throws in #expect(response.status == .unprocessableContent) }
            try await client.execute(uri: "\(base)/indicators/3/2025/return", method: .post, headers: users.staff.formHeaders,
                                     body: users.staff.form(["reason": "与林地年度变更调查不一致"])) { response async throws in #expect(response.status == .seeOther) }
            try await client.execute(uri: "\(base)/indicators/3", method: .get, headers: users.forestry.headers) { response async throws in
                #expect(response.text.contains("与林地年度变更调查不一致"))
                #expect(response.text.contains("已退回"))
            }
            try await client.execute(uri: "\(base)/indicators/3/2025/save", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form(["value": "72.3", "source": "林地年度变更调查"])) { response async throws in #expect(response.status == .seeOther) }
            try await client.execute(uri: "\(base)/indicators/3/2025/submit", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form([:])) { response async throws in #expect(response.status == .seeOther) }
            try await client.execute(uri: "\(base)?year=2025", method: .get, headers: users.staff.headers) { response async throws in
                #expect(response.text.contains("待审核"))
            }
            try await client.execute(uri: "\(base)/indicators/3/2025/approve", method: .post, headers: users.staff.formHeaders,
                                     body: users.staff.form([:])) { response async throws in #expect(response.status == .seeOther) }
            let record = try #require(try await store.indicatorValues(planID: plan.id, number: 3, year: 2025).first)
            #expect(record.workflow.state == .approved && record.value == 72.3 && record.workflow.round == 2)
            // An approved value is locked.
            try await client.execute(uri: "\(base)/indicators/3/2025/save", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form(["value": "1", "source": "x"])) { response async throws in #expect(response.status == .conflict) }
            try await client.execute(uri: "\(base)/indicators/3?year=2025", method: .get, headers: users.forestry.headers) { response async throws in
                #expect(response.text.contains("已达标"))
                #expect(response.text.contains("<svg"))
                #expect(response.text.contains("indicator_value.approve"))
            }
            try await client.execute(uri: "\(base)/audit.csv", method: .get, headers: users.staff.headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("indicator_value.return"))
                #expect(response.text.contains("与林地年度变更调查不一致"))
            }
            try await client.execute(uri: "\(base)/audit.csv", method: .get, headers: users.forestry.headers) { response async throws in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test("progress, tasks and the final evaluation as HTML, CSV and a workbook that agree with the figures entered",
          arguments: TestDatabase.available)
    func reports(database: TestDatabase) async throws {
        try await withImplementationApp(database) { client, store, plan, users async throws in
            let base = "/implementation/\(plan.id)"
            let api = "/api/v1/implementation/\(plan.id)"
            try await client.execute(uri: "\(api)/indicators/3/values/2025", method: .put, headers: users.forestry.api,
                                     body: ByteBuffer(string: #"{"value":"72.6","source":"林业统计年报"}"#)) { response async throws in
                #expect(response.status == .ok)
            }
            for action in ["submit"] {
                try await client.execute(uri: "\(api)/indicators/3/values/2025/\(action)", method: .post, headers: users.forestry.api,
                                         body: ByteBuffer(string: "{}")) { response async throws in #expect(response.status == .ok) }
            }
            try await client.execute(uri: "\(api)/indicators/3/values/2025/approve", method: .post, headers: users.staff.api,
                                     body: ByteBuffer(string: "{}")) { response async throws in #expect(response.status == .ok) }
            try await client.execute(uri: "\(base)/projects/3/progress", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form(["year": "2025", "in_place_fiscal": "1500", "in_place_social": "400", "spent_fiscal": "1200",
                                                                "spent_social": "300", "physical_progress": "80", "status": "in_progress"])) { response async throws in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "\(base)/projects/3/progress", method: .post, headers: users.forestry.formHeaders,
                                     body: users.forestry.form(["year": "2025", "spent_fiscal": "9000", "status": "in_progress"])) { response async throws in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "\(api)/projects?year=2025", method: .get, headers: users.staff.api) { response async throws in
                let body = try #require(try response.json() as? [String: Any])
                let total = try #require(body["total"] as? [String: Any])
                #expect(total["spent"] as? Double == 1500)
                #expect((body["by_township"] as? [[String: Any]])?.isEmpty == false)
            }
            let forestryID = try await store.organisationTree().named("县林业局")!.id
            try await client.execute(uri: "\(base)/tasks", method: .post, headers: users.staff.formHeaders,
                                     body: users.staff.form(["year": "2025", "key_task": "国土绿化", "title": "完成森林抚育 6 万亩",
                                                             "organisation_id": String(forestryID), "deadline": "2025-06-30"])) { response async throws in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "\(base)/responsibility/\(forestryID)?year=2025", method: .get, headers: users.forestry.headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("完成森林抚育 6 万亩") && response.text.contains("森林覆盖率") && response.text.contains("国土绿化提升"))
            }
            try await client.execute(uri: "\(base)/reports/final/narrative", method: .post, headers: users.staff.formHeaders,
                                     body: users.staff.form(["year": "2025", "overview": "规划目标总体完成"])) { response async throws in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "\(base)/reports/final", method: .get, headers: users.staff.headers) { response async throws in
                #expect(response.status == .ok)
                let html = response.text
                for text in ["终期评估报告", "72.6", "已达标", "<svg", "规划目标总体完成", "1500", "完成森林抚育 6 万亩", "section class=\"cover\""] {
                    #expect(html.contains(text), "report lacks \(text)")
                }
                #expect(!html.contains("<script"))
            }
            try await client.execute(uri: "\(base)/reports/final?format=csv", method: .get, headers: users.staff.headers) { response async throws in
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(response.text.contains("森林覆盖率") && response.text.contains("72.6") && response.text.contains("已达标"))
            }
            try await client.execute(uri: "\(base)/reports/final?format=xlsx", method: .get, headers: users.staff.headers) { response async throws in
                let bytes = Array(response.body.readableBytesView)
                #expect(bytes.prefix(4) == [0x50, 0x4B, 0x03, 0x04])
                let text = String(decoding: bytes, as: UTF8.self)
                for part in ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet6.xml", "xl/styles.xml", "72.6", "森林覆盖率"] {
                    #expect(text.contains(part), "workbook lacks \(part)")
                }
                #expect(response.headers[.contentDisposition]?.contains(".xlsx") == true)
            }
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response async throws in
                #expect(response.text.contains("/api/v1/implementation/{plan}/indicators/{number}/values/{year}"))
            }
        }
    }
}

@Suite("Implementation over the Wuxi plan through the real router")
struct ImplementationWuxiWebTests {
    @Test("staff seed the units through the page; a township user is refused the bureau's indicator; the workbook holds all 19",
          arguments: TestDatabase.available)
    func wuxi(database: TestDatabase) async throws {
        try await withApp(database) { client, store async throws in
            let staff = try await Browser.signIn(store, name: "bureau", role: .staff, organisation: nil)
            try await client.execute(uri: "/implementation/organisations/seed", method: .post, headers: staff.formHeaders,
                                     body: staff.form([:])) { response async throws in #expect(response.status == .seeOther) }
            #expect(try await store.organisationTree().named("县文化旅游委") != nil)
            try await client.execute(uri: "/implementation/wuxi-2021-2025/assign-suggested", method: .post, headers: staff.formHeaders,
                                     body: staff.form([:])) { response async throws in #expect(response.status == .seeOther) }
            let township = try await Browser.signIn(store, name: "ningchang", role: .township, organisation: "宁厂镇")
            let forestry = try await Browser.signIn(store, name: "linye", role: .department, organisation: "县林业局")
            try await client.execute(uri: "/implementation/wuxi-2021-2025/indicators/8", method: .get, headers: township.headers) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/implementation/wuxi-2021-2025/indicators/8/values/2023", method: .put, headers: township.api,
                                     body: ByteBuffer(string: #"{"value":"350","source":"x"}"#)) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/implementation/wuxi-2021-2025", method: .get, headers: forestry.headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("森林覆盖率") && response.text.contains("自然保护地面积占比"))
                #expect(!response.text.contains("细颗粒物"))
            }
            try await client.execute(uri: "/implementation/wuxi-2021-2025/reports/final?format=xlsx", method: .get, headers: staff.headers) { response async throws in
                #expect(response.status == .ok)
                let text = String(decoding: Array(response.body.readableBytesView), as: UTF8.self)
                #expect(text.contains("二级以上医疗机构医疗废物集中无害化处置率") && text.contains("69080"))
            }
            try await client.execute(uri: "/implementation/wuxi-2021-2025/reports/midterm", method: .get, headers: staff.headers) { response async throws in
                #expect(response.text.contains("中期评估报告") && response.text.contains("2023"))
            }
        }
    }
}
