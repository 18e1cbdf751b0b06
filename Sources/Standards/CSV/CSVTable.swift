/// A CSV text split into a header and rows, each row with its 1-based line number.
///
/// Cells are separated by commas and may be quoted with `"` (a doubled `""` is a quote); a UTF-8 BOM, `\r\n`
/// line ends, blank lines and spaces around cells are tolerated. Header names are lower-cased.
public struct CSVTable: Sendable {
    /// One data row.
    public struct Row: Sendable {
        /// The 1-based line number in the file.
        public var line: Int
        /// The cells, trimmed.
        public var cells: [Substring]
    }

    /// The header names, trimmed and lower-cased.
    public var header: [String]
    /// The data rows (blank lines skipped).
    public var rows: [Row]

    /// Splits a text.
    /// - Parameter text: the whole file.
    /// - Throws: ``AssessInputError`` when there is no header, or a row has a different number of cells.
    public init(_ text: String) throws(AssessInputError) {
        var lines: [Row] = []
        var lineNumber = 0
        var body = Substring(text)
        if body.unicodeScalars.first == "\u{FEFF}" { body = Substring(body.unicodeScalars.dropFirst()) }
        // Split on LF bytes: "\r\n" is one Character in Swift, so Character searches would miss it.
        let utf8 = body.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            lineNumber += 1
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            var stop = end
            if stop > start, utf8[utf8.index(before: stop)] == UInt8(ascii: "\r") { stop = utf8.index(before: stop) }
            let line = body[start..<stop]
            start = end < utf8.endIndex ? utf8.index(after: end) : end
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            lines.append(Row(line: lineNumber, cells: CSVTable.split(line)))
        }
        guard let first = lines.first else { throw .empty() }
        header = first.cells.map { $0.lowercased() }
        rows = Array(lines.dropFirst())
        for row in rows where row.cells.count != header.count {
            // A trailing empty cell set is tolerated when the row is short only by empty cells.
            throw .cellCount(line: row.line, found: row.cells.count, expected: header.count)
        }
    }

    /// The positions of a fixed set of columns: every one required, no other column, none twice.
    /// - Parameter columns: the column names.
    /// - Returns: name → 0-based index.
    /// - Throws: ``AssessInputError`` naming an unknown, duplicated or missing column.
    func indices(of columns: [String]) throws(AssessInputError) -> [String: Int] {
        var indices: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            guard columns.contains(name) else { throw .unknownColumn(name, at: index + 1, known: columns.joined(separator: ", ")) }
            guard indices[name] == nil else { throw .duplicateColumn(name, at: index + 1) }
            indices[name] = index
        }
        for name in columns where indices[name] == nil {
            throw .missingColumn(name, expected: columns.joined(separator: ","))
        }
        return indices
    }

    static func split(_ line: Substring) -> [Substring] {
        guard line.contains("\"") else {
            return line.split(separator: ",", omittingEmptySubsequences: false).map(trim)
        }
        var cells: [Substring] = []
        var current = ""
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if quoted {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex, line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                cells.append(trim(Substring(current)))
                current = ""
            } else {
                current.append(character)
            }
            index = line.index(after: index)
        }
        cells.append(trim(Substring(current)))
        return cells
    }

    static func trim(_ cell: Substring) -> Substring {
        var result = cell
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }

    /// Reads a non-negative number cell.
    /// - Parameters:
    ///   - cell: the cell.
    ///   - row: the row.
    ///   - column: the 0-based column index.
    ///   - maximum: the largest value accepted.
    /// - Returns: the value, or `nil` for an empty cell.
    func number(_ cell: Substring, row: Row, column: Int, maximum: Int64) throws(AssessInputError) -> ScaledDecimal? {
        if cell.isEmpty { return nil }
        let name = header[column]
        guard let value = ScaledDecimal.parse(cell, maximumDecimals: 9) else {
            throw .notANumber(String(cell), line: row.line, column: column + 1, name: name)
        }
        if value.units < 0 || cell.hasPrefix("-") { throw .negative(String(cell), line: row.line, column: column + 1, name: name) }
        if value > ScaledDecimal(units: maximum, decimals: 0) {
            throw .outOfRange(String(cell), line: row.line, column: column + 1, name: name, range: "0 … \(maximum)")
        }
        return value
    }
}
