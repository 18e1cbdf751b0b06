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
        // The parser fills plain values and the pair array in place: no packet value is built and copied around.
        var header = HJ212PacketParser.Header()
        var pairs: [Pair] = []
        let failure: HJ212DecodingError? = frame.bytes.withUnsafeReadableBytes { p in
            var parser = HJ212PacketParser(p)
            return parser.parse(frameDeviations: frame.deviations, into: &header, pairs: &pairs)
        }
        if var failure {
            failure.offset = frame.offset
            throw failure
        }
        self.frame = frame
        self.dialect = header.dialect
        self.deviations = header.deviations
        self.flag = header.flag
        self.pnum = header.pnum
        self.pno = header.pno
        self.commandCode = header.commandCode
        self.qnSpan = header.qn
        self.stSpan = header.st
        self.cnSpan = header.cn
        self.pwSpan = header.pw
        self.mnSpan = header.mn
        self.dataTimeSpan = header.dataTime
        self.pairs = pairs
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
    /// Whether the data segment holds a space (else the whitespace checks of the common pair are skipped).
    var hasSpace = true

    /// The frame's first byte and its length (a frame has at least 10 bytes, so the base address exists).
    let base: UnsafeRawPointer
    let count: Int

    init(_ raw: UnsafeRawBufferPointer) {
        self.raw = raw
        self.base = raw.baseAddress!
        self.p = base.assumingMemoryBound(to: UInt8.self)
        self.count = raw.count
        self.dataEnd = raw.count - 4
    }

    private func fail(_ kind: HJ212DecodingError.Kind, _ detail: String) -> HJ212DecodingError? {
        HJ212DecodingError(kind, detail: detail)
    }

    /// What ``HJ212Packet/init(frame:)`` takes from the parse besides the pairs.
    struct Header {
        var dialect = HJ212Packet.Dialect.v2017
        var deviations: HJ212Deviations = []
        var flag: Int?
        var pnum: Int?
        var pno: Int?
        var commandCode = 0
        var qn = HJ212Packet.Span.absent
        var st = HJ212Packet.Span.absent
        var cn = HJ212Packet.Span.absent
        var pw = HJ212Packet.Span.absent
        var mn = HJ212Packet.Span.absent
        var dataTime = HJ212Packet.Span.absent
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self)
    }

    // MARK: Encoding

    /// HJ 212-2017 6.3.1: ASCII, Chinese text in UTF-8. Returns the offset of the first bad byte, or nil.
    func firstEncodingError() -> (offset: Int, reason: String)? {
        var i = dataStart
        let end = dataEnd
        // Sixteen bytes at a time while they are printable ASCII (0x20…0x7E): a lane is bad when its top bit is set
        // (UTF-8), when subtracting 0x20 wraps (C0 controls) or when it is DEL.
        while i &+ 16 <= end {
            let v = (base + i).loadUnaligned(as: SIMD16<UInt8>.self)
            let bad = v | (v &- SIMD16(repeating: 0x20)) | Self.zeroLanes(v ^ SIMD16(repeating: 0x7F))
            if Self.anyTopBit(bad) { break }
            i &+= 16
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

    /// Parses the data segment; on success fills `header` and `pairs`, else returns the error (offset 0).
    mutating func parse(
        frameDeviations: HJ212Deviations, into header: inout Header, pairs: inout [HJ212Packet.Pair]
    ) -> HJ212DecodingError? {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: (dataEnd - dataStart) / 64 + 2) { bits in
            parse(frameDeviations: frameDeviations, bits: bits.baseAddress!, into: &header, pairs: &pairs)
        }
    }

    /// The parse proper, with scratch room for the delimiter bitmap of the data segment.
    private mutating func parse(
        frameDeviations: HJ212Deviations, bits: UnsafeMutablePointer<UInt64>, into header: inout Header,
        pairs: inout [HJ212Packet.Pair]
    ) -> HJ212DecodingError? {
        deviations = frameDeviations
        // One pass over the data segment: the delimiter bitmap, and whether any byte needs the exact encoding check
        // (not printable ASCII) or is a space.
        let summary = segmentPass(bits)
        if summary.needsEncodingCheck, let bad = firstEncodingError() {
            return fail(.badEncoding, "\(bad.reason) at byte \(bad.offset - dataStart) of the data segment")
        }
        hasSpace = summary.hasSpace
        var cursor = DelimiterCursor(bits: bits, origin: dataStart)
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
        while true {
            // "CP=" at a field start ends the header.
            if (p[pos] | 0x20) == 0x63 && (p[pos + 1] | 0x20) == 0x70 && p[pos + 2] == ASCII.equals {
                if p[pos] != 0x43 || p[pos + 1] != 0x50 { deviations.insert(.headerKeyCase) }
                cpStart = pos
                break
            }
            // Key up to '=' (or ';' ',' '&'), value up to ';' ',' '&'.
            var e = cursor.next()
            while p[e] == ASCII.dash { e = cursor.next() }
            var eq = -1
            if p[e] == ASCII.equals {
                eq = e
                e = cursor.next()
                while p[e] == ASCII.dash || p[e] == ASCII.equals { e = cursor.next() }
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
        let contentStart = cpValue + 2, contentEnd = dataEnd - 2
        var dataTime = HJ212Packet.Span.absent
        var timeDigits17 = false
        cursor.seek(contentStart)
        if let error = parseDataArea(contentStart, contentEnd, cursor, into: &pairs, dataTime: &dataTime, timeDigits17: &timeDigits17) {
            return error
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
            if qn.count != 17 || !HJ212Timestamp.isValid(UnsafeRawBufferPointer(rebasing: raw[Int(qn.start)..<Int(qn.end)])) {
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
        header.dialect = dialect
        header.deviations = deviations
        header.flag = flag
        header.pnum = pnum
        header.pno = pno
        header.commandCode = commandCode
        header.qn = qn
        header.st = st
        header.cn = cn
        header.pw = pw
        header.mn = mn
        header.dataTime = dataTime
        return nil
    }

    /// The standard position of a header key (QN 0, ST 1, CN 2, PW 3, MN 4, Flag 5, PNUM 6, PNO 7) and whether it is
    /// spelled exactly; -1 for an unknown key.
    @inline(__always)
    private func headerRank(_ start: Int, _ end: Int) -> (Int, Bool) {
        Self.headerRank(base, start, end)
    }

    /// ``headerRank(_:_:)`` on the bytes at `base`: the key compared as one word; `| 0x20` lowers exactly the letters
    /// whose lower case is the key's (every byte of these keys is a letter).
    @inline(__always)
    private static func headerRank(_ base: UnsafeRawPointer, _ start: Int, _ end: Int) -> (Int, Bool) {
        switch end &- start {
        case 2:
            let word = UInt32(UInt16(littleEndian: (base + start).loadUnaligned(as: UInt16.self)))
            let rank: Int
            switch word | 0x2020 {
            case 0x6E71: rank = 0  // qn
            case 0x7473: rank = 1  // st
            case 0x6E63: rank = 2  // cn
            case 0x7770: rank = 3  // pw
            case 0x6E6D: rank = 4  // mn
            default: return (-1, true)
            }
            return (rank, word & 0x2020 == 0)
        case 3:
            // The byte after the key is its '=' (inside the segment).
            let word = UInt32(littleEndian: (base + start).loadUnaligned(as: UInt32.self)) & 0xFF_FFFF
            guard word | 0x20_2020 == 0x6F_6E70 else { return (-1, true) }  // pno
            return (7, word == 0x4F_4E50)  // PNO
        case 4:
            let word = UInt32(littleEndian: (base + start).loadUnaligned(as: UInt32.self))
            switch word | 0x2020_2020 {
            case 0x6761_6C66: return (5, word == 0x6761_6C46)  // flag, Flag
            case 0x6D75_6E70: return (6, word == 0x4D55_4E50)  // pnum, PNUM
            default: return (-1, true)
            }
        default:
            return (-1, true)
        }
    }

    /// The span as a decimal integer of at most `maxCount` digits.
    @inline(__always)
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
    /// bit 2 is `-`, bit 3 is a space, bit 4 marks the delimiters of ``delimiterMask(_:)``.
    static let byteClasses: [UInt8] = (0..<256).map { byte in
        switch UInt8(byte) {
        case ASCII.equals: 1 | 16
        case ASCII.semicolon, ASCII.comma, ASCII.amp: 3 | 16
        case ASCII.dash: 4 | 16
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
    /// check. Pairs are written into scratch storage on the stack (a pair takes at least 3 bytes: key, `=`,
    /// separator), then copied into an array of the exact size: one allocation per packet, none per pair.
    private mutating func parseDataArea(
        _ start: Int, _ end: Int, _ cursor: DelimiterCursor, into pairs: inout [HJ212Packet.Pair],
        dataTime: inout HJ212Packet.Span, timeDigits17: inout Bool
    ) -> HJ212DecodingError? {
        if start == end { return nil }
        let capacity = (end - start) / 2 + 1
        // Scratch of at most 1 KiB stays on the stack (larger temporary allocations go to the heap); it holds the
        // pairs of nearly every packet. A data area with more pairs is scanned again with scratch of the full size.
        let stackCapacity = Swift.min(capacity, 1024 / MemoryLayout<HJ212Packet.Pair>.stride)
        let failure = scanDataArea(start, end, cursor, capacity: stackCapacity, into: &pairs, &dataTime, &timeDigits17)
        guard stackCapacity < capacity, let failure, failure.isScratchOverflow else { return failure }
        dataTime = .absent
        timeDigits17 = false
        return scanDataArea(start, end, cursor, capacity: capacity, into: &pairs, &dataTime, &timeDigits17)
    }

    /// Scans the data area into scratch room for `capacity` pairs, then copies them into `pairs`.
    @inline(__always)
    private mutating func scanDataArea(
        _ start: Int, _ end: Int, _ cursor: DelimiterCursor, capacity: Int, into pairs: inout [HJ212Packet.Pair],
        _ dataTime: inout HJ212Packet.Span, _ timeDigits17: inout Bool
    ) -> HJ212DecodingError? {
        withUnsafeTemporaryAllocation(of: HJ212Packet.Pair.self, capacity: capacity) { scratch in
            var count = 0
            let failure = scanDataArea(start, end, cursor, scratch, &count, &dataTime, &timeDigits17)
            if failure == nil && count > 0 {
                pairs = Array(UnsafeBufferPointer(rebasing: scratch[0..<count]))
            }
            return failure
        }
    }

    /// The bytes `start..<end` (1…8 of them, with 8 bytes readable at `start`) as a little-endian word, the rest zero.
    @inline(__always)
    static func suffixWord(_ base: UnsafeRawPointer, _ start: Int, _ end: Int) -> UInt64 {
        let raw = UInt64(littleEndian: (base + start).loadUnaligned(as: UInt64.self))
        let count = end &- start
        return count == 8 ? raw : raw & ((1 &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1)
    }

    /// One pass over the data segment, sixteen bytes at a time: bit `k` of `bits[w]` is set when the byte at
    /// `dataStart + 64 w + k` is a delimiter (`=`, `;`, `,`, `&` or `-`). Also says whether any byte is outside
    /// printable ASCII (then ``firstEncodingError()`` decides) and whether any byte is a space.
    @inline(__always)
    private func segmentPass(_ bits: UnsafeMutablePointer<UInt64>) -> (needsEncodingCheck: Bool, hasSpace: Bool) {
        #if arch(x86_64)
        return segmentPassSSE2(bits)
        #else
        return segmentPassPortable(bits)
        #endif
    }

    /// ``segmentPass(_:)`` with lane-wise arithmetic only (any architecture).
    @inline(__always)
    func segmentPassPortable(_ bits: UnsafeMutablePointer<UInt64>) -> (needsEncodingCheck: Bool, hasSpace: Bool) {
        var i = dataStart
        var word: UInt64 = 0
        var shift: UInt64 = 0
        var w = 0
        var bad = SIMD16<UInt8>()
        var spaces = SIMD16<UInt8>()
        while i &+ 16 <= dataEnd {
            let v = (base + i).loadUnaligned(as: SIMD16<UInt8>.self)
            word |= Self.delimiterMask(v) << shift
            // Top bit set: UTF-8 lead/continuation; subtracting 0x20 wraps: C0 control; DEL.
            bad |= v | (v &- SIMD16(repeating: 0x20)) | Self.zeroLanes(v ^ SIMD16(repeating: 0x7F))
            spaces |= Self.zeroLanes(v ^ SIMD16(repeating: ASCII.space))
            i &+= 16
            shift &+= 16
            if shift == 64 {
                bits[w] = word
                w &+= 1
                word = 0
                shift = 0
            }
        }
        var badTail = false, spaceTail = false
        let classes = Self.byteClassPointer
        while i < dataEnd {
            // The last bytes one at a time (after every 16-byte block, so `shift` stays aligned).
            let c = p[i]
            if classes[Int(c)] & 16 != 0 { word |= 1 << shift }
            if c &- 0x20 >= 0x5F { badTail = true }
            if c == ASCII.space { spaceTail = true }
            i &+= 1
            shift &+= 1
            if shift == 64 {
                bits[w] = word
                w &+= 1
                word = 0
                shift = 0
            }
        }
        bits[w] = word
        return (badTail || Self.anyTopBit(bad), spaceTail || Self.anyTopBit(spaces))
    }

    /// Bit `k` is set when lane `k` of `v` is `=`, `;`, `,`, `&` or `-` (`,` and `-` differ in
    /// the low bit only, so one comparison finds both).
    @inline(__always)
    static func delimiterMask(_ v: SIMD16<UInt8>) -> UInt64 {
        let marks = zeroLanes(v ^ SIMD16(repeating: ASCII.equals)) | zeroLanes(v ^ SIMD16(repeating: ASCII.semicolon))
            | zeroLanes((v | SIMD16(repeating: 1)) ^ SIMD16(repeating: ASCII.dash)) | zeroLanes(v ^ SIMD16(repeating: ASCII.amp))
        let words = unsafeBitCast(marks, to: SIMD2<UInt64>.self)
        // Gather the top bit of each byte into the low 8 bits (bit 8k moves to bit 56 + k; no two products overlap).
        let low = (((UInt64(littleEndian: words[0]) >> 7) & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56
        let high = (((UInt64(littleEndian: words[1]) >> 7) & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56
        return low | high << 8
    }

    @inline(__always)
    private mutating func scanDataArea(
        _ start: Int, _ end: Int, _ cursor: DelimiterCursor,
        _ out: UnsafeMutableBufferPointer<HJ212Packet.Pair>, _ count: inout Int, _ dataTime: inout HJ212Packet.Span,
        _ timeDigits17: inout Bool
    ) -> HJ212DecodingError? {
        let p = self.p
        var i = start
        var group: UInt16 = 0
        // Every scan below ends at the latest on the closing '&' at `end`, so the walk never passes the bitmap.
        var cursor = cursor
        let checkSpaces = hasSpace
        let suffixes = HJ212Field.suffixTable
        // "DataTime=value" first, as nearly every upload begins (without spaces and `//`, and followed by ',', ';' or
        // the end): what the general walk below does with it, without its detours.
        if !checkSpaces && end &- start > 9 && p[start &+ 8] == ASCII.equals && p[start &+ 9] != ASCII.slash
            && UInt64(littleEndian: (base + start).loadUnaligned(as: UInt64.self)) == 0x656D_6954_6174_6144  // "DataTime"
        {
            var probe = cursor
            _ = probe.next()  // the '=' (DataTime has no delimiter)
            let valueEnd = probe.next()
            let separator = p[valueEnd]
            if separator == ASCII.semicolon || separator == ASCII.comma || (separator == ASCII.amp && valueEnd == end) {
                dataTime = HJ212Packet.Span(start &+ 9, valueEnd)
                checkTime(start &+ 9, valueEnd, &timeDigits17)
                cursor = probe
                i = valueEnd &+ 1
                if separator == ASCII.amp { return nil }
                if separator == ASCII.semicolon {
                    group = 1
                    if i == end {
                        deviations.insert(.trailingSemicolon)
                        return nil
                    }
                } else if i == end || p[i] == ASCII.semicolon {
                    deviations.insert(.emptyItem)
                }
            }
        }
        while true {
            if !checkSpaces {
                // Common pairs in a tight loop; it stops at the first other pair (or the end).
                switch scanCommonPairs(&i, end, &cursor, out, &count, &group, suffixes) {
                case .end: return nil
                case .overflow: return .scratchOverflow
                case .other: break
                }
            }
            // Key, up to '=' (or a separator); remember the last '-'.
            let keyStart = i
            var dash = -1
            var keyEnd = cursor.next()
            while p[keyEnd] == ASCII.dash {
                dash = keyEnd
                keyEnd = cursor.next()
            }
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
                    // Skip the delimiters inside the text and the separator after it.
                    if i < end { cursor.seek(i &+ 1) }
                } else {
                    i = cursor.next()
                    while p[i] == ASCII.dash || p[i] == ASCII.equals { i = cursor.next() }
                    if i < end && p[i] == ASCII.amp {
                        return HJ212DecodingError(.badStructure, detail: "'&' inside the data area (\"\(text(keyStart, i + 1))\")")
                    }
                    if i > end { i = end }
                    valueEnd = i
                }
                guard count < out.count else {
                    return .scratchOverflow
                }
                // The common pair, `code-Suffix=value` without blanks and with a standard suffix of up to 8 bytes,
                // is made here; everything else by `makePair` (same result, more cases).
                if dash > keyStart && dash < eq &- 1 && eq &- dash <= 9 && dash &+ 9 <= self.count
                    && (!checkSpaces || (p[keyStart] != ASCII.space && p[eq &- 1] != ASCII.space
                        && p[dash &- 1] != ASCII.space && p[dash &+ 1] != ASCII.space
                        && (valueEnd == valueStart || (p[valueStart] != ASCII.space && p[valueEnd &- 1] != ASCII.space)))),
                    let code = HJ212Field.exactWord(Self.suffixWord(base, dash &+ 1, eq), in: suffixes), !HJ212Field(code).isTime
                {
                    let field = HJ212Field(code)
                    let numeric = valueEnd > valueStart && !field.isText && isNumber(valueStart, valueEnd)
                    if field.isMeasurement && !numeric { deviations.insert(.valueFormat) }
                    (out.baseAddress! + count).initialize(
                        to: HJ212Packet.Pair(
                            key: HJ212Packet.Span(keyStart, eq), codeEnd: UInt16(truncatingIfNeeded: dash),
                            value: HJ212Packet.Span(valueStart, valueEnd), group: group, field: field, isNumeric: numeric
                        )
                    )
                    count &+= 1
                } else if let pair = makePair(keyStart, eq, dash, valueStart, valueEnd, group, &dataTime, &timeDigits17) {
                    guard count < out.count else {
                        return .scratchOverflow
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

    enum CommonPairsOutcome {
        /// The data area ended (after the last pair, a trailing ';', or ',' at the end).
        case end
        /// The pair at `i` is not a common pair; the cursor is at its start.
        case other
        /// The scratch room is full.
        case overflow
    }

    /// Makes the common pairs from `i` on: `code-Suffix=value` with one '-', a standard suffix of 1…8 bytes, a value
    /// without delimiters that is not `//text//`, then ',', ';' or the closing '&' (only for data segments without
    /// spaces). Stops at the first other pair, with `i` and the cursor at its start, for the general walk (which gives
    /// the same result for common pairs, and handles every other case). A function of its own, so that its loop
    /// keeps its state in registers.
    @inline(never)
    private mutating func scanCommonPairs(
        _ i: inout Int, _ end: Int, _ cursor: inout DelimiterCursor, _ out: UnsafeMutableBufferPointer<HJ212Packet.Pair>,
        _ count: inout Int, _ group: inout UInt16, _ suffixes: HJ212Field.SuffixTable
    ) -> CommonPairsOutcome {
        let p = self.p
        let base = self.base
        let pairs = out.baseAddress!
        let capacity = out.count
        var walker = cursor
        var n = count
        var g = group
        var found: HJ212Deviations = []
        var position = i
        var outcome = CommonPairsOutcome.other
        while true {
            let keyStart = position
            let dash = walker.next()
            guard p[dash] == ASCII.dash && dash > keyStart else { break }
            let eq = walker.next()
            // A suffix of 1…8 bytes; the 8-byte load at `dash + 1` ends at most 6 bytes after '=', which comes before
            // the closing "&&" and the 4 CRC digits, so it stays inside the frame.
            guard p[eq] == ASCII.equals && UInt(bitPattern: eq &- dash &- 2) < 8 && p[eq &+ 1] != ASCII.slash,
                let code = HJ212Field.exactWord(Self.suffixWord(base, dash &+ 1, eq), in: suffixes), !HJ212Field(code).isTime
            else { break }
            let valueStart = eq &+ 1
            let valueEnd = walker.next()
            let separator = p[valueEnd]
            guard separator == ASCII.semicolon || separator == ASCII.comma || (separator == ASCII.amp && valueEnd == end) else {
                break
            }
            guard n < capacity else {
                outcome = .overflow
                break
            }
            let field = HJ212Field(code)
            let numeric = valueEnd > valueStart && !field.isText && isNumber(valueStart, valueEnd)
            if field.isMeasurement && !numeric { found.insert(.valueFormat) }
            (pairs + n).initialize(
                to: HJ212Packet.Pair(
                    key: HJ212Packet.Span(keyStart, eq), codeEnd: UInt16(truncatingIfNeeded: dash),
                    value: HJ212Packet.Span(valueStart, valueEnd), group: g, field: field, isNumeric: numeric
                )
            )
            n &+= 1
            position = valueEnd &+ 1
            if separator == ASCII.semicolon {
                g &+= 1
                if position == end {
                    found.insert(.trailingSemicolon)
                    outcome = .end
                    break
                }
            } else if separator == ASCII.comma {
                if position == end || p[position] == ASCII.semicolon { found.insert(.emptyItem) }  // "," before ";" or the end
            } else {
                outcome = .end
                break
            }
        }
        if outcome == .other { walker.seek(position) }
        cursor = walker
        i = position
        count = n
        group = g
        deviations.formUnion(found)
        return outcome
    }

    /// Whether the value `start..<end` (not empty) is a decimal number: up to 8 digits, or digits and one '.', are
    /// checked in one word; anything else by ``HJ212Number/isNumber(_:_:_:)``.
    @inline(__always)
    private func isNumber(_ start: Int, _ end: Int) -> Bool {
        let n = end &- start
        if n <= 8 && start &+ 8 <= self.count {
            let x = UInt64(littleEndian: (base + start).loadUnaligned(as: UInt64.self)) ^ 0x3030_3030_3030_3030
            let lanes: UInt64 = 0x8080_8080_8080_8080 &>> UInt64(truncatingIfNeeded: (8 &- n) &* 8)  // n is 1…8
            let nonDigits = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | x) & lanes
            if nonDigits == 0
                || (nonDigits & (nonDigits &- 1) == 0 && n >= 2 && p[start &+ nonDigits.trailingZeroBitCount &>> 3] == 0x2E)
            {
                return true
            }
        }
        return HJ212Number.isNumber(raw, start, end)
    }

    /// The top bit of every lane of `x` that is zero is set (lane-wise arithmetic, which compiles to vector
    /// instructions; the other bits of a lane are unspecified).
    @inline(__always)
    static func zeroLanes(_ x: SIMD16<UInt8>) -> SIMD16<UInt8> {
        ~(x | (SIMD16<UInt8>() &- x))
    }

    /// Whether any lane has its top bit set.
    @inline(__always)
    static func anyTopBit(_ x: SIMD16<UInt8>) -> Bool {
        let words = unsafeBitCast(x, to: SIMD2<UInt64>.self)
        return (words[0] | words[1]) & 0x8080_8080_8080_8080 != 0
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
        if !HJ212Timestamp.isValid(UnsafeRawBufferPointer(rebasing: raw[start..<end])) {
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

extension HJ212DecodingError {
    /// The parser's signal that the pairs did not fit its scratch room (it then scans again with room for all; the
    /// room for `(length / 2 + 1)` pairs always suffices, so callers never see it).
    static var scratchOverflow: HJ212DecodingError {
        HJ212DecodingError(.badStructure, offset: -1, detail: "more pairs than '=' signs")
    }

    /// Whether this is ``scratchOverflow``.
    var isScratchOverflow: Bool { offset == -1 }
}

/// Walks the delimiter bitmap of a data segment in order: ``next()`` returns the offset of the next delimiter not
/// yet visited. The caller guarantees one is left (the closing `&` of `CP=&&…&&` ends every scan).
struct DelimiterCursor {
    let bits: UnsafeMutablePointer<UInt64>
    /// The frame offset of bit 0 of `bits[0]`.
    let origin: Int
    var wordIndex = 0
    /// The delimiters of `bits[wordIndex]` not yet visited.
    var current: UInt64

    init(bits: UnsafeMutablePointer<UInt64>, origin: Int) {
        self.bits = bits
        self.origin = origin
        self.current = bits[0]
    }

    @inline(__always)
    mutating func next() -> Int {
        while current == 0 {
            wordIndex &+= 1
            current = bits[wordIndex]
        }
        let position = origin &+ wordIndex &<< 6 &+ current.trailingZeroBitCount
        current &= current &- 1
        return position
    }

    /// Makes ``next()`` return the first delimiter at or after `position`.
    @inline(__always)
    mutating func seek(_ position: Int) {
        let offset = position &- origin
        wordIndex = offset &>> 6
        current = bits[wordIndex] & (~0 &<< UInt64(offset & 63))
    }
}
