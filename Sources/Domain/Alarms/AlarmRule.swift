public import Foundation

/// A condition over the latest values of a site, combined with AND/OR.
///
/// A rule holds when its condition has held without a break for ``AlarmRule/duration`` (e.g. "COD over its limit for
/// 3 consecutive hours"). Conditions are values: the evaluator is pure and tested without I/O.
public indirect enum AlarmCondition: Codable, Sendable, Equatable {
    /// A pollutant's value compared with a threshold, e.g. `w01018 Avg > 50`.
    case threshold(code: String, field: String, comparison: Comparison, value: Double)
    /// A pollutant's value above the site's permitted limit for it (outlets).
    case overLimit(code: String, field: String)
    /// The pollutant's data flag is one of these (e.g. D, F, M: fault, stopped, maintenance).
    case flagIn(code: String, flags: [String])
    /// A water section's class worse than its target class.
    case worseThanTargetClass
    /// The hourly AQI above a value (e.g. 200: 中度污染 or worse).
    case aqiAbove(Int)
    /// All of these hold.
    case all([AlarmCondition])
    /// Any of these holds.
    case any([AlarmCondition])

    /// How a value is compared with a threshold.
    public enum Comparison: String, Codable, Sendable {
        /// Greater than.
        case greater = ">"
        /// Greater than or equal.
        case greaterOrEqual = ">="
        /// Less than (e.g. dissolved oxygen).
        case less = "<"
        /// Less than or equal.
        case lessOrEqual = "<="

        func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .greater: value > threshold
            case .greaterOrEqual: value >= threshold
            case .less: value < threshold
            case .lessOrEqual: value <= threshold
            }
        }
    }
}

/// What the evaluator sees of a site at one time step: values and flags by `code-field`, the site's limits, and the
/// derived figures (AQI, water class) when known.
public struct AlarmSnapshot: Sendable, Equatable {
    /// The time step (e.g. the start of the hour).
    public var time: Date
    /// Values by `code` then `field` (`w01018` → `Avg` → 63.2).
    public var values: [String: [String: Double]]
    /// Data flags by code.
    public var flags: [String: String]
    /// Permitted limits by code (outlets).
    public var limits: [String: Double]
    /// The hourly AQI, when computed.
    public var aqi: Int?
    /// The water class (1-6), when computed.
    public var waterClass: Int?
    /// The target water class (1-5), when the site has one.
    public var targetClass: Int?

    /// Creates a snapshot.
    public init(time: Date, values: [String: [String: Double]] = [:], flags: [String: String] = [:], limits: [String: Double] = [:],
                aqi: Int? = nil, waterClass: Int? = nil, targetClass: Int? = nil) {
        self.time = time
        self.values = values
        self.flags = flags
        self.limits = limits
        self.aqi = aqi
        self.waterClass = waterClass
        self.targetClass = targetClass
    }
}

extension AlarmCondition {
    /// Whether the condition holds in a snapshot. A value that is missing never makes a condition hold.
    public func holds(in snapshot: AlarmSnapshot) -> Bool {
        switch self {
        case .threshold(let code, let field, let comparison, let threshold):
            guard let value = snapshot.values[code]?[field] else { return false }
            return comparison.holds(value, threshold)
        case .overLimit(let code, let field):
            guard let value = snapshot.values[code]?[field], let limit = snapshot.limits[code] else { return false }
            return value > limit
        case .flagIn(let code, let flags):
            guard let flag = snapshot.flags[code] else { return false }
            return flags.contains(flag)
        case .worseThanTargetClass:
            guard let actual = snapshot.waterClass, let target = snapshot.targetClass else { return false }
            return actual > target
        case .aqiAbove(let limit):
            guard let aqi = snapshot.aqi else { return false }
            return aqi > limit
        case .all(let conditions):
            return !conditions.isEmpty && conditions.allSatisfy { $0.holds(in: snapshot) }
        case .any(let conditions):
            return conditions.contains { $0.holds(in: snapshot) }
        }
    }
}

