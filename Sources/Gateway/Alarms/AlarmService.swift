public import Domain
public import Foundation
public import Logging
public import ServiceLifecycle
public import Store

/// Evaluates the alarm rules as data arrives, detects silent devices on a clock, and escalates alarms nobody
/// acknowledged in time.
///
/// Every `pollInterval` it reads the observations stored since its cursor (kept in the database, so a restart neither
/// skips nor re-raises), builds one ``Domain/AlarmSnapshot`` per site and hour step, and runs each enabled rule's
/// ``Domain/RuleTracker`` over the last `duration + clearAfter` hours: a rule that has held for its duration raises an
/// alarm (or, when its alarm is up, records that it persists: deduplication), one that has not held for `clearAfter`
/// steps clears it. Then the pure ``Domain/OfflineWatchdog`` is asked which devices have sent no data for the threshold —
/// on the clock, whether or not anything arrives — and `.tick` escalates open alarms past their deadline.
public struct AlarmService: Service {
    /// The service's settings.
    public struct Configuration: Sendable {
        /// How often to look for new data and check the clock.
        public var pollInterval: Duration
        /// Seconds without data after which a device is offline (`--offline-minutes`, default 60 minutes).
        public var offlineThreshold: TimeInterval
        /// How serious an offline alarm is.
        public var offlineSeverity: AlarmSeverity
        /// Escalate an offline alarm not acknowledged within this many seconds.
        public var offlineEscalateAfter: TimeInterval?
        /// The most observations read per pass.
        public var batchSize: Int
        /// Whether the default rules are stored on the first start.
        public var seedDefaultRules: Bool

        /// Creates the settings.
        public init(pollInterval: Duration = .seconds(5), offlineThreshold: TimeInterval = 3600, offlineSeverity: AlarmSeverity = .warning,
                    offlineEscalateAfter: TimeInterval? = 7200, batchSize: Int = 5000, seedDefaultRules: Bool = true) {
            self.pollInterval = pollInterval
            self.offlineThreshold = offlineThreshold
            self.offlineSeverity = offlineSeverity
            self.offlineEscalateAfter = offlineEscalateAfter
            self.batchSize = batchSize
            self.seedDefaultRules = seedDefaultRules
        }
    }

    /// The name of the cursor over the observations table.
    static let cursorName = "observations"
    /// The name of the cursor over the packets of real-time values (``Store/ObservationPacket``).
    static let packetCursorName = "observation_packets"

    let store: Store
    let configuration: Configuration
    let now: @Sendable () -> Date
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - store: the database.
    ///   - configuration: the settings.
    ///   - now: the clock (tests inject their own).
    ///   - logger: where to report.
    public init(store: Store, configuration: Configuration = Configuration(), now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.now = now
        self.logger = logger
    }

    /// Seeds the default rules (once per installation) and, on the very first start, sets the cursor to the newest
    /// observation so that old data raises nothing.
    public func prepare() async throws {
        if configuration.seedDefaultRules {
            let added = try await store.seedDefaultAlarmRules(now: now())
            if added > 0 { logger.info("stored \(added) default alarm rules") }
        }
        if try await store.alarmCursor(AlarmService.cursorName) == nil {
            try await store.setAlarmCursor(AlarmService.cursorName, to: try await store.latestObservationID(), now: now())
        }
        if try await store.alarmCursor(AlarmService.packetCursorName) == nil {
            try await store.setAlarmCursor(AlarmService.packetCursorName, to: try await store.latestObservationPacketID(), now: now())
        }
    }

