import NIOCore

extension HJ212Packet {
    /// Parses the data segment of a frame (HJ 212-2017 6.3.2, 表3, 6.3.3).
    ///
    /// In order: the encoding (ASCII, UTF-8 only for text, no control characters: `bad_encoding`); the
    /// `CP=&&…&&` envelope (`bad_structure`); the header fields in any order, case-insensitive keys, `;` or `,` as
    /// separators (`bad_header` when CN or MN is missing or CN/Flag/PNUM/PNO are not numbers); the data area
    /// (`item {; item}`, `pair {, pair}`, `key=value`, `//…//` text opaque; `bad_structure` for a pair without `=`,
    /// unterminated `//` or `&&` inside). Everything accepted leniently is recorded in ``deviations``.
    /// - Parameter frame: a frame with valid length and CRC.
    /// - Throws: ``HJ212DecodingError`` with the frame's offset.
    public init(frame: HJ212Frame) throws(HJ212DecodingError) {
        let outcome: Result<HJ212Packet, HJ212DecodingError> = frame.bytes.withUnsafeReadableBytes { p in
            var parser = HJ212PacketParser(p)
            return parser.parse(frame: frame)
        }
        switch outcome {
        case .success(let packet): self = packet
        case .failure(var error):
            error.offset = frame.offset
            throw error
        }
    }

    init(frame: HJ212Frame, dialect: Dialect, deviations: HJ212Deviations, commandCode: Int, pairs: [Pair]) {
        self.frame = frame
        self.dialect = dialect
        self.deviations = deviations
        self.commandCode = commandCode
        self.pairs = pairs
    }
}

/// The single-pass parser behind ``HJ212Packet/init(frame:)``; works on the frame's bytes in place.
struct HJ212PacketParser {
    /// The frame's bytes (checked and unchecked views).
    let raw: UnsafeRawBufferPointer
    let p: UnsafePointer<UInt8>
    let dataStart = 6
    let dataEnd: Int
    var deviations: HJ212Deviations = []
    /// An error found while making a pair.
    var pendingError: HJ212DecodingError?

    init(_ raw: UnsafeRawBufferPointer) {
        self.raw = raw
        self.p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        self.dataEnd = raw.count - 4
    }

