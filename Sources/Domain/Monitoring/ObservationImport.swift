public import Foundation

/// One thing wrong with an imported observation: where it is and what is wrong.
public struct ObservationImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// The CSV line (1-based), or the JSON entry (1-based position in `observations`).
    public var line: Int
    /// The CSV column (1-based), or 0 for a JSON entry or a problem of the whole row.
    public var column: Int
    /// The column or field name at fault (`site`, `time` …), empty for the whole row.
    public var field: String
    /// What is wrong, in words.
    public var message: String

    /// Creates a problem.
    public init(line: Int, column: Int, field: String, message: String) {
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `line:column: field: message`.
    public var description: String { "\(line):\(column): \(field.isEmpty ? "" : "\(field): ")\(message)" }
}

/// An import refused as a whole: nothing of it is stored.
public struct ObservationImportError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable { case invalidRows, malformed }
    private let code: Code
    /// The file name, or `request body`.
    public let source: String
    /// The problems found, in file order (at most ``ObservationImport/maximumProblems``).
    public let problems: [ObservationImportProblem]

    /// Rows that break the rules.
    static func invalidRows(_ source: String, _ problems: [ObservationImportProblem]) -> ObservationImportError {
        ObservationImportError(code: .invalidRows, source: source, problems: problems)
    }

    /// A body that is not an import document at all.
    static func malformed(_ source: String, _ message: String) -> ObservationImportError {
        ObservationImportError(code: .malformed, source: source, problems: [ObservationImportProblem(line: 1, column: 0, field: "", message: message)])
    }

    /// Whether the document itself could not be read (rather than some rows being wrong).
    public var isMalformed: Bool { code == .malformed }

    /// One `source:line:column: field: message` line per problem.
    public var description: String { problems.map { "\(source):\($0)" }.joined(separator: "\n") }
}

/// Reading observations from CSV and JSON imports, checked against the site registry, all or nothing.
///
/// - CSV: a header naming the columns `site,code,field,kind,time,value,flag` (any order; `field` defaults to `Avg`,
///   `flag` may be empty; an optional `mn` column names the device), then one value a row.
/// - JSON: `{"observations": [{"site", "code", "field", "kind", "time", "value", "flag", "mn"}, …]}`.
///
/// `time` is `YYYY-MM-DD HH:MM[:SS]` (or with `T`; a daily value may give the date alone) in China time, or ISO 8601 with an offset
/// (`2026-05-01T08:00:00+08:00`, `…Z`); hourly values must lie on the hour, daily values on local midnight. Without
/// `mn` the values are filed under the site's import pseudo-device `IMPORT-<site>`. The command number is `csv` or
/// `api` by the format, so the store's key (MN, CN, code, field, time) makes a resent import add nothing.
public enum ObservationImport {
    /// The most problems reported for one import.
    public static let maximumProblems = 100
    /// The statistics an imported value may be (HJ 212-2017 表5 field names).
    public static let fields: Set<String> = ["Rtd", "Avg", "Min", "Max", "Cou", "ZsRtd", "ZsAvg", "ZsMin", "ZsMax"]
    /// The HJ 212-2017 data flags (表5 注: N normal, F stopped, M maintenance, S manual, D fault, C calibration,
    /// T over range, B communication fault).
    public static let flags: Set<String> = ["N", "F", "M", "S", "D", "C", "T", "B"]
    /// The data kinds an import may carry.
    public static let kinds: [DataKind] = [.realtime, .minute, .hour, .day]
    /// The CSV columns understood.
    public static let csvColumns = ["site", "code", "field", "kind", "time", "value", "flag", "mn"]

    /// The pseudo-MN imported values of a site are filed under when no `mn` is given.
    public static func importMN(site: String) -> String { "IMPORT-" + site }

    /// One entry before it is checked.
    struct Entry {
        var line: Int
        var site: String?
        var code: String?
        var field: String?
        var kind: String?
        var time: String?
        var value: String?
        var numericValue: Double?
        var flag: String?
        var mn: String?
        /// Column number of each field (CSV), for messages.
        var columns: [String: Int] = [:]
    }

