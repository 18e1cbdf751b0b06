public import Foundation

/// Why a plan file was refused.
public struct PlanFileError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case unreadable, malformed, invalid
    }

    private let code: Code
    /// The file the plan came from, when known.
    public var file: String?
    /// The problems found, each naming its location.
    public let problems: [PlanProblem]

    /// The file could not be read.
    public static func unreadable(file: String?, reason: String) -> PlanFileError {
        PlanFileError(code: .unreadable, file: file, problems: [PlanProblem(location: "file", message: reason)])
    }

    /// The file is not a plan file: not JSON, or a field has the wrong type or is missing.
    public static func malformed(file: String?, location: String, message: String) -> PlanFileError {
        PlanFileError(code: .malformed, file: file, problems: [PlanProblem(location: location, message: message)])
    }

    /// The file is a plan file but breaks the plan rules.
    public static func invalid(file: String?, problems: [PlanProblem]) -> PlanFileError {
        PlanFileError(code: .invalid, file: file, problems: problems)
    }

    /// A stable machine-readable code: `unreadable`, `malformed` or `invalid`.
    public var codeName: String {
        switch code {
        case .unreadable: "unreadable"
        case .malformed: "malformed"
        case .invalid: "invalid"
        }
    }

    /// The message a person reads: the file and every problem on its own line.
    public var description: String {
        let head = file.map { "\($0): " } ?? ""
        if problems.count == 1 { return head + problems[0].description }
        return head + "\(problems.count) problems\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Reading and writing plan files (format `qingshan.plan/1`).
public enum PlanFile {
    /// Decodes and validates a plan file.
    /// - Parameters:
    ///   - data: the file's bytes (UTF-8 JSON).
    ///   - file: the file's name, used in messages.
    /// - Returns: the validated plan.
    /// - Throws: ``PlanFileError`` naming the file and the field, row or category at fault.
    public static func decode(_ data: Data, file: String? = nil) throws(PlanFileError) -> Plan {
        let plan: Plan
        do {
            plan = try JSONDecoder().decode(Plan.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, data: data, file: file)
        } catch {
            throw PlanFileError.malformed(file: file, location: "file", message: "\(error)")
        }
        let problems = plan.problems()
        if !problems.isEmpty { throw PlanFileError.invalid(file: file, problems: problems) }
        return plan
    }

    /// Encodes a plan as a plan file: pretty-printed JSON with sorted keys.
    /// - Parameter plan: the plan.
    /// - Returns: UTF-8 JSON.
    public static func encode(_ plan: Plan) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types cannot fail.
        return (try? encoder.encode(plan)) ?? Data()
    }

    private static func describe(_ error: DecodingError, data: Data, file: String?) -> PlanFileError {
        func path(_ codingPath: [any CodingKey]) -> String {
            var out = ""
            for key in codingPath {
                if let index = key.intValue { out += "[\(index)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out.isEmpty ? "(top level)" : out
        }
        switch error {
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
            return .malformed(file: file, location: path(context.codingPath),
                              message: "not valid JSON: \(underlying ?? context.debugDescription)")
        case .keyNotFound(let key, let context):
            return .malformed(file: file, location: path(context.codingPath + [key]), message: "required field is missing")
        case .typeMismatch(let type, let context):
            return .malformed(file: file, location: path(context.codingPath), message: "expected \(describe(type)): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return .malformed(file: file, location: path(context.codingPath), message: "expected \(describe(type)), found null")
        @unknown default:
            return .malformed(file: file, location: "file", message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}

/// The plans that ship with Qingshan.
public enum BuiltInPlans {
    /// The id of the Wuxi County 2021-2025 plan, the built-in default.
    public static let wuxiID = "wuxi-2021-2025"

    /// The plan files bundled as resources, by id.
    public static var availableIDs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: plansDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    private static var plansDirectory: URL {
        (Bundle.module.resourceURL ?? Bundle.module.bundleURL).appendingPathComponent("plans")
    }

    /// Loads a bundled plan.
    /// - Parameter id: the plan's id (its file name without `.json`).
    /// - Returns: the validated plan.
    /// - Throws: ``PlanFileError`` when the file is missing or invalid.
    public static func load(_ id: String = wuxiID) throws(PlanFileError) -> Plan {
        let url = plansDirectory.appendingPathComponent("\(id).json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw PlanFileError.unreadable(file: "\(id).json", reason: "no built-in plan with this id")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PlanFileError.unreadable(file: url.lastPathComponent, reason: "\(error)")
        }
        return try PlanFile.decode(data, file: url.lastPathComponent)
    }
}
