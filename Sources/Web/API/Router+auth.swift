import Domain
import Foundation
import HTTPTypes
import Prometheus
import NIOCore
import Hummingbird
import Store

/// `POST /api/v1/auth/token` body.
struct TokenRequest: Decodable {
    var name: String
    var password: String
}

/// `POST /api/v1/auth/token` answer.
struct TokenResponse: Encodable {
    var token: String
    var tokenType = "Bearer"
    var expiresAt: Date
    var user: User

    enum CodingKeys: String, CodingKey { case token, tokenType = "token_type", expiresAt = "expires_at", user }
}

extension Router<AppRequestContext> {
    /// Bearer tokens for the API, and the current identity.
    func addAuthRoutes(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")
        api.post("auth/token") { request, context in
            let body = try await request.decode(as: TokenRequest.self, context: context)
            let user = try await store.authenticate(name: body.name, password: body.password)
            let issued = try await store.issueToken(for: user, kind: .api, lifetime: environment.configuration.tokenLifetime)
            return JSONResponse.make(TokenResponse(token: issued.token, expiresAt: issued.expiresAt, user: user), status: .created)
        }
        api.delete("auth/token") { request, context in
            _ = try context.requireUser()
            if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
                try await store.revokeToken(String(authorization.dropFirst(7)).trimmingCharacters(in: " "))
            }
            return Response(status: .noContent)
        }
        api.get("me") { _, context in
            JSONResponse.make(try context.requireUser())
        }
    }

    /// `GET /healthz`: the process is up and the database answers. `GET /metrics`: Prometheus text format.
    func addHealthRoutes(environment: WebEnvironment) {
        get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            let bytes = environment.metrics?.emitToBuffer() ?? []
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        get("healthz") { _, _ in
            let migrations = try await environment.store.appliedMigrations()
            return JSONResponse.make(Health(database: environment.store.engine.rawValue, migrations: migrations))
        }
    }
}

/// `GET /healthz` answer.
struct Health: Encodable {
    var status = "ok"
    var database: String
    var migrations: [String]
}
