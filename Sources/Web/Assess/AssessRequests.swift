import Foundation
import Standards

/// A number in a request body, read exactly: a JSON string (`"2.2"`) or a JSON number, taken by its shortest decimal
/// form (a binary double is never used in a decision).
struct DecimalInput: Decodable, Sendable {
    var value: ScaledDecimal

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string.trimmingCharacters(in: .whitespaces)
        } else {
            let number = try container.decode(Double.self)
            guard number.isFinite else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a finite number") }
            text = "\(number)"
        }
        guard let value = ScaledDecimal.parse(Substring(text), maximumDecimals: 9) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a number")
        }
        guard value.units >= 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is negative")
        }
        self.value = value
    }
}

/// `POST /api/v1/assess/aqi`: concentrations of one hour or day.
struct AQIRequest: Decodable, Sendable {
    /// `hour` (real-time) or `day`.
    var report: String?
    /// `auto`, `2012`, `2026`.
    var standard: String?
    /// The date (`YYYY-MM-DD`) that `auto` chooses the rule set by; today in Beijing time when absent.
    var date: String?
    /// `24h` or `1h` (2012 real-time PM).
    var pmHourly: String?
    /// The concentrations by key: `so2`, `no2`, `co`, `o3` (1-hour), `o3_1h`, `o3_8h`, `pm10`, `pm25`, `so2_24h`,
    /// `pm10_24h`, `pm25_24h` (moving averages of the 2012 real-time report).
    var concentrations: [String: DecimalInput?]

    enum CodingKeys: String, CodingKey {
        case report, standard, date, pmHourly = "pm_hourly", concentrations
    }

    static let keys = ["so2", "no2", "co", "o3", "o3_1h", "o3_8h", "pm10", "pm25", "so2_24h", "pm10_24h", "pm25_24h"]
}

/// `POST /api/v1/assess/air|water|noise`: the options of the command and the file, as CSV text or as rows.
struct FileAssessRequest: Decodable, Sendable {
    var level: String?
    var standard: String?
    var hourLabel: String?
    var areaClass: Int?
    var pmHourly: String?
    var year: Int?
    var waterType: String?
    var drinkingSource: Bool?
    /// The CSV text, exactly as the command reads it.
    var csv: String?
    /// Or the rows, each an object of column → value (number, string or null).
    var rows: [[String: CellInput]]?

    enum CodingKeys: String, CodingKey {
        case level, standard, hourLabel = "hour_label", areaClass = "area_class", pmHourly = "pm_hourly", year
        case waterType = "water_type", drinkingSource = "drinking_source", csv, rows
    }

    /// The CSV text of the request: `csv`, or the rows written as CSV with the columns in first-seen order.
    func text() throws -> String {
        if let csv { return csv }
        guard let rows, !rows.isEmpty else { throw AssessRequestError("the body needs \"csv\" (the file's text) or \"rows\"") }
        var columns: [String] = []
        for row in rows { for key in row.keys.sorted() where !columns.contains(key) { columns.append(key) } }
        func cell(_ text: String) -> String {
            text.contains(",") || text.contains("\"") || text.contains("\n") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [columns.map(cell).joined(separator: ",")]
        for row in rows { lines.append(columns.map { cell(row[$0]?.text ?? "") }.joined(separator: ",")) }
        return lines.joined(separator: "\n")
    }
}

/// A cell of a row given as JSON: a string, a number (its shortest decimal form), a boolean or null.
struct CellInput: Decodable, Sendable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
        } else if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int.self) {
            text = String(integer)
        } else if let number = try? container.decode(Double.self) {
            text = "\(number)"
        } else {
            text = String(try container.decode(Bool.self))
        }
    }
}

/// A request the assess routes cannot take (not a CSV error: those are ``AssessInputError``).
struct AssessRequestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
