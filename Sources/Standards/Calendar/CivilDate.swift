/// A date of the proleptic Gregorian calendar, in local (Beijing) time: the "natural day" (自然日) of GB 3095-2026
/// §3 and HJ 663, 00:00–24:00.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year.
    public let year: Int
    /// The month, 1…12.
    public let month: Int
    /// The day of the month, 1…31.
    public let day: Int

    /// Creates a date, or `nil` when it does not exist (2015-02-29, 2016-13-01).
    /// - Parameters:
    ///   - year: the year (1…9999).
    ///   - month: the month.
    ///   - day: the day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date of a day number (days since 1970-01-01).
    /// - Parameter dayNumber: the day number.
    public init(dayNumber: Int) {
        // H. Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// The first day of the month after this date's month.
    public var firstOfNextMonth: CivilDate {
        month == 12 ? CivilDate(year: year + 1, month: 1, day: 1)! : CivilDate(year: year, month: month + 1, day: 1)!
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        // H. Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The next day.
    public var next: CivilDate { CivilDate(dayNumber: dayNumber + 1) }

    /// `YYYY-MM-DD`.
    public var description: String {
        "\(CivilDate.pad(year, 4))-\(CivilDate.pad(month, 2))-\(CivilDate.pad(day, 2))"
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `true` for leap years of the Gregorian calendar.
    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// The number of days of a month.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Reads `YYYY-MM-DD`.
    /// - Parameter text: the text.
    /// - Returns: the date, or `nil` when malformed or nonexistent.
    public static func parse(_ text: Substring) -> CivilDate? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = digits(bytes[0..<4]), let month = digits(bytes[5..<7]), let day = digits(bytes[8..<10]) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// One clock hour of local time, identified by the hour that it **starts**: hour number `h` is the interval
/// `[h, h+1)` counted in hours since 1970-01-01 00:00.
///
/// HJ 663-2013 表A.1 labels an hourly value by the END of its hour ("整点时刻前1小时", 1时 = 00:00–01:00); many
/// exports label by the start. ``HourLabel`` converts a written label to this interval.
public struct LocalHour: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Hours since 1970-01-01 00:00 local time of the start of the interval.
    public let number: Int

    /// Creates the hour that starts `number` hours after 1970-01-01 00:00.
    public init(number: Int) { self.number = number }

    /// Creates the hour starting at `hour`:00 of `date`.
    public init(date: CivilDate, hour: Int) { number = date.dayNumber * 24 + hour }

    /// The natural day the hour lies in.
    public var date: CivilDate { CivilDate(dayNumber: dayNumber) }
    /// The day number of ``date``.
    public var dayNumber: Int { number >= 0 ? number / 24 : (number - 23) / 24 }
    /// The hour of the day at which the interval starts, 0…23.
    public var hourOfDay: Int { number - dayNumber * 24 }

    /// `YYYY-MM-DD HH:00` of the start of the interval.
    public var description: String { "\(date) \(CivilDate.pad(hourOfDay, 2)):00" }

    public static func < (lhs: LocalHour, rhs: LocalHour) -> Bool { lhs.number < rhs.number }
}

/// How a file labels its hourly values.
public enum HourLabel: String, Sendable, CaseIterable, Codable {
    /// The label is the end of the hour (HJ 663 表A.1): `01:00` is 00:00–01:00, `00:00` closes the previous day.
    case end
    /// The label is the start of the hour: `00:00` is 00:00–01:00.
    case start

    /// The interval a label denotes.
    /// - Parameters:
    ///   - date: the label's date.
    ///   - hour: the label's hour (0…24; 24:00 is the next day's 00:00).
    /// - Returns: the hour interval.
    public func interval(date: CivilDate, hour: Int) -> LocalHour {
        let labelled = LocalHour(date: date, hour: hour)
        return self == .end ? LocalHour(number: labelled.number - 1) : labelled
    }

    /// The label written for an interval.
    /// - Parameter hour: the interval.
    /// - Returns: `YYYY-MM-DD HH:MM` in this convention.
    public func label(for hour: LocalHour) -> String {
        (self == .end ? LocalHour(number: hour.number + 1) : hour).description
    }

    /// Reads `YYYY-MM-DD HH:MM` (minutes `00`; optional `:00` seconds; `24:00` accepted as the next day's 00:00).
    /// - Parameter text: the cell.
    /// - Returns: the date and hour of the label, or `nil` when malformed.
    public static func parseLabel(_ text: Substring) -> (date: CivilDate, hour: Int)? {
        var bytes = Array(text.utf8)
        if bytes.count == 19 {
            guard bytes[16] == UInt8(ascii: ":"), bytes[17] == UInt8(ascii: "0"), bytes[18] == UInt8(ascii: "0") else { return nil }
            bytes.removeLast(3)
        }
        guard bytes.count == 16, bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
              let date = CivilDate.parse(Substring(text.prefix(10))),
              let hour = CivilDate.digits(bytes[11..<13]), let minute = CivilDate.digits(bytes[14..<16]),
              minute == 0, hour <= 24 else { return nil }
        if hour == 24 { return (date.next, 0) }
        return (date, hour)
    }
}
