/// Finds HJ 212 frames in a byte stream and checks their length and CRC (HJ 212-2017 6.3.1, 表2, 附录A).
///
/// TCP delivers packets concatenated and split arbitrarily, and real traffic holds junk, dropped bytes and stray
/// CR/LF (hj212.md §1, §10). The scanner looks at the bytes buffered so far and reports one ``Step``:
/// - bytes before a `##` are junk and are skipped silently (CR LF between frames included);
/// - `##` + 4 digits starts a frame; the frame ends after the declared number of data bytes with 4 hex digits of CRC,
///   normally followed by CR LF. A frame whose CRC matches is accepted even without CR LF (streams of packets
///   without terminators are common; the terminator is not part of the data) or with lower-case hex (recorded);
/// - when the declared end holds no CRC and terminator, the frame's real end is the first CR LF (or the next
///   `##dddd`): `&&` + 4 hex digits there means the length field is wrong (`bad_length`), otherwise the frame was
///   cut short (`truncated`). Scanning resumes after that end; `##` not followed by 4 digits drops 2 bytes.
///
/// The scanner never buffers more than one frame's worth of bytes: a frame is decided once
/// `##dddd` + the declared length + 6 bytes are available (or at the end of the stream), and junk is discardable
/// at once. It is a pure function of the bytes, so the same stream gives the same frames however it is split.
public struct HJ212FrameScanner: Sendable {
    /// Limits and leniency of the scanner.
    public struct Configuration: Sendable, Hashable {
        /// The largest data segment accepted, in bytes (at most 9999, what 4 digits can declare). A larger declared
        /// length is rejected as `oversize` without buffering it. Lengths above 1024 (HJ 212-2017 表2) are accepted
        /// up to this limit and recorded as ``HJ212Deviations/oversize``.
        public var maxDataLength: Int
        /// Whether a CRC-16/MODBUS checksum (plain or byte-swapped) is accepted, recorded as
        /// ``HJ212Deviations/modbusCRC``. Off by default: some receivers in the field use MODBUS by mistake.
        public var acceptModbusCRC: Bool

        /// Creates a configuration.
        /// - Parameters:
        ///   - maxDataLength: the largest data segment accepted (default 9999, i.e. no limit beyond the format).
        ///   - acceptModbusCRC: whether to accept CRC-16/MODBUS checksums (default false).
        public init(maxDataLength: Int = 9999, acceptModbusCRC: Bool = false) {
            self.maxDataLength = min(max(0, maxDataLength), 9999)
            self.acceptModbusCRC = acceptModbusCRC
        }
    }

    /// The largest data segment HJ 212-2017 表2 allows.
    public static let standardMaxDataLength = 1024

    /// The outcome of one scan over the buffered bytes.
    public enum Step: Sendable, Hashable {
        /// No decision yet. The first `discardable` bytes are junk (or, at the end of the stream, leftovers) and can
        /// be dropped; keep the rest and scan again when more bytes arrive.
        case needMoreData(discardable: Int)
        /// A frame with valid length and CRC spans `start..<end` (from `##` to the last CRC digit).
        /// `consumed` bytes (junk before it, the frame and its CR LF) are done with.
        case frame(start: Int, end: Int, checksum: UInt16, deviations: HJ212Deviations, consumed: Int)
        /// A rejected frame starting at `start`; `consumed` bytes are done with.
        case rejected(kind: HJ212DecodingError.Kind, start: Int, consumed: Int, detail: String)
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates a scanner.
    /// - Parameter configuration: limits and leniency.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Scans the buffered bytes for the next frame.
    /// - Parameters:
    ///   - bytes: the bytes buffered so far, starting where the previous step's `consumed` ended.
    ///   - isEndOfStream: whether no more bytes will arrive (then incomplete frames are reported as `truncated`).
    /// - Returns: the next step.
    public func scan(_ bytes: UnsafeRawBufferPointer, isEndOfStream: Bool) -> Step {
        let n = bytes.count
        var i = 0
        while true {
            // Junk up to the next '#'.
            while i < n && bytes[i] != ASCII.hash { i &+= 1 }
            if i >= n { return .needMoreData(discardable: n) }
            if i + 1 >= n { return .needMoreData(discardable: isEndOfStream ? n : i) }
            if bytes[i + 1] != ASCII.hash {
                i += 1
                continue
            }
            // A run of '#': the frame starts at the last two.
            while i + 2 < n && bytes[i + 2] == ASCII.hash { i += 1 }
            let start = i
            var length = 0
            var digits = 0
            while digits < 4 && start + 2 + digits < n {
                let c = bytes[start + 2 + digits]
                guard ASCII.isDigit(c) else {
                    let shown = Self.describe(bytes, from: start, to: start + 3 + digits)
                    return .rejected(
                        kind: .badHeader, start: start, consumed: start + 2,
                        detail: "'##' is not followed by 4 decimal digits (found \(shown))"
                    )
                }
                length = length * 10 + Int(c &- ASCII.zero)
                digits += 1
            }
            if digits < 4 {
                if isEndOfStream {
                    return .rejected(
                        kind: .truncated, start: start, consumed: n,
                        detail: "the stream ends inside the frame header (\(n - start) bytes after '##')"
                    )
                }
                return .needMoreData(discardable: start)
            }
            if length > configuration.maxDataLength {
                return .rejected(
                    kind: .oversize, start: start, consumed: start + 2,
                    detail: "declared data length \(length) exceeds the maximum of \(configuration.maxDataLength) bytes"
                )
            }
            return frame(bytes, start: start, length: length, isEndOfStream: isEndOfStream)
        }
    }

