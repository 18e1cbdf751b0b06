import Domain
import Foundation
import Gateway
import Logging
import ServiceLifecycle
import SQLKit
import Store
import Testing
import TestSupport

@Suite("Alarm service: rules provoked by real HJ 212 packets, offline detection on a clock, escalation")
struct AlarmServiceTests {
    static let outletMN = "010000A8900016F000169DC1"

    static func outlet() -> Site {
        var site = Site(code: "OUT-COD-1", kind: .outlet, name: "某污水处理厂总排口", township: "柏杨街道")
        site.enterprise = "某污水处理厂"
        site.medium = "water"
        site.pollutants = [OutletPollutant(code: "w01018", name: "化学需氧量", limit: 50, unit: "mg/L")]
        return site
    }

    @Test("an outlet over its COD limit for 3 hours raises exactly one alarm, a persisting hour is deduplicated, the value dropping clears it",
          arguments: TestDatabase.available)
    func overLimitFromPackets(database: TestDatabase) async throws {
        try await withGateway(database) { port, store, _, _ in
            try await store.saveSites([Self.outlet()], actor: "test")
            try await store.saveDevice(Device(mn: Self.outletMN, password: "123456", siteCode: "OUT-COD-1"), actor: "test")
            let clock = TestClock()
            let service = AlarmService(store: store, now: clock.function, logger: silentLogger)
            try await service.prepare()
            #expect(try await store.alarmRules().contains { $0.rule.id == "outlet-over-limit-3h" })

            let start = LocalTime.date(year: 2026, month: 11, day: 28, hour: 8)!
            func hour(_ n: Int, cod: Double) -> (cn: String, dataTime: String, cp: String) {
                ("2061", hj212Time(start.addingTimeInterval(Double(n) * 3600)),
                 "w01018-Min=\(cod - 5),w01018-Avg=\(cod),w01018-Max=\(cod + 5),w01018-Flag=N")
            }
            // Real-time values of an hour before its hourly value arrives: nothing is judged on them for an Avg rule.
            let realtime = ("2011", hj212Time(start.addingTimeInterval(3 * 3600 + 600)), "w01018-Rtd=20.0,w01018-Flag=N")

            var connection = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
            _ = try await connection.upload([hour(0, cod: 80), hour(1, cod: 92.5)])
            try await store.waitForMaterializedObservations()
            try await service.evaluateArrivals()
            #expect(try await store.alarms().isEmpty, "two hours over the limit are not yet three")

            connection = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
            _ = try await connection.upload([hour(2, cod: 77)])
            try await store.waitForMaterializedObservations()
            try await service.evaluateArrivals()
            var alarms = try await store.alarms()
            try #require(alarms.count == 1)
            let alarm = alarms[0]
            #expect(alarm.alarm.ruleID == "outlet-over-limit-3h")
            #expect(alarm.alarm.state == .open)
            #expect(alarm.alarm.raisedAt == start)
            #expect(alarm.siteCode == "OUT-COD-1" && alarm.mn == Self.outletMN)
            #expect(alarm.alarm.severity == .critical)

            // The logger resends hour 2 and sends a fourth hour still over the limit: the same alarm, one more occurrence.
            connection = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
            _ = try await connection.upload([hour(2, cod: 77), hour(3, cod: 66), realtime])
            try await store.waitForMaterializedObservations()
            try await service.evaluateArrivals()
            alarms = try await store.alarms()
            #expect(alarms.count == 1)
            #expect(alarms.first?.alarm.occurrences == 2)
            #expect(alarms.first?.alarm.clearedAt == nil)

            // Real-time values below the limit in hour 4, before the hourly value: not judged yet.
            connection = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
            _ = try await connection.upload([("2011", hj212Time(start.addingTimeInterval(4 * 3600 + 300)), "w01018-Rtd=21.0,w01018-Flag=N")])
            try await store.waitForMaterializedObservations()
            try await service.evaluateArrivals()
            #expect(try await store.alarms().first?.alarm.clearedAt == nil)

            // Hour 4 below the limit: cleared; nobody had taken it, so it closes itself.
            connection = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
            _ = try await connection.upload([hour(4, cod: 21)])
            try await store.waitForMaterializedObservations()
            try await service.evaluateArrivals()
            alarms = try await store.alarms()
            #expect(alarms.count == 1)
            let cleared = try #require(alarms.first)
            #expect(cleared.alarm.clearedAt == start.addingTimeInterval(4 * 3600))
            #expect(cleared.alarm.state == .closed && cleared.alarm.closedBy == "system")
            let history = try await store.alarmHistory(id: cleared.id).map(\.event)
            #expect(history == ["raised", "cleared"])
            let audit = try await store.auditEntries(entity: "alarm", entityID: String(cleared.id)).map(\.action)
            #expect(Set(audit) == ["alarm.raise", "alarm.held", "alarm.cleared"])
            // The cursor is stored: a restarted service evaluates nothing again and raises nothing.
            let restarted = AlarmService(store: store, now: clock.function, logger: silentLogger)
            try await restarted.prepare()
            #expect(try await restarted.evaluateArrivals() == 0)
            #expect(try await store.alarms().count == 1)
            #expect(try await store.alarmCursor("observations") ?? 0 > 0)
        }
    }

