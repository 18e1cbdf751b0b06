import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// An error as the HTTP edge reports it: a status, a stable code and a message a person can act on.
struct APIProblem: Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var details: [String] = []

    init(status: HTTPResponse.Status, code: String, message: String, details: [String] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// Maps the platform's typed errors to HTTP.
    init(_ error: any Error) {
        switch error {
        case let error as PlanFileError:
            self.init(status: .unprocessableContent, code: "invalid_plan", message: error.description,
                      details: error.problems.map(\.description))
        case let error as StoreError:
            if error.isNotFound {
                self.init(status: .notFound, code: "not_found", message: error.message)
            } else if error.isConflict {
                self.init(status: .conflict, code: "conflict", message: error.message)
            } else {
                self.init(status: .internalServerError, code: "store_error", message: error.message)
            }
        case let error as AccountError:
            self.init(status: error.isBadCredentials ? .unauthorized : (error.isExists ? .conflict : .badRequest),
                      code: error.isBadCredentials ? "bad_credentials" : "invalid_account", message: error.message)
        case let error as ReviewError:
            self.init(status: .unprocessableContent, code: "invalid_review", message: error.description)
        case let error as SiteError:
            self.init(status: .unprocessableContent, code: "invalid_site", message: error.description)
        case let error as SiteCSV.ParseError:
            self.init(status: .unprocessableContent, code: "invalid_csv", message: error.description)
        case let error as ImplementationError:
            self.init(status: error.isForbidden ? .forbidden : error.isNotFound ? .notFound : error.isLocked ? .conflict : .unprocessableContent,
                      code: error.isForbidden ? "forbidden" : error.isNotFound ? "not_found" : error.isLocked ? "locked" : "invalid",
                      message: error.message, details: error.problems.map(\.description))
        case let error as WorkflowError:
            self.init(status: error.isReasonRequired ? .unprocessableContent : .conflict, code: "workflow", message: error.description)
        case let error as HTTPError:
            self.init(status: error.status, code: APIProblem.code(for: error.status), message: error.body ?? error.status.reasonPhrase)
        case let error as DecodingError:
            self.init(status: .badRequest, code: "bad_request", message: "the request body is not what this route expects: \(APIProblem.describe(error))")
        case let error as any HTTPResponseError:
            self.init(status: error.status, code: APIProblem.code(for: error.status), message: error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, code: "internal", message: "internal error; the server log has the details")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "too_large"
        case 422: "unprocessable"
        default: status.code >= 500 ? "internal" : "error"
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)) \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// The uniform JSON error body.
    func jsonResponse() -> Response {
        struct Body: Encodable {
            struct Inner: Encodable {
                var code: String
                var message: String
                var details: [String]?
            }
            var error: Inner
        }
        let body = Body(error: .init(code: code, message: message, details: details.isEmpty ? nil : details))
        return JSONResponse.make(body, status: status)
    }
}

/// JSON responses with snake_case keys as the types declare them, UTF-8 kept readable.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return raw(data, status: status)
    }

    /// A JSON array written as its elements are produced: `produce` hands each run of elements to `emit`, which encodes
    /// and sends them at once, so an answer of any length takes the memory of one run. An error after the first bytes
    /// have gone out can only end the connection (the client sees an unterminated array).
    static func streamedArray<Element: Encodable>(
        _ produce: @escaping @Sendable (_ emit: ([Element]) async throws -> Void) async throws -> Void
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "["))
            var first = true
            try await produce { elements in
                guard !elements.isEmpty else { return }
                let data = try encoder.encode(elements)
                var buffer = ByteBuffer()
                buffer.reserveCapacity(data.count)
                if !first { buffer.writeString(",") }
                buffer.writeBytes(data.dropFirst().dropLast())
                first = false
                try await writer.write(buffer)
            }
            try await writer.write(ByteBuffer(string: "]"))
            try await writer.finish(nil)
        })
    }

    static func raw(_ data: Data, status: HTTPResponse.Status = .ok, contentType: String = "application/json; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
