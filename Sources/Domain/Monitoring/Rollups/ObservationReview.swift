import Foundation

/// A reviewer's verdict on one stored value (数据审核): mark it invalid, correct it, or confirm it valid — always with
/// a reason. The value as received is never overwritten.
public struct ObservationReview: Codable, Sendable, Equatable {
    /// The verdict.
    public var status: ReviewStatus
    /// The corrected value (required for `corrected`, refused otherwise).
    public var value: Double?
    /// Why (required).
    public var reason: String

    /// Creates a verdict.
    public init(status: ReviewStatus, value: Double? = nil, reason: String) {
        self.status = status
        self.value = value
        self.reason = reason
    }

    /// Checks the verdict is complete.
    /// - Throws: ``ReviewError`` naming the field.
    public func validate() throws(ReviewError) {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ReviewError(field: "reason", message: "a review needs a reason (审核须填写原因)")
        }
        if reason.count > 500 { throw ReviewError(field: "reason", message: "the reason is longer than 500 characters") }
        switch status {
        case .corrected:
            guard let value else { throw ReviewError(field: "value", message: "a correction needs the corrected value") }
            guard value.isFinite, value >= 0 else { throw ReviewError(field: "value", message: "the corrected value must be a non-negative number") }
        case .valid, .invalid:
            if value != nil { throw ReviewError(field: "value", message: "only a correction carries a value") }
        }
    }
}

/// Why a review was refused.
public struct ReviewError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault.
    public var field: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}
