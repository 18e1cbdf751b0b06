import Domain
import Foundation
import Standards
import Store

/// Builds what the rule evaluator sees of a site in one hour step from the stored values: hourly values (kind `hour`)
/// by field, the latest real-time values of the hour, the flags, the site's limits, the hourly AQI of air stations
/// (HJ 633 real-time report) and the GB 3838 class of water sections and sources. Values reviewed invalid are left out.
enum AlarmSnapshots {
    /// One hour in seconds.
    static let hour: TimeInterval = 3600

    /// The start of the hour (UTC hours coincide with China-time hours: the offset is whole hours).
    static func hourStart(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / hour).rounded(.down) * hour)
    }

    /// The snapshot of `site` for the hour starting at `start`.
    /// - Parameters:
    ///   - site: the site, for its limits, kind and target class.
    ///   - start: the start of the hour.
    ///   - values: the site's stored values of that hour (other hours are ignored).
    static func snapshot(site: Site, hour start: Date, values: [AlarmInputValue]) -> AlarmSnapshot {
        var snapshot = AlarmSnapshot(time: start)
        for pollutant in site.pollutants ?? [] {
            if let limit = pollutant.limit { snapshot.limits[pollutant.code] = limit }
        }
        let end = start.addingTimeInterval(hour)
        let usable = values.filter { $0.review != .invalid && $0.time >= start && $0.time < end }
        var hourlyFlags: [String: String] = [:]
        var realtimeFlags: [String: String] = [:]
        for value in usable.filter({ $0.kind == .realtime }).sorted(by: { $0.time < $1.time }) {
            if let number = value.value, number.isFinite { snapshot.values[value.code, default: [:]][value.field] = number }
            if let flag = value.flag { realtimeFlags[value.code] = flag }
        }
        var averages: [String: AlarmInputValue] = [:]
        for value in usable where value.kind == .hour && value.time == start {
            if let number = value.value, number.isFinite { snapshot.values[value.code, default: [:]][value.field] = number }
            if let flag = value.flag, value.field == MonitoringCodes.averageField || hourlyFlags[value.code] == nil {
                hourlyFlags[value.code] = flag
            }
            if value.field == MonitoringCodes.averageField, value.value?.isFinite == true { averages[value.code] = value }
        }
        snapshot.flags = realtimeFlags.merging(hourlyFlags) { _, hourly in hourly }
        switch site.kind {
        case .air:
            snapshot.aqi = aqi(averages, at: start)
        case .water, .drinkingWater:
            var items: [WaterItem: ScaledDecimal] = [:]
            for (code, value) in averages {
                guard let item = MonitoringCodes.waterItem(code: code), let number = decimal(value) else { continue }
                items[item] = number
            }
            if !items.isEmpty {
                let evaluation = WaterQuality.evaluate(items, waterType: site.waterType == "lake" ? .lake : .river,
                                                       targetClass: site.targetClass.map { WaterClass($0) })
                snapshot.waterClass = evaluation.waterClass?.value
            }
            snapshot.targetClass = site.targetClass
        default:
            break
        }
        return snapshot
    }

    /// The hourly AQI (HJ 633 real-time report, the rule set in force on the hour's China-time date; under the 2012 rules
    /// PM10 and PM2.5 are judged on their 1-hour values, as only the hour is at hand). Negative values are left out.
    static func aqi(_ averages: [String: AlarmInputValue], at start: Date) -> Int? {
        var input = RealTimeConcentrations()
        var any = false
        for (code, value) in averages {
            guard let pollutant = MonitoringCodes.airPollutant(code: code), let number = decimal(value), number >= ScaledDecimal(0) else { continue }
            let exact = number.exact
            any = true
            switch pollutant {
            case .so2: input.so2 = exact
            case .no2: input.no2 = exact
            case .co: input.co = exact
            case .o3: input.o3 = exact
            case .pm10: input.pm10 = exact
            case .pm25: input.pm25 = exact
            }
        }
        guard any else { return nil }
        let c = LocalTime.components(start)
        let ruleSet = CivilDate(year: c.year, month: c.month, day: c.day).map { AirRuleSet.inForce(on: $0) } ?? .v2026
        return AirQualityIndex.realTime(input, ruleSet: ruleSet, pmHourly: .hourly1h).aqi
    }

    private static func decimal(_ value: AlarmInputValue) -> ScaledDecimal? {
        ScaledDecimal.parse(Substring(value.valueText)) ?? value.value.flatMap { ScaledDecimal.parse(Substring(String($0))) }
    }
}

extension AlarmCondition {
    /// Whether the snapshot has any of the data the condition reads. An hour for which nothing the rule reads has arrived
    /// yet (only real-time values, the hourly value still to come) is not judged.
    func hasData(in snapshot: AlarmSnapshot) -> Bool {
        switch self {
        case .threshold(let code, let field, _, _), .overLimit(let code, let field):
            return snapshot.values[code]?[field] != nil
        case .flagIn(let code, _):
            return snapshot.flags[code] != nil
        case .worseThanTargetClass:
            return snapshot.waterClass != nil
        case .aqiAbove:
            return snapshot.aqi != nil
        case .all(let conditions), .any(let conditions):
            return conditions.contains { $0.hasData(in: snapshot) }
        }
    }
}