    private enum Terminator {
        case crlf, single, none, unknown, invalid
    }

    /// Decides the frame whose `##dddd` header is at `start`.
    private func frame(_ p: UnsafeRawBufferPointer, start: Int, length: Int, isEndOfStream eof: Bool) -> Step {
        let n = p.count
        let dataStart = start + 6
        let crcStart = dataStart + length
        let crcEnd = crcStart + 4
        if crcEnd > n && !eof {
            // Decide only once the declared extent (and its terminator) is there, so that the outcome does not
            // depend on how the stream was split.
            return .needMoreData(discardable: start)
        }
        if crcEnd <= n, let sent = Self.hex4(p, at: crcStart) {
            let terminator: Terminator
            if crcEnd + 2 <= n {
                let a = p[crcEnd], b = p[crcEnd + 1]
                if a == ASCII.cr && b == ASCII.lf {
                    terminator = .crlf
                } else if a == ASCII.lf || a == ASCII.cr {
                    terminator = .single
                } else if a == ASCII.hash && b == ASCII.hash {
                    terminator = .none
                } else {
                    terminator = .invalid
                }
            } else if crcEnd + 1 == n {
                let a = p[crcEnd]
                if a == ASCII.lf || (eof && a == ASCII.cr) {
                    terminator = .single
                } else if !eof {
                    terminator = (a == ASCII.cr || a == ASCII.hash) ? .unknown : .invalid
                } else {
                    terminator = a == ASCII.hash ? .none : .invalid
                }
            } else {
                terminator = eof ? .none : .unknown
            }
            let data = UnsafeRawBufferPointer(rebasing: p[dataStart..<crcStart])
            let computed = HJ212CRC.checksum(data)
            var deviations: HJ212Deviations = []
            var accepted = computed == sent.value
            if !accepted && configuration.acceptModbusCRC && terminator != .invalid {
                let modbus = HJ212CRC.modbus(data)
                if modbus == sent.value || modbus.byteSwapped == sent.value {
                    accepted = true
                    deviations.insert(.modbusCRC)
                }
            }
            if accepted {
                if sent.lowercase { deviations.insert(.lowercaseCRC) }
                if length > Self.standardMaxDataLength { deviations.insert(.oversize) }
                var consumed = crcEnd
                switch terminator {
                case .crlf: consumed += 2
                case .single: consumed += 1
                case .none, .invalid, .unknown: break  // bytes after the CRC are skipped like any between frames
                }
                return .frame(start: start, end: crcEnd, checksum: sent.value, deviations: deviations, consumed: consumed)
            }
            switch terminator {
            case .unknown:
                return .needMoreData(discardable: start)
            case .crlf, .single, .none:
                let consumed = crcEnd + (terminator == .crlf ? 2 : terminator == .single ? 1 : 0)
                var detail = "CRC sent \(Self.hex(sent.value)), computed \(Self.hex(computed)) over the \(length)-byte data segment"
                let modbus = HJ212CRC.modbus(data)
                if modbus == sent.value {
                    detail += " (the sender used CRC-16/MODBUS)"
                } else if modbus.byteSwapped == sent.value {
                    detail += " (the sender used CRC-16/MODBUS, byte-swapped)"
                }
                return .rejected(kind: .badCRC, start: start, consumed: consumed, detail: detail)
            case .invalid:
                break  // 4 hex digits but no end of frame after them: the length is probably wrong.
            }
        }
        return misframed(p, start: start, length: length, isEndOfStream: eof)
    }

