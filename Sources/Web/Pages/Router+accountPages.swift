import Domain
import Foundation
import Hummingbird
import Store

/// The login form's fields.
struct LoginForm: Decodable {
    var csrf: String?
    var name: String
    var password: String
    var next: String?
}

/// The logout form's fields.
struct LogoutForm: Decodable {
    var csrf: String?
}

extension Router<AppRequestContext> {
    /// Login and logout. The session cookie is HttpOnly and SameSite=Lax; every form carries the CSRF token.
    func addAccountPages(environment: WebEnvironment) {
        let store = environment.store

        get("login") { request, context in
            let t = Strings(context.language)
            return context.page(t["login.title"], path: request.uri.path,
                                AccountPages.login(t: t, name: "", failed: false, next: request.uri.queryParameters.get("next")))
        }

        post("login") { request, context in
            let form = try await request.decode(as: LoginForm.self, context: context)
            try request.verifyCSRF(form.csrf, context: context)
            let t = Strings(context.language)
            do {
                let user = try await store.authenticate(name: form.name, password: form.password)
                let issued = try await store.issueToken(for: user, kind: .session, lifetime: environment.configuration.sessionLifetime)
                let target = AccountPages.safeRedirect(form.next)
                var response = Response(status: .seeOther, headers: [.location: target])
                response.setCookie(Cookie(
                    name: IdentityMiddleware.sessionCookie, value: issued.token, maxAge: Int(environment.configuration.sessionLifetime),
                    path: "/", secure: environment.configuration.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            } catch let error as AccountError where error.isBadCredentials {
                return context.page(t["login.title"], path: "/login", status: .unauthorized,
                                    AccountPages.login(t: t, name: form.name, failed: true, next: form.next))
            }
        }

        post("logout") { request, context in
            let form = try await request.decode(as: LogoutForm.self, context: context)
            try request.verifyCSRF(form.csrf, context: context)
            if let session = request.cookies[IdentityMiddleware.sessionCookie]?.value {
                try await store.revokeToken(session)
            }
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.setCookie(Cookie(name: IdentityMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
            return response
        }
    }
}

/// The account pages' HTML.
enum AccountPages {
    static func login(t: Strings, name: String, failed: Bool, next: String?) -> String {
        """
        <section class="panel" style="max-width:32rem">
        <h1>\(t["login.title"])</h1>
        \(failed ? "<p class=\"problems\">\(t["login.failed"])</p>" : "")
        <form method="post" action="/login">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="\(esc(next ?? "/"))">
        <label for="name">\(t["login.name"])</label>
        <input type="text" id="name" name="name" value="\(esc(name))" autocomplete="username" required autofocus>
        <label for="password">\(t["login.password"])</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required>
        <button type="submit">\(t["login.submit"])</button>
        </form>
        <p class="muted">\(t["login.hint"])</p>
        </section>
        """
    }

    /// Only same-site paths are followed after login, so the form cannot be used to redirect elsewhere.
    static func safeRedirect(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }
}
