/// The items of GB 3838-2002 表1 (basic items) and 表2 (supplementary items of drinking-water sources).
///
/// The raw value is the CSV column name; ``hj212Codes`` lists the HJ 212-2017 附录B codes accepted as aliases.
/// Values are in the units of GB 3838 (mg/L; pH dimensionless; water temperature °C; faecal coliforms 个/L)
/// whichever name the column uses.
public enum WaterItem: String, Sendable, CaseIterable, Codable {
    /// 水温 (°C): not a class item (evaluated separately).
    case temperature
    /// pH (无量纲): 6–9 in every class.
    case ph
    /// 溶解氧 DO: a lower bound.
    case dissolvedOxygen = "do"
    /// 高锰酸盐指数 CODMn.
    case codmn
    /// 化学需氧量 COD.
    case cod
    /// 五日生化需氧量 BOD5.
    case bod5
    /// 氨氮 NH3-N.
    case nh3n
    /// 总磷 TP (lakes and reservoirs have their own column).
    case tp
    /// 总氮 TN: not a class item (lakes and reservoirs evaluate it separately).
    case tn
    /// 铜.
    case cu
    /// 锌.
    case zn
    /// 氟化物 (以F⁻计).
    case fluoride = "f"
    /// 硒.
    case se
    /// 砷.
    case arsenic = "as"
    /// 汞.
    case hg
    /// 镉.
    case cd
    /// 铬(六价).
    case cr6
    /// 铅.
    case pb
    /// 氰化物.
    case cyanide = "cn"
    /// 挥发酚.
    case phenol
    /// 石油类.
    case petroleum
    /// 阴离子表面活性剂.
    case las
    /// 硫化物.
    case sulfide
    /// 粪大肠菌群 (个/L): not a class item (evaluated separately).
    case fecalColiform = "fecal_coliform"
    /// 硫酸盐 (以SO4²⁻计), 表2.
    case sulfate
    /// 氯化物 (以Cl⁻计), 表2.
    case chloride
    /// 硝酸盐 (以N计), 表2.
    case nitrate
    /// 铁, 表2.
    case iron = "fe"
    /// 锰, 表2.
    case manganese = "mn"

    /// The Chinese name of the standard.
    public var chineseName: String {
        switch self {
        case .temperature: "水温"
        case .ph: "pH值"
        case .dissolvedOxygen: "溶解氧"
        case .codmn: "高锰酸盐指数"
        case .cod: "化学需氧量"
        case .bod5: "五日生化需氧量"
        case .nh3n: "氨氮"
        case .tp: "总磷"
        case .tn: "总氮"
        case .cu: "铜"
        case .zn: "锌"
        case .fluoride: "氟化物"
        case .se: "硒"
        case .arsenic: "砷"
        case .hg: "汞"
        case .cd: "镉"
        case .cr6: "铬(六价)"
        case .pb: "铅"
        case .cyanide: "氰化物"
        case .phenol: "挥发酚"
        case .petroleum: "石油类"
        case .las: "阴离子表面活性剂"
        case .sulfide: "硫化物"
        case .fecalColiform: "粪大肠菌群"
        case .sulfate: "硫酸盐"
        case .chloride: "氯化物"
        case .nitrate: "硝酸盐"
        case .iron: "铁"
        case .manganese: "锰"
        }
    }

    /// HJ 212-2017 附录B codes of the item (HJ 525 based), accepted as column names.
    public var hj212Codes: [String] {
        switch self {
        case .temperature: ["w01010"]
        case .ph: ["w01001"]
        case .dissolvedOxygen: ["w01009"]
        case .codmn: ["w01019"]
        case .cod: ["w01018"]
        case .bod5: ["w01017"]
        case .nh3n: ["w21003"]
        case .tp: ["w21011"]
        case .tn: ["w21001"]
        case .cu: ["w20122", "w20138"]
        case .zn: ["w20123", "w20139"]
        case .fluoride: ["w21017"]
        case .se: ["w20128", "w20140"]
        case .arsenic: ["w20119", "w20141"]
        case .hg: ["w20111", "w20142"]
        case .cd: ["w20115", "w20143"]
        case .cr6: ["w20117"]
        case .pb: ["w20120", "w20144"]
        case .cyanide: ["w21016"]
        case .phenol: ["w23002"]
        case .petroleum: ["w22001"]
        case .las: ["w19002"]
        case .sulfide: ["w21019"]
        case .fecalColiform: ["w02003"]
        case .sulfate: ["w21038"]
        case .chloride: ["w21022"]
        case .nitrate: ["w21007"]
        case .iron: ["w20125"]
        case .manganese: ["w20124"]
        }
    }

