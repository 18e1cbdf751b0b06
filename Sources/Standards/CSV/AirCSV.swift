/// The station export read by `qingshan assess air`: a header with the columns `time,so2,no2,co,o3,pm10,pm25` in
/// any order (µg/m³; CO mg/m³), `time` as `YYYY-MM-DD HH:MM` local time, an empty cell for a missing value.
public struct AirCSV: Sendable {
    /// One row: its line, its label as written and the hour interval it denotes.
    public struct Row: Sendable, Hashable {
        /// The 1-based line.
        public var line: Int
        /// The time label, normalised to `YYYY-MM-DD HH:MM`.
        public var label: String
        /// The hour interval.
        public var hour: LocalHour
    }

    /// The columns required.
    public static let columns = ["time", "so2", "no2", "co", "o3", "pm10", "pm25"]

    /// The rows in time order.
    public var rows: [Row]
    /// The hourly values, covering every day that has a row.
    public var series: HourlyAirSeries
    /// The hour-label convention used to read the file.
    public var hourLabel: HourLabel

    /// Reads a file.
    /// - Parameters:
    ///   - text: the CSV text.
    ///   - hourLabel: how the file labels its hours (HJ 663: by the end).
    /// - Throws: ``AssessInputError`` naming the line and column of a missing or unknown column, a non-numeric or
    ///   negative value, a malformed or duplicated time.
    public init(_ text: String, hourLabel: HourLabel = .end) throws(AssessInputError) {
        let table = try CSVTable(text)
        let indices = try table.indices(of: AirCSV.columns)
        let timeColumn = indices["time"]!
        var parsed: [(row: Row, values: [ScaledDecimal?])] = []
        parsed.reserveCapacity(table.rows.count)
        var seen: [Int: Int] = [:]
        for row in table.rows {
            let cell = row.cells[timeColumn]
            guard let (date, hour) = HourLabel.parseLabel(cell) else {
                throw .malformedTime(String(cell), line: row.line, column: timeColumn + 1, name: "time", expected: "YYYY-MM-DD HH:MM")
            }
            let interval = hourLabel.interval(date: date, hour: hour)
            if let first = seen[interval.number] {
                throw .duplicateRow(line: row.line, column: timeColumn + 1, name: "time", what: "hour \(cell)", firstLine: first)
            }
            seen[interval.number] = row.line
            var values: [ScaledDecimal?] = []
            for pollutant in AirPollutant.allCases {
                let column = indices[pollutant.rawValue]!
                values.append(try table.number(row.cells[column], row: row, column: column, maximum: HourlyAirSeries.maximumValue))
            }
            parsed.append((Row(line: row.line, label: hourLabel.label(for: interval), hour: interval), values))
        }
        guard let first = parsed.map(\.row.hour).min(), let last = parsed.map(\.row.hour).max() else {
            throw .noData("the file has a header but no rows")
        }
        var series = HourlyAirSeries(firstDay: first.date, dayCount: last.dayNumber - first.dayNumber + 1)
        for (row, values) in parsed {
            for (pollutant, value) in zip(AirPollutant.allCases, values) where value != nil {
                series.set(pollutant, value, at: row.hour)
            }
        }
        rows = parsed.map(\.row).sorted { $0.hour < $1.hour }
        self.series = series
        self.hourLabel = hourLabel
    }
}
