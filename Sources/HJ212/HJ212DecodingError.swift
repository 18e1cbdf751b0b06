/// Why a run of bytes is not an acceptable HJ 212 packet, where it starts, and what exactly is wrong.
///
/// The kinds match the outcomes of `qingshan hj212 decode` (`bad_crc`, `bad_length`, …) and of the test vectors
/// (`../shared/hj212-vectors.txt`). New kinds can be added without breaking callers: compare with the static members
/// (`error.kind == .badCRC`) rather than switching exhaustively.
public struct HJ212DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: UInt8, Sendable, Hashable {
            case badCRC, badLength, badHeader, badStructure, badEncoding, oversize, truncated
        }
        private let code: Code

        /// HJ 212-2017 附录A: the checksum sent does not match the data segment.
        public static let badCRC = Kind(code: .badCRC)
        /// HJ 212-2017 表2: the 4-digit length does not equal the number of bytes of the data segment.
        public static let badLength = Kind(code: .badLength)
        /// `##` is not followed by 4 decimal digits, or a header field (QN, ST, CN, PW, MN, Flag, PNUM, PNO) is unusable.
        public static let badHeader = Kind(code: .badHeader)
        /// HJ 212-2017 表3 / 6.3.3: the `CP=&&…&&` envelope or the data area grammar is broken.
        public static let badStructure = Kind(code: .badStructure)
        /// HJ 212-2017 6.3.1: the bytes are not ASCII/UTF-8 text (NUL, 0xFF, GBK, control characters).
        public static let badEncoding = Kind(code: .badEncoding)
        /// The data segment is longer than allowed (HJ 212-2017 表2: 1024; or the configured maximum).
        public static let oversize = Kind(code: .oversize)
        /// The stream ended, or another frame began, before the frame was complete.
        public static let truncated = Kind(code: .truncated)

        /// The name used in JSON output and metrics: `bad_crc`, `bad_length`, `bad_header`, `bad_structure`,
        /// `bad_encoding`, `oversize` or `truncated`.
        public var name: String {
            switch code {
            case .badCRC: "bad_crc"
            case .badLength: "bad_length"
            case .badHeader: "bad_header"
            case .badStructure: "bad_structure"
            case .badEncoding: "bad_encoding"
            case .oversize: "oversize"
            case .truncated: "truncated"
            }
        }

        /// The name, e.g. `bad_crc`.
        public var description: String { name }

        /// Every kind, in a stable order (for metrics and reports).
        public static let allKinds: [Kind] = [.badCRC, .badLength, .badHeader, .badStructure, .badEncoding, .oversize, .truncated]
    }

    /// The kind of problem.
    public var kind: Kind
    /// The byte offset, in the stream, of the first byte of the rejected frame (its `##`).
    public var offset: Int
    /// What is wrong, in words an operator can act on (names the field, the expected and the found value).
    public var detail: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: the kind of problem.
    ///   - offset: the stream offset of the frame's first byte.
    ///   - detail: what is wrong.
    public init(_ kind: Kind, offset: Int = 0, detail: String) {
        self.kind = kind
        self.offset = offset
        self.detail = detail
    }

    /// `kind at offset: detail`.
    public var description: String { "\(kind.name) at offset \(offset): \(detail)" }
}
