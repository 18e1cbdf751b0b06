/// The values of one upload packed into one text, as `observation_packets` stores real-time data: one row per packet
/// instead of one indexed row per value.
///
/// Real-time uploads (HJ 212 CN 2011, every 30 s to a minute from every logger) are most of what a gateway receives,
/// and nothing reviews or rolls them up one by one: they are read by device, site and time (the API, the alarms'
/// snapshots, the charts). Storing a packet's dozen values as one row keeps the database's work per upload constant,
/// so the store keeps pace with the gateway (one row per packet, not a dozen rows with their three indexes).
///
/// Format: one line per value (`\n`), five tab-separated fields: code (2017 form), the code as sent when it differs
/// (else empty), field (`Rtd`, `ZsRtd` …), value text exactly as sent, flag (empty when none); a sixth field is present
/// only when the number is not what the text parses to (`-` for no number). Backslash, tab and line feed in any field are
/// escaped as `\\`, `\t` and `\n`.
public enum PackedValues {
    /// One value of a packed packet.
    public struct Value: Sendable, Equatable {
        /// The pollutant code in HJ 212-2017 form.
        public var code: String
        /// The code as sent.
        public var originalCode: String
        /// The statistic (`Rtd` …).
        public var field: String
        /// The number, when the text is one.
        public var value: Double?
        /// The value exactly as sent.
        public var valueText: String
        /// The HJ 212 data flag, when sent.
        public var flag: String?
        /// Whether ``value`` is known to be what `Double(valueText)` gives (a decimal number read from the packet),
        /// so that packing need not parse the text again (see ``PackableValue/valueIsParsedText``).
        public var valueIsParsedText: Bool

        /// Creates a value.
        public init(code: String, originalCode: String, field: String, value: Double?, valueText: String, flag: String?,
                    valueIsParsedText: Bool = false) {
            self.code = code
            self.originalCode = originalCode
            self.field = field
            self.value = value
            self.valueText = valueText
            self.flag = flag
            self.valueIsParsedText = valueIsParsedText
        }
    }

    /// Whether values of this data kind are stored packed (one row per packet) rather than one row per value.
    /// - Parameter kind: the data kind.
    public static func isPacked(_ kind: DataKind) -> Bool { kind == .realtime }

    /// Packs the values of one packet.
    /// - Parameter observations: the packet's values (the same MN, CN and data time): ``Observation``s, or
    ///   ``Value``s made straight from the packet (the gateway's real-time path).
    /// - Returns: the packed text and the packet's signature (``signature(of:)``).
    public static func pack<V: PackableValue>(_ observations: some Collection<V>) -> (text: String, signature: Int64) {
        // Built as bytes (a real-time upload is packed on the gateway's hot path): fields are copied byte by byte with
        // their escapes, and the text is made once at the end.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(observations.count * 40)
        var hash = FNV1a()
        var first = true
        for o in observations {
            if !first { bytes.append(0x0A) }
            first = false
            appendEscaped(o.code, to: &bytes)
            bytes.append(0x09)
            if o.originalCode != o.code { appendEscaped(o.originalCode, to: &bytes) }
            bytes.append(0x09)
            appendEscaped(o.field, to: &bytes)
            bytes.append(0x09)
            appendEscaped(o.valueText, to: &bytes)
            bytes.append(0x09)
            if let flag = o.flag { appendEscaped(flag, to: &bytes) }
            if !o.valueIsParsedText && o.value != Double(o.valueText) {
                bytes.append(0x09)
                bytes.append(contentsOf: (o.value.map { String($0) } ?? "-").utf8)
            }
            hash.add(o.code)
            hash.add(o.field)
        }
        return (String(decoding: bytes, as: UTF8.self), hash.value)
    }

