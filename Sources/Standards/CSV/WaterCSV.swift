/// The sample file read by `qingshan assess water`: columns `site`, optional `time` and `target_class` (I–V), and
/// the items by name (`ph, do, codmn, …`) or by their HJ 212-2017 codes (`w01001`, …).
public struct WaterCSV: Sendable {
    /// One sample.
    public struct Sample: Sendable, Hashable {
        /// The 1-based line.
        public var line: Int
        /// The site (section) name or code.
        public var site: String
        /// The sampling time as written, if given.
        public var time: String?
        /// The target class, if given.
        public var targetClass: WaterClass?
        /// The measured values.
        public var values: [WaterItem: ScaledDecimal]
    }

    /// The samples in file order.
    public var samples: [Sample]
    /// The items that have a column.
    public var items: [WaterItem]

    /// Reads a file.
    /// - Parameter text: the CSV text.
    /// - Throws: ``AssessInputError`` naming the line and column of a missing `site` column, an unknown item, a
    ///   non-numeric or negative value, a bad target class, a malformed time or a duplicated sample.
    public init(_ text: String) throws(AssessInputError) {
        let table = try CSVTable(text)
        var siteColumn: Int?, timeColumn: Int?, targetColumn: Int?
        var itemColumns: [(Int, WaterItem)] = []
        var seenNames: Set<String> = []
        let known = "site, time, target_class, " + WaterItem.allCases.map(\.rawValue).joined(separator: ", ") + " or HJ 212 codes w01001 …"
        for (index, name) in table.header.enumerated() {
            switch name {
            case "site": siteColumn = index
            case "time": timeColumn = index
            case "target_class": targetColumn = index
            default:
                guard let item = WaterItem(column: name) else { throw .unknownColumn(name, at: index + 1, known: known) }
                guard !itemColumns.contains(where: { $0.1 == item }) else { throw .duplicateColumn(name, at: index + 1) }
                itemColumns.append((index, item))
            }
            guard seenNames.insert(name).inserted else { throw .duplicateColumn(name, at: index + 1) }
        }
        guard let siteColumn else { throw .missingColumn("site", expected: "site and at least one item") }
        guard !itemColumns.isEmpty else { throw .missingColumn("ph", expected: "site and at least one item (ph, do, codmn, …)") }
        var samples: [Sample] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let site = String(row.cells[siteColumn])
            guard !site.isEmpty else {
                throw .badValue("the site is empty", line: row.line, column: siteColumn + 1, name: "site")
            }
            var time: String?
            if let timeColumn, !row.cells[timeColumn].isEmpty {
                let cell = row.cells[timeColumn]
                guard CivilDate.parse(cell.prefix(10)) != nil,
                      cell.count == 10 || HourLabel.parseLabel(cell) != nil || WaterCSV.isMinuteTime(cell) else {
                    throw .malformedTime(String(cell), line: row.line, column: timeColumn + 1, name: "time",
                                         expected: "YYYY-MM-DD or YYYY-MM-DD HH:MM")
                }
                time = String(cell)
            }
            let key = site + "\u{1}" + (time ?? "")
            if let first = seen[key] {
                throw .duplicateRow(line: row.line, column: (timeColumn ?? siteColumn) + 1, name: timeColumn == nil ? "site" : "time",
                                    what: "sample of site \(site)\(time.map { " at \($0)" } ?? "")", firstLine: first)
            }
            seen[key] = row.line
            var target: WaterClass?
            if let targetColumn, !row.cells[targetColumn].isEmpty {
                let cell = String(row.cells[targetColumn])
                guard let value = WaterClass(name: cell), value.value <= 5 else {
                    throw .badValue("\"\(cell)\" is not a target class (I, II, III, IV or V)", line: row.line,
                                    column: targetColumn + 1, name: "target_class")
                }
                target = value
            }
            var values: [WaterItem: ScaledDecimal] = [:]
            for (column, item) in itemColumns {
                if let value = try table.number(row.cells[column], row: row, column: column, maximum: 1_000_000_000) {
                    if item == .ph, value > ScaledDecimal(14) {
                        throw .outOfRange(String(row.cells[column]), line: row.line, column: column + 1, name: table.header[column], range: "pH 0 … 14")
                    }
                    values[item] = value
                }
            }
            samples.append(Sample(line: row.line, site: site, time: time, targetClass: target, values: values))
        }
        self.samples = samples
        self.items = itemColumns.map(\.1)
    }

    static func isMinuteTime(_ cell: Substring) -> Bool {
        // YYYY-MM-DD HH:MM with any minute (samples need not be on the hour).
        let bytes = Array(cell.utf8)
        guard bytes.count == 16 || bytes.count == 19, bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"),
              let hour = CivilDate.digits(bytes[11..<13]), let minute = CivilDate.digits(bytes[14..<16]) else { return false }
        if bytes.count == 19 {
            guard bytes[16] == UInt8(ascii: ":"), let second = CivilDate.digits(bytes[17..<19]), second < 60 else { return false }
        }
        return hour < 24 && minute < 60
    }
}
