/// The six basic pollutants of GB 3095 表1 that the AQI and the evaluation cover.
public enum AirPollutant: String, Sendable, CaseIterable, Codable, Comparable {
    /// Sulphur dioxide, µg/m³.
    case so2
    /// Nitrogen dioxide, µg/m³.
    case no2
    /// Carbon monoxide, mg/m³.
    case co
    /// Ozone, µg/m³.
    case o3
    /// Particulate matter ≤ 10 µm, µg/m³.
    case pm10
    /// Particulate matter ≤ 2.5 µm, µg/m³.
    case pm25

    /// The name used in reports: `SO2`, `NO2`, `CO`, `O3`, `PM10`, `PM2.5`.
    public var displayName: String {
        switch self {
        case .so2: "SO2"
        case .no2: "NO2"
        case .co: "CO"
        case .o3: "O3"
        case .pm10: "PM10"
        case .pm25: "PM2.5"
        }
    }

    /// Decimals of a reported concentration: µg/m³ items as integers, CO to 0.1 mg/m³ (HJ 633-2026 §4.2.2;
    /// national bulletin practice under the 2012 rules).
    public var reportDecimals: Int { self == .co ? 1 : 0 }

    /// The unit of concentrations.
    public var unit: String { self == .co ? "mg/m³" : "µg/m³" }

    /// The canonical order SO2, NO2, CO, O3, PM10, PM2.5 (used to list primary pollutants).
    public static func < (lhs: AirPollutant, rhs: AirPollutant) -> Bool { lhs.order < rhs.order }

    /// The position in the canonical order.
    var order: Int {
        switch self {
        case .so2: 0
        case .no2: 1
        case .co: 2
        case .o3: 3
        case .pm10: 4
        case .pm25: 5
        }
    }
}
