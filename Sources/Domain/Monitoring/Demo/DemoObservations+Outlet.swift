import Foundation
import Standards

/// Outlets: hourly concentrations (`Avg`) and amounts (`Cou`) of the permitted pollutants and the flow.
///
/// Units follow HJ 212-2017 附录B: waste water flow `w00000` in L/s (`Avg`) and m³ (`Cou`), concentrations in mg/L,
/// amounts in kg; flue gas flow `a00000` in m³/s (`Avg`) and m³ (`Cou`), concentrations in mg/m³, amounts in kg.
extension DemoObservations {
    /// HJ 212-2017 code of waste-water flow.
    static let waterFlow = "w00000"
    /// HJ 212-2017 code of flue-gas flow.
    static let gasFlow = "a00000"

    /// Relative hourly inflow of a municipal sewage works (low before dawn, peaks late morning and evening), mean 1.
    static let sewageShape: [Double] = {
        let raw: [Double] = [0.75, 0.65, 0.6, 0.58, 0.6, 0.7, 0.85, 1.0, 1.15, 1.2, 1.22, 1.2, 1.15, 1.1, 1.05, 1.0, 1.0, 1.05,
                             1.15, 1.2, 1.2, 1.1, 0.95, 0.85]
        let mean = raw.reduce(0, +) / Double(raw.count)
        return raw.map { $0 / mean }
    }()

    /// The usual share of the limit of a pollutant's concentration in treated effluent or flue gas.
    static func usualShare(_ code: String) -> Double {
        switch code {
        case "w01018": 0.42   // COD
        case "w21003": 0.18   // NH3-N
        case "w21011": 0.5    // TP
        case "w21001": 0.62   // TN
        case "a21026": 0.4    // SO2
        case "a21002": 0.5    // NOx
        case "a34013": 0.35   // particulate matter
        case "a24088": 0.3    // NMHC
        default: 0.45
        }
    }

    /// The year's over-limit hours: three consecutive hours of one pollutant at one outlet (enough for the alarm
    /// rule "over the limit for 3 hours"), and one single hour at each outlet.
    struct OutletExceedances {
        var hours: [String: [(code: String, hour: Int)]] = [:]

        func code(site: String, hour: Int) -> String? {
            hours[site]?.first { $0.hour == hour }?.code
        }
    }

    func outletExceedances(year: Int) -> OutletExceedances {
        let outlets = sites(.outlet).filter { !($0.pollutants ?? []).filter { $0.limit != nil }.isEmpty }
        var result = OutletExceedances()
        guard !outlets.isEmpty else { return result }
        var r = random("outlet-exceed", site: nil, year)
        let first = CivilDate(year: year, month: 1, day: 1)!.dayNumber * 24
        let chosen = outlets[r.integer(0...(outlets.count - 1))]
        let limited = (chosen.pollutants ?? []).filter { $0.limit != nil }
        let code = limited[r.integer(0...(limited.count - 1))].code
        let start = first + r.integer(60...300) * 24 + r.integer(1...20)
        result.hours[chosen.code, default: []] += (0..<3).map { (code, start + $0) }
        for outlet in outlets {
            let limited = (outlet.pollutants ?? []).filter { $0.limit != nil }
            let hour = first + r.integer(60...350) * 24 + r.integer(0...23)
            result.hours[outlet.code, default: []].append((limited[r.integer(0...(limited.count - 1))].code, hour))
        }
        return result
    }

    /// The days a gas outlet's plant stands still over the Spring Festival (seven days from late January to mid
    /// February): its records are flagged F (停运).
    func shutdown(_ site: Site, year: Int) -> ClosedRange<Int>? {
        guard site.medium == "gas" else { return nil }
        var r = random("outlet-shutdown", site: site, year)
        let first = CivilDate(year: year, month: 1, day: 22)!.dayNumber + r.integer(0...20)
        return first...(first + 6)
    }

    func outlet(_ site: Site, _ day: DemoDay, into batch: inout DemoBatch) {
        let gas = site.medium == "gas"
        let pollutants = site.pollutants ?? []
        let d = day.dayNumber
        var r = random("outlet-day", site: site, d)
        let stopped = shutdown(site, year: day.date.year)?.contains(d) ?? false
        let exceedances = outletExceedances(year: day.date.year)
        let size = 0.45 + 0.95 * trait("outlet-size", site: site)
        // Daily flow: sewage works 15 000 m³/d × size, more in the rainy season; stacks 60 000 m³/h × size.
        let wet = 1 + 0.25 * day.season(peak: 200) + 0.08 * smooth("outlet-rain", site: nil, day: d, period: 3)
        let maintenance = day.date.day == 5 + Int(trait("outlet-maint", site: site) * 20)
        let calibrationWeekday = Int(trait("outlet-cal", site: site) * 7)
        for hour in 0..<24 {
            let localHour = d * 24 + hour
            let over = exceedances.hours[site.code]?.contains { $0.hour == localHour } ?? false
            // About one hour in a hundred lost; never a planned over-limit hour.
            if r.chance(0.008) && !over { continue }
            let flow: Double   // m³ in the hour
            if stopped {
                flow = 0
            } else if gas {
                flow = 60_000 * size * (0.95 + 0.05 * r.normal())
            } else {
                flow = 15_000 * size / 24 * wet * DemoObservations.sewageShape[hour] * exp(0.05 * r.normal())
            }
            let hourFlag = stopped ? "F" : maintenance && (10...11).contains(hour) && !over ? "M" : "N"
            let flowCode = gas ? DemoObservations.gasFlow : DemoObservations.waterFlow
            batch.add(flowCode, day: d, hour: hour, value: gas ? flow / 3600 : flow / 3.6, decimals: 2, flag: hourFlag)
            batch.add(flowCode, field: MonitoringCodes.cumulativeField, day: d, hour: hour, value: flow, decimals: 1, flag: hourFlag)
            for pollutant in pollutants {
                let limit = pollutant.limit ?? 100
                var concentration: Double
                var flag = hourFlag
                if stopped {
                    concentration = limit * 0.01 * r.uniform(0.5...1.5)
                } else if exceedances.code(site: site.code, hour: localHour) == pollutant.code {
                    concentration = limit * r.uniform(1.08...1.3)
                } else {
                    let dilution = gas ? 1 : 1 - 0.15 * day.season(peak: 200)
                    concentration = limit * DemoObservations.usualShare(pollutant.code) * dilution * exp(0.1 * r.normal())
                    if flag == "N" && day.weekday == calibrationWeekday && hour == 2 {
                        // Weekly check with a standard solution or span gas, flagged C.
                        flag = "C"
                        concentration = limit * r.uniform(0.75...0.85)
                    }
                }
                let amount = stopped ? 0 : concentration * flow / (gas ? 1_000_000 : 1000)
                batch.add(pollutant.code, day: d, hour: hour, value: concentration, decimals: DemoBatch.decimals(for: concentration), flag: flag)
                batch.add(pollutant.code, field: MonitoringCodes.cumulativeField, day: d, hour: hour, value: amount, decimals: 3, flag: flag)
            }
        }
    }
}
