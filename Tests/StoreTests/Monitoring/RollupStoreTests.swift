import Domain
import Foundation
import SQLKit
import Standards
import Store
import Testing
import TestSupport

@Suite("Rollups from stored data, on SQLite and PostgreSQL")
struct RollupStoreTests {
    static let station: Site = {
        var site = Site(code: "AIR-T", kind: .air, name: "测试站", township: "柏杨街道", longitude: 109.6, latitude: 31.4)
        site.controlLevel = .city
        site.areaClass = 2
        return site
    }()

    /// A year of real hourly data (Dingling, Beijing, 2015) as observations: hour-start data times in UTC+8.
    static func dinglingObservations() throws -> (AirCSV, [Observation]) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("StandardsTests/Fixtures/Dingling-2015.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        let csv = try AirCSV(text, hourLabel: .start)
        var observations: [Observation] = []
        let codes: [(AirPollutant, String)] = [(.so2, "a21026"), (.no2, "a21004"), (.co, "a21005"), (.o3, "a05024"), (.pm10, "a34002"), (.pm25, "a34004")]
        let lines = text.split(separator: "\n").dropFirst()
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let time = LocalTime.parse(cells[0]) else { continue }
            for (index, (_, code)) in codes.enumerated() where !cells[index + 1].isEmpty {
                observations.append(Observation(siteCode: station.code, mn: "MN-AIR-T", cn: "2061", code: code, field: "Avg",
                                                dataTime: time, value: Double(cells[index + 1]), valueText: cells[index + 1], flag: "N"))
            }
        }
        return (csv, observations)
    }

    @Test("a year of hourly data rolled up in the store gives the same annual figures as the standards engine on the CSV",
          arguments: TestDatabase.available)
    func annualFromStoredData(database: TestDatabase) async throws {
        let (csv, observations) = try Self.dinglingObservations()
        let reference = AirAnnualReport(
            standard: "2012",
            evaluation: AnnualAirEvaluation.evaluate(year: 2015, days: DailyAirReport.compute(csv.series, standard: .auto, areaClass: .two),
                                                     standard: .auto, areaClass: .two))
        try await database.withStore { store async throws in
            try await store.saveSites([Self.station], actor: "test")
            var start = 0
            while start < observations.count {
                let end = min(start + 5_000, observations.count)
                try await store.storeObservations(Array(observations[start..<end]))
                start = end
            }
            #expect(try await store.pendingRollupCount() == 365)
            while try await !store.processPendingRollups(limit: 100).isEmpty {}
            #expect(try await store.pendingRollupCount() == 0)
            let evaluations = try await store.annualAirEvaluations(sites: [Self.station], year: 2015)
            let stored = AirAnnualReport(standard: "2012", evaluation: try #require(evaluations["AIR-T"]))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            #expect(String(decoding: try encoder.encode(stored), as: UTF8.self) == String(decoding: try encoder.encode(reference), as: UTF8.self))
            #expect(stored.evaluation.aqiDays.validDays > 300)
        }
    }

    @Test("a value marked invalid leaves the day's mean, a correction replaces it, and both are audited", arguments: TestDatabase.available)
    func reviewChangesRollups(database: TestDatabase) async throws {
        let day = LocalTime.date(year: 2026, month: 5, day: 1)!
        var observations: [Observation] = []
        for hour in 0..<24 {
            let value = hour == 10 ? 400.0 : 30.0
            observations.append(Observation(siteCode: "AIR-T", mn: "MN-AIR-T", cn: "2061", code: "a34004", field: "Avg",
                                            dataTime: day.addingTimeInterval(Double(hour) * 3600), value: value, flag: "N"))
        }
        // A sentinel and a flagged value never enter the mean.
        observations.append(Observation(siteCode: "AIR-T", mn: "MN-AIR-T", cn: "2061", code: "a21026", field: "Avg",
                                        dataTime: day, value: -99, valueText: "-99", flag: "N"))
        try await database.withStore { store async throws in
            try await store.saveSites([Self.station], actor: "test")
            try await store.storeObservations(observations)
            try await store.processPendingRollups()
            let date = CivilDate(year: 2026, month: 5, day: 1)!
            var days = try await store.airDays(siteCodes: ["AIR-T"], from: date, to: date.next)
            // (23 × 30 + 400) / 24 = 45.4 → 45.
            #expect(days.first?.report.statistics.pm25.value == ScaledDecimal(45))
            #expect(days.first?.report.statistics.so2.count == 0)

            let spike = try #require(try await store.observations(mn: "MN-AIR-T", code: "a34004").first { $0.observation.value == 400 })
            try await store.review(observation: spike.id!, ObservationReview(status: .invalid, reason: "仪器故障"), actor: "reviewer")
            try await store.processPendingRollups()
            days = try await store.airDays(siteCodes: ["AIR-T"], from: date, to: date.next)
            #expect(days.first?.report.statistics.pm25.value == ScaledDecimal(30))
            #expect(days.first?.report.statistics.pm25.count == 23)

            try await store.review(observation: spike.id!, ObservationReview(status: .corrected, value: 54, reason: "按比对监测修正"), actor: "reviewer")
            try await store.processPendingRollups()
            days = try await store.airDays(siteCodes: ["AIR-T"], from: date, to: date.next)
            // (23 × 30 + 54) / 24 = 31.
            #expect(days.first?.report.statistics.pm25.value == ScaledDecimal(31))
            let kept = try #require(try await store.observation(id: spike.id!))
            #expect(kept.observation.value == 400)
            #expect(kept.review == .corrected && kept.reviewedValue == 54 && kept.reviewedBy == "reviewer")

            let audit = try await store.auditEntries(entity: "observation", entityID: String(spike.id!))
            #expect(audit.map(\.action).sorted() == ["observation.review.corrected", "observation.review.invalid"])
            await #expect(throws: ReviewError.self) {
                try await store.review(observation: spike.id!, ObservationReview(status: .invalid, reason: " "), actor: "reviewer")
            }
        }
    }

    @Test("water months, noise days and emission totals are rolled up with their periods and counts", arguments: TestDatabase.available)
    func waterNoiseEmissions(database: TestDatabase) async throws {
        var section = Site(code: "W-T", kind: .water, name: "测试断面", longitude: 109.6, latitude: 31.4)
        section.river = "大宁河"
        section.targetClass = 2
        var point = Site(code: "N-T", kind: .noise, name: "测试点", longitude: 109.6, latitude: 31.4)
        point.zone = "1"
        var outlet = Site(code: "O-T", kind: .outlet, name: "测试排口", longitude: 109.6, latitude: 31.4)
        outlet.enterprise = "某污水处理厂"
        outlet.medium = "water"
        outlet.pollutants = [OutletPollutant(code: "w01018", name: "化学需氧量", limit: 50, unit: "mg/L")]
        let june = LocalTime.date(year: 2026, month: 6, day: 3)!
        var observations: [Observation] = []
        // Two samples in June: NH3-N 0.4 and 0.7 → mean 0.55 (Ⅲ); DO 7.5 (Ⅰ); CODMn 3 (Ⅱ).
        for (offset, nh3n) in [(0.0, "0.4"), (86_400.0 * 10, "0.7")] {
            let time = june.addingTimeInterval(offset)
            observations += [
                Observation(siteCode: "W-T", mn: "MN-W", cn: "2031", code: "w21003", field: "Avg", dataTime: time, value: Double(nh3n), valueText: nh3n),
                Observation(siteCode: "W-T", mn: "MN-W", cn: "2031", code: "w01009", field: "Avg", dataTime: time, value: 7.5),
                Observation(siteCode: "W-T", mn: "MN-W", cn: "2031", code: "w01019", field: "Avg", dataTime: time, value: 3),
            ]
        }
        for hour in 0..<24 {
            observations.append(Observation(siteCode: "N-T", mn: "MN-N", cn: "2061", code: "Leq", field: "Avg",
                                            dataTime: june.addingTimeInterval(Double(hour) * 3600), value: (6..<22).contains(hour) ? 50 : 40))
            observations.append(Observation(siteCode: "O-T", mn: "MN-O", cn: "2061", code: "w01018", field: "Cou",
                                            dataTime: june.addingTimeInterval(Double(hour) * 3600), value: 1.5))
        }
        try await database.withStore { store async throws in
            try await store.saveSites([section, point, outlet], actor: "test")
            try await store.storeObservations(observations)
            while try await !store.processPendingRollups().isEmpty {}
            let months = try await store.waterMonths(year: 2026)
            let month = try #require(months.first)
            #expect(month.month == "2026-06" && month.samples == 2)
            #expect(month.items["nh3n"]?["mean"] == "0.55")
            #expect(month.waterClass == 3 && month.targetClass == 2 && month.compliant == false)
            #expect(month.from == LocalTime.date(year: 2026, month: 6, day: 1) && month.to == LocalTime.date(year: 2026, month: 7, day: 1))

            let noise = try await store.noiseDays(siteCode: "N-T", from: CivilDate(year: 2026, month: 6, day: 1)!, to: CivilDate(year: 2026, month: 7, day: 1)!)
            #expect(noise.count == 1)
            #expect(noise.first?.ld == "50.0" && noise.first?.ln == "40.0")
            #expect(noise.first?.dayHours == 16 && noise.first?.nightHours == 8)
            #expect(noise.first?.dayCompliant == true && noise.first?.nightCompliant == true)

            let totals = try await store.emissionTotals(year: 2026, siteCode: "O-T")
            #expect(totals.first { $0.period == "2026" }?.total == 36)
            #expect(totals.first { $0.period == "2026-06" }?.values == 24)
        }
    }
}
