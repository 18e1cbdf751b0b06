/// What a key of the data area means: a suffix of `code-Suffix` (HJ 212-2017 表4: `-Rtd`, `-Avg`, `-ZsRtd`, `-Cou`,
/// `-Flag`, `-EFlag`, `-SampleTime` …) or a plain field (`DataTime`, `RtdInterval`, `QnRtn` …).
///
/// A struct wrapping a private enum so that fields added by later standards don't break callers.
public struct HJ212Field: Sendable, Hashable, CustomStringConvertible {
    enum Code: UInt8, Sendable, Hashable, CaseIterable {
        case other = 0
        // Suffixes (HJ 212-2017 表4; 2005 `-Ala`; 2025 additions per its implementation).
        case rtd, min, avg, max, zsRtd, zsMin, zsAvg, zsMax, cou, flag, eFlag, sampleTime, rs, rt, data, dayData,
            nightData, info, sn, ala, sampleRd, standardValue, resultType, completeTime, sampleType
        // Plain fields.
        case plainNumber, plainTime, plainText
    }

    let code: Code

    init(_ code: Code) { self.code = code }

    /// `-Rtd`: real-time value.
    public static let rtd = HJ212Field(.rtd)
    /// `-Min`: minimum over the interval.
    public static let min = HJ212Field(.min)
    /// `-Avg`: average over the interval.
    public static let avg = HJ212Field(.avg)
    /// `-Max`: maximum over the interval.
    public static let max = HJ212Field(.max)
    /// `-ZsRtd`: real-time value converted to the reference O2 (折算).
    public static let zsRtd = HJ212Field(.zsRtd)
    /// `-ZsMin`: converted minimum.
    public static let zsMin = HJ212Field(.zsMin)
    /// `-ZsAvg`: converted average.
    public static let zsAvg = HJ212Field(.zsAvg)
    /// `-ZsMax`: converted maximum.
    public static let zsMax = HJ212Field(.zsMax)
    /// `-Cou`: cumulative amount over the interval.
    public static let cou = HJ212Field(.cou)
    /// `-Flag`: data flag (HJ 212-2017 表8).
    public static let flag = HJ212Field(.flag)
    /// `-EFlag`: device-defined extended flag (C4).
    public static let eFlag = HJ212Field(.eFlag)
    /// `-SampleTime`: sampling time of a non-continuous analyser.
    public static let sampleTime = HJ212Field(.sampleTime)
    /// `-RS`: treatment facility running state.
    public static let rs = HJ212Field(.rs)
    /// `-RT`: facility running hours.
    public static let rt = HJ212Field(.rt)
    /// `-Info`: field-side information (`i1xxxx` …), possibly `//text//`.
    public static let info = HJ212Field(.info)
    /// A plain numeric field (`RtdInterval`, `QnRtn`, `ExeRtn` …).
    public static let plainNumber = HJ212Field(.plainNumber)
    /// A plain time field (`SystemTime`, `BeginTime` …).
    public static let plainTime = HJ212Field(.plainTime)
    /// A plain text field (`PolId`, `NewPW` …).
    public static let plainText = HJ212Field(.plainText)
    /// A suffix the standard does not define (kept verbatim).
    public static let other = HJ212Field(.other)

    /// The standard spelling of the suffix (`Rtd`, `ZsAvg` …); nil for plain fields and unknown suffixes.
    public var standardName: String? {
        switch code {
        case .other, .plainNumber, .plainTime, .plainText: nil
        default: Self.spellings[Int(code.rawValue)].name
        }
    }

    @inline(__always)
    private func isIn(_ mask: UInt64) -> Bool { (1 &<< UInt64(code.rawValue)) & mask != 0 }  // raw values < 64

    /// Whether the field carries a measured number (real-time, min/avg/max, converted, cumulative …).
    public var isMeasurement: Bool {
        @inline(__always) get { isIn(0x73c3fe) }  // rtd…zsMax, cou, rt, data, dayData, nightData, ala, sampleRd, standardValue
    }

    /// Whether the value is a time (N14).
    public var isTime: Bool {
        @inline(__always) get { isIn(0x9001000) }  // sampleTime, completeTime, plainTime
    }

    /// Whether the value is text, never rendered as a number (flags, ids, `//text//`).
    public var isText: Bool {
        @inline(__always) get { isIn(0x128c0c00) }  // flag, eFlag, info, sn, resultType, sampleType, plainText
    }

    /// The standard name, or `other`/`plain`.
    public var description: String { standardName ?? "\(code)" }

    /// Suffix spellings indexed by `Code.rawValue` (index 0 unused).
    static let spellings: [(name: String, bytes: [UInt8])] = Code.allCases.map { code in
        let name: String
        switch code {
        case .rtd: name = "Rtd"
        case .min: name = "Min"
        case .avg: name = "Avg"
        case .max: name = "Max"
        case .zsRtd: name = "ZsRtd"
        case .zsMin: name = "ZsMin"
        case .zsAvg: name = "ZsAvg"
        case .zsMax: name = "ZsMax"
        case .cou: name = "Cou"
        case .flag: name = "Flag"
        case .eFlag: name = "EFlag"
        case .sampleTime: name = "SampleTime"
        case .rs: name = "RS"
        case .rt: name = "RT"
        case .data: name = "Data"
        case .dayData: name = "DayData"
        case .nightData: name = "NightData"
        case .info: name = "Info"
        case .sn: name = "SN"
        case .ala: name = "Ala"
        case .sampleRd: name = "SampleRd"
        case .standardValue: name = "StandardValue"
        case .resultType: name = "ResultType"
        case .completeTime: name = "CompleteTime"
        case .sampleType: name = "SampleType"
        case .other, .plainNumber, .plainTime, .plainText: name = ""
        }
        return (name, Array(name.utf8))
    }