    /// Reads a CSV import.
    /// - Parameters:
    ///   - text: the CSV text.
    ///   - source: the file name, for messages.
    ///   - sites: the site registry, by code.
    /// - Returns: the observations, in file order, with CN `csv`.
    /// - Throws: ``ObservationImportError`` naming every bad line and column.
    public static func parseCSV(_ text: String, source: String, sites: [String: Site]) throws(ObservationImportError) -> [Observation] {
        let rows = CSVText.rows(text)
        guard let header = rows.first, !header.cells.allSatisfy(\.isEmpty) else { throw .malformed(source, "the file is empty") }
        let columns = header.cells.map { $0.lowercased() }
        var problems: [ObservationImportProblem] = []
        for (index, column) in columns.enumerated() where !csvColumns.contains(column) {
            problems.append(ObservationImportProblem(line: header.line, column: index + 1, field: column,
                                                     message: "unknown column (the columns are \(csvColumns.joined(separator: ",")))"))
        }
        for required in ["site", "code", "kind", "time", "value"] where !columns.contains(required) {
            problems.append(ObservationImportProblem(line: header.line, column: 0, field: required, message: "required column is missing"))
        }
        guard problems.isEmpty else { throw .invalidRows(source, problems) }
        var positions: [String: Int] = [:]
        for (index, column) in columns.enumerated() { positions[column] = index + 1 }
        var entries: [Entry] = []
        for row in rows.dropFirst() where !row.cells.allSatisfy(\.isEmpty) {
            guard row.cells.count == columns.count else {
                problems.append(ObservationImportProblem(line: row.line, column: 0, field: "",
                                                         message: "\(row.cells.count) cells, the header has \(columns.count)"))
                if problems.count >= maximumProblems { break }
                continue
            }
            func cell(_ name: String) -> String? {
                guard let position = positions[name] else { return nil }
                let text = row.cells[position - 1]
                return text.isEmpty ? nil : text
            }
            entries.append(Entry(line: row.line, site: cell("site"), code: cell("code"), field: cell("field"), kind: cell("kind"),
                                 time: cell("time"), value: cell("value"), numericValue: nil, flag: cell("flag"), mn: cell("mn"),
                                 columns: positions))
        }
        return try check(entries, cn: "csv", source: source, sites: sites, problems: problems)
    }

