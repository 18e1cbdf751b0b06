import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Store

extension Router<AppRequestContext> {
    /// `POST /api/v1/observations`: observations imported as JSON or CSV by staff, all or nothing.
    func addObservationImportRoutes(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")

        api.post("observations") { request, context in
            let user = try context.requireStaff()
            try request.verifyCSRF(nil, context: context)
            let contentType = (request.headers[.contentType] ?? "application/json").lowercased()
            let csv = contentType.hasPrefix("text/csv")
            guard csv || contentType.hasPrefix("application/json") else {
                throw HTTPError(.unsupportedMediaType, message: "send application/json or text/csv")
            }
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let sites = Dictionary(try await store.sites().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            let observations: [Observation]
            do {
                observations = csv
                    ? try ObservationImport.parseCSV(String(decoding: body.readableBytesView, as: UTF8.self), source: "request body", sites: sites)
                    : try ObservationImport.parseJSON(Data(body.readableBytesView), source: "request body", sites: sites)
            } catch let error as ObservationImportError {
                return ObservationImportProblemDocument(error, csv: csv).response()
            }
            let result = try await store.importObservations(observations, source: csv ? "api:csv" : "api:json", actor: user.name)
            return JSONResponse.make(result)
        }
    }
}

/// The 422 problem document of a refused import: the uniform error body, with one entry per problem naming its line
/// (CSV line or JSON entry), column and field.
struct ObservationImportProblemDocument: Encodable {
    struct Problem: Encodable {
        var line: Int
        var column: Int?
        var field: String?
        var message: String
    }

    struct Inner: Encodable {
        var code: String
        var message: String
        var details: [String]
        var problems: [Problem]
    }

    var error: Inner
    var status: HTTPResponse.Status

    enum CodingKeys: String, CodingKey { case error }

    init(_ error: ObservationImportError, csv: Bool) {
        let unit = csv ? "line" : "entry"
        let first = error.problems.first
        let message = error.isMalformed
            ? "the body is not an observation import; nothing was stored: \(first?.message ?? "")"
            : "\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"), nothing was stored; first: \(unit) \(first?.line ?? 0)"
                + "\(first?.field.isEmpty == false ? ", \(first!.field)" : ""): \(first?.message ?? "")"
        self.error = Inner(
            code: error.isMalformed ? "bad_request" : "invalid_observations", message: message,
            details: error.problems.map { "\(unit) \($0.line)\($0.column > 0 ? ", column \($0.column)" : "")\($0.field.isEmpty ? "" : " (\($0.field))"): \($0.message)" },
            problems: error.problems.map {
                Problem(line: $0.line, column: $0.column > 0 ? $0.column : nil, field: $0.field.isEmpty ? nil : $0.field, message: $0.message)
            })
        status = error.isMalformed ? .badRequest : .unprocessableContent
    }

    func response() -> Response { JSONResponse.make(self, status: status) }
}