    /// The signature of a packet's set of values: a 64-bit FNV-1a hash of its codes and fields in order. Two packets of
    /// one device, command and data time with the same signature are the same upload sent again (idempotence); pieces
    /// of a segmented upload, or uploads that split one time's pollutants, differ and are all kept.
    public static func signature<V: PackableValue>(of observations: some Collection<V>) -> Int64 {
        var hash = FNV1a()
        for o in observations {
            hash.add(o.code)
            hash.add(o.field)
        }
        return hash.value
    }

    /// Unpacks a packed text.
    /// - Parameter text: what ``pack(_:)`` wrote.
    /// - Returns: the values, in the order packed.
    /// - Throws: ``PackedValuesError`` naming the line that is not a packed value.
    public static func unpack(_ text: String) throws(PackedValuesError) -> [Value] {
        guard !text.isEmpty else { return [] }
        var values: [Value] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 5 || fields.count == 6 else {
                throw PackedValuesError(line: index + 1, detail: "expected 5 or 6 tab-separated fields, found \(fields.count)")
            }
            let code = unescape(fields[0])
            let original = fields[1].isEmpty ? code : unescape(fields[1])
            let valueText = unescape(fields[3])
            let value: Double?
            if fields.count == 6 {
                if fields[5] == "-" {
                    value = nil
                } else if let number = Double(fields[5]) {
                    value = number
                } else {
                    throw PackedValuesError(line: index + 1, detail: "the number \"\(fields[5])\" is not one")
                }
            } else {
                value = Double(valueText)
            }
            values.append(Value(code: code, originalCode: original, field: unescape(fields[2]), value: value, valueText: valueText,
                                flag: fields[4].isEmpty ? nil : unescape(fields[4])))
        }
        return values
    }

    private static func appendEscaped(_ field: String, to bytes: inout [UInt8]) {
        for byte in field.utf8 {
            switch byte {
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            default: bytes.append(byte)
            }
        }
    }

    private static func unescape(_ field: Substring) -> String {
        guard field.utf8.contains(0x5C) else { return String(field) }
        var result = ""
        var escaping = false
        for character in field.unicodeScalars {
            if escaping {
                switch character {
                case "t": result.append("\t")
                case "n": result.append("\n")
                default: result.unicodeScalars.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// 64-bit FNV-1a (<http://www.isthe.com/chongo/tech/comp/fnv/>): stable across runs and machines, unlike
    /// Swift's seeded `Hasher`.
    private struct FNV1a {
        private var state: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ text: String) {
            for byte in text.utf8 {
                state ^= UInt64(byte)
                state = state &* 0x100_0000_01b3
            }
            state ^= 0x1F
            state = state &* 0x100_0000_01b3
        }
        var value: Int64 { Int64(bitPattern: state) }
    }
}

/// What ``PackedValues/pack(_:)`` reads of a value: an ``Observation`` or a ``PackedValues/Value``.
public protocol PackableValue {
    /// The pollutant code in HJ 212-2017 form.
    var code: String { get }
    /// The code as sent.
    var originalCode: String { get }
    /// The statistic (`Rtd` …).
    var field: String { get }
    /// The number, when the text is one.
    var value: Double? { get }
    /// The value exactly as sent.
    var valueText: String { get }
    /// The HJ 212 data flag, when sent.
    var flag: String? { get }
    /// Whether ``value`` is known to equal `Double(valueText)`; when false, packing compares the two and writes the
    /// value out when they differ (the only way unpacking can tell).
    var valueIsParsedText: Bool { get }
}

extension PackableValue {
    /// Not known: packing compares.
    public var valueIsParsedText: Bool { false }
}

extension Observation: PackableValue {}
extension PackedValues.Value: PackableValue {}

/// A packed text that is not what ``PackedValues/pack(_:)`` writes.
public struct PackedValuesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line (value) of the packed text, from 1.
    public var line: Int
    /// What is wrong with it.
    public var detail: String
    /// A message naming the line.
    public var description: String { "packed values, line \(line): \(detail)" }

    /// Creates the error.
    public init(line: Int, detail: String) {
        self.line = line
        self.detail = detail
    }
}
