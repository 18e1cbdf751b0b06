import NIOCore

/// One value of a packet's data area, with its code, field, flag and the code's HJ 212-2017 form: what the gateway
/// stores as an observation.
///
/// Made from ``HJ212Packet/pairs`` by ``HJ212Packet/items``: `xxx-Flag`, `xxx-EFlag` and `xxx-SampleTime` are
/// attached to the values of the same code (in the same `;` item, else anywhere in the packet) instead of being
/// items of their own; a code that has only a flag becomes one item with field `Flag`.
public struct HJ212Item: Sendable, Hashable {
    /// How the value is typed.
    public enum ValueKind: String, Sendable, Hashable {
        /// A decimal number (``HJ212Item/value`` is set).
        case number
        /// Text (flags, ids, `//log text//`).
        case text
        /// A time (N14 or 17 digits).
        case time
        /// Nothing after `=`.
        case empty
    }

    /// The factor code as sent (`w01018`, `011`, `l01001`), nil for a plain field such as `RtdInterval`.
    public var code: String?
    /// The HJ 212-2017 code (HJ 212-2017 附录B): the mapped code for a 2005 code, otherwise ``code`` verbatim.
    public var code2017: String?
    /// The field: `Rtd`, `Min`, `Avg`, `Max`, `ZsRtd`, `Cou`, `RS`, `Info` … or the plain key (`RtdInterval`).
    public var field: String
    /// What the field means.
    public var fieldKind: HJ212Field
    /// The value exactly as sent; for `//text//` the text between the slashes.
    public var text: String
    /// The value as a number, when it is one.
    public var value: Double?
    /// How the value is typed.
    public var valueKind: ValueKind
    /// The data flag (`N`, `F`, `M`, `S`, `D`, `C`, `T`, `B` …; HJ 212-2017 表8), when sent.
    public var flag: String?
    /// The extended flag (`-EFlag`), when sent.
    public var eFlag: String?
    /// The sampling time (`-SampleTime`), when sent.
    public var sampleTime: String?
    /// Index of the `;`-separated item of the data area the value came from.
    public var group: Int
}

extension HJ212Packet {
    /// The values of the data area with their flags, as strings and numbers (see ``HJ212Item``).
    public var items: [HJ212Item] {
        frame.bytes.withUnsafeReadableBytes { p in
            var result: [HJ212Item] = []
            result.reserveCapacity(pairs.count)
            func bytesEqual(_ a: Pair, _ b: Pair) -> Bool {
                let aStart = Int(a.key.start), aCount = Int(a.codeEnd) - aStart
                let bStart = Int(b.key.start), bCount = Int(b.codeEnd) - bStart
                guard aCount == bCount else { return false }
                for k in 0..<aCount where p[aStart + k] != p[bStart + k] { return false }
                return true
            }
            func attached(_ pair: Pair, _ field: HJ212Field) -> String? {
                var fallback: Pair?
                for other in pairs where other.field == field && bytesEqual(other, pair) {
                    if other.group == pair.group { return valueText(of: other) }
                    if fallback == nil { fallback = other }
                }
                return fallback.map { valueText(of: $0) }
            }
            func hasValue(_ pair: Pair) -> Bool {
                pairs.contains { other in
                    other.hasCode && !Self.isAttachment(other.field) && bytesEqual(other, pair)
                }
            }
            var flagOnlyCodes: [Pair] = []
            for pair in pairs {
                if pair.hasCode && Self.isAttachment(pair.field) {
                    // Attached to the code's values; a code with only a flag becomes an item of its own.
                    guard pair.field == .flag, !hasValue(pair), !flagOnlyCodes.contains(where: { bytesEqual($0, pair) })
                    else { continue }
                    flagOnlyCodes.append(pair)
                }
                let code = self.code(of: pair)
                var text = valueText(of: pair)
                let kind: HJ212Item.ValueKind
                if pair.value.count == 0 {
                    kind = .empty
                } else if pair.isNumeric {
                    kind = .number
                } else if pair.field.isTime {
                    kind = .time
                } else {
                    kind = .text
                }
                if text.utf8.count >= 4 && text.hasPrefix("//") && text.hasSuffix("//") {
                    text = String(text.dropFirst(2).dropLast(2))
                }
                let isFlagItem = pair.field == .flag
                result.append(
                    HJ212Item(
                        code: code, code2017: code.map { HJ212Codes.code2017(for: $0) }, field: fieldName(of: pair),
                        fieldKind: pair.field, text: text, value: number(of: pair), valueKind: kind,
                        flag: isFlagItem ? text : (pair.hasCode ? attached(pair, .flag) : nil),
                        eFlag: pair.hasCode ? attached(pair, .eFlag) : nil,
                        sampleTime: pair.hasCode ? attached(pair, .sampleTime) : nil,
                        group: Int(pair.group)
                    )
                )
            }
            return result
        }
    }

    static func isAttachment(_ field: HJ212Field) -> Bool {
        field == .flag || field == .eFlag || field == .sampleTime
    }
}
