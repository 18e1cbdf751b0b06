import Domain
import Foundation
import Gateway
import Logging
import Store
import Testing
import TestSupport

@Suite("Alarm rules over derived figures: hourly AQI (HJ 633) and water class against the target class (GB 3838)")
struct AlarmSnapshotRuleTests {
    @Test("a section worse than its target class and an hour with AQI above 200 each raise their default rule; a good hour clears",
          arguments: TestDatabase.available)
    func derivedFigures(database: TestDatabase) async throws {
        try await database.withStore { store in
            var section = Site(code: "W-DNH-1", kind: .water, name: "大宁河某断面")
            section.targetClass = 2
            section.river = "大宁河"
            let station = Site(code: "A-WX-1", kind: .air, name: "县城站")
            try await store.saveSites([section, station], actor: "test")
            let service = AlarmService(store: store, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            try await service.prepare()
            let hour = LocalTime.date(year: 2026, month: 11, day: 20, hour: 10)!
            func value(_ site: String, _ code: String, _ v: Double, at time: Date = hour) -> Observation {
                Observation(siteCode: site, mn: site + "-MN", cn: "2061", code: code, field: "Avg", dataTime: time, value: v, flag: "N")
            }
            // NH3-N 0.8 mg/L is class III (> 0.5 of class II): worse than the target II. PM2.5 180 µg/m³ gives IAQI 230.
            try await store.storeObservations([
                value("W-DNH-1", "w21003", 0.8), value("W-DNH-1", "w01009", 8.0), value("W-DNH-1", "w01001", 7.6),
                value("A-WX-1", "a34004", 180), value("A-WX-1", "a34002", 150), value("A-WX-1", "a21026", 10), value("A-WX-1", "a21004", 30),
                value("A-WX-1", "a21005", 0.8), value("A-WX-1", "a05024", 60),
            ])
            try await service.evaluateArrivals()
            let alarms = try await store.alarms()
            #expect(Set(alarms.map(\.alarm.ruleID)) == ["section-worse-than-target", "aqi-over-200"])
            #expect(alarms.first { $0.alarm.ruleID == "section-worse-than-target" }?.siteCode == "W-DNH-1")
            #expect(alarms.first { $0.alarm.ruleID == "aqi-over-200" }?.siteCode == "A-WX-1")

            // The next hour the section meets class II and the air is good (all six pollutants: with some missing, HJ 633
            // publishes no AQI of 100 or below, and an hour without an AQI is not judged): both clear and close themselves.
            let next = hour.addingTimeInterval(3600)
            try await store.storeObservations([
                value("W-DNH-1", "w21003", 0.3, at: next), value("W-DNH-1", "w01009", 8.0, at: next),
                value("A-WX-1", "a34004", 20, at: next), value("A-WX-1", "a34002", 40, at: next), value("A-WX-1", "a21026", 8, at: next),
                value("A-WX-1", "a21004", 25, at: next), value("A-WX-1", "a21005", 0.6, at: next), value("A-WX-1", "a05024", 70, at: next),
            ])
            try await service.evaluateArrivals()
            let after = try await store.alarms()
            #expect(after.count == 2)
            #expect(after.allSatisfy { $0.alarm.state == .closed && $0.alarm.clearedAt == next })
        }
    }
}
