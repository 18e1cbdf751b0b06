/// The ways an accepted packet departs from HJ 212, recorded by name next to its data.
///
/// Real data loggers bend the standard (hj212.md §10); the decoder accepts a packet when its meaning is clear and
/// records each departure here. A set of flags (no allocation); ``names`` gives the stable snake_case names used in
/// JSON output, and ``errorKind`` the error a strict decoder reports instead.
public struct HJ212Deviations: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The raw bits.
    public let rawValue: UInt64

    /// Creates a set from raw bits.
    /// - Parameter rawValue: the bits.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    // Framing (HJ 212-2017 表2, 附录A).
    /// The CRC is written with lower-case hex digits (`7d00`); the standard's examples use upper case.
    public static let lowercaseCRC = HJ212Deviations(rawValue: 1 << 0)
    /// The data segment is longer than the 1024 bytes HJ 212-2017 表2 allows.
    public static let oversize = HJ212Deviations(rawValue: 1 << 2)
    /// The CRC is CRC-16/MODBUS (possibly byte-swapped), accepted only when configured to.
    public static let modbusCRC = HJ212Deviations(rawValue: 1 << 3)

    // Header (HJ 212-2017 表3).
    /// Header fields are not in the order QN, ST, CN, PW, MN, Flag, PNUM, PNO, CP.
    public static let headerOrder = HJ212Deviations(rawValue: 1 << 4)
    /// A header key is not written as the standard spells it (`FLAG=` for `Flag=`).
    public static let headerKeyCase = HJ212Deviations(rawValue: 1 << 5)
    /// Header fields are separated by something other than one `;` (`;,MN=`, `,ST=`, `;;`, `Flag=5CP=`).
    public static let headerSeparator = HJ212Deviations(rawValue: 1 << 6)
    /// The header holds a key the standard does not define (kept, not interpreted).
    public static let unknownHeaderField = HJ212Deviations(rawValue: 1 << 7)
    /// A header key appears twice; the first occurrence is used.
    public static let duplicateHeaderField = HJ212Deviations(rawValue: 1 << 8)
    /// A 2017/2025 packet without QN (QN is optional only in HJ/T 212-2005 uploads).
    public static let missingQN = HJ212Deviations(rawValue: 1 << 9)
    /// A 2017/2025 packet without Flag (the dialect was inferred from the MN and the codes).
    public static let missingFlag = HJ212Deviations(rawValue: 1 << 10)
    /// No ST (system code) field.
    public static let missingST = HJ212Deviations(rawValue: 1 << 11)
    /// No PW (password) field.
    public static let missingPW = HJ212Deviations(rawValue: 1 << 12)
    /// QN is not the 17 digits `YYYYMMDDhhmmsszzz`.
    public static let qnFormat = HJ212Deviations(rawValue: 1 << 13)
    /// ST is not a system code of HJ 212 表5 for the packet's dialect.
    public static let nonstandardST = HJ212Deviations(rawValue: 1 << 14)
    /// CN is not a command of HJ 212 表9 for the packet's dialect (vendor heartbeats such as 8013).
    public static let nonstandardCN = HJ212Deviations(rawValue: 1 << 15)
    /// The Flag's version bits name no known version (neither 2005, 2017 nor 2025).
    public static let unknownVersion = HJ212Deviations(rawValue: 1 << 16)
    /// PNUM/PNO do not agree with the Flag's D bit, or PNO is not in 1…PNUM.
    public static let splitMismatch = HJ212Deviations(rawValue: 1 << 17)

    // Data area (HJ 212-2017 6.3.3).
    /// A `;` right before the closing `&&`.
    public static let trailingSemicolon = HJ212Deviations(rawValue: 1 << 18)
    /// An empty item or pair (`;;`, `,,`, `,;`).
    public static let emptyItem = HJ212Deviations(rawValue: 1 << 19)
    /// Spaces around keys or values (`LA -Rtd`, `CP=&& &&`).
    public static let whitespace = HJ212Deviations(rawValue: 1 << 20)
    /// A field suffix in the wrong case (`-rtd` for `-Rtd`); HJ 212-2017 6.3.3.1 makes names case-sensitive.
    public static let fieldCase = HJ212Deviations(rawValue: 1 << 21)
    /// A 2017/2025 time with milliseconds (`yyyyMMddHHmmssSSS`, 17 digits) where N14 is required.
    public static let time17Digits = HJ212Deviations(rawValue: 1 << 22)
    /// A time that is neither 14 nor 17 digits, or not a calendar date/time.
    public static let timeFormat = HJ212Deviations(rawValue: 1 << 23)
    /// A measured value that is empty or not a decimal number.
    public static let valueFormat = HJ212Deviations(rawValue: 1 << 24)
    /// A data upload (2011/2031/2041/2051/2061) with values but no DataTime.
    public static let missingDataTime = HJ212Deviations(rawValue: 1 << 25)
    /// More than one DataTime in the data area; the first is used.
    public static let duplicateDataTime = HJ212Deviations(rawValue: 1 << 26)

    private static let table: [(HJ212Deviations, String, HJ212DecodingError.Kind)] = [
        (.lowercaseCRC, "lowercase_crc", .badCRC),
        (.oversize, "oversize", .oversize),
        (.modbusCRC, "modbus_crc", .badCRC),
        (.headerOrder, "header_order", .badHeader),
        (.headerKeyCase, "header_key_case", .badHeader),
        (.headerSeparator, "header_separator", .badHeader),
        (.unknownHeaderField, "unknown_header_field", .badHeader),
        (.duplicateHeaderField, "duplicate_header_field", .badHeader),
        (.missingQN, "missing_qn", .badHeader),
        (.missingFlag, "missing_flag", .badHeader),
        (.missingST, "missing_st", .badHeader),
        (.missingPW, "missing_pw", .badHeader),
        (.qnFormat, "qn_format", .badHeader),
        (.nonstandardST, "nonstandard_st", .badHeader),
        (.nonstandardCN, "nonstandard_cn", .badHeader),
        (.unknownVersion, "unknown_version", .badHeader),
        (.splitMismatch, "split_mismatch", .badHeader),
        (.trailingSemicolon, "trailing_semicolon", .badStructure),
        (.emptyItem, "empty_item", .badStructure),
        (.whitespace, "whitespace", .badStructure),
        (.fieldCase, "field_case", .badStructure),
        (.time17Digits, "time_17_digits", .badStructure),
        (.timeFormat, "time_format", .badStructure),
        (.valueFormat, "value_format", .badStructure),
        (.missingDataTime, "missing_data_time", .badStructure),
        (.duplicateDataTime, "duplicate_data_time", .badStructure),
    ]

    /// The names of the deviations in the set, in a fixed order (e.g. `["lowercase_crc", "header_order"]`).
    public var names: [String] {
        Self.table.compactMap { contains($0.0) ? $0.1 : nil }
    }

    /// The error a strict decoder reports for the first deviation in the set; nil when the set is empty.
    public var errorKind: HJ212DecodingError.Kind? {
        Self.table.first { contains($0.0) }?.2
    }

    /// The deviation with a given name.
    /// - Parameter name: a snake_case name such as `lowercase_crc`.
    /// - Returns: the deviation, or nil for an unknown name.
    public static func named(_ name: String) -> HJ212Deviations? {
        table.first { $0.1 == name }?.0
    }

    /// Every deviation with its name, in the fixed order.
    public static var all: [(deviation: HJ212Deviations, name: String)] { table.map { ($0.0, $0.1) } }

    /// The names joined by commas.
    public var description: String { names.joined(separator: ",") }
}
