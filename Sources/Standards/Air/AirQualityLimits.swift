/// The averaging times of GB 3095 表1.
public enum AveragingTime: String, Sendable, CaseIterable, Codable {
    /// 年平均.
    case annual
    /// 24 小时平均 / 日平均.
    case daily
    /// 日最大 8 小时平均 (O3).
    case maximumDaily8h = "8h"
    /// 1 小时平均.
    case hourly = "1h"
}

/// The concentration limits of GB 3095 表1 (µg/m³; CO mg/m³).
public enum AirQualityLimits {
    /// The limit of a pollutant, or `nil` when the standard sets none for that averaging time.
    ///
    /// - GB 3095-2012 表1 (2018 amendment: gases at the reference state 298.15 K / 1013.25 hPa, particulate matter
    ///   at actual conditions).
    /// - GB 3095-2026 表1: transitional limits (2026-03-01 … 2030-12-31) restate 2012 except PM10 class 2 60/120 and
    ///   PM2.5 class 2 30/60; final limits (from 2031-01-01) tighten SO2 class 2 to 20/50/150, NO2 to 30/50/200,
    ///   PM10 to 20/50 (class 1) and 50/100 (class 2), PM2.5 to 10/25 and 25/50.
    /// - Parameters:
    ///   - pollutant: the pollutant.
    ///   - averaging: the averaging time.
    ///   - areaClass: the area class.
    ///   - phase: the edition and phase.
    /// - Returns: the limit.
    public static func limit(_ pollutant: AirPollutant, _ averaging: AveragingTime, areaClass: AreaClass,
                             phase: LimitPhase) -> Int? {
        let one = areaClass == .one
        let final = phase == .gb3095_2026Final
        switch (pollutant, averaging) {
        case (.so2, .annual): return one || final ? 20 : 60
        case (.so2, .daily): return one || final ? 50 : 150
        case (.so2, .hourly): return one || final ? 150 : 500
        case (.no2, .annual): return final ? 30 : 40
        case (.no2, .daily): return final ? 50 : 80
        case (.no2, .hourly): return 200
        case (.co, .daily): return 4
        case (.co, .hourly): return 10
        case (.o3, .maximumDaily8h): return one ? 100 : 160
        case (.o3, .hourly): return one ? 160 : 200
        case (.pm10, .annual):
            switch phase {
            case .gb3095_2012: return one ? 40 : 70
            case .gb3095_2026Transitional: return one ? 40 : 60
            case .gb3095_2026Final: return one ? 20 : 50
            }
        case (.pm10, .daily):
            switch phase {
            case .gb3095_2012: return one ? 50 : 150
            case .gb3095_2026Transitional: return one ? 50 : 120
            case .gb3095_2026Final: return one ? 50 : 100
            }
        case (.pm25, .annual):
            switch phase {
            case .gb3095_2012: return one ? 15 : 35
            case .gb3095_2026Transitional: return one ? 15 : 30
            case .gb3095_2026Final: return one ? 10 : 25
            }
        case (.pm25, .daily):
            switch phase {
            case .gb3095_2012: return one ? 35 : 75
            case .gb3095_2026Transitional: return one ? 35 : 60
            case .gb3095_2026Final: return one ? 25 : 50
            }
        default: return nil
        }
    }
}
