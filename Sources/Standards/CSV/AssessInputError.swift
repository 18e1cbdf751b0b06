/// Bad input to an assessment: the line and column at fault and what is wrong.
///
/// The `qingshan assess` commands print ``description`` and exit with status 2; the HTTP layer maps it to 422.
public struct AssessInputError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case empty, missingColumn, unknownColumn, duplicateColumn, cellCount, notANumber, negative, outOfRange
        case malformedTime, duplicateRow, badValue, noData, ambiguousYear, badOption
    }

    private let code: Code
    /// The 1-based line of the file (1 = the header); 0 when no line is at fault.
    public let line: Int
    /// The 1-based column number, when a column is at fault.
    public let columnNumber: Int?
    /// The column name, when a column is at fault.
    public let column: String?
    /// What is wrong, in words.
    public let message: String

    private init(_ code: Code, line: Int, columnNumber: Int?, column: String?, message: String) {
        self.code = code
        self.line = line
        self.columnNumber = columnNumber
        self.column = column
        self.message = message
    }

    /// A short machine-readable code (`missing_column`, `not_a_number`, …).
    public var codeName: String {
        var result = ""
        for character in code.rawValue {
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
        return result
    }

    /// `line L, column N (name): message`.
    public var description: String {
        var place = line > 0 ? "line \(line)" : "input"
        if let columnNumber {
            place += ", column \(columnNumber)"
            if let column { place += " (\(column))" }
        } else if let column {
            place += ", column \(column)"
        }
        return "\(place): \(message)"
    }

    static func empty() -> AssessInputError {
        AssessInputError(.empty, line: 1, columnNumber: nil, column: nil, message: "the file is empty: a header row is required")
    }
    static func missingColumn(_ name: String, expected: String) -> AssessInputError {
        AssessInputError(.missingColumn, line: 1, columnNumber: nil, column: name,
                         message: "required column \"\(name)\" is missing (the header needs \(expected))")
    }
    static func unknownColumn(_ name: String, at number: Int, known: String) -> AssessInputError {
        AssessInputError(.unknownColumn, line: 1, columnNumber: number, column: name,
                         message: "unknown column or item \"\(name)\" (known: \(known))")
    }
    static func duplicateColumn(_ name: String, at number: Int) -> AssessInputError {
        AssessInputError(.duplicateColumn, line: 1, columnNumber: number, column: name, message: "column \"\(name)\" appears twice")
    }
    static func cellCount(line: Int, found: Int, expected: Int) -> AssessInputError {
        AssessInputError(.cellCount, line: line, columnNumber: nil, column: nil,
                         message: "\(found) cells, the header has \(expected)")
    }
    static func notANumber(_ text: String, line: Int, column: Int, name: String) -> AssessInputError {
        AssessInputError(.notANumber, line: line, columnNumber: column, column: name,
                         message: "\"\(text)\" is not a number (leave the cell empty for a missing value)")
    }
    static func negative(_ text: String, line: Int, column: Int, name: String) -> AssessInputError {
        AssessInputError(.negative, line: line, columnNumber: column, column: name,
                         message: "\"\(text)\" is negative: sentinels such as -999 are refused, never averaged (leave the cell empty for a missing value)")
    }
    static func outOfRange(_ text: String, line: Int, column: Int, name: String, range: String) -> AssessInputError {
        AssessInputError(.outOfRange, line: line, columnNumber: column, column: name, message: "\"\(text)\" is out of range (\(range))")
    }
    static func malformedTime(_ text: String, line: Int, column: Int, name: String, expected: String) -> AssessInputError {
        AssessInputError(.malformedTime, line: line, columnNumber: column, column: name,
                         message: "\"\(text)\" is not a valid time (expected \(expected))")
    }
    static func duplicateRow(line: Int, column: Int, name: String, what: String, firstLine: Int) -> AssessInputError {
        AssessInputError(.duplicateRow, line: line, columnNumber: column, column: name,
                         message: "duplicated \(what): already given on line \(firstLine)")
    }
    static func badValue(_ message: String, line: Int, column: Int, name: String) -> AssessInputError {
        AssessInputError(.badValue, line: line, columnNumber: column, column: name, message: message)
    }
    static func noData(_ message: String) -> AssessInputError {
        AssessInputError(.noData, line: 0, columnNumber: nil, column: nil, message: message)
    }
    static func ambiguousYear(_ years: [Int]) -> AssessInputError {
        AssessInputError(.ambiguousYear, line: 0, columnNumber: nil, column: nil,
                         message: "the file covers the years \(years.map(String.init).joined(separator: ", ")): choose one with --year")
    }
    /// An option value that is not allowed.
    /// - Parameters:
    ///   - option: the option name.
    ///   - value: the value given.
    ///   - allowed: the allowed values, in words.
    public static func badOption(_ option: String, _ value: String, allowed: String) -> AssessInputError {
        AssessInputError(.badOption, line: 0, columnNumber: nil, column: option,
                         message: "\"\(value)\" is not allowed for \(option) (allowed: \(allowed))")
    }
}