    /// The item a column name denotes (name or HJ 212 code, case-insensitive), or `nil`.
    /// - Parameter column: the column header.
    public init?(column: String) {
        let name = column.lowercased()
        if let item = WaterItem(rawValue: name) {
            self = item
        } else if let item = WaterItem.allCases.first(where: { $0.hj212Codes.contains(name) }) {
            self = item
        } else {
            return nil
        }
    }

    /// The 21 items the class of a section is evaluated on: 表1 without 水温, 总氮 and 粪大肠菌群
    /// (地表水环境质量评价办法（试行）, 环办〔2011〕22号, 一(一)1).
    public static let evaluated: [WaterItem] = [
        .ph, .dissolvedOxygen, .codmn, .cod, .bod5, .nh3n, .tp, .cu, .zn, .fluoride, .se, .arsenic, .hg, .cd, .cr6,
        .pb, .cyanide, .phenol, .petroleum, .las, .sulfide,
    ]

    /// The supplementary items of 表2 (集中式生活饮用水地表水源地补充项目).
    public static let supplementary: [WaterItem] = [.sulfate, .chloride, .nitrate, .iron, .manganese]

    /// The upper limits of classes I–V of GB 3838-2002 表1 (mg/L; faecal coliforms 个/L), as decimal text; `nil`
    /// for pH, DO, water temperature and the 表2 items.
    /// - Parameter waterType: rivers or lakes/reservoirs (TP has a lake/reservoir column).
    public func upperLimits(_ waterType: WaterType) -> [ScaledDecimal]? {
        let text: [String]
        switch self {
        case .codmn: text = ["2", "4", "6", "10", "15"]
        case .cod: text = ["15", "15", "20", "30", "40"]
        case .bod5: text = ["3", "3", "4", "6", "10"]
        case .nh3n: text = ["0.15", "0.5", "1.0", "1.5", "2.0"]
        case .tp: text = waterType == .river ? ["0.02", "0.1", "0.2", "0.3", "0.4"] : ["0.01", "0.025", "0.05", "0.1", "0.2"]
        case .tn: text = ["0.2", "0.5", "1.0", "1.5", "2.0"]
        case .cu: text = ["0.01", "1.0", "1.0", "1.0", "1.0"]
        case .zn: text = ["0.05", "1.0", "1.0", "2.0", "2.0"]
        case .fluoride: text = ["1.0", "1.0", "1.0", "1.5", "1.5"]
        case .se: text = ["0.01", "0.01", "0.01", "0.02", "0.02"]
        case .arsenic: text = ["0.05", "0.05", "0.05", "0.1", "0.1"]
        case .hg: text = ["0.00005", "0.00005", "0.0001", "0.001", "0.001"]
        case .cd: text = ["0.001", "0.005", "0.005", "0.005", "0.01"]
        case .cr6: text = ["0.01", "0.05", "0.05", "0.05", "0.1"]
        case .pb: text = ["0.01", "0.01", "0.05", "0.05", "0.1"]
        case .cyanide: text = ["0.005", "0.05", "0.2", "0.2", "0.2"]
        case .phenol: text = ["0.002", "0.002", "0.005", "0.01", "0.1"]
        case .petroleum: text = ["0.05", "0.05", "0.05", "0.5", "1.0"]
        case .las: text = ["0.2", "0.2", "0.2", "0.3", "0.3"]
        case .sulfide: text = ["0.05", "0.1", "0.2", "0.5", "1.0"]
        case .fecalColiform: text = ["200", "2000", "10000", "20000", "40000"]
        default: return nil
        }
        return text.map { ScaledDecimal.parse(Substring($0))! }
    }

    /// The lower bounds of DO for classes I–V (GB 3838-2002 表1: ≥ 7.5 (or 90 % saturation), 6, 5, 3, 2).
    public static let dissolvedOxygenBounds: [ScaledDecimal] = ["7.5", "6", "5", "3", "2"].map { ScaledDecimal.parse(Substring($0))! }

    /// The limits of the supplementary items (GB 3838-2002 表2): sulfate 250, chloride 250, nitrate (as N) 10,
    /// iron 0.3, manganese 0.1 mg/L; `nil` for other items.
    public var supplementaryLimit: ScaledDecimal? {
        switch self {
        case .sulfate, .chloride: ScaledDecimal(250)
        case .nitrate: ScaledDecimal(10)
        case .iron: ScaledDecimal(units: 3, decimals: 1)
        case .manganese: ScaledDecimal(units: 1, decimals: 1)
        default: nil
        }
    }
}

/// Rivers or lakes and reservoirs (GB 3838-2002 表1: TP has a column for lakes and reservoirs).
public enum WaterType: String, Sendable, CaseIterable, Codable {
    /// 河流.
    case river
    /// 湖、库.
    case lake
}
