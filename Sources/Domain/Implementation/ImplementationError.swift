/// Why an implementation operation was refused: the user may not touch the record, the input breaks a rule, the
/// record is locked, or it does not exist.
public struct ImplementationError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable { case forbidden, invalid, locked, notFound }
    private let code: Code
    /// What went wrong, in words a user can act on.
    public let message: String
    /// The problems found in the input, each naming its field.
    public let problems: [ImplementationProblem]

    /// The user's unit is not assigned this record, or the action needs bureau staff.
    public static func forbidden(_ message: String) -> ImplementationError {
        ImplementationError(code: .forbidden, message: message, problems: [])
    }

    /// The input breaks the rules listed.
    public static func invalid(_ problems: [ImplementationProblem]) -> ImplementationError {
        ImplementationError(code: .invalid, message: problems.map(\.description).joined(separator: "; "), problems: problems)
    }

    /// One field is wrong.
    public static func invalid(field: String, _ message: String) -> ImplementationError {
        invalid([ImplementationProblem(field: field, message: message)])
    }

    /// The record may no longer be changed (approved figure, approved plan).
    public static func locked(_ message: String) -> ImplementationError {
        ImplementationError(code: .locked, message: message, problems: [])
    }

    /// The record does not exist.
    public static func notFound(_ what: String) -> ImplementationError {
        ImplementationError(code: .notFound, message: "\(what) not found", problems: [])
    }

    /// Whether the refusal is about permission.
    public var isForbidden: Bool { code == .forbidden }
    /// Whether the input was invalid.
    public var isInvalid: Bool { code == .invalid }
    /// Whether the record is locked.
    public var isLocked: Bool { code == .locked }
    /// Whether the record is missing.
    public var isNotFound: Bool { code == .notFound }

    /// The message.
    public var description: String { message }
}