    /// The declared end holds no CRC + terminator: find where the frame really ends and say why it is bad.
    private func misframed(_ p: UnsafeRawBufferPointer, start: Int, length: Int, isEndOfStream eof: Bool) -> Step {
        let n = p.count
        let dataStart = start + 6
        let crcEnd = dataStart + length + 4
        let windowEnd = dataStart + max(length, configuration.maxDataLength) + 6
        let limit = min(n, windowEnd)
        var q = dataStart
        var end = -1
        var isCRLF = false
        while q < limit {
            let c = p[q]
            if c == ASCII.cr {
                if q + 1 < n && p[q + 1] == ASCII.lf {
                    end = q
                    isCRLF = true
                    break
                }
            } else if c == ASCII.hash {
                if q + 5 < n && p[q + 1] == ASCII.hash && ASCII.isDigit(p[q + 2]) && ASCII.isDigit(p[q + 3])
                    && ASCII.isDigit(p[q + 4]) && ASCII.isDigit(p[q + 5])
                {
                    end = q
                    break
                }
            }
            q += 1
        }
        if end < 0 {
            if eof {
                end = n
            } else if n < windowEnd {
                return .needMoreData(discardable: start)
            } else {
                return .rejected(
                    kind: .badLength, start: start, consumed: start + 2,
                    detail: "no CRC and CR LF after the declared \(length)-byte data segment, nor within \(windowEnd - start) bytes"
                )
            }
        }
        let consumed = end + (isCRLF ? 2 : 0)
        if end - 6 >= dataStart, let sent = Self.hex4(p, at: end - 4), p[end - 6] == ASCII.amp, p[end - 5] == ASCII.amp {
            let actual = end - 4 - dataStart
            let data = UnsafeRawBufferPointer(rebasing: p[dataStart..<(end - 4)])
            let crcNote = HJ212CRC.checksum(data) == sent.value
                ? "the CRC of the bytes received is valid"
                : "the CRC of the bytes received does not match either"
            return .rejected(
                kind: .badLength, start: start, consumed: consumed,
                detail: "declared data length \(length), but the data segment has \(actual) bytes (\(crcNote))"
            )
        }
        if end < crcEnd {
            let reason = end == n ? "the stream ends" : isCRLF ? "a CR LF comes" : "another frame begins"
            return .rejected(
                kind: .truncated, start: start, consumed: consumed,
                detail: "\(reason) \(end - start) bytes into a frame that declares \(length) data bytes (\(length + 10) bytes without CR LF)"
            )
        }
        return .rejected(
            kind: .badLength, start: start, consumed: consumed,
            detail: "no CRC and CR LF after the declared \(length)-byte data segment; the frame ends \(end - start) bytes after '##'"
        )
    }

    /// Parses 4 hex digits at `offset`.
    @inline(__always)
    static func hex4(_ p: UnsafeRawBufferPointer, at offset: Int) -> (value: UInt16, lowercase: Bool)? {
        var value: UInt16 = 0
        var lower = false
        for k in 0..<4 {
            let c = p[offset + k]
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c &- 0x30
            case 0x41...0x46: digit = c &- 0x41 &+ 10
            case 0x61...0x66:
                digit = c &- 0x61 &+ 10
                lower = true
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return (value, lower)
    }

    static func hex(_ value: UInt16) -> String {
        String(decoding: (0..<4).map { hexDigit(of: value, at: $0) }, as: UTF8.self)
    }

    /// The ASCII upper-case hex digit `position` (0 = the highest) of a CRC.
    @inline(__always)
    static func hexDigit(of value: UInt16, at position: Int) -> UInt8 {
        let nibble = UInt8(truncatingIfNeeded: value >> UInt16(12 - 4 * position)) & 0xF
        return nibble < 10 ? 0x30 + nibble : 0x41 + nibble - 10
    }

    /// Shows bytes for a message: printable ASCII as is, others as `\xNN`, quoted.
    static func describe(_ p: UnsafeRawBufferPointer, from: Int, to: Int) -> String {
        var out = "\""
        for k in from..<to {
            let c = p[k]
            if c >= 0x20 && c < 0x7F && c != 0x22 && c != 0x5C {
                out.unicodeScalars.append(Unicode.Scalar(c))
            } else {
                out += "\\x" + String(c, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// ASCII bytes used by the codec.
enum ASCII {
    static let hash = UInt8(ascii: "#")
    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    static let zero = UInt8(ascii: "0")
    static let amp = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";")
    static let comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "=")
    static let dash = UInt8(ascii: "-")
    static let slash = UInt8(ascii: "/")
    static let space = UInt8(ascii: " ")

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { (c &- 0x41 < 26) ? c | 0x20 : c }
}
