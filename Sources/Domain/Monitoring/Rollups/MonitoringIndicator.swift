import Foundation
public import Standards

/// A plan indicator the platform computes from validated monitoring data (规划 专栏2, indicators 8-12 of the Wuxi
/// plan). Plans are data: an indicator is recognised by its name, the wording every county's plan uses for these
/// national indicators.
public enum MonitoringIndicator: String, Codable, Sendable, CaseIterable {
    /// 环境空气质量优良天数 (days): days with AQI ≤ 100 (HJ 633) of the county's assessment stations.
    case goodDays = "air.good_days"
    /// 细颗粒物（PM2.5）年平均浓度 (µg/m³): the annual mean of the daily values (HJ 663 §5.3).
    case pm25AnnualMean = "air.pm25_annual_mean"
    /// 地表水水质优良（达到或好于Ⅲ类）比例 (%): sections whose annual class is Ⅲ or better (GB 3838, 《地表水环境质量评价办法》).
    case waterClassIIIShare = "water.class_iii_share"
    /// 城市集中式饮用水水源地水质达标率 (%): compliant monthly evaluations of the city sources (GB 3838 §4.2).
    case cityDrinkingWater = "drinking_water.city"
    /// 乡镇集中式饮用水水源地水质达标率 (%): the same for township sources.
    case townshipDrinkingWater = "drinking_water.township"

    /// Recognises an indicator by its name, or returns `nil`.
    /// - Parameter name: the indicator's name as the plan prints it.
    public init?(name: String) {
        let n = name.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "．", with: ".")
            .replacingOccurrences(of: "２．５", with: "2.5")
        if n.contains("优良天数") {
            self = .goodDays
        } else if n.contains("PM2.5") || n.contains("细颗粒物"), n.contains("浓度") {
            self = .pm25AnnualMean
        } else if n.contains("地表水"), n.contains("比例") || n.contains("占比") {
            self = .waterClassIIIShare
        } else if n.contains("饮用水"), n.contains("乡镇") || n.contains("农村") {
            self = .townshipDrinkingWater
        } else if n.contains("饮用水"), n.contains("城市") || n.contains("县城") {
            self = .cityDrinkingWater
        } else {
            return nil
        }
    }
}

/// The county's (city's) daily air values from its stations' (HJ 663-2013 §5.2.1: 城市 daily concentration = the
/// arithmetic mean of its stations' valid daily concentrations, then the daily AQI).
public enum CountyAirDays {
    /// Combines the stations' daily reports into the county's.
    /// - Parameters:
    ///   - stations: each station's daily reports.
    ///   - standard: the rule-set choice.
    /// - Returns: one report per day any station reported, in date order. A statistic is valid when at least one
    ///   station's is; its count is the number of stations averaged.
    public static func combine(_ stations: [[DailyAirReport]], standard: AirStandardChoice = .auto) -> [DailyAirReport] {
        if stations.count == 1 { return stations[0] }
        var byDay: [CivilDate: [DailyAirStatistics]] = [:]
        for station in stations {
            for report in station { byDay[report.date, default: []].append(report.statistics) }
        }
        return byDay.keys.sorted().map { date in
            let days = byDay[date]!
            func mean(_ pick: (DailyAirStatistics) -> DailyStatistic, decimals: Int) -> DailyStatistic {
                let values = days.compactMap { pick($0).validValue }
                guard !values.isEmpty else { return DailyStatistic(count: 0, value: nil, isValid: false) }
                let sum = values.reduce(ExactNumber.zero) { ($0 + $1.exact).reduced }
                return DailyStatistic(count: values.count, value: (sum / ExactNumber(values.count)).rounded(decimals: decimals), isValid: true)
            }
            let statistics = DailyAirStatistics(
                date: date, so2: mean(\.so2, decimals: 0), no2: mean(\.no2, decimals: 0), co: mean(\.co, decimals: 1),
                pm10: mean(\.pm10, decimals: 0), pm25: mean(\.pm25, decimals: 0), o3MaximumDaily8h: mean(\.o3MaximumDaily8h, decimals: 0),
                o3MaximumDaily1h: mean(\.o3MaximumDaily1h, decimals: 0))
            return DailyAirReport.from(statistics, standard: standard)
        }
    }
}
