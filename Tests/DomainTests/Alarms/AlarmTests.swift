import Domain
import Foundation
import Testing

@Suite("Alarm rules: AND/OR conditions with duration and clearing")
struct AlarmRuleTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func snapshot(_ hour: Int, cod: Double?, flag: String? = nil) -> AlarmSnapshot {
        AlarmSnapshot(time: t0.addingTimeInterval(Double(hour) * 3600),
                      values: cod.map { ["w01018": ["Avg": $0]] } ?? [:], flags: flag.map { ["w01018": $0] } ?? [:],
                      limits: ["w01018": 50])
    }

    @Test("an outlet over its limit for 3 consecutive hours raises once, at the start of the run")
    func duration() {
        var tracker = RuleTracker(rule: AlarmRule(id: "cod3h", name: "COD", condition: .overLimit(code: "w01018", field: "Avg"), duration: 3))
        #expect(tracker.step(snapshot(0, cod: 60)) == .none)
        #expect(tracker.step(snapshot(1, cod: 40)) == .none)      // the run breaks
        #expect(tracker.step(snapshot(2, cod: 51)) == .none)
        #expect(tracker.step(snapshot(3, cod: 52)) == .none)
        #expect(tracker.step(snapshot(4, cod: 53)) == .raise(since: t0.addingTimeInterval(2 * 3600)))
        #expect(tracker.step(snapshot(5, cod: 54)) == .none)      // persisting: no second raise
        #expect(tracker.step(snapshot(6, cod: 49)) == .clear(at: t0.addingTimeInterval(6 * 3600)))
    }

    @Test("a missing value never makes a condition hold; exactly at the limit is not over it")
    func missing() {
        let rule = AlarmCondition.overLimit(code: "w01018", field: "Avg")
        #expect(!rule.holds(in: snapshot(0, cod: nil)))
        #expect(!rule.holds(in: snapshot(0, cod: 50)))
        #expect(rule.holds(in: snapshot(0, cod: 50.01)))
    }

    @Test("AND and OR combine conditions")
    func logic() {
        let over = AlarmCondition.overLimit(code: "w01018", field: "Avg")
        let faulty = AlarmCondition.flagIn(code: "w01018", flags: ["D", "F", "M"])
        #expect(AlarmCondition.any([over, faulty]).holds(in: snapshot(0, cod: 10, flag: "D")))
        #expect(!AlarmCondition.all([over, faulty]).holds(in: snapshot(0, cod: 10, flag: "D")))
        #expect(AlarmCondition.all([over, faulty]).holds(in: snapshot(0, cod: 70, flag: "M")))
        #expect(!AlarmCondition.all([]).holds(in: snapshot(0, cod: 70)))
    }

    @Test("water class worse than target, AQI above a level")
    func derived() {
        let worse = AlarmCondition.worseThanTargetClass
        #expect(worse.holds(in: AlarmSnapshot(time: t0, waterClass: 3, targetClass: 2)))
        #expect(!worse.holds(in: AlarmSnapshot(time: t0, waterClass: 2, targetClass: 2)))
        #expect(AlarmCondition.aqiAbove(200).holds(in: AlarmSnapshot(time: t0, aqi: 201)))
        #expect(!AlarmCondition.aqiAbove(200).holds(in: AlarmSnapshot(time: t0, aqi: 200)))
    }
}

@Suite("Alarm lifecycle: open → acknowledged → dispatched → closed")
struct AlarmLifecycleTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func alarm() -> Alarm {
        Alarm(id: "a1", ruleID: "cod3h", subject: "OUT-1", title: "COD", severity: .critical, raisedAt: t0, escalateAfter: 1800)
    }

    @Test("the full path, with notes, records and notifications")
    func path() throws {
        var a = alarm()
        #expect(try a.apply(.acknowledge(by: "wang", note: "去现场"), now: t0.addingTimeInterval(60)).contains(.notify("acknowledged")))
        #expect(a.state == .acknowledged)
        _ = try a.apply(.note(by: "wang", text: "已联系企业"), now: t0.addingTimeInterval(120))
        _ = try a.apply(.dispatch(by: "wang", to: "执法支队", note: nil), now: t0.addingTimeInterval(180))
        #expect(a.state == .dispatched && a.dispatchedTo == "执法支队")
        _ = try a.apply(.close(by: "li", note: "已整改"), now: t0.addingTimeInterval(3600))
        #expect(a.state == .closed && a.closedBy == "li")
        #expect(throws: AlarmTransitionError.self) { try a.apply(.close(by: "li", note: nil), now: t0) }
        #expect(throws: AlarmTransitionError.self) { try a.apply(.acknowledge(by: "li", note: nil), now: t0) }
    }

    @Test("a persisting condition is deduplicated into the open alarm")
    func dedupe() throws {
        var a = alarm()
        #expect(try a.apply(.conditionHeld(at: t0.addingTimeInterval(3600)), now: t0).isEmpty)
        #expect(try a.apply(.conditionHeld(at: t0.addingTimeInterval(7200)), now: t0).isEmpty)
        #expect(a.occurrences == 3)
        #expect(a.lastHeldAt == t0.addingTimeInterval(7200))
    }

    @Test("escalation when not acknowledged in time, once per period")
    func escalation() throws {
        var a = alarm()
        #expect(try a.apply(.tick, now: t0.addingTimeInterval(1799)).isEmpty)
        #expect(try a.apply(.tick, now: t0.addingTimeInterval(1800)).contains(.notify("escalated")))
        #expect(a.escalation == 1)
        #expect(try a.apply(.tick, now: t0.addingTimeInterval(1900)).isEmpty)
        _ = try a.apply(.tick, now: t0.addingTimeInterval(3600))
        #expect(a.escalation == 2)
        _ = try a.apply(.acknowledge(by: "wang", note: nil), now: t0.addingTimeInterval(3700))
        #expect(try a.apply(.tick, now: t0.addingTimeInterval(99_999)).isEmpty)
    }

    @Test("clearing closes an unacknowledged alarm; an acknowledged one stays for a person to close")
    func clearing() throws {
        var open = alarm()
        _ = try open.apply(.conditionCleared(at: t0.addingTimeInterval(600)), now: t0.addingTimeInterval(600))
        #expect(open.state == .closed && open.closedBy == "system")
        var taken = alarm()
        _ = try taken.apply(.acknowledge(by: "wang", note: nil), now: t0)
        _ = try taken.apply(.conditionCleared(at: t0.addingTimeInterval(600)), now: t0.addingTimeInterval(600))
        #expect(taken.state == .acknowledged && taken.clearedAt != nil)
        _ = try taken.apply(.conditionHeld(at: t0.addingTimeInterval(900)), now: t0.addingTimeInterval(900))
        #expect(taken.clearedAt == nil)
    }

    @Test("offline detection runs on the clock")
    func offline() {
        let now = t0.addingTimeInterval(3600)
        let result = OfflineWatchdog.offline(
            lastHeard: ["A": t0.addingTimeInterval(3500), "B": t0, "C": nil, "D": nil], threshold: 1800, now: now,
            registeredAt: ["C": t0, "D": t0.addingTimeInterval(3000)])
        #expect(result == ["B", "C"])
    }
}