    /// Prepares, then evaluates every `pollInterval` until graceful shutdown.
    public func run() async throws {
        try await prepare()
        while !Task.isShuttingDownGracefully {
            await runOnce()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.pollInterval) }
            } catch {
                return
            }
        }
    }

    /// One pass: new data, the offline check, escalation. Failures are logged; the next pass tries again.
    public func runOnce() async {
        do { try await evaluateArrivals() } catch { logger.warning("alarm evaluation failed: \(error)") }
        do { try await checkOffline() } catch { logger.warning("offline check failed: \(error)") }
        do {
            let escalated = try await store.escalateAlarms(now: now())
            for record in escalated { logger.notice("alarm \(record.id) escalated to level \(record.alarm.escalation): \(record.alarm.title)") }
        } catch {
            logger.warning("alarm escalation failed: \(error)")
        }
    }

    /// Evaluates the rules over everything stored since the cursor, then moves the cursor and the devices' last-heard
    /// times.
    /// - Returns: how many rows were read (values stored singly, and packets of real-time values).
    @discardableResult
    public func evaluateArrivals() async throws -> Int {
        guard try await store.alarmCursor(AlarmService.cursorName) != nil,
              try await store.alarmCursor(AlarmService.packetCursorName) != nil else {
            try await prepare()
            return 0
        }
        let singles = try await evaluateArrivals(cursor: AlarmService.cursorName) { [store] cursor, limit in
            try await store.observationArrivals(after: cursor, limit: limit)
        }
        let packets = try await evaluateArrivals(cursor: AlarmService.packetCursorName) { [store] cursor, limit in
            try await store.observationPacketArrivals(after: cursor, limit: limit)
        }
        return singles + packets
    }

    /// Evaluates what one source (single values, or packets of real-time values) stored since its cursor.
    private func evaluateArrivals(cursor name: String,
                                  read: (Int64, Int) async throws -> ObservationArrivals) async throws -> Int {
        guard var cursor = try await store.alarmCursor(name) else { return 0 }
        var total = 0
        // The cursor and the last-heard times are written once per 20 batches and at the end, not after every batch:
        // each is a write transaction, and under load (tens of thousands of packets a second) one per 5,000 rows held
        // the write lock, which the gateway's acknowledgements wait for, a third of the time. Evaluating a batch
        // again after a crash raises nothing twice (alarms are deduplicated by rule and site).
        var heard: [String: Date] = [:]
        var unrecorded = 0
        while true {
            let arrivals = try await read(cursor, configuration.batchSize)
            guard arrivals.rows > 0 else { break }
            try await evaluate(arrivals.times)
            heard.merge(arrivals.heard) { max($0, $1) }
            cursor = arrivals.lastID
            total += arrivals.rows
            unrecorded += 1
            let more = arrivals.rows >= configuration.batchSize
            if !more || unrecorded >= 20 {
                try await store.recordArrivals(heard: heard, cursor: (name, cursor), now: now())
                heard = [:]
                unrecorded = 0
            }
            if !more { break }
        }
        return total
    }

    /// Runs the enabled rules for the given (site, data time) pairs, hour by hour in time order.
    func evaluate(_ times: [String: Set<Date>]) async throws {
        let rules = try await store.alarmRules().filter(\.enabled).map(\.rule)
        guard !rules.isEmpty, !times.isEmpty else { return }
        var awaitingClear = Set(try await store.alarmKeysAwaitingClear())
        for siteCode in times.keys.sorted() {
            guard let site = try await store.site(siteCode) else { continue }
            let applicable = rules.filter { $0.applies(to: site) }
            guard !applicable.isEmpty, let stamps = times[siteCode] else { continue }
            let hours = Set(stamps.map(AlarmSnapshots.hourStart)).sorted()
            guard let first = hours.first, let last = hours.last else { continue }
            let depth = applicable.map { $0.duration + $0.clearAfter }.max() ?? 1
            let from = first.addingTimeInterval(-Double(depth - 1) * AlarmSnapshots.hour)
            let inputs = try await store.alarmInputs(siteCode: siteCode, from: from, to: last.addingTimeInterval(AlarmSnapshots.hour))
            let byHour = Dictionary(grouping: inputs) { AlarmSnapshots.hourStart($0.time) }
            var snapshots: [Date: AlarmSnapshot] = [:]
            func snapshot(_ hour: Date) -> AlarmSnapshot {
                if let cached = snapshots[hour] { return cached }
                let built = AlarmSnapshots.snapshot(site: site, hour: hour, values: byHour[hour] ?? [])
                snapshots[hour] = built
                return built
            }
            let mn = try await store.deviceMNs(siteCode: siteCode).first
            for hour in hours {
                for rule in applicable {
                    guard rule.condition.hasData(in: snapshot(hour)) else { continue }
                    var tracker = RuleTracker(rule: rule)
                    let steps = rule.duration + rule.clearAfter
                    for index in 0..<steps {
                        _ = tracker.step(snapshot(hour.addingTimeInterval(-Double(steps - 1 - index) * AlarmSnapshots.hour)))
                    }
                    let key = "rule:\(rule.id):site:\(site.code)"
                    if tracker.heldSteps >= rule.duration, let since = tracker.heldSince {
                        let change = try await store.raiseAlarm(AlarmRaise(
                            ruleID: rule.id, siteCode: site.code, mn: mn, subject: site.code, title: "\(rule.name) · \(site.name)",
                            severity: rule.severity, since: since, heldAt: hour, escalateAfter: rule.escalateAfter, dedupKey: key), now: now())
                        if case .raised(let record) = change {
                            logger.notice("alarm \(record.id) raised: \(record.alarm.title)")
                        }
                        awaitingClear.insert(key)
                    } else if tracker.absentSteps >= rule.clearAfter, awaitingClear.contains(key) {
                        if case .updated(let record) = try await store.clearAlarm(dedupKey: key, at: hour, now: now()) {
                            logger.notice("alarm \(record.id) cleared: \(record.alarm.title)")
                            awaitingClear.remove(key)
                        }
                    }
                }
            }
        }
    }

    /// Raises an offline alarm for every enabled device silent for the threshold, and clears those heard again.
    public func checkOffline() async throws {
        let devices = try await store.deviceHeartbeats()
        guard !devices.isEmpty else { return }
        let now = now()
        let threshold = configuration.offlineThreshold
        var lastHeard: [String: Date?] = [:]
        var registered: [String: Date] = [:]
        for device in devices {
            lastHeard[device.mn] = .some(device.lastSeen)
            registered[device.mn] = device.registeredAt
        }
        let offline = OfflineWatchdog.offline(lastHeard: lastHeard, threshold: threshold, now: now, registeredAt: registered)
        let awaitingClear = Set(try await store.alarmKeysAwaitingClear())
        for device in devices {
            let key = "offline:\(device.mn)"
            if offline.contains(device.mn) {
                guard !awaitingClear.contains(key) else { continue }
                let since = (device.lastSeen ?? device.registeredAt).addingTimeInterval(threshold)
                let minutes = Int(threshold / 60)
                let change = try await store.raiseAlarm(AlarmRaise(
                    ruleID: "offline", siteCode: device.siteCode, mn: device.mn, subject: device.mn,
                    title: "数采仪 \(device.mn) 超过\(minutes)分钟无数据" + (device.siteCode.map { "（\($0)）" } ?? ""),
                    severity: configuration.offlineSeverity, since: since, heldAt: since, escalateAfter: configuration.offlineEscalateAfter,
                    dedupKey: key), now: now)
                if case .raised(let record) = change { logger.notice("alarm \(record.id): device \(device.mn) offline") }
            } else if awaitingClear.contains(key) {
                if case .updated(let record) = try await store.clearAlarm(dedupKey: key, at: now, now: now) {
                    logger.notice("alarm \(record.id) cleared: device \(device.mn) heard again")
                }
            }
        }
    }
}
