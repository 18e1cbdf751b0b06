/// Code tables of HJ 212: system codes (ST), command codes (CN) per dialect, and the factor codes of HJ/T 212-2005
/// with their HJ 212-2017 equivalents.
public enum HJ212Codes {
    /// HJ 212-2017 附录B "原编码" column: HJ/T 212-2005 factor code → HJ 212-2017 code. Water factors have 3-character
    /// codes (`011` COD, `060` NH3-N, `B01` waste-water flow), gas factors 2-character codes (`02` SO2, `S01` O2,
    /// `B02` flue-gas flow). Source: the standard's Appendix B as tabulated in `srdgame/lua-HJ212` `hj212.csv`.
    public static let code2005To2017: [String: String] = [
        // Water (HJ 212-2017 表B.1)
        "B01": "w00000", "001": "w01001", "002": "w01002", "003": "w01012", "010": "w01017", "011": "w01018",
        "015": "w01020", "550": "w02003", "570": "w03001", "571": "w03002", "520": "w19002", "039": "w20012",
        "037": "w20023", "040": "w20038", "038": "w20061", "041": "w20089", "036": "w20092", "020": "w20111",
        "021": "w20113", "022": "w20115", "023": "w20116", "024": "w20117", "026": "w20119", "027": "w20120",
        "028": "w20121", "029": "w20122", "030": "w20123", "031": "w20124", "032": "w20125", "033": "w20126",
        "034": "w20127", "035": "w20128", "065": "w21001", "060": "w21003", "062": "w21004", "063": "w21006",
        "064": "w21007", "101": "w21011", "070": "w21016", "072": "w21017", "071": "w21019", "090": "w21022",
        "080": "w22001", "110": "w23002", "540": "w25043", "350": "w33001", "351": "w33007", "061": "w99001",
        // Gas (HJ 212-2017 表B.2)
        "B02": "a00000", "37": "a01010", "S02": "a01011", "S03": "a01012", "S08": "a01013", "S05": "a01014",
        "S06": "a01015", "S07": "a01016", "S04": "a01017", "30": "a05001", "S01": "a19001", "36": "a20016",
        "33": "a20025", "32": "a20043", "31": "a20057", "35": "a20063", "34": "a20091", "10": "a21001",
        "03": "a21002", "04": "a21005", "07": "a21017", "06": "a21018", "11": "a21022", "08": "a21024",
        "02": "a21026", "05": "a21028", "27": "a23001", "29": "a24046", "25": "a24087", "17": "a25003",
        "18": "a25005", "23": "a25010", "22": "a25023", "20": "a25044", "21": "a26001", "28": "a30001",
        "13": "a30022", "19": "a31001", "26": "a31002", "01": "a34013", "09": "a34038", "14": "a34039",
        "15": "a34040", "24": "a99049", "12": "a99051",
    ]

    /// The HJ 212-2017 form of a factor code: the 2017 code for a known 2005 code, otherwise the code itself
    /// (2017 codes, vendor codes and unknown codes are kept verbatim).
    /// - Parameter code: the code as sent.
    /// - Returns: the HJ 212-2017 code.
    public static func code2017(for code: String) -> String {
        code2005To2017[code] ?? code
    }

    /// Whether `cn` is a command code of the dialect's standard.
    ///
    /// HJ 212-2017 表9; HJ/T 212-2005 (which also had 1001, 1021/1022 alarm limits, 1031/1032 platform address,
    /// 1041/1042 report time, 2071/2072 alarms, and no 1013, 1063/1064 or 3015–3021); HJ 212-2025 adds 1001, 1002,
    /// 1014, 2013, 2052, 2062, 2111, 3022, 3024 and the 9015 heartbeat (per its published implementation).
    /// - Parameters:
    ///   - cn: the command code.
    ///   - dialect: the dialect.
    /// - Returns: true for a command of that standard.
    public static func isStandardCommand(_ cn: Int, dialect: HJ212Packet.Dialect) -> Bool {
        switch dialect {
        case .v2005:
            switch cn {
            case 1000, 1001, 1011, 1012, 1021, 1022, 1031, 1032, 1041, 1042, 1061, 1062, 1072: return true
            case 2011, 2012, 2021, 2022, 2031, 2041, 2051, 2061, 2071, 2072: return true
            case 3011, 3012, 3013, 3014: return true
            case 9011, 9012, 9013, 9014: return true
            default: return false
            }
        case .v2017, .v2025:
            switch cn {
            case 1000, 1011, 1012, 1013, 1061, 1062, 1063, 1064, 1072: return true
            case 2011, 2012, 2021, 2022, 2031, 2041, 2051, 2061, 2081: return true
            case 3011...3021: return true
            case 9011, 9012, 9013, 9014: return true
            case 1001, 1002, 1014, 2013, 2052, 2062, 2111, 3022, 3024, 9015: return dialect == .v2025
            default: return false
            }
        }
    }

    /// Whether a two-character ST is a system code of the dialect (HJ 212-2017 表5: 21–27, 31–39, 41, 51, 52, 91 and
    /// the extension range A0–Z9; HJ/T 212-2005: 21–23, 31–38, 41, 91).
    static func isStandardSystem(_ a: UInt8, _ b: UInt8, dialect: HJ212Packet.Dialect) -> Bool {
        if ASCII.isDigit(a) && ASCII.isDigit(b) {
            let value = Int(a &- ASCII.zero) * 10 + Int(b &- ASCII.zero)
            switch dialect {
            case .v2005:
                return (21...23).contains(value) || (31...38).contains(value) || value == 41 || value == 91
            case .v2017, .v2025:
                return (21...27).contains(value) || (31...39).contains(value) || value == 41 || value == 51 || value == 52
                    || value == 91
            }
        }
        // 2017 extension range: a capital letter followed by a digit.
        return dialect != .v2005 && (a &- 0x41) < 26 && ASCII.isDigit(b)
    }

    /// Whether the system code says the packet is system interaction (ST=91: replies 9011–9014).
    public static let interactionSystem = "91"
}
