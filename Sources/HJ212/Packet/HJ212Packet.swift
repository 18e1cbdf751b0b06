import NIOCore

/// A parsed HJ 212 packet: the header fields of the data segment (HJ 212-2017 表3) and the pairs of its data area
/// (6.3.3), as offsets into the frame's bytes.
///
/// Parsing (``init(frame:)``) checks the encoding, the `CP=&&…&&` envelope, the header and the data-area grammar, and
/// records every lenient acceptance in ``deviations``; it allocates only the array of pair offsets. Strings and
/// numbers are made on access (``mn``, ``items`` …).
public struct HJ212Packet: Sendable {
    /// The protocol generation a packet follows, from the Flag version bits (HJ 212-2017 表3: `V5…V0`), or from the
    /// MN and the code style when Flag is absent.
    public enum Dialect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// HJ/T 212-2005 (version bits 000000).
        case v2005 = "2005"
        /// HJ 212-2017 (version bits 000001).
        case v2017 = "2017"
        /// HJ 212-2025 (version bits 000010), in force since 2026-01-01.
        case v2025 = "2025"

        /// The year, e.g. `2017`.
        public var description: String { rawValue }

        /// The Flag value of a reply that asks for no answer and is not split: 0 (2005), 4 (2017), 8 (2025).
        public var replyFlag: Int {
            switch self {
            case .v2005: 0
            case .v2017: 4
            case .v2025: 8
            }
        }
    }

    /// A byte range inside the frame (offsets from the frame's `##`); `start == .max` means absent.
    struct Span: Sendable, Hashable {
        var start: UInt16
        var end: UInt16

        static let absent = Span(start: .max, end: .max)

        @inline(__always)
        init(start: UInt16, end: UInt16) {
            self.start = start
            self.end = end
        }

        @inline(__always)
        init(_ start: Int, _ end: Int) {
            self.start = UInt16(truncatingIfNeeded: start)
            self.end = UInt16(truncatingIfNeeded: end)
        }

        var isPresent: Bool { start != .max }
        var count: Int { Int(end) - Int(start) }
    }

    /// One `key=value` pair of the data area, as offsets into the frame.
    public struct Pair: Sendable, Hashable {
        var key: Span
        /// End of the code (the `-` before the suffix); equal to `key.start` for plain fields.
        var codeEnd: UInt16
        var value: Span
        /// Index of the item (the `;`-separated group) the pair belongs to.
        var group: UInt16
        /// What the key means.
        public let field: HJ212Field
        /// Whether the value is a decimal number.
        public let isNumeric: Bool

        /// Whether the key has a factor code (`w01018-Rtd`) rather than being a plain field (`RtdInterval`).
        public var hasCode: Bool { codeEnd != key.start }
    }

    /// The frame the packet was parsed from (raw bytes, offset, checksum).
    public let frame: HJ212Frame
    /// The dialect.
    public internal(set) var dialect: Dialect
    /// Every departure from the standard accepted while framing and parsing.
    public internal(set) var deviations: HJ212Deviations
    /// The Flag (0…255), when sent.
    public internal(set) var flag: Int?
    /// PNUM, the number of sub-packets, when sent.
    public internal(set) var pnum: Int?
    /// PNO, this sub-packet's number (1-based), when sent.
    public internal(set) var pno: Int?
    /// The command code (CN) as a number, e.g. 2061.
    public internal(set) var commandCode: Int

    var qnSpan = Span.absent
    var stSpan = Span.absent
    var cnSpan = Span.absent
    var pwSpan = Span.absent
    var mnSpan = Span.absent
    var dataTimeSpan = Span.absent
    /// The data-area pairs in order (DataTime excluded), as offsets.
    public internal(set) var pairs: [Pair]

    // MARK: Header

    /// QN, the request code (`YYYYMMDDhhmmsszzz`), when sent.
    public var qn: String? { string(qnSpan) }
    /// ST, the system code (`32` waste water, `31` flue gas, `22` air, `91` interaction …), when sent.
    public var st: String? { string(stSpan) }
    /// CN, the command code as sent (`2011`, `9014` …).
    public var cn: String { string(cnSpan) ?? "" }
    /// PW, the access password, when sent.
    public var pw: String? { string(pwSpan) }
    /// MN, the device's unique identifier.
    public var mn: String { string(mnSpan) ?? "" }
    /// DataTime exactly as sent (14 or 17 digits), when the data area has one.
    public var dataTimeText: String? { string(dataTimeSpan) }
    /// DataTime as a timestamp, when present and valid.
    public var dataTime: HJ212Timestamp? {
        guard dataTimeSpan.isPresent else { return nil }
        return frame.bytes.withUnsafeReadableBytes { p in
            HJ212Timestamp.parse(UnsafeRawBufferPointer(rebasing: p[Int(dataTimeSpan.start)..<Int(dataTimeSpan.end)]))
        }
    }

    /// Flag bit A (HJ 212-2017 表3): the sender expects an answer (9014 for an upload, 9011/9012 for a request).
    public var needsAcknowledgement: Bool { (flag ?? 0) & 1 == 1 }
    /// Flag bit D (HJ 212-2017 表3): the packet is one of several sub-packets (PNUM/PNO).
    public var isSegmented: Bool { (flag ?? 0) & 2 == 2 || pnum != nil }
    /// The Flag's version bits (`Flag >> 2`): 0 = 2005, 1 = 2017, 2 = 2025; nil without Flag.
    public var versionBits: Int? { flag.map { $0 >> 2 } }

    // MARK: Byte access

    /// The bytes of a span as a string (UTF-8; the encoding was validated when parsing).
    func string(_ span: Span) -> String? {
        guard span.isPresent else { return nil }
        return frame.bytes.withUnsafeReadableBytes { p in
            String(decoding: UnsafeRawBufferPointer(rebasing: p[Int(span.start)..<Int(span.end)]), as: UTF8.self)
        }
    }

    /// The factor code of a pair as sent (`w01018`, `011`), nil for a plain field.
    /// - Parameter pair: a pair of ``pairs``.
    /// - Returns: the code.
    public func code(of pair: Pair) -> String? {
        pair.hasCode ? string(Span(start: pair.key.start, end: pair.codeEnd)) : nil
    }

    /// The field name of a pair: the standard spelling of its suffix (`Rtd`), the suffix as sent when unknown, or the
    /// plain key (`RtdInterval`).
    /// - Parameter pair: a pair of ``pairs``.
    /// - Returns: the field name.
    public func fieldName(of pair: Pair) -> String {
        if let name = pair.field.standardName { return name }
        let start = pair.hasCode ? pair.codeEnd + 1 : pair.key.start
        return string(Span(start: start, end: pair.key.end)) ?? ""
    }

    /// The value of a pair exactly as sent (for `//text//` the slashes included).
    /// - Parameter pair: a pair of ``pairs``.
    /// - Returns: the value text.
    public func valueText(of pair: Pair) -> String {
        string(pair.value) ?? ""
    }

    /// The value of a pair as a number, when it is a decimal number; parsed from the bytes without making a string.
    /// - Parameter pair: a pair of ``pairs``.
    /// - Returns: the number, or nil.
    public func number(of pair: Pair) -> Double? {
        guard pair.isNumeric else { return nil }
        return frame.bytes.withUnsafeReadableBytes { p in
            HJ212Number.parse(p, Int(pair.value.start), Int(pair.value.end))
        }
    }
}
