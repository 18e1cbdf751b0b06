public import Domain
public import Hummingbird
import Foundation
import NIOCore

/// The request context of every route: Hummingbird's core storage plus who is asking and in which language.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, set by ``IdentityMiddleware`` from a session cookie or a bearer token.
    public var identity: User?
    /// The language pages are rendered in.
    public var language: Language = .zh
    /// Whether the identity came from a bearer token (API) rather than the session cookie.
    public var viaBearerToken = false
    /// The CSRF token of this browser (double-submit cookie), put into every form.
    public var csrfToken = ""

    /// Creates the context for a request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Plan files and CSV uploads can be several megabytes.
    public var maxUploadSize: Int { 32 * 1024 * 1024 }
}

extension AppRequestContext {
    /// Decodes JSON bodies and HTML form posts (`application/x-www-form-urlencoded`).
    public var requestDecoder: AppRequestDecoder { AppRequestDecoder() }
}

/// Picks the decoder by the request's content type: URL-encoded forms for HTML posts, JSON otherwise.
public struct AppRequestDecoder: RequestDecoder {
    /// Decodes the body of `request` as `type`.
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        if request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            return try await URLEncodedFormDecoder().decode(type, from: request, context: context)
        }
        return try await JSONDecoder().decode(type, from: request, context: context)
    }
}
