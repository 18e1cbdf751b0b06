public import Foundation
import Standards

/// China Standard Time (UTC+8, no daylight saving), the zone every time at the edges is read and written in.
/// Times are stored in UTC; this converts at the edges.
public enum LocalTime {
    /// UTC+8 as seconds.
    public static let offset = 8 * 3600

    /// Reads `YYYY-MM-DDTHH:MM:SS` (a space may replace `T`; seconds and the time may be omitted) as China time.
    /// - Parameter text: the time.
    /// - Returns: the instant, or nil when the text is not such a time.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        var hour = 0, minute = 0, second = 0
        if bytes.count > 10 {
            guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes.count >= 16, bytes[13] == UInt8(ascii: ":"),
                  let h = number(11..<13), let m = number(14..<16) else { return nil }
            hour = h
            minute = m
            if bytes.count > 16 {
                guard bytes.count == 19, bytes[16] == UInt8(ascii: ":"), let s = number(17..<19) else { return nil }
                second = s
            }
        }
        return date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The instant of a China-time calendar date and time, or nil when the fields are out of range.
    public static func date(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Date? {
        guard let civil = CivilDate(year: year, month: month, day: day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = civil.dayNumber
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Writes an instant as `YYYY-MM-DDTHH:MM:SS` China time.
    public static func format(_ date: Date) -> String {
        let c = components(date)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))"
    }

    /// The China-time calendar fields of an instant.
    public static func components(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let total = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        var days = total / 86_400
        var rest = total % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let civil = CivilDate(dayNumber: days)
        return (civil.year, civil.month, civil.day, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    /// The number of days in a month of the Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int { CivilDate.daysInMonth(year: year, month: month) }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension LocalTime {
    /// The local (UTC+8) calendar day of an instant as `YYYY-MM-DD`: the day an hourly value belongs to when rolled
    /// up (HJ 663 natural day, 0-24 h Beijing time).
    public static func dayText(_ date: Date) -> String {
        civilDate(date).description
    }
}
