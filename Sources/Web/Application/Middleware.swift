import Hummingbird
import Domain
import Foundation
import HTTPTypes
import Logging
import NIOCore
import Store

/// Turns every error into the right status and a uniform body: `{"error": {"code", "message"}}` for the API, a plain
/// page for the HTML side. This is the only place where errors meet HTTP status codes.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = APIProblem(error)
            if problem.status == .internalServerError {
                context.logger.error("request failed: \(String(reflecting: error))")
            }
            if request.uri.path.hasPrefix("/api/") || request.headers[.accept]?.contains("application/json") == true {
                return problem.jsonResponse()
            }
            return HTMLPage.errorPage(problem, language: context.language, identity: context.identity)
                .response(status: problem.status, cookies: [])
        }
    }
}

/// Headers that keep pages from being framed, sniffed or loading anything from elsewhere.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
        return response
    }
}

/// Finds out who is asking (bearer token, else session cookie), in which language, and gives the browser its CSRF
/// token (a double-submit cookie, `SameSite=Strict`).
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: Store

    static let sessionCookie = "qs_session"
    static let csrfCookie = "qs_csrf"
    static let languageCookie = "qs_lang"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            let token = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: " ")
            guard let user = try await store.user(forToken: token) else {
                throw HTTPError(.unauthorized, message: "the bearer token is not valid or has expired")
            }
            context.identity = user
            context.viaBearerToken = true
        } else if let session = request.cookies[IdentityMiddleware.sessionCookie]?.value {
            context.identity = try await store.user(forToken: session)
        }
        let queryLanguage = request.uri.queryParameters.get("lang")
        context.language = Language.negotiate(
            query: queryLanguage, cookie: request.cookies[IdentityMiddleware.languageCookie]?.value,
            acceptLanguage: request.headers[.acceptLanguage])
        var newCSRF: String?
        if let existing = request.cookies[IdentityMiddleware.csrfCookie]?.value, existing.count >= 32 {
            context.csrfToken = existing
        } else {
            let token = Store.randomToken()
            context.csrfToken = token
            newCSRF = token
        }
        var response = try await next(request, context)
        if let newCSRF {
            response.setCookie(Cookie(name: IdentityMiddleware.csrfCookie, value: newCSRF, path: "/", httpOnly: true, sameSite: .strict))
        }
        if let queryLanguage, let language = Language(code: queryLanguage) {
            response.setCookie(Cookie(name: IdentityMiddleware.languageCookie, value: language.rawValue, maxAge: 365 * 86400,
                                      path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

extension AppRequestContext {
    /// The signed-in user, or a 401.
    func requireUser() throws -> User {
        guard let identity else { throw HTTPError(.unauthorized, message: "sign in first") }
        return identity
    }

    /// The signed-in user if they may write official records, else 401 or 403.
    func requireStaff() throws -> User {
        let user = try requireUser()
        guard user.role.canWrite else { throw HTTPError(.forbidden, message: "this needs the staff or admin role") }
        return user
    }
}

extension Request {
    /// Checks the CSRF token of a form post or cookie-authenticated API write against the browser's cookie.
    /// Requests authenticated by a bearer token need no CSRF token (no cookie is involved).
    /// - Parameters:
    ///   - submitted: the token from the form field or `X-CSRF-Token` header.
    ///   - context: the request context.
    func verifyCSRF(_ submitted: String?, context: AppRequestContext) throws {
        if context.viaBearerToken { return }
        let submitted = submitted ?? headers[HTTPField.Name("X-CSRF-Token")!]
        guard let cookie = cookies[IdentityMiddleware.csrfCookie]?.value, let submitted, !cookie.isEmpty,
              constantTimeEqual(cookie, submitted) else {
            throw HTTPError(.forbidden, message: "the form's security token is missing or stale; reload the page and try again")
        }
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
