import Foundation
import Standards

/// Air stations: hourly data of the six pollutants (HJ 663 / GB 3095 units: µg/m³, CO mg/m³).
extension DemoObservations {
    /// A regional episode: consecutive days on which every station's daily PM2.5 is set by the episode (µg/m³ at a
    /// county-town station, scaled by the station's level) or its O3 afternoon peak is multiplied.
    struct AirEpisode {
        var firstDay: Int
        var levels: [Double]
        var ozone: Bool

        func level(day: Int) -> Double? {
            let index = day - firstDay
            return index >= 0 && index < levels.count ? levels[index] : nil
        }
    }

    /// The regional episodes of a year: a winter haze in January (its peak day over AQI 150 at the county town),
    /// Spring Festival fireworks in February, hazes in November and December, and a summer ozone episode.
    func airEpisodes(year: Int) -> [AirEpisode] {
        var r = random("air-episodes", site: nil, year)
        func day(_ month: Int, _ first: Int, _ last: Int) -> Int {
            CivilDate(year: year, month: month, day: r.integer(first...last))!.dayNumber
        }
        return [
            AirEpisode(firstDay: day(1, 6, 24), levels: [72, 105, 140, 85], ozone: false),
            AirEpisode(firstDay: day(2, 1, 18), levels: [100, 80], ozone: false),
            AirEpisode(firstDay: day(11, 10, 25), levels: [75, 92], ozone: false),
            AirEpisode(firstDay: day(12, 8, 24), levels: [75, 95, 85], ozone: false),
            AirEpisode(firstDay: day(7, 10, 31), levels: [1.9, 2.05], ozone: true),
        ]
    }

    /// The station whose analysers are out for three days in a year, and the first day.
    func airOutage(year: Int) -> (site: String, firstDay: Int)? {
        let stations = sites(.air)
        guard !stations.isEmpty else { return nil }
        var r = random("air-outage", site: nil, year)
        let station = stations[r.integer(0...(stations.count - 1))].code
        return (station, CivilDate(year: year, month: r.integer(4...10), day: r.integer(1...25))!.dayNumber)
    }

    /// The planned irregularities of one station in a year: days of monthly maintenance, fault runs, the sentinel hour
    /// and the zero-drift hour (hours since the start of the year's first day).
    struct AirIrregularities {
        var maintenanceDays: Set<Int> = []
        var faults: [(pollutant: AirPollutant, firstHour: Int, hours: Int)] = []
        var sentinelHour = 0
        var driftHour = 0
    }

    func airIrregularities(_ site: Site, year: Int) -> AirIrregularities {
        var r = random("air-irregular", site: site, year)
        var result = AirIrregularities()
        for month in 1...12 {
            result.maintenanceDays.insert(CivilDate(year: year, month: month, day: r.integer(3...26))!.dayNumber)
        }
        let first = CivilDate(year: year, month: 1, day: 1)!.dayNumber * 24
        for _ in 0..<3 {
            let pollutant = AirPollutant.allCases[r.integer(0...5)]
            result.faults.append((pollutant, first + r.integer(0...(360 * 24)), r.integer(4...8)))
        }
        result.sentinelHour = first + r.integer(0...(360 * 24))
        result.driftHour = first + r.integer(0...(360 * 24))
        return result
    }

    /// Relative diurnal shape of PM and CO (morning and evening peaks, afternoon mixing), mean 0.
    static let particleShape: [Double] = centred([0.10, 0.05, 0.0, -0.05, -0.08, -0.05, 0.02, 0.12, 0.20, 0.18, 0.08, -0.05,
                                                  -0.15, -0.22, -0.25, -0.22, -0.15, -0.05, 0.08, 0.18, 0.22, 0.20, 0.15, 0.12])
    /// Relative diurnal shape of NO2 (traffic peaks at 8 and 19 h, photochemical dip at noon), mean 0.
    static let nitrogenShape: [Double] = centred([0.05, 0.0, -0.05, -0.08, -0.08, 0.0, 0.15, 0.35, 0.40, 0.25, 0.05, -0.10,
                                                  -0.20, -0.25, -0.25, -0.20, -0.10, 0.05, 0.25, 0.35, 0.30, 0.20, 0.12, 0.08])

    static func centred(_ values: [Double]) -> [Double] {
        let mean = values.reduce(0, +) / Double(values.count)
        return values.map { $0 - mean }
    }

