public import Foundation

/// An alarm's place in its lifecycle: open → acknowledged → dispatched → closed.
public enum AlarmState: String, Codable, Sendable, CaseIterable {
    /// Raised, nobody has taken it yet.
    case open
    /// Someone has seen it and taken responsibility.
    case acknowledged
    /// Handed to a unit for action (e.g. an inspection team).
    case dispatched
    /// Done.
    case closed

    /// The state's Chinese name.
    public var chineseName: String {
        switch self {
        case .open: "待确认"
        case .acknowledged: "已确认"
        case .dispatched: "已派单"
        case .closed: "已关闭"
        }
    }
}

/// Something that happened to an alarm.
public enum AlarmEvent: Sendable, Equatable {
    /// The condition holds (again): a persisting condition updates the open alarm instead of raising a new one.
    case conditionHeld(at: Date)
    /// The condition has ended.
    case conditionCleared(at: Date)
    /// A person acknowledges it.
    case acknowledge(by: String, note: String?)
    /// A person dispatches it to a unit.
    case dispatch(by: String, to: String, note: String?)
    /// A person closes it.
    case close(by: String, note: String?)
    /// A person adds a note.
    case note(by: String, text: String)
    /// The clock ticks: escalate when not acknowledged in time.
    case tick
}

/// What the edge must do after a transition.
public enum AlarmAction: Sendable, Equatable {
    /// Tell the subscribers (webhooks) about the alarm, with the reason.
    case notify(String)
    /// Record a line in the alarm's history.
    case record(String)
}

/// Why a transition is refused.
public struct AlarmTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state the alarm was in.
    public var state: AlarmState
    /// What was attempted.
    public var attempted: String
    /// `cannot X an alarm that is Y`.
    public var description: String { "cannot \(attempted) an alarm that is \(state.rawValue)" }
}

/// An alarm and its lifecycle, as a pure state machine: `apply(_:now:)` takes an event and the current time and
/// returns the actions to perform. No clock and no I/O inside.
public struct Alarm: Codable, Sendable, Equatable {
    /// The alarm's id.
    public var id: String
    /// The rule that raised it (`offline` for offline detection).
    public var ruleID: String
    /// The site (or device MN for offline alarms) it is about.
    public var subject: String
    /// A one-line description.
    public var title: String
    /// How serious it is.
    public var severity: AlarmSeverity
    /// Where it is in its lifecycle.
    public var state: AlarmState
    /// When the condition started.
    public var raisedAt: Date
    /// When the condition was last seen to hold (deduplicated repeats move this forward).
    public var lastHeldAt: Date
    /// How many times the condition was seen while the alarm was up.
    public var occurrences: Int
    /// When the condition ended, if it has.
    public var clearedAt: Date?
    /// Escalation level: 0, then 1, 2 … each time it went unacknowledged past the deadline.
    public var escalation: Int
    /// Escalate when not acknowledged within this many seconds.
    public var escalateAfter: TimeInterval?
    /// Who acknowledged it.
    public var acknowledgedBy: String?
    /// The unit it was dispatched to.
    public var dispatchedTo: String?
    /// Who closed it.
    public var closedBy: String?
    /// When the alarm reached its current state.
    public var stateSince: Date

    enum CodingKeys: String, CodingKey {
        case id, ruleID = "rule_id", subject, title, severity, state, raisedAt = "raised_at", lastHeldAt = "last_held_at", occurrences
        case clearedAt = "cleared_at", escalation, escalateAfter = "escalate_after", acknowledgedBy = "acknowledged_by"
        case dispatchedTo = "dispatched_to", closedBy = "closed_by", stateSince = "state_since"
    }

    /// Raises a new alarm.
    public init(id: String, ruleID: String, subject: String, title: String, severity: AlarmSeverity, raisedAt: Date,
                escalateAfter: TimeInterval? = nil) {
        self.id = id
        self.ruleID = ruleID
        self.subject = subject
        self.title = title
        self.severity = severity
        self.state = .open
        self.raisedAt = raisedAt
        self.lastHeldAt = raisedAt
        self.occurrences = 1
        self.escalation = 0
        self.escalateAfter = escalateAfter
        self.stateSince = raisedAt
    }

