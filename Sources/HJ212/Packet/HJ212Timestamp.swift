/// A local date and time as HJ 212 writes it: `YYYYMMDDhhmmss` (N14, DataTime and the other times,
/// HJ 212-2017 6.3.3.2.2) or `YYYYMMDDhhmmsszzz` (QN, 17 digits with milliseconds, HJ 212-2017 表3).
///
/// No time zone: devices send local time (Asia/Shanghai in practice); the gateway applies the zone at the edge.
public struct HJ212Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2016.
    public var year: Int
    /// The month, 1…12.
    public var month: Int
    /// The day of the month, 1…31.
    public var day: Int
    /// The hour, 0…23.
    public var hour: Int
    /// The minute, 0…59.
    public var minute: Int
    /// The second, 0…59.
    public var second: Int
    /// The millisecond, 0…999 (only QN and 17-digit times carry it).
    public var millisecond: Int

    /// Creates a timestamp; returns nil when the fields are not a calendar date and time.
    /// - Parameters:
    ///   - year: the year (1…9999).
    ///   - month: 1…12.
    ///   - day: 1…the month's length.
    ///   - hour: 0…23.
    ///   - minute: 0…59.
    ///   - second: 0…59.
    ///   - millisecond: 0…999.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysInMonth(year: year, month: month), (0...23).contains(hour), (0...59).contains(minute),
            (0...59).contains(second), (0...999).contains(millisecond)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// Parses 14 digits (`YYYYMMDDhhmmss`) or 17 digits (`YYYYMMDDhhmmsszzz`).
    /// - Parameter text: the digits.
    /// - Returns: nil when the text is not 14 or 17 digits or not a calendar date and time.
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        guard let parsed = utf8.withUnsafeMutableBytes({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses 14 or 17 ASCII digits.
    static func parse(_ p: UnsafeRawBufferPointer) -> HJ212Timestamp? {
        guard p.count == 14 || p.count == 17 else { return nil }
        // Digits: bytes 0…7 and 6…13 as two words (and 14…16 one by one); a byte is a digit when (byte ^ 0x30) & 0x7F
        // plus 0x76 stays below 0x80 and its top bit is clear.
        let first = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self)) ^ 0x3030_3030_3030_3030
        let second = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 6, as: UInt64.self)) ^ 0x3030_3030_3030_3030
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, bias: UInt64 = 0x7676_7676_7676_7676
        guard ((((first & low7) &+ bias) | first) | (((second & low7) &+ bias) | second)) & 0x8080_8080_8080_8080 == 0
        else { return nil }
        @inline(__always) func digit(_ k: Int) -> Int { Int(p[k] &- ASCII.zero) }
        var millisecond = 0
        if p.count == 17 {
            guard ASCII.isDigit(p[14]), ASCII.isDigit(p[15]), ASCII.isDigit(p[16]) else { return nil }
            millisecond = digit(14) &* 100 &+ digit(15) &* 10 &+ digit(16)
        }
        return HJ212Timestamp(
            year: digit(0) &* 1000 &+ digit(1) &* 100 &+ digit(2) &* 10 &+ digit(3), month: digit(4) &* 10 &+ digit(5),
            day: digit(6) &* 10 &+ digit(7), hour: digit(8) &* 10 &+ digit(9), minute: digit(10) &* 10 &+ digit(11),
            second: digit(12) &* 10 &+ digit(13), millisecond: millisecond
        )
    }

    /// Whether ``parse(_:)`` accepts the bytes, without making the value (the parser only checks QN and times).
    @inline(__always)
    static func isValid(_ p: UnsafeRawBufferPointer) -> Bool {
        guard p.count == 14 || p.count == 17 else { return false }
        let first = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self)) ^ 0x3030_3030_3030_3030
        let second = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 6, as: UInt64.self)) ^ 0x3030_3030_3030_3030
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, bias: UInt64 = 0x7676_7676_7676_7676
        guard ((((first & low7) &+ bias) | first) | (((second & low7) &+ bias) | second)) & 0x8080_8080_8080_8080 == 0
        else { return false }
        if p.count == 17 {
            guard ASCII.isDigit(p[14]), ASCII.isDigit(p[15]), ASCII.isDigit(p[16]) else { return false }
        }
        // Every byte is now a digit: byte k of `first` is digit k (0…7), byte k of `second` digit 6 + k.
        @inline(__always) func digit(_ word: UInt64, _ k: Int) -> Int { Int(truncatingIfNeeded: (word &>> UInt64(k &* 8)) & 0xFF) }
        let year = digit(first, 0) &* 1000 &+ digit(first, 1) &* 100 &+ digit(first, 2) &* 10 &+ digit(first, 3)
        let month = digit(first, 4) &* 10 &+ digit(first, 5)
        let day = digit(first, 6) &* 10 &+ digit(first, 7)
        let hour = digit(second, 2) &* 10 &+ digit(second, 3)
        let minute = digit(second, 4) &* 10 &+ digit(second, 5)
        let seconds = digit(second, 6) &* 10 &+ digit(second, 7)
        return year >= 1 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && seconds <= 59
            && (day <= 28 || day <= daysInMonth(year: year, month: month))
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `YYYYMMDDhhmmss`, the N14 form of DataTime, SystemTime, BeginTime … (HJ 212-2017 6.3.3.2.2).
    public var n14: String {
        Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + Self.pad(hour, 2) + Self.pad(minute, 2) + Self.pad(second, 2)
    }

    /// `YYYYMMDDhhmmsszzz`, the QN form (HJ 212-2017 表3).
    public var qn: String { n14 + Self.pad(millisecond, 3) }

    /// The N14 form.
    public var description: String { n14 }

    /// Orders by calendar time.
    public static func < (lhs: HJ212Timestamp, rhs: HJ212Timestamp) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    /// A number that orders timestamps (not a duration).
    private var ordinal: Int {
        ((((year * 13 + month) * 32 + day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millisecond
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        String(value).leftPadded(to: width)
    }
}
