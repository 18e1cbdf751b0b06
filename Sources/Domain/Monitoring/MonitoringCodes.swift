public import Standards

/// The HJ 212-2017 factor codes the assessments read (HJ 212-2017 附录B; HJ 524 for air, HJ 525 for water), and how
/// stored values of each site kind are laid out:
///
/// - air stations: hourly data (CN 2061, kind `hour`), field `Avg`; CO in mg/m³, the others in µg/m³;
/// - surface-water sections and drinking-water sources: hourly or daily data or manual samples (kind `hour` or
///   `day`), field `Avg`;
/// - noise points: hourly equivalent level `Leq`, field `Avg`, dB(A);
/// - outlets: hourly or daily data, field `Avg` for concentrations and `Cou` for the amount emitted in the interval
///   (kg; m³ for flow).
public enum MonitoringCodes {
    /// The statistic assessments read: the interval average.
    public static let averageField = "Avg"
    /// The statistic of the amount emitted in an interval.
    public static let cumulativeField = "Cou"
    /// The noise factor of hourly equivalent levels.
    public static let noiseLevel = "Leq"

    /// HJ 212 code of each ambient-air pollutant (HJ 524-2009 numbering).
    public static let air: [AirPollutant: String] = [
        .so2: "a21026", .no2: "a21004", .co: "a21005", .o3: "a05024", .pm10: "a34002", .pm25: "a34004",
    ]

    /// The ambient-air pollutant an HJ 212 code stands for (`O3` and `a21030`, sent by some station products for O3,
    /// are accepted too).
    public static func airPollutant(code: String) -> AirPollutant? {
        switch code {
        case "a21026": .so2
        case "a21004": .no2
        case "a21005": .co
        case "a05024", "O3", "a21030": .o3
        case "a34002": .pm10
        case "a34004": .pm25
        default: nil
        }
    }

    /// HJ 212 code of each GB 3838 item (HJ 525-2009 numbering).
    public static let water: [WaterItem: String] = [
        .temperature: "w01010", .ph: "w01001", .dissolvedOxygen: "w01009", .codmn: "w01019", .cod: "w01018",
        .bod5: "w01017", .nh3n: "w21003", .tp: "w21011", .tn: "w21001", .cu: "w20122", .zn: "w20123",
        .fluoride: "w21017", .se: "w20128", .arsenic: "w20119", .hg: "w20111", .cd: "w20115", .cr6: "w20117",
        .pb: "w20120", .cyanide: "w21016", .phenol: "w23002", .petroleum: "w22001", .las: "w19002",
        .sulfide: "w21019", .fecalColiform: "w02003", .sulfate: "w21038", .chloride: "w21022", .nitrate: "w21007",
        .iron: "w20125", .manganese: "w20124",
    ]

    private static let waterByCode: [String: WaterItem] = Dictionary(uniqueKeysWithValues: water.map { ($0.value, $0.key) })

    /// The GB 3838 item an HJ 212 code stands for.
    public static func waterItem(code: String) -> WaterItem? { waterByCode[code] }

    /// The plan's total-emission pollutants (规划 专栏2 indicators 13-16: COD, 氨氮, SO2, NOx, VOCs) with their HJ 212
    /// codes; VOCs are reported as non-methane hydrocarbons (a24088) by the county's monitors.
    public static let planEmissions: [(code: String, name: String)] = [
        ("w01018", "化学需氧量"), ("w21003", "氨氮"), ("a21026", "二氧化硫"), ("a21002", "氮氧化物"), ("a24088", "挥发性有机物（以非甲烷总烃计）"),
    ]
}