    @Test("values reviewed invalid are ignored; a D flag for two hours raises the flag rule", arguments: [TestDatabase.sqlite])
    func reviewAndFlags(database: TestDatabase) async throws {
        try await withGateway(database) { port, store, _, _ in
            try await store.saveSites([Self.outlet()], actor: "test")
            try await store.saveDevice(Device(mn: Self.outletMN, password: "123456", siteCode: "OUT-COD-1"), actor: "test")
            let service = AlarmService(store: store, logger: silentLogger)
            try await service.prepare()
            let start = LocalTime.date(year: 2026, month: 11, day: 27, hour: 8)!
            let uploads = (0..<3).map { n in
                ("2061", hj212Time(start.addingTimeInterval(Double(n) * 3600)), "w01018-Avg=\(n == 1 ? 99.0 : 30.0),w01018-Flag=\(n == 0 ? "N" : "D")")
            }
            let connection = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
            _ = try await connection.upload(uploads)
            // Hourly values are stored by the materialiser after the 9014: wait for them before reviewing one.
            try await store.waitForMaterializedObservations()
            // Hour 1 (the only one over the limit) was reviewed invalid before evaluation.
            try await store.write { db in
                try await db.update("observations").set("review_status", to: "invalid")
                    .where("data_time", .equal, Int64(start.timeIntervalSince1970) + 3600).run()
            }
            try await service.evaluateArrivals()
            let alarms = try await store.alarms()
            #expect(!alarms.contains { $0.alarm.ruleID == "outlet-over-limit-3h" })
            // Hour 1's D flag is invalid too, so D holds only in hour 2: no two consecutive hours.
            #expect(!alarms.contains { $0.alarm.ruleID == "flag-dfm-2h" })
            let more = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
            _ = try await more.upload([("2061", hj212Time(start.addingTimeInterval(3 * 3600)), "w01018-Avg=31.0,w01018-Flag=F")])
            try await store.waitForMaterializedObservations()
            try await service.evaluateArrivals()
            let flagged = try await store.alarms().filter { $0.alarm.ruleID == "flag-dfm-2h" }
            #expect(flagged.count == 1)
            #expect(flagged.first?.alarm.raisedAt == start.addingTimeInterval(2 * 3600))
        }
    }

    @Test("silence raises an offline alarm on the clock, unacknowledged it escalates, data clears it", arguments: TestDatabase.available)
    func offline(database: TestDatabase) async throws {
        try await withGateway(database) { port, store, _, _ in
            try await store.saveDevice(Device(mn: Self.outletMN, password: "123456"), actor: "test")
            let clock = TestClock()
            let service = AlarmService(
                store: store,
                configuration: .init(pollInterval: .milliseconds(50), offlineThreshold: 3600, offlineEscalateAfter: 600, seedDefaultRules: false),
                now: clock.function, logger: silentLogger)
            // Cursors set before the first data (a first start sets them to the newest rows: old data raises nothing).
            try await service.prepare()
            let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: silentLogger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let first = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
                _ = try await first.upload([("2011", hj212Time(Date()), "w01018-Rtd=20.0,w01018-Flag=N")])
                // Heard a moment ago: online.
                #expect(try await eventually { try await store.deviceHeartbeats().first?.lastSeen != nil })
                #expect(try await store.alarms().isEmpty)

                // Nothing arrives while the clock moves 61 minutes on: offline, without any message triggering it.
                clock.advance(61 * 60)
                #expect(try await eventually { try await store.alarms(state: .open).count == 1 })
                let raised = try #require(try await store.alarms().first)
                #expect(raised.alarm.ruleID == "offline" && raised.mn == Self.outletMN && raised.dedupKey == "offline:\(Self.outletMN)")
                // Ten more minutes unacknowledged: escalated once, still one alarm.
                clock.advance(11 * 60)
                #expect(try await eventually { try await store.alarm(id: raised.id).alarm.escalation == 1 })
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await store.alarms().count == 1)

                // Data again: the clock catches up with the wall clock and the alarm clears (and closes itself: nobody took it).
                let again = LoggerConnection(client: try await RawClient(port: port), mn: Self.outletMN, password: "123456")
                _ = try await again.upload([("2011", hj212Time(Date()), "w01018-Rtd=21.0,w01018-Flag=N")])
                clock.set(Date().addingTimeInterval(1))
                #expect(try await eventually { try await store.alarm(id: raised.id).alarm.clearedAt != nil })
                let cleared = try await store.alarm(id: raised.id)
                #expect(cleared.alarm.state == .closed)
                #expect(try await store.alarmHistory(id: raised.id).map(\.event) == ["raised", "escalated", "cleared"])
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
