import Foundation

/// The OpenAPI 3.1 document served at `/api/v1/openapi.json`, assembled from one JSON file per feature in
/// `Resources/openapi/` (each with `paths` and `components.schemas`), so that every feature documents its own routes.
struct OpenAPIDocument: Sendable {
    /// The assembled document, encoded.
    let data: Data
    /// The `(method, path)` pairs it documents, e.g. `("get", "/api/v1/plans/{id}")`.
    let operations: Set<String>

    /// Reads and merges the feature files.
    static func load() throws -> OpenAPIDocument {
        let directory = (Bundle.module.resourceURL ?? Bundle.module.bundleURL).appendingPathComponent("openapi")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        var paths: [String: Any] = [:]
        var componentSections: [String: [String: Any]] = [:]
        var tags: [[String: Any]] = []
        var base: [String: Any] = [:]
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            if file == "_base.json" { base = object; continue }
            for (path, item) in object["paths"] as? [String: Any] ?? [:] {
                var merged = paths[path] as? [String: Any] ?? [:]
                for (method, operation) in item as? [String: Any] ?? [:] { merged[method] = operation }
                paths[path] = merged
            }
            for (section, entries) in object["components"] as? [String: Any] ?? [:] {
                for (name, entry) in entries as? [String: Any] ?? [:] { componentSections[section, default: [:]][name] = entry }
            }
            tags += object["tags"] as? [[String: Any]] ?? []
        }
        var document = base
        document["paths"] = paths
        var components = document["components"] as? [String: Any] ?? [:]
        for (section, entries) in componentSections {
            var merged = components[section] as? [String: Any] ?? [:]
            for (name, entry) in entries { merged[name] = entry }
            components[section] = merged
        }
        document["components"] = components
        document["tags"] = (document["tags"] as? [[String: Any]] ?? []) + tags
        var operations = Set<String>()
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys { operations.insert("\(method) \(path)") }
        }
        let encoded = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        return OpenAPIDocument(data: encoded, operations: operations)
    }
}
