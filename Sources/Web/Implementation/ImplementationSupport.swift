import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// Chinese-first texts of the implementation pages: `t("中文", "English")` picks by the request's language.
struct ImplText: Sendable {
    let language: Language

    func callAsFunction(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    func status(_ status: IndicatorStatus) -> String { language == .zh ? status.chineseName : status.englishName }
    func state(_ state: ReportState) -> String { language == .zh ? state.chineseName : state.englishName }
    func project(_ status: ProjectStatus) -> String { language == .zh ? status.chineseName : status.englishName }
    func rule(_ rule: IndicatorRule) -> String { language == .zh ? rule.explanation.zh : rule.explanation.en }
    func report(_ kind: ReportKind) -> String { language == .zh ? kind.chineseName : kind.englishName }
    func section(_ section: NarrativeSection) -> String { language == .zh ? section.chineseName : section.englishName }
}

extension AppRequestContext {
    /// The signed-in user as an implementation actor (their unit and what they may do), or 401.
    func implementationActor(_ store: Store) async throws -> ImplementationActor {
        let user = try requireUser()
        return try await store.implementationActor(for: user)
    }

    var implText: ImplText { ImplText(language: language) }

    /// A page with the implementation stylesheet.
    func implPage(_ title: String, path: String, status: HTTPResponse.Status = .ok, _ body: String) -> Response {
        page(title, path: path, status: status, "<link rel=\"stylesheet\" href=\"/assets/impl.css\">\n" + body)
    }
}

/// Formats a figure for tables: up to four decimals, no trailing zeros.
func fmt(_ value: Double?) -> String {
    guard let value else { return "" }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(format: "%.4f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}

/// Formats a percentage with one decimal.
func pct(_ value: Double?) -> String {
    guard let value else { return "—" }
    return String(format: "%.1f%%", value)
}

/// Local time (Asia/Shanghai) of an instant, `YYYY-MM-DD HH:MM`.
func localTime(_ date: Date?) -> String {
    guard let date else { return "" }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.string(from: date)
}

/// The CSS class of a status badge.
func statusClass(_ status: IndicatorStatus) -> String { "st-\(status.rawValue)" }

/// Reads an HTML form post (`application/x-www-form-urlencoded`) into a dictionary; repeated keys keep the last value.
func formFields(_ request: Request, context: AppRequestContext) async throws -> [String: String] {
    var request = request
    let buffer = try await request.collectBody(upTo: context.maxUploadSize)
    let text = String(buffer: buffer)
    if request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true {
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return object.compactMapValues { value in
            if let string = value as? String { return string }
            if let number = value as? NSNumber { return number.stringValue }
            return nil
        }
    }
    var fields: [String: String] = [:]
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ s: Substring) -> String {
            String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
        }
        fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return fields
}

/// A 303 redirect after a successful form post.
func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}

/// A file download.
func download(_ data: Data, contentType: String, fileName: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = contentType
    headers[.cacheControl] = "no-store"
    let ascii = fileName.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" }
        ? fileName : "download" + (fileName.split(separator: ".").last.map { ".\($0)" } ?? "")
    let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
    headers[.contentDisposition] = "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// One part of a `multipart/form-data` body.
struct MultipartPart: Sendable {
    var name: String
    var fileName: String?
    var contentType: String?
    var data: Data
}

/// A minimal `multipart/form-data` reader (RFC 7578) for the evidence upload form.
enum Multipart {
    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let kv = parameter.trimmingCharacters(in: " ").split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                return String(kv[1]).trimmingCharacters(in: "\"")
            }
        }
        return nil
    }

    static func parse(_ body: Data, boundary: String) -> [MultipartPart] {
        let delimiter = Data(("--" + boundary).utf8)
        let bytes = [UInt8](body)
        let delimiterBytes = [UInt8](delimiter)
        var positions: [Int] = []
        var index = 0
        while index + delimiterBytes.count <= bytes.count {
            if bytes[index] == delimiterBytes[0], Array(bytes[index..<index + delimiterBytes.count]) == delimiterBytes {
                positions.append(index)
                index += delimiterBytes.count
            } else {
                index += 1
            }
        }
        var parts: [MultipartPart] = []
        for (i, start) in positions.enumerated() where i + 1 < positions.count {
            var from = start + delimiterBytes.count
            if from + 1 < bytes.count, bytes[from] == 13, bytes[from + 1] == 10 { from += 2 }
            var to = positions[i + 1]
            if to >= 2, bytes[to - 2] == 13, bytes[to - 1] == 10 { to -= 2 }
            guard from <= to else { continue }
            let chunk = Array(bytes[from..<to])
            guard let split = headerEnd(chunk) else { continue }
            let headerText = String(decoding: chunk[0..<split], as: UTF8.self)
            let content = Data(chunk[(split + 4)...])
            var name = "", fileName: String?, contentType: String?
            for line in headerText.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = parameter("name", in: line) ?? ""
                    fileName = parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    contentType = String(line.dropFirst("content-type:".count)).trimmingCharacters(in: " ")
                }
            }
            parts.append(MultipartPart(name: name, fileName: fileName, contentType: contentType, data: content))
        }
        return parts
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }

    private static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";") {
            let kv = piece.trimmingCharacters(in: " ").split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == key {
                return String(kv[1]).trimmingCharacters(in: "\"")
            }
        }
        return nil
    }
}
