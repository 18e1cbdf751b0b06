import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Standards
import Store
import Testing
import TestSupport

@Suite("Assessments from stored data over HTTP: indicators 8-12, review, pages")
struct MonitoringDataTests {
    /// January 2025 at the county station: PM2.5 varies by day (a few days over 75 µg/m³), the others are low.
    static func januaryAir() -> [Observation] {
        var observations: [Observation] = []
        let base: [(String, Double)] = [("a21026", 8), ("a21004", 20), ("a21005", 0.6), ("a05024", 40), ("a34002", 50)]
        for day in 1...31 {
            let pm25 = Double(20 + (day * 7) % 70)
            for hour in 0..<24 {
                let time = LocalTime.date(year: 2025, month: 1, day: day, hour: hour)!
                observations.append(Observation(siteCode: "AIR-XC", mn: "MN-XC", cn: "2061", code: "a34004", field: "Avg", dataTime: time,
                                                value: pm25, flag: "N"))
                for (code, value) in base {
                    observations.append(Observation(siteCode: "AIR-XC", mn: "MN-XC", cn: "2061", code: code, field: "Avg", dataTime: time,
                                                    value: value, flag: "N"))
                }
            }
        }
        return observations
    }

    /// Monthly samples: the 大宁河 section at class Ⅱ; the city source compliant; one township source over class Ⅲ
    /// for NH3-N in February.
    static func waterSamples() -> [Observation] {
        var observations: [Observation] = []
        for month in 1...2 {
            let time = LocalTime.date(year: 2025, month: month, day: 10, hour: 9)!
            for (site, nh3n) in [("W-DNH-NQ", 0.3), ("DW-XC", 0.2), ("DW-SH", month == 2 ? 1.5 : 0.4)] {
                for (code, value) in [("w21003", nh3n), ("w01009", 7.8), ("w01019", 2.5), ("w21011", 0.05)] {
                    observations.append(Observation(siteCode: site, mn: "MN-\(site)", cn: "2031", code: code, field: "Avg", dataTime: time, value: value))
                }
            }
        }
        return observations
    }

