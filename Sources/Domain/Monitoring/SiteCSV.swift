/// Reading sites from a CSV file: a header row naming the columns (any order), then one site a row.
///
/// Columns: `code,kind,name` are required; optional `township, longitude, latitude, demo, note, control_level,
/// area_class, river, target_class, cross_boundary, water_type, source_scale, protection_zones, zone, enterprise,
/// medium`. `target_class` may be written 1-5 or I-V (Ⅰ-Ⅴ); `control_level` as national/city/county or 国控/市控/县控;
/// `protection_zones` separated by `|`. Cells may be quoted with `"`.
public enum SiteCSV {
    /// A row that cannot be taken, with its line and column.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        /// The file name.
        public var file: String
        /// The 1-based line.
        public var line: Int
        /// The column, when one is at fault.
        public var column: String?
        /// What is wrong.
        public var message: String
        /// `file:line: column: message`.
        public var description: String { "\(file):\(line): \(column.map { "\($0): " } ?? "")\(message)" }
    }

    static let known: Set<String> = [
        "code", "kind", "name", "township", "longitude", "latitude", "demo", "note", "control_level", "area_class", "river",
        "target_class", "cross_boundary", "water_type", "source_scale", "protection_zones", "zone", "enterprise", "medium",
    ]

    /// Parses the whole file; any bad row rejects the file.
    /// - Parameters:
    ///   - text: the CSV text.
    ///   - file: its name, for messages.
    /// - Returns: the sites in file order.
    public static func parse(_ text: String, file: String = "sites.csv") throws(ParseError) -> [Site] {
        let rows = CSVText.rows(text)
        guard let header = rows.first else { throw ParseError(file: file, line: 1, column: nil, message: "the file is empty") }
        let columns = header.cells.map { $0.lowercased() }
        for required in ["code", "kind", "name"] where !columns.contains(required) {
            throw ParseError(file: file, line: 1, column: required, message: "required column is missing")
        }
        for column in columns where !known.contains(column) {
            throw ParseError(file: file, line: 1, column: column, message: "unknown column (known: \(known.sorted().joined(separator: ", ")))")
        }
        var sites: [Site] = []
        var seen = Set<String>()
        for row in rows.dropFirst() where !row.cells.allSatisfy(\.isEmpty) {
            guard row.cells.count == columns.count else {
                throw ParseError(file: file, line: row.line, column: nil, message: "\(row.cells.count) cells, the header has \(columns.count)")
            }
            var values: [String: String] = [:]
            for (index, column) in columns.enumerated() where !row.cells[index].isEmpty { values[column] = row.cells[index] }
            func fail(_ column: String, _ message: String) -> ParseError { ParseError(file: file, line: row.line, column: column, message: message) }
            guard let kindText = values["kind"], let kind = SiteKind(rawValue: kindText) else {
                throw fail("kind", "\"\(values["kind"] ?? "")\" must be one of \(SiteKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var site = Site(code: values["code"] ?? "", kind: kind, name: values["name"] ?? "", township: values["township"],
                            note: values["note"])
            func number(_ column: String) throws(ParseError) -> Double? {
                guard let text = values[column] else { return nil }
                guard let value = Double(text), value.isFinite else { throw fail(column, "\"\(text)\" is not a number") }
                return value
            }
            func flag(_ column: String) throws(ParseError) -> Bool? {
                guard let text = values[column]?.lowercased() else { return nil }
                switch text {
                case "true", "yes", "1", "是", "y": return true
                case "false", "no", "0", "否", "n": return false
                default: throw fail(column, "\"\(text)\" is not true or false")
                }
            }
            site.longitude = try number("longitude")
            site.latitude = try number("latitude")
            site.demo = try flag("demo") ?? false
            if let text = values["control_level"] {
                guard let level = ControlLevel(rawValue: text) ?? ControlLevel.allCases.first(where: { $0.chineseName == text }) else {
                    throw fail("control_level", "\"\(text)\" must be national, city or county (国控/市控/县控)")
                }
                site.controlLevel = level
            }
            if let text = values["area_class"] {
                guard let value = Int(text) else { throw fail("area_class", "\"\(text)\" must be 1 or 2") }
                site.areaClass = value
            }
            site.river = values["river"]
            if let text = values["target_class"] {
                guard let value = WaterClassName.parse(text) else { throw fail("target_class", "\"\(text)\" must be I-V or 1-5") }
                site.targetClass = value
            }
            site.crossBoundary = try flag("cross_boundary")
            site.waterType = values["water_type"]
            site.sourceScale = values["source_scale"].map { $0 == "城市" ? "city" : $0 == "乡镇" ? "township" : $0 }
            site.protectionZones = values["protection_zones"].map { $0.split(separator: "|").map(String.init) }
            site.zone = values["zone"]?.lowercased()
            site.enterprise = values["enterprise"]
            site.medium = values["medium"].map { $0 == "废气" ? "gas" : $0 == "废水" ? "water" : $0 }
            if let problem = site.problems().first { throw fail("", problem) }
            guard seen.insert(site.code).inserted else { throw fail("code", "site \(site.code) appears twice in the file") }
            sites.append(site)
        }
        return sites
    }
}

/// Roman class names of GB 3838 (I-V, 劣V).
public enum WaterClassName {
    /// Reads `I`…`V`, `Ⅰ`…`Ⅴ` or `1`…`5`.
    public static func parse(_ text: String) -> Int? {
        switch text.trimmingPlanWhitespace().uppercased() {
        case "1", "I", "Ⅰ": 1
        case "2", "II", "Ⅱ": 2
        case "3", "III", "Ⅲ": 3
        case "4", "IV", "Ⅳ": 4
        case "5", "V", "Ⅴ": 5
        default: nil
        }
    }

    /// The name of a class 1-6: `I`…`V`, `劣V`.
    public static func name(_ value: Int) -> String {
        ["I", "II", "III", "IV", "V", "劣V"][max(1, min(6, value)) - 1]
    }
}

/// A minimal RFC 4180 reader: comma-separated cells, `"` quoting with `""` escapes, CRLF or LF, a UTF-8 BOM ignored.
public enum CSVText {
    /// A row with its 1-based starting line.
    public struct Row: Sendable {
        /// The line the row starts on.
        public var line: Int
        /// The cells, trimmed of surrounding spaces.
        public var cells: [String]
    }

    /// Splits text into rows of cells.
    public static func rows(_ text: String) -> [Row] {
        var rows: [Row] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }
        func finishCell() {
            cells.append(cell.trimmingPlanWhitespace())
            cell = ""
        }
        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" { cell.unicodeScalars.append("\""); pending = iterator.next() } else { quoted = false }
                } else {
                    if scalar == "\n" { line += 1 }
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": quoted = true
            case ",": finishCell()
            case "\r": continue
            case "\n":
                finishCell()
                rows.append(Row(line: rowLine, cells: cells))
                cells = []
                line += 1
                rowLine = line
            default: cell.unicodeScalars.append(scalar)
            }
        }
        if !cell.isEmpty || !cells.isEmpty {
            finishCell()
            rows.append(Row(line: rowLine, cells: cells))
        }
        return rows
    }
}
