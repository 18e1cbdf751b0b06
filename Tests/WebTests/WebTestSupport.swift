import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import TestSupport
import Web

/// Runs the real router in-process over a fresh database loaded with the Wuxi plan.
func withApp(
    _ database: TestDatabase, loadWuxi: Bool = true,
    _ test: @escaping @Sendable (any TestClientProtocol, Store) async throws -> Void
) async throws {
    try await database.withStore { store in
        if loadWuxi { try await store.importPlan(try Fixtures.wuxi(), actor: "system") }
        let environment = try WebEnvironment(store: store, configuration: WebConfiguration())
        let app = Application(router: buildRouter(environment: environment))
        try await app.test(.router) { client in try await test(client, store) }
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body as JSON.
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// The value of a `Set-Cookie` for `name`, and the whole header line.
    func cookie(_ name: String) -> (value: String, line: String)? {
        for field in headers where field.name == .setCookie {
            let line = field.value
            if line.hasPrefix(name + "=") {
                let value = line.dropFirst(name.count + 1).prefix { $0 != ";" }
                return (String(value), line)
            }
        }
        return nil
    }
}

/// A staff user and its bearer token.
func staffToken(_ store: Store, role: Role = .staff, name: String = "staff1") async throws -> String {
    let user = try await store.addUser(name: name, role: role, password: "password-\(name)", actor: "test", cost: 4)
    return try await store.issueToken(for: user, kind: .api, lifetime: 3600).token
}

func jsonBody(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