    @Test("indicators 8-12 are computed from the validated data, traceable, shown beside the targets and fed to the ledger",
          arguments: TestDatabase.available)
    func indicators(database: TestDatabase) async throws {
        try await withApp(database) { client, store async throws in
            let wanted: Set<String> = ["AIR-XC", "W-DNH-NQ", "DW-XC", "DW-SH"]
            try await store.saveSites(try DemoRegistry.wuxiSites().filter { wanted.contains($0.code) }, actor: "test")
            try await store.storeObservations(Self.januaryAir() + Self.waterSamples())
            while try await !store.processPendingRollups().isEmpty {}

            // The reference: the standards engine on the same hours, straight from memory.
            var series = HourlyAirSeries(firstDay: CivilDate(year: 2025, month: 1, day: 1)!, dayCount: 31)
            for o in Self.januaryAir() {
                let c = LocalTime.components(o.dataTime)
                series.set(MonitoringCodes.airPollutant(code: o.code)!, ScaledDecimal.parse(Substring(o.valueText))!,
                           at: LocalHour(date: CivilDate(year: c.year, month: c.month, day: c.day)!, hour: c.hour))
            }
            let reference = AnnualAirEvaluation.evaluate(year: 2025, days: DailyAirReport.compute(series, standard: .auto, areaClass: .two),
                                                         standard: .auto, areaClass: .two)

            try await client.execute(uri: "/api/v1/monitoring/indicators?year=2025", method: .get) { response async throws in
                #expect(response.status == .ok)
                let figures = try #require(try response.json() as? [[String: Any]])
                let byNumber = Dictionary(uniqueKeysWithValues: figures.map { ($0["number"] as! Int, $0) })
                #expect(Set(byNumber.keys) == [8, 9, 10, 11, 12])
                let goodDays = Double(reference.aqiDays.goodDays)
                #expect(byNumber[8]?["value"] as? Double == goodDays)
                #expect(byNumber[8]?["used"] as? Int == 31)
                #expect(reference.aqiDays.goodDays < 31)
                let pm25: Double = reference[.pm25].mean!.exact.doubleValue
                #expect(byNumber[9]?["value"] as? Double == pm25)
                #expect(byNumber[10]?["value"] as? Double == 100)
                #expect(byNumber[11]?["value"] as? Double == 100)
                #expect(byNumber[12]?["value"] as? Double == 50)
                #expect((byNumber[12]?["details"] as? [String])?.contains("DW-SH 2025-02 不达标") == true)
                #expect((byNumber[8]?["basis"] as? String)?.contains("有效天数 31 天") == true)
            }
            try await client.execute(uri: "/monitoring/indicators?year=2025", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("环境空气质量优良天数") && response.text.contains("≧330"))
            }
            #expect(try await store.feedMonitoringIndicators(years: [2025]) == 5)
        }
    }

    @Test("staff review values over the API; the rollups follow; pages show the calendar, the water table and the review form",
          arguments: TestDatabase.available)
    func reviewAndPages(database: TestDatabase) async throws {
        try await withApp(database) { client, store async throws in
            let token = try await staffToken(store)
            try await store.saveSites(try DemoRegistry.wuxiSites().filter { ["AIR-XC", "W-DNH-NQ"].contains($0.code) }, actor: "test")
            try await store.storeObservations(Self.januaryAir() + Self.waterSamples())
            while try await !store.processPendingRollups().isEmpty {}
            let first = CivilDate(year: 2025, month: 1, day: 1)!
            let before = try await store.airDays(siteCodes: ["AIR-XC"], from: first, to: first.next)[0].report.statistics.pm25
            let target = try #require(try await store.observations(mn: "MN-XC", code: "a34004").first)

            let bearer = HTTPFields([HTTPField(name: .authorization, value: "Bearer \(token)"), HTTPField(name: .contentType, value: "application/json")])
            try await client.execute(uri: "/api/v1/observations/\(target.id!)/review", method: .post, headers: bearer,
                                     body: jsonBody(#"{"status":"invalid"}"#)) { response in
                #expect(response.status == .badRequest || response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/observations/\(target.id!)/review", method: .post, headers: bearer,
                                     body: jsonBody(#"{"status":"invalid","reason":""}"#)) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/observations/\(target.id!)/review", method: .post,
                                     headers: [.contentType: "application/json"], body: jsonBody(#"{"status":"invalid","reason":"x"}"#)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/observations/\(target.id!)/review", method: .post, headers: bearer,
                                     body: jsonBody(#"{"status":"corrected","value":500,"reason":"比对修正"}"#)) { response async throws in
                #expect(response.status == .ok)
                let body = try #require(try response.json() as? [String: Any])
                #expect(body["review"] as? String == "corrected")
            }
            while try await !store.processPendingRollups().isEmpty {}
            let after = try await store.airDays(siteCodes: ["AIR-XC"], from: first, to: first.next)[0].report.statistics.pm25
            #expect(after.value != before.value)

            try await client.execute(uri: "/api/v1/sites/AIR-XC/air/annual?year=2025", method: .get) { response async throws in
                #expect(response.status == .ok)
                let body = try #require(try response.json() as? [String: Any])
                #expect(body["days"] as? Int == 31)
                let period = try #require(body["period"] as? [String: Any])
                #expect(period["from"] as? String == "2024-12-31T16:00:00Z")
            }
            try await client.execute(uri: "/api/v1/sites/AIR-XC/air/monthly?year=2025", method: .get) { response async throws in
                let months = try #require(try response.json() as? [[String: Any]])
                #expect(months.count == 12)
                #expect(months[0]["valid_days"] as? Int == 31)
            }
            try await client.execute(uri: "/api/v1/sites/AIR-XC/air/days?from=2025-01-01&to=2025-01-08", method: .get) { response async throws in
                let body = try #require(try response.json() as? [String: Any])
                #expect(((body["report"] as? [String: Any])?["days"] as? [Any])?.count == 7)
            }
            try await client.execute(uri: "/api/v1/water/months?year=2025", method: .get) { response async throws in
                let months = try #require(try response.json() as? [[String: Any]])
                #expect(months.count == 2)
                let classes = months.compactMap { $0["waterClass"] as? Int }
                #expect(classes == [2, 2])
            }
            try await client.execute(uri: "/sites/AIR-XC?year=2025", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("AQI 日历") && response.text.contains("<svg"))
                #expect(response.text.contains("年评价"))
            }
            try await client.execute(uri: "/water?year=2025", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("W-DNH-NQ") && response.text.contains(">II<"))
            }
            try await client.execute(uri: "/sites/AIR-XC/review?day=2025-01-01", method: .get, headers: [.authorization: "Bearer \(token)"]) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("已修正") && response.text.contains("比对修正"))
                #expect(response.text.contains("name=\"reason\""))
            }
        }
    }
}
