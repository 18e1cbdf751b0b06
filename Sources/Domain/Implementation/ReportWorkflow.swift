public import Foundation

/// Where a reported figure stands in the bureau's review (填报 → 报送 → 审核通过 | 退回 → 重新报送 …).
public enum ReportState: String, Codable, Sendable, CaseIterable {
    /// 填报中: the unit is entering it; not yet sent.
    case draft
    /// 已报送: sent to the bureau, waiting for review; locked for the unit.
    case submitted
    /// 已审核: approved by the bureau; counts in statuses and reports; locked.
    case approved
    /// 已退回: sent back to the unit with a reason; editable again.
    case returned

    /// The state's name in Chinese.
    public var chineseName: String {
        switch self {
        case .draft: "填报中"
        case .submitted: "待审核"
        case .approved: "已审核"
        case .returned: "已退回"
        }
    }

    /// The state's name in English.
    public var englishName: String {
        switch self {
        case .draft: "draft"
        case .submitted: "submitted"
        case .approved: "approved"
        case .returned: "returned"
        }
    }
}

/// Why a workflow event was refused.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable { case notAllowedInState, reasonRequired }
    private let code: Code
    /// The state the record was in.
    public let state: ReportState
    /// The event that was refused, by name.
    public let event: String

    /// The event is not allowed in the record's current state.
    public static func notAllowed(_ event: String, in state: ReportState) -> WorkflowError {
        WorkflowError(code: .notAllowedInState, state: state, event: event)
    }

    /// Returning or reopening needs a reason.
    public static func reasonRequired(_ event: String, in state: ReportState) -> WorkflowError {
        WorkflowError(code: .reasonRequired, state: state, event: event)
    }

    /// Whether the refusal is for lack of a reason.
    public var isReasonRequired: Bool { code == .reasonRequired }

    /// The message.
    public var description: String {
        switch code {
        case .notAllowedInState: "\(event) is not possible while the record is \(state.englishName) (\(state.chineseName))"
        case .reasonRequired: "\(event) needs a reason"
        }
    }
}

/// The review workflow of a unit's yearly figure, as a pure state machine.
///
/// 第九章 强化责任落实: targets are decomposed to units each year and assessed by the bureau. A unit enters a figure
/// (``Event/edit``) and sends it (``Event/submit``); the bureau approves it or returns it with a reason; a returned
/// figure is corrected and sent again (a new round); an approved figure is locked until the bureau reopens it with a
/// reason. No clock and no I/O: the caller passes `now` and performs the returned ``Action``s.
public struct ReportWorkflow: Sendable, Equatable, Codable {
    /// An event of the workflow.
    public enum Event: Sendable, Equatable {
        /// The figure or its source/evidence was changed.
        case edit
        /// The unit sends the figure to the bureau.
        case submit
        /// The unit takes a submitted figure back before review.
        case withdraw
        /// The bureau approves.
        case approve
        /// The bureau sends it back, saying why.
        case sendBack(reason: String)
        /// The bureau reopens an approved figure for correction, saying why.
        case reopen(reason: String)

        /// The event's name, for messages and audit actions.
        public var name: String {
            switch self {
            case .edit: "edit"
            case .submit: "submit"
            case .withdraw: "withdraw"
            case .approve: "approve"
            case .sendBack: "return"
            case .reopen: "reopen"
            }
        }

        /// Whether only bureau staff may cause this event.
        public var needsReviewer: Bool {
            switch self {
            case .approve, .sendBack, .reopen: true
            case .edit, .submit, .withdraw: false
            }
        }
    }

    /// What the caller must do after a transition.
    public enum Action: Sendable, Equatable {
        /// Write the audit entry with this action name (e.g. `indicator_value.submit`).
        case audit(String)
        /// Tell the bureau that a figure waits for review.
        case notifyReviewers
        /// Tell the unit that its figure was returned, and why.
        case notifyUnit(reason: String)
        /// The approved figure now counts in statuses and reports.
        case publish
        /// The figure no longer counts (it was reopened).
        case unpublish
    }

    /// The current state.
    public private(set) var state: ReportState
    /// How many times the figure was submitted (1 for the first submission, 2 after the first return …).
    public private(set) var round: Int
    /// The last reason given for returning or reopening, kept until the next approval.
    public private(set) var reason: String?
    /// When it was last submitted.
    public private(set) var submittedAt: Date?
    /// When the bureau last decided (approved, returned or reopened).
    public private(set) var decidedAt: Date?
    /// When it was last changed by any event.
    public private(set) var updatedAt: Date?

    /// A new figure, in draft.
    public init() {
        state = .draft
        round = 0
    }

    /// Restores a stored workflow.
    public init(state: ReportState, round: Int, reason: String?, submittedAt: Date?, decidedAt: Date?, updatedAt: Date?) {
        self.state = state
        self.round = round
        self.reason = reason
        self.submittedAt = submittedAt
        self.decidedAt = decidedAt
        self.updatedAt = updatedAt
    }

    /// Whether the unit may change the figure now.
    public var isEditable: Bool { state == .draft || state == .returned }

    /// Applies an event.
    /// - Parameters:
    ///   - event: what happened.
    ///   - now: the time of the event.
    ///   - prefix: the audit action prefix, e.g. `indicator_value`.
    /// - Returns: the actions to perform, in order.
    /// - Throws: ``WorkflowError`` when the event is not possible in the current state or lacks a reason; the state is
    ///   then unchanged.
    public mutating func apply(_ event: Event, now: Date, prefix: String = "report") throws(WorkflowError) -> [Action] {
        let audit = Action.audit("\(prefix).\(event.name)")
        switch (state, event) {
        case (.draft, .edit), (.returned, .edit):
            updatedAt = now
            return [audit]
        case (.draft, .submit), (.returned, .submit):
            state = .submitted
            round += 1
            submittedAt = now
            updatedAt = now
            return [audit, .notifyReviewers]
        case (.submitted, .withdraw):
            state = .draft
            updatedAt = now
            return [audit]
        case (.submitted, .approve):
            state = .approved
            reason = nil
            decidedAt = now
            updatedAt = now
            return [audit, .publish]
        case (.submitted, .sendBack(let why)):
            let why = why.trimmingPlanWhitespace()
            guard !why.isEmpty else { throw .reasonRequired(event.name, in: state) }
            state = .returned
            reason = why
            decidedAt = now
            updatedAt = now
            return [audit, .notifyUnit(reason: why)]
        case (.approved, .reopen(let why)):
            let why = why.trimmingPlanWhitespace()
            guard !why.isEmpty else { throw .reasonRequired(event.name, in: state) }
            state = .returned
            reason = why
            decidedAt = now
            updatedAt = now
            return [audit, .unpublish, .notifyUnit(reason: why)]
        default:
            throw .notAllowed(event.name, in: state)
        }
    }
}
