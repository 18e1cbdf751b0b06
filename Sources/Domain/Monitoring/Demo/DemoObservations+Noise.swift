import Foundation
import Standards

/// Noise points: hourly equivalent levels Leq, dB(A), by acoustic functional zone (GB 3096-2008 表1).
extension DemoObservations {
    /// Offsets of each hour from the period's typical level (day 06-22 h: rush hours louder; night 22-06 h: quietest
    /// before dawn), dB.
    static let noiseShape: [Double] = [
        0.0, -1.0, -2.0, -2.5, -2.0, 0.5,                                   // 0-5 h (night)
        -2.0, 0.5, 1.5, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.5, 0.5, 0.0, -0.5,   // 6-21 h (day)
        2.0, 1.0,                                                           // 22-23 h (night)
    ]

    /// The nights (by the day number of their evening) on which a 4a point is loud: heavy lorries, road works.
    func loudNights(_ site: Site, year: Int) -> Set<Int> {
        guard site.zone == "4a" || site.zone == "4b" else { return [] }
        var r = random("noise-loud", site: site, year)
        let first = CivilDate(year: year, month: 1, day: 1)!.dayNumber
        return Set((0..<5).map { _ in first + r.integer(0...360) })
    }

    func noise(_ site: Site, _ day: DemoDay, into batch: inout DemoBatch) {
        let zone = NoiseZone(text: site.zone ?? "2") ?? .zone2
        let traffic = zone == .zone4a || zone == .zone4b
        let dayLevel = Double(zone.dayLimit) - (traffic ? 3.5 : 5.0)
        let nightLevel = Double(zone.nightLimit) - (traffic ? 3.0 : 4.5)
        let offset = 1.0 * smooth("noise", site: site, day: day.dayNumber, period: 3)
        let weekend = day.weekday >= 5 ? -0.8 : 0.0
        var r = random("noise-day", site: site, day.dayNumber)
        let loud = loudNights(site, year: day.date.year)
        let previousLoud = loudNights(site, year: CivilDate(dayNumber: day.dayNumber - 1).year)
        let calibrationDay = day.date.day == 1 + Int(trait("noise-cal", site: site) * 27)
        for hour in 0..<24 {
            if r.chance(0.015) { continue }
            let night = hour < 6 || hour >= 22
            var level = (night ? nightLevel : dayLevel + weekend) + offset + DemoObservations.noiseShape[hour] + 1.2 * r.normal()
            // A loud night runs from 22 h to 6 h the next morning.
            if (hour >= 22 && loud.contains(day.dayNumber)) || (hour < 6 && previousLoud.contains(day.dayNumber - 1)) {
                level += 5.5
            }
            let flag = calibrationDay && hour == 10 ? "C" : "N"
            batch.add(MonitoringCodes.noiseLevel, day: day.dayNumber, hour: hour, value: flag == "C" ? 94.0 : level, decimals: 1, flag: flag)
        }
    }
}