    /// A JSON scalar of an entry.
    private enum Scalar: Decodable {
        case string(String), number(Double), bool(Bool), null

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let n = try? c.decode(Double.self) {
                self = .number(n)
            } else {
                self = .string(try c.decode(String.self))
            }
        }
    }

    private struct Document: Decodable {
        var observations: [[String: Scalar]]
    }

    /// Reads a JSON import.
    /// - Parameters:
    ///   - data: the JSON document `{"observations": […]}`.
    ///   - source: its name, for messages.
    ///   - sites: the site registry, by code.
    /// - Returns: the observations, in document order, with CN `api`.
    /// - Throws: ``ObservationImportError`` naming every bad entry (its 1-based position) and field.
    public static func parseJSON(_ data: Data, source: String, sites: [String: Site]) throws(ObservationImportError) -> [Observation] {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw .malformed(source, "not an import document {\"observations\": [{\"site\", \"code\", \"field\", \"kind\", \"time\", \"value\", \"flag\"}, …]}")
        }
        var problems: [ObservationImportProblem] = []
        var entries: [Entry] = []
        let known = Set(csvColumns)
        for (index, object) in document.observations.enumerated() {
            let line = index + 1
            var entry = Entry(line: line)
            for (key, scalar) in object.sorted(by: { $0.key < $1.key }) {
                guard known.contains(key) else {
                    problems.append(ObservationImportProblem(line: line, column: 0, field: key, message: "unknown field (the fields are \(csvColumns.joined(separator: ", ")))"))
                    continue
                }
                switch (key, scalar) {
                case (_, .null): continue
                case ("value", .number(let number)):
                    entry.value = number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
                    entry.numericValue = number
                case ("value", _):
                    entry.value = ""
                    problems.append(ObservationImportProblem(line: line, column: 0, field: key, message: "value must be a JSON number"))
                case (_, .string(let text)):
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    let text: String? = trimmed.isEmpty ? nil : trimmed
                    switch key {
                    case "site": entry.site = text
                    case "code": entry.code = text
                    case "field": entry.field = text
                    case "kind": entry.kind = text
                    case "time": entry.time = text
                    case "flag": entry.flag = text
                    default: entry.mn = text
                    }
                default:
                    problems.append(ObservationImportProblem(line: line, column: 0, field: key, message: "\(key) must be a string"))
                }
            }
            entries.append(entry)
            if problems.count >= maximumProblems { break }
        }
        return try check(entries, cn: "api", source: source, sites: sites, problems: problems)
    }

    /// Checks each entry against the rules and the registry; any problem refuses the whole import.
    static func check(_ entries: [Entry], cn: String, source: String, sites: [String: Site],
                      problems initial: [ObservationImportProblem]) throws(ObservationImportError) -> [Observation] {
        var problems = initial
        var observations: [Observation] = []
        observations.reserveCapacity(entries.count)
        var seen: [String: Int] = [:]
        for entry in entries {
            guard problems.count < maximumProblems else { break }
            let before = problems.count
            func fail(_ field: String, _ message: String) {
                problems.append(ObservationImportProblem(line: entry.line, column: entry.columns[field] ?? 0, field: field, message: message))
            }
            var site: Site?
            if let code = entry.site {
                site = sites[code]
                if site == nil { fail("site", "unknown site \"\(code)\"") }
            } else {
                fail("site", "the site is missing")
            }
            let code = entry.code ?? ""
            if code.isEmpty {
                fail("code", "the pollutant code is missing")
            } else if code.count > 16 || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                fail("code", "\"\(code)\" is not an HJ 212 pollutant code (letters and digits, e.g. a34004)")
            }
            let field = entry.field ?? MonitoringCodes.averageField
            if !fields.contains(field) { fail("field", "\"\(field)\" is not one of \(fields.sorted().joined(separator: ", "))") }
            var kind: DataKind?
            if let text = entry.kind {
                kind = DataKind(rawValue: text).flatMap { kinds.contains($0) ? $0 : nil }
                if kind == nil { fail("kind", "unknown kind \"\(text)\" (realtime, minute, hour, day)") }
            } else {
                fail("kind", "the kind is missing (realtime, minute, hour, day)")
            }
            var time: Date?
            if let text = entry.time {
                time = parseTime(text)
                if time == nil {
                    fail("time", "bad time \"\(text)\": write YYYY-MM-DD HH:MM[:SS] (China time) or ISO 8601 with an offset, e.g. 2026-05-01T08:00:00+08:00")
                } else if let time, let kind, let message = alignment(time, kind: kind) {
                    fail("time", "\"\(text)\": \(message)")
                }
            } else {
                fail("time", "the time is missing")
            }
            var value = entry.numericValue
            if let text = entry.value {
                if value == nil, !text.isEmpty {
                    value = Double(text)
                    if value == nil || !value!.isFinite { fail("value", "\"\(text)\" is not a number"); value = nil }
                }
            } else {
                fail("value", "the value is missing")
            }
            if let flag = entry.flag, !flags.contains(flag) {
                fail("flag", "\"\(flag)\" is not an HJ 212 data flag (N, F, M, S, D, C, T, B)")
            }
            if let mn = entry.mn, mn.count > 64 || !mn.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                fail("mn", "\"\(mn)\" must be 1-64 letters, digits, '-' or '_'")
            }
            guard problems.count == before, let site, let kind, let time, let value else { continue }
            let mn = entry.mn ?? importMN(site: site.code)
            let key = "\(mn)|\(code)|\(field)|\(Int64(time.timeIntervalSince1970))"
            if let earlier = seen[key] {
                fail("time", "the same \(entry.mn == nil ? "site" : "device"), code, field and time as \(cn == "csv" ? "line" : "entry") \(earlier)")
                continue
            }
            seen[key] = entry.line
            let valueText = entry.value ?? String(value)
            observations.append(Observation(siteCode: site.code, mn: mn, cn: cn, kind: kind, code: code, field: field, dataTime: time,
                                            value: value, valueText: valueText, flag: entry.flag))
        }
        guard problems.isEmpty else { throw .invalidRows(source, problems) }
        return observations
    }

    /// Reads `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM[:SS]` or `YYYY-MM-DD` (midnight) as China time, or ISO 8601 with `Z` or an offset
    /// (`+08:00`, `+0800`, `+08`); whole-zero fractions of a second (`.000`) are accepted.
    /// - Parameter text: the time.
    /// - Returns: the instant, or nil.
    public static func parseTime(_ text: String) -> Date? {
        var rest = Substring(text)
        var offsetSeconds: Int?
        if rest.hasSuffix("Z") {
            offsetSeconds = 0
            rest = rest.dropLast()
        } else if rest.count > 16, let sign = rest.dropFirst(16).lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = rest[rest.index(after: sign)...].filter { $0 != ":" }
            guard zone.count == 2 || zone.count == 4, zone.allSatisfy(\.isASCII), let number = Int(zone) else { return nil }
            let hours = zone.count == 2 ? number : number / 100, minutes = zone.count == 2 ? 0 : number % 100
            guard hours <= 14, minutes < 60 else { return nil }
            offsetSeconds = (rest[sign] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
            rest = rest[..<sign]
        }
        if let dot = rest.firstIndex(of: ".") {
            guard rest.distance(from: rest.startIndex, to: dot) == 19, rest[rest.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return nil }
            rest = rest[..<dot]
        }
        guard rest.count >= 16 || (rest.count == 10 && offsetSeconds == nil), let local = LocalTime.parse(String(rest)) else { return nil }
        guard let offsetSeconds else { return local }
        return local.addingTimeInterval(TimeInterval(LocalTime.offset - offsetSeconds))
    }

    /// Why a time does not fit its data kind (hour values on the hour, day values at local midnight, minute values on
    /// the minute), or nil.
    static func alignment(_ time: Date, kind: DataKind) -> String? {
        let c = LocalTime.components(time)
        switch kind {
        case .hour where c.minute != 0 || c.second != 0: return "an hourly value's time must be on the hour (the start of the hour, China time)"
        case .day where c.hour != 0 || c.minute != 0 || c.second != 0: return "a daily value's time must be 00:00 China time"
        case .minute where c.second != 0: return "a minute value's time must be on the minute"
        default: return nil
        }
    }
}
