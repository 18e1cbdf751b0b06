import Domain
import Foundation
import SQLKit
import Store
import Testing
import TestSupport

@Suite("Storing observations: one statement text for both databases, idempotent, counts exact")
struct ObservationInsertTests {
    /// `count` hourly values of six pollutants at two sites from 2026-01-01 00:00 China time.
    static func hourly(hours: Range<Int>, sites: [String] = ["AIR-XC", "AIR-FH"]) -> [Observation] {
        let start = LocalTime.date(year: 2026, month: 1, day: 1)!
        var result: [Observation] = []
        for site in sites {
            for hour in hours {
                for (index, code) in ["a21026", "a21004", "a21005", "a05024", "a34002", "a34004"].enumerated() {
                    let value = Double((hour * 7 + index * 13) % 97) + 0.5
                    result.append(Observation(siteCode: site, mn: "MN-\(site)", cn: "2061", code: code, field: "Avg",
                                              dataTime: start.addingTimeInterval(Double(hour) * 3600), value: value,
                                              valueText: String(value), flag: hour % 50 == 0 ? "M" : "N"))
                }
            }
        }
        return result
    }

    @Test("twenty thousand rows over several statements: all new once, none new on resend, half new when half overlaps",
          arguments: TestDatabase.available)
    func idempotent(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let first = Self.hourly(hours: 0..<1700)   // 20 400 rows
            #expect(try await store.storeObservations(first) == first.count)
            #expect(try await store.storeObservations(first) == 0)
            let overlapping = Self.hourly(hours: 850..<2550)
            #expect(try await store.storeObservations(overlapping) == overlapping.count / 2)
            #expect(try await store.observationCount() == first.count + overlapping.count / 2)
            // Within one call, a repeated key counts once.
            let twice = Self.hourly(hours: 3000..<3001, sites: ["AIR-HCB"])
            #expect(try await store.storeObservations(twice + twice) == 6)
        }
    }

    @Test("values, texts, flags, absent values and frame ids are stored as given; rollups are marked per site and day",
          arguments: TestDatabase.available)
    func values(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let time = LocalTime.date(year: 2026, month: 3, day: 1, hour: 23)!
            let observations = [
                Observation(siteCode: "OUT-1", mn: "MN1", cn: "2061", code: "w01018", field: "Avg", dataTime: time, value: 21.25,
                            valueText: "21.25", flag: "N"),
                Observation(siteCode: "OUT-1", mn: "MN1", cn: "2061", code: "w01018", field: "Cou", dataTime: time, value: nil,
                            valueText: "", flag: nil),
                Observation(siteCode: nil, mn: "MN2", cn: "2011", code: "B02", originalCode: "B02", field: "Rtd",
                            dataTime: time.addingTimeInterval(3600), value: -99, valueText: "-99", flag: "D"),
                Observation(siteCode: "OUT-1", mn: "MN1", cn: "2061", code: "w21003", field: "Avg", dataTime: time.addingTimeInterval(3600),
                            value: .infinity, valueText: "inf", flag: "N"),
            ]
            let inserted = try await store.write { db in
                try await Store.insertObservations(observations, frameIDs: [7, nil, 9, nil], receivedAt: Date(timeIntervalSince1970: 1_800_000_000.25), on: db)
            }
            #expect(inserted == 4)
            let mn1 = try await store.observations(mn: "MN1")
            #expect(mn1.map(\.observation.value) == [21.25, nil, nil])
            #expect(mn1.map(\.observation.valueText) == ["21.25", "", "inf"])
            #expect(mn1.map(\.observation.flag) == ["N", nil, "N"])
            #expect(mn1.map(\.frameID) == [7, nil, nil])
            #expect(mn1.allSatisfy { $0.receivedAt == Date(timeIntervalSince1970: 1_800_000_000.25) })
            let mn2 = try #require(try await store.observations(mn: "MN2").first)
            #expect(mn2.observation.siteCode == nil && mn2.observation.value == -99 && mn2.frameID == 9 && mn2.observation.kind == .realtime)
            let range = try #require(try await store.observationTimeRange(mn: "MN1"))
            #expect(range.first == time && range.last == time.addingTimeInterval(3600))
            #expect(try await store.observationTimeRange(mn: "nobody") == nil)
            // 23 h on 1 March and 0 h on 2 March China time: two local days of OUT-1.
            let pending = try await store.reader.select().column("day").from("rollup_pending").where("site_code", .equal, "OUT-1")
                .orderBy("day").all().map { try $0.decode(column: "day", as: String.self) }
            #expect(pending == ["2026-03-01", "2026-03-02"])
        }
    }
}
