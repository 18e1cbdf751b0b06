/// The two air rule sets. GB 3095-2026, HJ 633-2026 and HJ 663-2026 took effect on 2026-03-01 and abolished
/// GB 3095-2012 (with its 2018 amendment), HJ 633-2012 and HJ 663-2013 (GB 3095-2026 and HJ 633-2026 forewords).
public enum AirRuleSet: String, Sendable, CaseIterable, Codable {
    /// HJ 633-2012, GB 3095-2012 (2018 amendment), HJ 663-2013: in force until 2026-02-28.
    case v2012 = "2012"
    /// HJ 633-2026, GB 3095-2026, HJ 663-2026: in force from 2026-03-01.
    case v2026 = "2026"

    /// The first day of the 2026 rule set.
    public static let switchDate = CivilDate(year: 2026, month: 3, day: 1)!

    /// The rule set in force on a date.
    /// - Parameter date: the natural day.
    /// - Returns: `.v2012` before 2026-03-01, `.v2026` from it.
    public static func inForce(on date: CivilDate) -> AirRuleSet { date < switchDate ? .v2012 : .v2026 }

    /// The AQI technical regulation of this rule set.
    public var aqiStandard: String { self == .v2012 ? "HJ 633-2012" : "HJ 633-2026" }
    /// The evaluation specification of this rule set.
    public var evaluationStandard: String { self == .v2012 ? "HJ 663-2013" : "HJ 663-2026" }
}

/// Which rule set a computation uses: fixed, or chosen by date.
public enum AirStandardChoice: Sendable, Hashable {
    /// The rule set in force on each date (2012 before 2026-03-01, 2026 from it).
    case auto
    /// One rule set whatever the date.
    case fixed(AirRuleSet)

    /// Reads `auto`, `2012` or `2026`.
    /// - Parameter text: the option value.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "auto": self = .auto
        case "2012": self = .fixed(.v2012)
        case "2026": self = .fixed(.v2026)
        default: return nil
        }
    }

    /// The rule set for a date.
    /// - Parameter date: the natural day.
    public func ruleSet(on date: CivilDate) -> AirRuleSet {
        switch self {
        case .auto: AirRuleSet.inForce(on: date)
        case .fixed(let ruleSet): ruleSet
        }
    }

    /// The concentration limits (GB 3095 edition and phase) for a date.
    /// - Parameter date: the natural day.
    public func limitPhase(on date: CivilDate) -> LimitPhase {
        LimitPhase.phase(of: ruleSet(on: date), on: date)
    }

    /// The limits an annual evaluation of `year` is judged against: the edition in force at the end of the year
    /// (for 2026 under `auto`: GB 3095-2026 transitional, since GB 3095-2012 is abolished).
    /// - Parameter year: the calendar year.
    public func annualLimitPhase(year: Int) -> LimitPhase {
        let lastDay = CivilDate(year: year, month: 12, day: 31)!
        return LimitPhase.phase(of: ruleSet(on: lastDay), on: lastDay)
    }

    /// The annual evaluation's rule set for `year` (that of its last day).
    /// - Parameter year: the calendar year.
    public func annualRuleSet(year: Int) -> AirRuleSet { ruleSet(on: CivilDate(year: year, month: 12, day: 31)!) }
}

/// The edition and phase of the GB 3095 concentration limits.
public enum LimitPhase: String, Sendable, CaseIterable, Codable {
    /// GB 3095-2012 表1 (with the 2018 amendment).
    case gb3095_2012 = "GB 3095-2012"
    /// GB 3095-2026 表1 transitional limits, 2026-03-01 … 2030-12-31 (§4.4).
    case gb3095_2026Transitional = "GB 3095-2026 transitional"
    /// GB 3095-2026 表1 final limits, from 2031-01-01 (§4.4).
    case gb3095_2026Final = "GB 3095-2026 final"

    /// The phase of a rule set on a date: GB 3095-2026 limits are transitional until 2030-12-31 and final from
    /// 2031-01-01 (GB 3095-2026 §4.4); dates before 2026-03-01 evaluated by the 2026 rules use the transitional
    /// limits.
    /// - Parameters:
    ///   - ruleSet: the rule set.
    ///   - date: the date.
    public static func phase(of ruleSet: AirRuleSet, on date: CivilDate) -> LimitPhase {
        switch ruleSet {
        case .v2012: .gb3095_2012
        case .v2026: date.year >= 2031 ? .gb3095_2026Final : .gb3095_2026Transitional
        }
    }
}

/// GB 3095 表1 area classes: class 1 (nature reserves, scenic areas, national parks…) and class 2 (all others).
public enum AreaClass: Int, Sendable, CaseIterable, Codable {
    /// 一类区.
    case one = 1
    /// 二类区.
    case two = 2
}

/// How the 2012 real-time report judges PM10 and PM2.5.
public enum PMHourlyRule: String, Sendable, CaseIterable, Codable {
    /// The letter of HJ 633-2012 §5.1.3 and 表4: the 24-hour moving average with the 24-hour table.
    case movingAverage24h = "24h"
    /// The common 2013–2026 practice (codified by HJ 633-2026 §4.2.4): the 1-hour value with the 24-hour table.
    case hourly1h = "1h"
}