    /// Whether the alarm is still being handled (not closed).
    public var isActive: Bool { state != .closed }

    /// Applies an event.
    /// - Parameters:
    ///   - event: what happened.
    ///   - now: the current time.
    /// - Returns: the actions to perform.
    /// - Throws: ``AlarmTransitionError`` when the event does not fit the state (closing a closed alarm …).
    public mutating func apply(_ event: AlarmEvent, now: Date) throws(AlarmTransitionError) -> [AlarmAction] {
        switch event {
        case .conditionHeld(let at):
            guard isActive else { throw AlarmTransitionError(state: state, attempted: "update") }
            occurrences += 1
            lastHeldAt = max(lastHeldAt, at)
            if clearedAt != nil {
                clearedAt = nil
                return [.record("condition returned"), .notify("condition returned")]
            }
            return []
        case .conditionCleared(let at):
            guard isActive, clearedAt == nil else { return [] }
            clearedAt = at
            if state == .open {
                // Nobody took it and the condition is over: close it automatically, and say so.
                state = .closed
                closedBy = "system"
                stateSince = now
                return [.record("condition ended; closed automatically"), .notify("cleared")]
            }
            return [.record("condition ended"), .notify("cleared")]
        case .acknowledge(let by, let note):
            guard state == .open else { throw AlarmTransitionError(state: state, attempted: "acknowledge") }
            state = .acknowledged
            acknowledgedBy = by
            stateSince = now
            return [.record("acknowledged by \(by)" + (note.map { ": \($0)" } ?? "")), .notify("acknowledged")]
        case .dispatch(let by, let to, let note):
            guard state == .open || state == .acknowledged else { throw AlarmTransitionError(state: state, attempted: "dispatch") }
            if acknowledgedBy == nil { acknowledgedBy = by }
            state = .dispatched
            dispatchedTo = to
            stateSince = now
            return [.record("dispatched by \(by) to \(to)" + (note.map { ": \($0)" } ?? "")), .notify("dispatched")]
        case .close(let by, let note):
            guard isActive else { throw AlarmTransitionError(state: state, attempted: "close") }
            state = .closed
            closedBy = by
            stateSince = now
            return [.record("closed by \(by)" + (note.map { ": \($0)" } ?? "")), .notify("closed")]
        case .note(let by, let text):
            return [.record("note by \(by): \(text)")]
        case .tick:
            guard state == .open, let escalateAfter else { return [] }
            let deadline = raisedAt.addingTimeInterval(escalateAfter * Double(escalation + 1))
            guard now >= deadline else { return [] }
            escalation += 1
            return [.record("not acknowledged within \(Int(escalateAfter * Double(escalation)) / 60) minutes: escalated to level \(escalation)"),
                    .notify("escalated")]
        }
    }
}

/// Offline detection driven by a clock: a device that has sent nothing for the threshold is offline, whether or not
/// anything else arrives. Pure: give it the last-heard times and `now`.
public enum OfflineWatchdog {
    /// The devices silent for longer than `threshold` at `now`.
    /// - Parameters:
    ///   - lastHeard: the last time each device (by MN) was heard; nil for never.
    ///   - threshold: seconds of silence that make a device offline.
    ///   - now: the current time.
    ///   - registeredAt: when never-heard devices were registered (they are offline once `threshold` has passed since).
    public static func offline(lastHeard: [String: Date?], threshold: TimeInterval, now: Date,
                               registeredAt: [String: Date] = [:]) -> Set<String> {
        var result = Set<String>()
        for (mn, heard) in lastHeard {
            let reference = heard ?? registeredAt[mn]
            guard let reference else { continue }
            if now.timeIntervalSince(reference) > threshold { result.insert(mn) }
        }
        return result
    }
}
