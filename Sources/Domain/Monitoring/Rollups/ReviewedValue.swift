public import Foundation
public import Standards

/// The outcome of data review (数据审核) for one stored value. The value as received is always kept; review adds a
/// verdict on top of it.
public enum ReviewStatus: String, Codable, Sendable, CaseIterable {
    /// Confirmed valid by a reviewer (also lifts an HJ 212 flag such as `C` that would otherwise exclude the value).
    case valid
    /// Marked invalid: it leaves every assessment.
    case invalid
    /// Replaced by a corrected value, which the assessments use instead.
    case corrected

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .valid: "确认有效"
        case .invalid: "标记无效"
        case .corrected: "已修正"
        }
    }
}

/// A stored value as the rollups see it: the value received, its HJ 212 flag, and its review.
public struct ReviewedValue: Sendable, Equatable {
    /// The pollutant code.
    public var code: String
    /// The statistic (`Avg`, `Cou` …).
    public var field: String
    /// The data kind.
    public var kind: DataKind
    /// The time the value is for (UTC).
    public var time: Date
    /// The numeric value received.
    public var value: Double?
    /// The value exactly as sent.
    public var valueText: String
    /// The HJ 212 data flag.
    public var flag: String?
    /// The review verdict, if reviewed.
    public var review: ReviewStatus?
    /// The corrected value, when the verdict is `corrected`.
    public var reviewedValue: Double?

    /// Creates a value.
    public init(code: String, field: String, kind: DataKind, time: Date, value: Double?, valueText: String, flag: String? = nil,
                review: ReviewStatus? = nil, reviewedValue: Double? = nil) {
        self.code = code
        self.field = field
        self.kind = kind
        self.time = time
        self.value = value
        self.valueText = valueText
        self.flag = flag
        self.review = review
        self.reviewedValue = reviewedValue
    }

    /// HJ 212-2017 §6.6.3 数据标记: `N` normal; `S` manual input (a value a person entered); the others (`F` stopped,
    /// `M` maintenance, `D` fault, `C` calibration, `T` over the upper range, `B` communication error) mark values that
    /// must not enter statistics unless a reviewer confirms them (HJ 630 / HJ 818 数据有效性).
    public static let validFlags: Set<String> = ["N", "S"]

    /// Sentinel numbers that loggers send for "no value" (-99, -999, 9999 …).
    public static let sentinels: Set<Double> = [-9999, -999, -99, 9999, 99999, 999999]

    /// Why the value does not enter assessments, or `nil` when it does.
    public var exclusion: String? {
        switch review {
        case .invalid: return "reviewed invalid"
        case .corrected:
            guard let reviewedValue, reviewedValue.isFinite else { return "corrected without a value" }
            return reviewedValue < 0 ? "negative" : nil
        case .valid, nil:
            break
        }
        guard let value, value.isFinite else { return "not a number" }
        if review == nil, let flag, !ReviewedValue.validFlags.contains(flag.uppercased()) { return "flag \(flag)" }
        if field != MonitoringCodes.cumulativeField, ReviewedValue.sentinels.contains(value) { return "sentinel \(valueText)" }
        if value < 0 { return "negative" }
        return nil
    }

    /// The value the assessments use — exact, from the device's own digits (or the reviewer's correction) — or `nil`
    /// when the value is excluded: reviewed invalid, flagged, a sentinel, negative or not a number.
    public var assessable: ScaledDecimal? {
        guard exclusion == nil else { return nil }
        if review == .corrected, let reviewedValue {
            return ScaledDecimal.parse(Substring(ReviewedValue.plainText(reviewedValue)))
        }
        return ScaledDecimal.parse(Substring(valueText.trimmingCharacters(in: .whitespaces)))
            ?? value.flatMap { ScaledDecimal.parse(Substring(ReviewedValue.plainText($0))) }
    }

    /// A double as plain decimal text without exponent (`35`, `0.012`).
    static func plainText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.9f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