    private func fail(_ kind: HJ212DecodingError.Kind, _ detail: String) -> Result<HJ212Packet, HJ212DecodingError> {
        .failure(HJ212DecodingError(kind, detail: detail))
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self)
    }

    // MARK: Encoding

    /// HJ 212-2017 6.3.1: ASCII, Chinese text in UTF-8. Returns the offset of the first bad byte, or nil.
    func firstEncodingError() -> (offset: Int, reason: String)? {
        var i = dataStart
        let end = dataEnd
        // Eight bytes at a time while they are printable ASCII (0x20…0x7E).
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let high = w & 0x8080_8080_8080_8080
            let control = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
            let x = w ^ 0x7F7F_7F7F_7F7F_7F7F
            let del = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
            if high | control | del != 0 { break }
            i += 8
        }
        while i < end {
            let c = p[i]
            if c < 0x80 {
                if c < 0x20 || c == 0x7F {
                    return (i, "control byte 0x\(String(c, radix: 16, uppercase: true).leftPadded(to: 2))")
                }
                i += 1
                continue
            }
            // UTF-8 multi-byte sequence (RFC 3629 table 3-7).
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default:
                return (i, "byte 0x\(String(c, radix: 16, uppercase: true)) is not UTF-8")
            }
            guard i + length <= end else { return (i, "incomplete UTF-8 sequence") }
            let second = p[i + 1]
            guard second >= low && second <= high else { return (i, "invalid UTF-8 sequence") }
            for k in 2..<length where p[i + k] & 0xC0 != 0x80 {
                return (i, "invalid UTF-8 sequence")
            }
            i += length
        }
        return nil
    }

    // MARK: Packet

    mutating func parse(frame: HJ212Frame) -> Result<HJ212Packet, HJ212DecodingError> {
        deviations = frame.deviations
        if let bad = firstEncodingError() {
            return fail(.badEncoding, "\(bad.reason) at byte \(bad.offset - dataStart) of the data segment")
        }
        // The data segment must end with the closing "&&" of CP; it then stops every scan below.
        guard dataEnd - dataStart >= 2, p[dataEnd - 1] == ASCII.amp, p[dataEnd - 2] == ASCII.amp else {
            return fail(.badStructure, envelopeProblem())
        }
        // Header fields up to CP.
        var qn = HJ212Packet.Span.absent, st = qn, cn = qn, pw = qn, mn = qn, flagSpan = qn, pnumSpan = qn, pnoSpan = qn
        var seen: UInt8 = 0
        var lastRank = -1
        var cpStart = -1
        var pos = dataStart
        var fieldIndex = 0
        let classes = Self.byteClassPointer
        while true {
            // "CP=" at a field start ends the header.
            if (p[pos] | 0x20) == 0x63 && (p[pos + 1] | 0x20) == 0x70 && p[pos + 2] == ASCII.equals {
                if p[pos] != 0x43 || p[pos + 1] != 0x50 { deviations.insert(.headerKeyCase) }
                cpStart = pos
                break
            }
            // Key up to '=' (or ';' ',' '&'), value up to ';' ',' '&'.
            var e = keyStop(from: pos, classes).stop
            var eq = -1
            if p[e] == ASCII.equals {
                eq = e
                e = valueStop(from: e &+ 1, classes)
            }
            var typo = false
            if p[e] == ASCII.amp {
                if eq >= 0 && e - 3 > eq && p[e - 3] == 0x43 && p[e - 2] == 0x50 && p[e - 1] == ASCII.equals {
                    // "Flag=5CP=&&": CP without the ';' before it (a typo in the standard's own examples).
                    deviations.insert(.headerSeparator)
                    typo = true
                    e -= 3
                } else if e >= dataEnd - 2 {
                    return fail(.badStructure, "no CP=&&…&& field in the data segment")
                } else {
                    return fail(.badHeader, "'&' in header field \(fieldIndex + 1) \"\(text(pos, e + 1))\"")
                }
            }
            fieldIndex += 1
            if e == pos {
                deviations.insert(.headerSeparator)  // empty field: ";;" or ";,"
            } else {
                guard eq >= 0 else {
                    return fail(.badHeader, "header field \(fieldIndex) \"\(text(pos, e))\" has no '='")
                }
                var keyStart = pos, keyEnd = eq
                if p[keyStart] == ASCII.space || p[keyEnd - 1] == ASCII.space {
                    while keyStart < keyEnd && p[keyStart] == ASCII.space { keyStart += 1 }
                    while keyEnd > keyStart && p[keyEnd - 1] == ASCII.space { keyEnd -= 1 }
                    deviations.insert(.whitespace)
                }
                let value = HJ212Packet.Span(eq + 1, e)
                let (rank, exact) = headerRank(keyStart, keyEnd)
                if rank < 0 {
                    deviations.insert(.unknownHeaderField)
                } else {
                    if !exact { deviations.insert(.headerKeyCase) }
                    let bit: UInt8 = 1 << UInt8(rank)
                    if seen & bit != 0 {
                        deviations.insert(.duplicateHeaderField)
                    } else {
                        seen |= bit
                        if rank < lastRank { deviations.insert(.headerOrder) }
                        lastRank = rank
                        switch rank {
                        case 0: qn = value
                        case 1: st = value
                        case 2: cn = value
                        case 3: pw = value
                        case 4: mn = value
                        case 5: flagSpan = value
                        case 6: pnumSpan = value
                        default: pnoSpan = value
                        }
                    }
                }
            }
            if typo {
                cpStart = e
                break
            }
            if p[e] == ASCII.comma { deviations.insert(.headerSeparator) }
            pos = e + 1
        }
        let cpValue = cpStart + 3
        guard dataEnd - cpValue >= 2, p[cpValue] == ASCII.amp, p[cpValue + 1] == ASCII.amp else {
            return fail(.badStructure, "CP does not begin with '&&'")
        }
        guard dataEnd - cpValue >= 4, p[dataEnd - 1] == ASCII.amp, p[dataEnd - 2] == ASCII.amp else {
            return fail(.badStructure, "CP is not closed with '&&' at the end of the data segment")
        }
        // Header values.
        guard cn.isPresent else { return fail(.badHeader, "no CN (command code) field") }
        guard let commandCode = digits(cn, maxCount: 4), cn.count == 4 else {
            return fail(.badHeader, "CN \"\(text(Int(cn.start), Int(cn.end)))\" is not 4 digits")
        }
        guard mn.isPresent, mn.count > 0 else { return fail(.badHeader, "no MN (device identifier) field") }
        var flag: Int?
        if flagSpan.isPresent {
            guard let value = digits(flagSpan, maxCount: 3), value <= 255 else {
                return fail(.badHeader, "Flag \"\(text(Int(flagSpan.start), Int(flagSpan.end)))\" is not an integer 0…255")
            }
            flag = value
        }
        var pnum: Int?, pno: Int?
        if pnumSpan.isPresent {
            guard let value = digits(pnumSpan, maxCount: 4) else {
                return fail(.badHeader, "PNUM \"\(text(Int(pnumSpan.start), Int(pnumSpan.end)))\" is not a number")
            }
            pnum = value
        }
        if pnoSpan.isPresent {
            guard let value = digits(pnoSpan, maxCount: 4) else {
                return fail(.badHeader, "PNO \"\(text(Int(pnoSpan.start), Int(pnoSpan.end)))\" is not a number")
            }
            pno = value
        }
        // Data area.
        var pairs: [HJ212Packet.Pair] = []
        let contentStart = cpValue + 2, contentEnd = dataEnd - 2
        var dataTime = HJ212Packet.Span.absent
        var timeDigits17 = false
        if let error = parseDataArea(contentStart, contentEnd, into: &pairs, dataTime: &dataTime, timeDigits17: &timeDigits17) {
            return .failure(error)
        }
        // Dialect.
        var dialect: HJ212Packet.Dialect
        if let flag {
            switch flag >> 2 {
            case 0: dialect = .v2005
            case 1: dialect = .v2017
            case 2: dialect = .v2025
            default:
                deviations.insert(.unknownVersion)
                dialect = inferDialect(mn: mn, qn: qn, pairs: pairs)
            }
        } else {
            dialect = inferDialect(mn: mn, qn: qn, pairs: pairs)
        }
        // Dialect-dependent checks.
        if dialect != .v2005 {
            if !qn.isPresent { deviations.insert(.missingQN) }
            if flag == nil { deviations.insert(.missingFlag) }
            if timeDigits17 { deviations.insert(.time17Digits) }
        }
        if !st.isPresent {
            deviations.insert(.missingST)
        } else if st.count != 2 || !HJ212Codes.isStandardSystem(p[Int(st.start)], p[Int(st.start) + 1], dialect: dialect) {
            deviations.insert(.nonstandardST)
        }
        if !pw.isPresent { deviations.insert(.missingPW) }
        if qn.isPresent {
            if qn.count != 17 || HJ212Timestamp.parse(UnsafeRawBufferPointer(rebasing: raw[Int(qn.start)..<Int(qn.end)])) == nil {
                deviations.insert(.qnFormat)
            }
        }
        if !HJ212Codes.isStandardCommand(commandCode, dialect: dialect) { deviations.insert(.nonstandardCN) }
        if let flag {
            let split = flag & 2 == 2
            if split != (pnum != nil && pno != nil) || (!split && (pnum != nil || pno != nil)) {
                deviations.insert(.splitMismatch)
            }
        }
        if let pnum, let pno, pno < 1 || pno > pnum { deviations.insert(.splitMismatch) }
        if pnum != nil && pno == nil || pnum == nil && pno != nil { deviations.insert(.splitMismatch) }
        switch commandCode {
        case 2011, 2031, 2041, 2051, 2061:
            if !dataTime.isPresent && pairs.contains(where: { $0.hasCode }) { deviations.insert(.missingDataTime) }
        default: break
        }
        var packet = HJ212Packet(frame: frame, dialect: dialect, deviations: deviations, commandCode: commandCode, pairs: pairs)
        packet.flag = flag
        packet.pnum = pnum
        packet.pno = pno
        packet.qnSpan = qn
        packet.stSpan = st
        packet.cnSpan = cn
        packet.pwSpan = pw
        packet.mnSpan = mn
        packet.dataTimeSpan = dataTime
        return .success(packet)
    }

    /// The standard position of a header key (QN 0, ST 1, CN 2, PW 3, MN 4, Flag 5, PNUM 6, PNO 7) and whether it is
    /// spelled exactly; -1 for an unknown key.
    private func headerRank(_ start: Int, _ end: Int) -> (Int, Bool) {
        let count = end - start
        if count == 2 {
            let a = p[start], b = p[start + 1]
            let rank: Int
            switch (a | 0x20, b | 0x20) {
            case (0x71, 0x6E): rank = 0  // qn
            case (0x73, 0x74): rank = 1  // st
            case (0x63, 0x6E): rank = 2  // cn
            case (0x70, 0x77): rank = 3  // pw
            case (0x6D, 0x6E): rank = 4  // mn
            default: return (-1, true)
            }
            return (rank, a & 0x20 == 0 && b & 0x20 == 0)
        }
        if count == 4 && equalsIgnoringCase(start, "flag") {
            return (5, p[start] == 0x46 && p[start + 1] == 0x6C && p[start + 2] == 0x61 && p[start + 3] == 0x67)
        }
        if count == 4 && equalsIgnoringCase(start, "pnum") {
            return (6, p[start] == 0x50 && p[start + 1] == 0x4E && p[start + 2] == 0x55 && p[start + 3] == 0x4D)
        }
        if count == 3 && equalsIgnoringCase(start, "pno") {
            return (7, p[start] == 0x50 && p[start + 1] == 0x4E && p[start + 2] == 0x4F)
        }
        return (-1, true)
    }

    private func equalsIgnoringCase(_ start: Int, _ lower: StaticString) -> Bool {
        let count = lower.utf8CodeUnitCount
        let bytes = lower.utf8Start
        for k in 0..<count where ASCII.lower(p[start + k]) != bytes[k] { return false }
        return true
    }

    /// The span as a decimal integer of at most `maxCount` digits.
    private func digits(_ span: HJ212Packet.Span, maxCount: Int) -> Int? {
        let count = span.count
        guard count >= 1 && count <= maxCount else { return nil }
        var value = 0
        for k in Int(span.start)..<Int(span.end) {
            let c = p[k]
            guard ASCII.isDigit(c) else { return nil }
            value = value * 10 + Int(c &- ASCII.zero)
        }
        return value
    }

    // MARK: Data area

    /// Byte classes of the data area: bit 0 ends a key (`=`, `;`, `,`, `&`), bit 1 ends a value (`;`, `,`, `&`),
    /// bit 2 is `-`, bit 3 is a space.
    static let byteClasses: [UInt8] = (0..<256).map { byte in
        switch UInt8(byte) {
        case ASCII.equals: 1
        case ASCII.semicolon, ASCII.comma, ASCII.amp: 3
        case ASCII.dash: 4
        case ASCII.space: 8
        default: 0
        }
    }

    /// The byte classes as a pointer valid for the life of the process; never written after initialisation.
    nonisolated(unsafe) static let byteClassPointer: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for k in 0..<256 { pointer[k] = byteClasses[k] }
        return UnsafePointer(pointer)
    }()

    /// Why the data segment does not end with the closing `&&` of `CP=&&…&&`.
    private func envelopeProblem() -> String {
        var k = dataStart
        while k + 3 <= dataEnd {
            if p[k] == 0x43 && p[k + 1] == 0x50 && p[k + 2] == ASCII.equals && (k == dataStart || p[k - 1] == ASCII.semicolon) {
                return k + 5 <= dataEnd && p[k + 3] == ASCII.amp && p[k + 4] == ASCII.amp
                    ? "CP is not closed with '&&' at the end of the data segment" : "CP does not begin with '&&'"
            }
            k += 1
        }
        return "no CP=&&…&& field in the data segment"
    }

    /// `item {";" item}`, `item := pair {"," pair}`, `pair := key "=" value` (HJ 212-2017 6.3.3.1).
    ///
    /// The content is followed by the closing `&&`, whose `&` stops every scan, so the inner loops need no bounds
    /// check. Pairs are written straight into an array sized by the number of `=` in the content.
    private mutating func parseDataArea(
        _ start: Int, _ end: Int, into pairs: inout [HJ212Packet.Pair], dataTime: inout HJ212Packet.Span,
        timeDigits17: inout Bool
    ) -> HJ212DecodingError? {
        if start == end { return nil }
        let equalsCount = countEquals(start, end)
        var failure: HJ212DecodingError?
        var parser = self
        let classes = Self.byteClassPointer
        pairs = [HJ212Packet.Pair](unsafeUninitializedCapacity: equalsCount) { buffer, initialized in
            failure = parser.scanDataArea(start, end, classes, buffer, &initialized, &dataTime, &timeDigits17)
        }
        deviations = parser.deviations
        return failure
    }

    @inline(__always)
    private mutating func scanDataArea(
        _ start: Int, _ end: Int, _ classes: UnsafePointer<UInt8>,
        _ out: UnsafeMutableBufferPointer<HJ212Packet.Pair>, _ count: inout Int, _ dataTime: inout HJ212Packet.Span,
        _ timeDigits17: inout Bool
    ) -> HJ212DecodingError? {
        let p = self.p
        var i = start
        var group: UInt16 = 0
        while true {
            // Key, up to '=' (or a separator); remember the last '-'.
            let keyStart = i
            let (keyEnd, dash) = keyStop(from: i, classes)
            i = keyEnd
            if i >= end || p[i] != ASCII.equals {
                // No '=': an empty pair (";;", a trailing ";"), blanks ("&& &&") or an error.
                if i > end { i = end }
                if i == keyStart {
                    if i == end {
                        let last = p[i - 1]
                        if last == ASCII.semicolon { deviations.insert(.trailingSemicolon) }
                        else if last == ASCII.comma { deviations.insert(.emptyItem) }
                        return nil
                    }
                    deviations.insert(.emptyItem)
                } else if isBlank(keyStart, i) {
                    deviations.insert(.whitespace)
                } else if i < end && p[i] == ASCII.amp {
                    return HJ212DecodingError(.badStructure, detail: "'&' inside the data area key \"\(text(keyStart, i))\"")
                } else {
                    return HJ212DecodingError(
                        .badStructure, detail: "data-area pair \"\(text(keyStart, Swift.min(i, keyStart + 40)))\" has no '='"
                    )
                }
            } else {
                let eq = i
                let valueStart = eq + 1
                var valueEnd: Int
                if p[valueStart] == ASCII.slash && p[valueStart + 1] == ASCII.slash {
                    // "//text//": opaque up to the closing "//".
                    var k = valueStart + 2
                    var close = -1
                    while k + 1 < end {
                        if p[k] == ASCII.slash && p[k + 1] == ASCII.slash {
                            close = k
                            break
                        }
                        k += 1
                    }
                    guard close >= 0 else {
                        return HJ212DecodingError(.badStructure, detail: "unterminated //text// in \"\(text(keyStart, eq))\"")
                    }
                    valueEnd = close + 2
                    i = valueEnd
                    guard i == end || p[i] == ASCII.semicolon || p[i] == ASCII.comma else {
                        return HJ212DecodingError(.badStructure, detail: "text after //…// in \"\(text(keyStart, eq))\"")
                    }
                } else {
                    i = valueStop(from: valueStart, classes)
                    if i < end && p[i] == ASCII.amp {
                        return HJ212DecodingError(.badStructure, detail: "'&' inside the data area (\"\(text(keyStart, i + 1))\")")
                    }
                    if i > end { i = end }
                    valueEnd = i
                }
                if let pair = makePair(keyStart, eq, dash, valueStart, valueEnd, group, &dataTime, &timeDigits17) {
                    guard count < out.count else {
                        return HJ212DecodingError(.badStructure, detail: "more pairs than '=' signs")
                    }
                    (out.baseAddress! + count).initialize(to: pair)
                    count += 1
                } else if let error = pendingError {
                    return error
                }
            }
            // Separator.
            if i >= end { return nil }
            if p[i] == ASCII.semicolon {
                group &+= 1
                if i + 1 == end {
                    deviations.insert(.trailingSemicolon)
                    return nil
                }
            } else if i + 1 == end || p[i + 1] == ASCII.semicolon {
                deviations.insert(.emptyItem)  // "," before ";" or the end
            }
            i += 1
        }
    }

    /// The end of a key starting at `start`: the first `=`, `;`, `,` or `&`, and the last `-` before it (-1 if none).
    /// Eight bytes at a time while a whole word fits in the frame, then byte by byte; the closing `&&` of CP stops it.
    @inline(__always)
    func keyStop(from start: Int, _ classes: UnsafePointer<UInt8>) -> (stop: Int, dash: Int) {
        var i = start
        var dash = -1
        let limit = raw.count
        while i &+ 8 <= limit {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let stops = Self.zeroBytes(w ^ 0x3D3D_3D3D_3D3D_3D3D) | Self.zeroBytes(w ^ 0x3B3B_3B3B_3B3B_3B3B)
                | Self.zeroBytes(w ^ 0x2C2C_2C2C_2C2C_2C2C) | Self.zeroBytes(w ^ 0x2626_2626_2626_2626)
            var dashes = Self.zeroBytes(w ^ 0x2D2D_2D2D_2D2D_2D2D)
            if stops != 0 {
                dashes &= (stops & (~stops &+ 1)) &- 1  // dashes before the first stop
                if dashes != 0 { dash = i &+ (63 &- dashes.leadingZeroBitCount) >> 3 }
                return (i &+ stops.trailingZeroBitCount >> 3, dash)
            }
            if dashes != 0 { dash = i &+ (63 &- dashes.leadingZeroBitCount) >> 3 }
            i &+= 8
        }
        var c = classes[Int(p[i])]
        while c & 1 == 0 {
            if c & 4 != 0 { dash = i }
            i &+= 1
            c = classes[Int(p[i])]
        }
        return (i, dash)
    }

    /// The end of a value starting at `start`: the first `;`, `,` or `&`.
    @inline(__always)
    func valueStop(from start: Int, _ classes: UnsafePointer<UInt8>) -> Int {
        var i = start
        let limit = raw.count
        while i &+ 8 <= limit {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let stops = Self.zeroBytes(w ^ 0x3B3B_3B3B_3B3B_3B3B) | Self.zeroBytes(w ^ 0x2C2C_2C2C_2C2C_2C2C)
                | Self.zeroBytes(w ^ 0x2626_2626_2626_2626)
            if stops != 0 { return i &+ stops.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        while classes[Int(p[i])] & 2 == 0 { i &+= 1 }
        return i
    }

    /// 0x80 in every byte of `x` that is zero, 0 elsewhere (exact, no false positives).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low7) &+ low7) | x | low7)
    }

    /// The number of `=` bytes in `start..<end`, eight bytes at a time (exact zero-byte test, then popcount).
    private func countEquals(_ start: Int, _ end: Int) -> Int {
        var count = 0
        var i = start
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while i + 8 <= end {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x3D3D_3D3D_3D3D_3D3D
            let zeroBytes = ~(((x & low7) &+ low7) | x | low7)
            count &+= zeroBytes.nonzeroBitCount
            i &+= 8
        }
        while i < end {
            if p[i] == ASCII.equals { count &+= 1 }
            i &+= 1
        }
        return count
    }

    private func isBlank(_ start: Int, _ end: Int) -> Bool {
        for k in start..<end where p[k] != ASCII.space { return false }
        return true
    }

    /// Makes the pair of `key=value` (nil for DataTime, which is kept apart, and for errors: see `pendingError`).
    @inline(__always)
    private mutating func makePair(
        _ rawKeyStart: Int, _ eq: Int, _ dash: Int, _ rawValueStart: Int, _ rawValueEnd: Int, _ group: UInt16,
        _ dataTime: inout HJ212Packet.Span, _ timeDigits17: inout Bool
    ) -> HJ212Packet.Pair? {
        var keyStart = rawKeyStart, keyEnd = eq
        var valueStart = rawValueStart, valueEnd = rawValueEnd
        if p[keyStart] == ASCII.space || p[keyEnd - 1] == ASCII.space || (valueEnd > valueStart
            && (p[valueStart] == ASCII.space || p[valueEnd - 1] == ASCII.space))
        {
            deviations.insert(.whitespace)
            while keyStart < keyEnd && p[keyStart] == ASCII.space { keyStart += 1 }
            while keyEnd > keyStart && p[keyEnd - 1] == ASCII.space { keyEnd -= 1 }
            while valueStart < valueEnd && p[valueStart] == ASCII.space { valueStart += 1 }
            while valueEnd > valueStart && p[valueEnd - 1] == ASCII.space { valueEnd -= 1 }
        }
        guard keyEnd > keyStart else {
            pendingError = HJ212DecodingError(.badStructure, detail: "data-area pair with an empty key")
            return nil
        }
        var field: HJ212Field
        var codeEnd = keyStart
        if dash > keyStart && dash < keyEnd - 1 {
            // code-Suffix (a trailing space before '-' as in "LA -Rtd" is trimmed).
            codeEnd = dash
            while codeEnd > keyStart && p[codeEnd - 1] == ASCII.space {
                codeEnd -= 1
                deviations.insert(.whitespace)
            }
            var suffixStart = dash + 1
            while suffixStart < keyEnd && p[suffixStart] == ASCII.space {
                suffixStart += 1
                deviations.insert(.whitespace)
            }
            let (classified, exact) = HJ212Field.classifySuffix(raw, suffixStart, keyEnd)
            if !exact { deviations.insert(.fieldCase) }
            field = classified
        } else {
            if keyEnd - keyStart == 8 && p[keyStart] == 0x44 && p[keyStart + 1] == 0x61 && p[keyStart + 2] == 0x74
                && p[keyStart + 3] == 0x61 && p[keyStart + 4] == 0x54 && p[keyStart + 5] == 0x69
                && p[keyStart + 6] == 0x6D && p[keyStart + 7] == 0x65
            {
                // DataTime (HJ 212-2017 表4).
                if dataTime.isPresent {
                    deviations.insert(.duplicateDataTime)
                } else {
                    dataTime = HJ212Packet.Span(valueStart, valueEnd)
                    checkTime(valueStart, valueEnd, &timeDigits17)
                }
                return nil
            }
            field = HJ212Field.classifyPlain(raw, keyStart, keyEnd) ?? .plainNumber
        }
        let numeric = valueEnd > valueStart && !field.isText && !field.isTime && HJ212Number.isNumber(raw, valueStart, valueEnd)
        if field.isTime {
            checkTime(valueStart, valueEnd, &timeDigits17)
        } else if field.isMeasurement && !numeric {
            deviations.insert(.valueFormat)
        }
        return HJ212Packet.Pair(
            key: HJ212Packet.Span(keyStart, keyEnd), codeEnd: UInt16(truncatingIfNeeded: codeEnd),
            value: HJ212Packet.Span(valueStart, valueEnd), group: group, field: field, isNumeric: numeric
        )
    }

    /// N14 time (HJ 212-2017 6.3.3.2.2); 17 digits with milliseconds are common in the field.
    private mutating func checkTime(_ start: Int, _ end: Int, _ timeDigits17: inout Bool) {
        let count = end - start
        if HJ212Timestamp.parse(UnsafeRawBufferPointer(rebasing: raw[start..<end])) == nil {
            deviations.insert(.timeFormat)
        } else if count == 17 {
            timeDigits17 = true
        }
    }

    // MARK: Dialect

    /// Without Flag: a 24-hex-digit MN (EPC-96) or `w01018`-style codes mean 2017, a 14-character MN or
    /// `B01`/`011`/`02`-style codes mean 2005 (hj212.md §0).
    private func inferDialect(mn: HJ212Packet.Span, qn: HJ212Packet.Span, pairs: [HJ212Packet.Pair]) -> HJ212Packet.Dialect {
        if mn.count == 24 {
            var hex = true
            for k in Int(mn.start)..<Int(mn.end) {
                let c = p[k]
                if !(ASCII.isDigit(c) || (c &- 0x41) < 6) {
                    hex = false
                    break
                }
            }
            if hex { return .v2017 }
        }
        var modern = 0, legacy = 0
        for pair in pairs where pair.hasCode {
            let start = Int(pair.key.start), count = Int(pair.codeEnd) - start
            let first = p[start]
            if count == 6 && (first &- 0x61) < 26 && ASCII.isDigit(p[start + 1]) {
                modern += 1
            } else if count == 2 || count == 3 {
                var digitsOnly = true
                for k in 1..<count where !ASCII.isDigit(p[start + k]) { digitsOnly = false }
                if digitsOnly && (ASCII.isDigit(first) || first == 0x42 || first == 0x53) { legacy += 1 }
            }
        }
        if modern > legacy { return .v2017 }
        if legacy > modern { return .v2005 }
        if mn.count == 14 { return .v2005 }
        return qn.isPresent ? .v2017 : .v2005
    }
}