    func air(_ site: Site, _ day: DemoDay, into batch: inout DemoBatch) {
        let d = day.dayNumber
        let year = day.date.year
        if let outage = airOutage(year: year), outage.site == site.code, (outage.firstDay..<outage.firstDay + 3).contains(d) { return }
        var r = random("air-day", site: site, d)
        // A few whole days lost (logger or power failure), about 1.5 a year.
        if r.chance(0.004) { return }

        let background = site.areaClass == 1
        let scale = background ? 0.55 : 0.88 + 0.12 * trait("air-scale", site: site)
        let sulphur = background ? 0.6 : 0.9 + 0.6 * trait("air-so2", site: site)

        // Daily levels: seasonal base × regional weather (smooth over days) × local noise × episodes.
        let regional = 0.85 * smooth("air-region", site: nil, day: d) + 0.35 * DemoRandom.normal(seed: seed, keys: [DemoRandom.hash("air-region-day"), UInt64(bitPattern: Int64(d))])
        let z = regional + 0.3 * r.normal()
        let sigma = 0.4
        var episodePM: Double?, episodeO3 = 1.0
        for episode in airEpisodes(year: year) {
            if let level = episode.level(day: d) {
                if episode.ozone { episodeO3 = level } else { episodePM = level }
            }
        }
        let usual = (12 + 32 * day.winter) * scale * exp(sigma * z - sigma * sigma / 2)
        let pm25Day = episodePM.map { max(usual, $0 * scale / 0.94 * exp(0.08 * z)) } ?? usual
        let dust = (3...5).contains(day.date.month) ? 0.3 : 0.0
        let no2Day = (background ? 5.0 : 16.0) * (0.8 + 0.45 * day.winter) * exp(0.22 * (0.6 * z + 0.8 * r.normal()))
        let so2Day = 6.5 * sulphur * (0.8 + 0.5 * day.winter) * exp(0.25 * (0.5 * z + 0.85 * r.normal()))
        let coDay = (background ? 0.35 : 0.55) * (0.8 + 0.5 * day.winter) * exp(0.15 * z) * (1 + 0.4 * max(0, pm25Day / usual - 1))
        let ozoneSeason = day.season(peak: 180)
        let o3Night = (background ? 40.0 : 25.0) + 10 * ozoneSeason
        let o3Amplitude = (45 + 60 * ozoneSeason) * exp(0.18 * smooth("air-o3", site: nil, day: d, period: 3))
            * episodeO3

        let irregular = airIrregularities(site, year: year)
        let maintenance = irregular.maintenanceDays.contains(d)
        let calibrationWeekday = Int(trait("air-calibration", site: site) * 7)

        for hour in 0..<24 {
            // Missing hours: the whole record (about 1 %).
            if r.chance(0.012) { continue }
            let localHour = d * 24 + hour
            var values: [AirPollutant: Double] = [:]
            let pm25 = pm25Day * (1 + 0.25 * DemoObservations.particleShape[hour]) * exp(0.12 * r.normal())
            values[.pm25] = pm25
            values[.pm10] = pm25 * (1.5 + dust + 0.12 * r.normal())
            values[.no2] = no2Day * (1 + 0.35 * DemoObservations.nitrogenShape[hour]) * exp(0.15 * r.normal())
            values[.so2] = so2Day * exp(0.15 * r.normal())
            values[.co] = coDay * (1 + 0.2 * DemoObservations.particleShape[hour]) * exp(0.1 * r.normal())
            let dawn = hour >= 3 && hour <= 7 ? 0.75 : 1.0
            let bell = exp(-pow((Double(hour) - 14.5) / 3.3, 2))
            values[.o3] = (o3Night * dawn + o3Amplitude * bell) * exp(0.1 * r.normal())

            for pollutant in AirPollutant.allCases {
                guard var value = values[pollutant] else { continue }
                // A single analyser's hour lost now and then.
                if r.chance(0.004) { continue }
                var flag = "N"
                if maintenance && (9...11).contains(hour) {
                    flag = "M"
                    value *= r.uniform(0.3...1.6)
                } else if day.weekday == calibrationWeekday && hour == 3 && pollutant.isGas {
                    // Weekly span check: the analyser reads the span gas, flagged C.
                    flag = "C"
                    value = pollutant == .co ? r.uniform(7.5...8.5) : r.uniform(380...420)
                }
                for fault in irregular.faults where fault.pollutant == pollutant
                    && (fault.firstHour..<fault.firstHour + fault.hours).contains(localHour) {
                    flag = "D"
                    value = pollutant == .co ? 9.999 : 999
                }
                if localHour == irregular.sentinelHour && pollutant == .pm25 {
                    flag = "D"
                    value = -99
                }
                if localHour == irregular.driftHour && pollutant == .so2 {
                    value = -1
                }
                let code = MonitoringCodes.air[pollutant]!
                batch.add(code, day: d, hour: hour, value: value, decimals: pollutant == .co ? 3 : 1, flag: flag)
            }
        }
    }
}

extension AirPollutant {
    /// Gases measured by analysers that are span-checked (SO2, NO2, CO, O3).
    var isGas: Bool { self == .so2 || self == .no2 || self == .co || self == .o3 }
}