    /// Classifies a suffix. Returns the field and whether its case matched exactly.
    ///
    /// Suffixes of up to 8 bytes are compared as one little-endian word (the frame always has at least 7 bytes after
    /// a key, so an 8-byte load at the suffix start stays inside the frame); longer ones byte by byte.
    @inline(__always)
    static func classifySuffix(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (HJ212Field, exact: Bool) {
        let count = end - start
        if count >= 1 && count <= 8 && start + 8 <= p.count {
            let raw = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            let word = count == 8 ? raw : raw & ((1 << (UInt64(count) &* 8)) &- 1)
            if let code = exactWord(word) { return (HJ212Field(code), true) }
        }
        return classifySlowly(p, start, end)
    }

    /// The suffix spelled exactly as the standard does, from its bytes as a little-endian word (1…8 bytes, the rest
    /// zero): one multiply, one table slot and one compare (a perfect hash of the 19 spellings of up to 8 bytes).
    @inline(__always)
    static func exactWord(_ word: UInt64) -> Code? {
        exactWord(word, in: suffixTable)
    }

    /// ``exactWord(_:)`` with ``suffixTable`` read once by the caller (a hot loop).
    @inline(__always)
    static func exactWord(_ word: UInt64, in table: SuffixTable) -> Code? {
        let slot = Int(truncatingIfNeeded: (word &* suffixHashMultiplier) &>> 59)
        guard table.words[slot] == word else { return nil }
        return unsafeBitCast(table.codes[slot], to: Code.self)  // a raw value written from `Code.allCases`
    }

    typealias SuffixTable = (words: UnsafePointer<UInt64>, codes: UnsafePointer<UInt8>)

    /// The multiplier of the perfect hash: `(word &* m) >> 59` gives each short spelling its own of 32 slots.
    static let suffixHashMultiplier: UInt64 = 0x4610_8B43_F7BE_93AF

    /// The 32 slots of the perfect hash: the word of each suffix spelling of up to 8 bytes and its code (empty slots
    /// hold word 0, which no suffix has); pointers valid for the life of the process, never written after
    /// initialisation.
    nonisolated(unsafe) static let suffixTable: SuffixTable = {
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 32)
        let codes = UnsafeMutablePointer<UInt8>.allocate(capacity: 32)
        words.initialize(repeating: 0, count: 32)
        codes.initialize(repeating: 0, count: 32)
        for code in Code.allCases {
            let bytes = spellings[Int(code.rawValue)].bytes
            guard (1...8).contains(bytes.count) else { continue }
            var word: UInt64 = 0
            for (k, byte) in bytes.enumerated() { word |= UInt64(byte) << (8 * UInt64(k)) }
            let slot = Int((word &* suffixHashMultiplier) >> 59)
            precondition(words[slot] == 0, "HJ212Field: suffix hash collision")
            words[slot] = word
            codes[slot] = code.rawValue
        }
        return (UnsafePointer(words), UnsafePointer(codes))
    }()

    /// Long suffixes and case-insensitive matches.
    static func classifySlowly(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (HJ212Field, exact: Bool) {
        let count = end - start
        guard count >= 2 && count <= 13 else { return (.other, true) }
        for index in 1..<spellings.count {
            let spelling = spellings[index].bytes
            guard spelling.count == count else { continue }
            var same = true
            var exact = true
            for k in 0..<count {
                let c = p[start + k], s = spelling[k]
                if c != s {
                    exact = false
                    if ASCII.lower(c) != ASCII.lower(s) {
                        same = false
                        break
                    }
                }
            }
            if same { return (HJ212Field(Code(rawValue: UInt8(index))!), exact) }
        }
        return (.other, true)
    }

    /// Plain (code-less) field names and the kind of their value (HJ 212-2017 表4, HJ/T 212-2005).
    static let plainFields: [(name: [UInt8], field: HJ212Field)] = ([
        ("SystemTime", .plainTime), ("RestartTime", .plainTime), ("BeginTime", .plainTime), ("EndTime", .plainTime),
        ("AlarmTime", .plainTime), ("SKCreateTime", .plainTime),
        ("QnRtn", .plainNumber), ("ExeRtn", .plainNumber), ("RtdInterval", .plainNumber), ("MinInterval", .plainNumber),
        ("OverTime", .plainNumber), ("ReCount", .plainNumber), ("VaseNo", .plainNumber), ("Ctime", .plainNumber),
        ("Stime", .plainNumber), ("HeartbeatTime", .plainNumber), ("AlarmType", .plainText),
        ("PolId", .plainText), ("InfoId", .plainText), ("NewPW", .plainText), ("NewSK", .plainText),
        ("CstartTime", .plainText), ("QN", .plainText), ("CN", .plainText),
    ] as [(String, HJ212Field)]).map { (Array($0.0.utf8), $0.1) }

    /// Classifies a plain key; unknown keys are numeric when their value is a number, text otherwise.
    static func classifyPlain(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> HJ212Field? {
        let count = end - start
        for entry in plainFields where entry.name.count == count {
            var same = true
            for k in 0..<count where p[start + k] != entry.name[k] {
                same = false
                break
            }
            if same { return entry.field }
        }
        return nil
    }
}
