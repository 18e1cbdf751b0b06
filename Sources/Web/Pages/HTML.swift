import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Escapes text for HTML element content and attribute values.
func esc(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// Escapes text and keeps its line breaks as `<br>`.
func escMultiline(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { esc(String($0)) }.joined(separator: "<br>")
}

/// Formats an amount of 万元 as printed in plans: no decimals when whole, thousands not grouped (as the seed prints).
func formatAmount(_ value: Double?) -> String {
    guard let value else { return "" }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    return String(format: "%.2f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
}

/// Formats a number with thousands separators, for headline figures.
func formatGrouped(_ value: Double) -> String {
    let whole = Int64(value.rounded())
    let digits = String(abs(whole))
    var grouped = ""
    for (index, character) in digits.reversed().enumerated() {
        if index > 0 && index % 3 == 0 { grouped.append(",") }
        grouped.append(character)
    }
    return (whole < 0 ? "-" : "") + String(grouped.reversed())
}

/// A server-rendered page in the platform's layout: header with navigation and language switch, main content, footer.
struct HTMLPage: Sendable {
    var title: String
    var language: Language
    var identity: User?
    var body: String
    /// The path of the page, for the language switch links.
    var path: String = "/"

    func render() -> String {
        let t = Strings(language)
        let other: Language = language == .zh ? .en : .zh
        let separator = path.contains("?") ? "&" : "?"
        let account: String
        if let identity {
            account = """
            <span class="who">\(esc(identity.displayName)) · \(esc(language == .zh ? identity.role.chineseName : identity.role.rawValue))</span>
            <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="link">\(t["nav.logout"])</button></form>
            """
        } else {
            account = "<a href=\"/login\">\(t["nav.login"])</a>"
        }
        return """
        <!doctype html>
        <html lang="\(language.htmlTag)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title)) · \(t["site.name"])</title>
        <link rel="stylesheet" href="/assets/app.css">
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
        </head>
        <body>
        <header class="site">
          <div class="bar">
            <a class="brand" href="/"><img src="/assets/favicon.svg" alt="" width="28" height="28"><span>\(t["site.name"])</span><small>\(t["site.tagline"])</small></a>
            <nav>
              <a href="/">\(t["nav.home"])</a>
              <a href="/plans">\(t["nav.plans"])</a>
              \(identity != nil ? "<a href=\"/implementation\">\(language == .zh ? "规划实施" : "Implementation")</a>" : "")
              <a href="/sites">\(t["nav.sites"])</a>
              \(identity != nil ? "<a href=\"/alarms\">\(language == .zh ? "报警" : "Alarms")</a>" : "")
              <a href="/water">\(language == .zh ? "水质" : "Water")</a>
              <a href="/monitoring/indicators">\(language == .zh ? "监测指标" : "Indicators")</a>
              <a href="/assess">\(language == .zh ? "计算器" : "Calculator")</a>
              \(identity?.role.canWrite == true ? "<a href=\"/plans/import\">\(t["nav.import"])</a><a href=\"/audit\">\(t["nav.audit"])</a>" : "")
              <a href="/api/v1/openapi.json">API</a>
              <a class="lang" href="\(esc(path + separator + "lang=" + other.rawValue))" hreflang="\(other.htmlTag)">\(other == .en ? "English" : "中文")</a>
              \(account)
            </nav>
          </div>
        </header>
        <main>
        \(body)
        </main>
        <footer class="site">\(t["site.footer"])</footer>
        </body>
        </html>
        """
    }

    /// The page as an HTTP response, with the CSRF token filled into its forms.
    func response(status: HTTPResponse.Status = .ok, csrf: String = "", cookies: [Cookie] = []) -> Response {
        let html = render().replacingOccurrences(of: "{{csrf}}", with: esc(csrf))
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    static func errorPage(_ problem: APIProblem, language: Language, identity: User?) -> HTMLPage {
        let t = Strings(language)
        let heading: String
        switch problem.status.code {
        case 404: heading = t["error.notFound"]
        case 401: heading = t["error.unauthorized"]
        case 403: heading = t["error.forbidden"]
        default: heading = t["error.generic"]
        }
        let login = problem.status.code == 401 ? "<p><a class=\"button\" href=\"/login\">\(t["nav.login"])</a></p>" : ""
        return HTMLPage(title: heading, language: language, identity: identity, body: """
        <section class="panel error">
        <h1>\(heading)</h1>
        <p>\(esc(problem.message))</p>
        \(problem.details.isEmpty ? "" : "<ul>" + problem.details.map { "<li>\(esc($0))</li>" }.joined() + "</ul>")
        \(login)
        <p><a href="/">\(t["nav.backHome"])</a></p>
        </section>
        """)
    }
}

extension AppRequestContext {
    /// Renders a page for this request, with its language, identity and CSRF token.
    func page(_ title: String, path: String, status: HTTPResponse.Status = .ok, _ body: String) -> Response {
        HTMLPage(title: title, language: language, identity: identity, body: body, path: path).response(status: status, csrf: csrfToken)
    }
}
