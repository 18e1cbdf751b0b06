/// The file read by `qingshan assess noise`: columns `point,zone,time,leq`, one hourly L_eq a row, `time` the start
/// of the hour (`YYYY-MM-DD HH:MM`).
public struct NoiseCSV: Sendable {
    /// One hourly level.
    public struct Row: Sendable, Hashable {
        /// The 1-based line.
        public var line: Int
        /// The monitoring point.
        public var point: String
        /// The functional zone.
        public var zone: NoiseZone
        /// The hour.
        public var hour: LocalHour
        /// L_eq in dB(A).
        public var leq: ScaledDecimal
    }

    /// The columns required.
    public static let columns = ["point", "zone", "time", "leq"]

    /// The rows in file order (rows with an empty `leq` are skipped).
    public var rows: [Row]

    /// Reads a file.
    /// - Parameter text: the CSV text.
    /// - Throws: ``AssessInputError`` naming the line and column of a missing or unknown column, an unknown zone, a
    ///   non-numeric or negative level, a malformed or duplicated hour, or a point whose zone changes.
    public init(_ text: String) throws(AssessInputError) {
        let table = try CSVTable(text)
        let indices = try table.indices(of: NoiseCSV.columns)
        let (pointColumn, zoneColumn, timeColumn, leqColumn) = (indices["point"]!, indices["zone"]!, indices["time"]!, indices["leq"]!)
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        var zones: [String: (NoiseZone, Int)] = [:]
        for row in table.rows {
            let point = String(row.cells[pointColumn])
            guard !point.isEmpty else { throw .badValue("the point is empty", line: row.line, column: pointColumn + 1, name: "point") }
            let zoneText = String(row.cells[zoneColumn])
            guard let zone = NoiseZone(text: zoneText) else {
                throw .badValue("\"\(zoneText)\" is not a zone of GB 3096-2008 (0, 1, 2, 3, 4a, 4b)", line: row.line,
                                column: zoneColumn + 1, name: "zone")
            }
            if let (previous, line) = zones[point], previous != zone {
                throw .badValue("point \(point) was zone \(previous.rawValue) on line \(line)", line: row.line,
                                column: zoneColumn + 1, name: "zone")
            }
            zones[point] = zones[point] ?? (zone, row.line)
            let cell = row.cells[timeColumn]
            guard let (date, hour) = HourLabel.parseLabel(cell) else {
                throw .malformedTime(String(cell), line: row.line, column: timeColumn + 1, name: "time", expected: "YYYY-MM-DD HH:MM")
            }
            let interval = HourLabel.start.interval(date: date, hour: hour)
            let key = point + "\u{1}" + String(interval.number)
            if let first = seen[key] {
                throw .duplicateRow(line: row.line, column: timeColumn + 1, name: "time", what: "hour \(cell) of point \(point)", firstLine: first)
            }
            seen[key] = row.line
            guard let leq = try table.number(row.cells[leqColumn], row: row, column: leqColumn, maximum: 200) else { continue }
            rows.append(Row(line: row.line, point: point, zone: zone, hour: interval, leq: leq))
        }
        self.rows = rows
    }

    /// The sessions: one per point and date, with L_d over the hours 06–21 and L_n over the hours 00–05 and 22–23 of
    /// that date, in the order points first appear, then by date.
    public var sessions: [NoiseSession] {
        var order: [String] = []
        var groups: [String: [CivilDate: [Row]]] = [:]
        for row in rows {
            if groups[row.point] == nil { order.append(row.point) }
            groups[row.point, default: [:]][row.hour.date, default: []].append(row)
        }
        var result: [NoiseSession] = []
        for point in order {
            for (date, hours) in groups[point]!.sorted(by: { $0.key < $1.key }) {
                let day = hours.filter { NoiseLevels.isDay($0.hour.hourOfDay) }.map(\.leq)
                let night = hours.filter { !NoiseLevels.isDay($0.hour.hourOfDay) }.map(\.leq)
                result.append(NoiseSession(point: point, date: date, zone: hours[0].zone, ld: NoiseLevels.energyAverage(day),
                                           ln: NoiseLevels.energyAverage(night), dayHours: day.count, nightHours: night.count))
            }
        }
        return result
    }
}