/// How serious an alarm is.
public enum AlarmSeverity: String, Codable, Sendable, CaseIterable, Comparable {
    /// For information.
    case info
    /// Needs attention.
    case warning
    /// Needs action now.
    case critical

    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }

    /// Orders by seriousness.
    public static func < (lhs: AlarmSeverity, rhs: AlarmSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// An alarm rule: a condition, how long it must hold, where it applies, how serious it is and when to escalate.
public struct AlarmRule: Codable, Sendable, Equatable {
    /// The rule's id.
    public var id: String
    /// The rule's name, e.g. 排放口COD连续3小时超标.
    public var name: String
    /// The condition.
    public var condition: AlarmCondition
    /// How many consecutive time steps the condition must hold before the alarm is raised (1 = at once).
    public var duration: Int
    /// How many consecutive time steps without the condition clear the alarm.
    public var clearAfter: Int
    /// The sites the rule applies to; empty means every site of ``siteKind``.
    public var siteCodes: [String]
    /// The kind of site the rule applies to, when not listing sites.
    public var siteKind: SiteKind?
    /// How serious the alarm is.
    public var severity: AlarmSeverity
    /// Escalate when not acknowledged within this many seconds.
    public var escalateAfter: TimeInterval?

    enum CodingKeys: String, CodingKey {
        case id, name, condition, duration, clearAfter = "clear_after", siteCodes = "site_codes", siteKind = "site_kind", severity
        case escalateAfter = "escalate_after"
    }

    /// Creates a rule.
    public init(id: String, name: String, condition: AlarmCondition, duration: Int = 1, clearAfter: Int = 1, siteCodes: [String] = [],
                siteKind: SiteKind? = nil, severity: AlarmSeverity = .warning, escalateAfter: TimeInterval? = nil) {
        self.id = id
        self.name = name
        self.condition = condition
        self.duration = max(1, duration)
        self.clearAfter = max(1, clearAfter)
        self.siteCodes = siteCodes
        self.siteKind = siteKind
        self.severity = severity
        self.escalateAfter = escalateAfter
    }

    /// Whether the rule applies to a site.
    public func applies(to site: Site) -> Bool {
        if !siteCodes.isEmpty { return siteCodes.contains(site.code) }
        if let siteKind { return site.kind == siteKind }
        return true
    }
}

/// Tracks one rule at one site across time steps: raises after the condition held for the rule's duration, clears
/// after it has been absent for the rule's `clearAfter` steps. Pure: feed it snapshots in time order.
public struct RuleTracker: Sendable, Equatable {
    /// What the tracker concluded at a step.
    public enum Outcome: Sendable, Equatable {
        /// Nothing changed.
        case none
        /// The condition has held long enough: raise (or keep) the alarm; `since` is when it started holding.
        case raise(since: Date)
        /// The condition has ended long enough: clear the alarm.
        case clear(at: Date)
    }

    /// The rule.
    public let rule: AlarmRule
    /// Consecutive steps the condition has held.
    public private(set) var heldSteps = 0
    /// Consecutive steps the condition has not held.
    public private(set) var absentSteps = 0
    /// When the current run of holding started.
    public private(set) var heldSince: Date?
    /// Whether the alarm is up.
    public private(set) var raised = false

    /// Creates a tracker for a rule.
    public init(rule: AlarmRule) { self.rule = rule }

    /// Takes the next snapshot.
    public mutating func step(_ snapshot: AlarmSnapshot) -> Outcome {
        if rule.condition.holds(in: snapshot) {
            if heldSteps == 0 { heldSince = snapshot.time }
            heldSteps += 1
            absentSteps = 0
            if heldSteps >= rule.duration, let heldSince {
                let wasRaised = raised
                raised = true
                return wasRaised ? .none : .raise(since: heldSince)
            }
            return .none
        }
        heldSteps = 0
        heldSince = nil
        absentSteps += 1
        if raised && absentSteps >= rule.clearAfter {
            raised = false
            return .clear(at: snapshot.time)
        }
        return .none
    }
}
