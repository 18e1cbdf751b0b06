public import Foundation

/// A task of a year's decomposition: a key task of the plan assigned to one unit with a deadline (第九章 强化责任落实:
/// "每年将生态环境保护工作目标、指标和任务分解落实到相关部门（单位）、各乡镇（街道）").
public struct ResponsibilityTask: Codable, Sendable, Equatable {
    /// The task's id.
    public var id: Int64
    /// The year the task belongs to.
    public var year: Int
    /// The key task of the plan it comes from (e.g. a policy's 重点任务, or a chapter's heading).
    public var keyTask: String
    /// What the unit is to do.
    public var title: String
    /// The responsible unit.
    public var organisationID: Int64
    /// The deadline, a calendar day `YYYY-MM-DD` in Asia/Shanghai.
    public var deadline: String
    /// Whether the unit reported it done, and on which day (`YYYY-MM-DD`).
    public var completedOn: String?
    /// The progress last reported, 0-100 %.
    public var progress: Double

    enum CodingKeys: String, CodingKey {
        case id, year, keyTask = "key_task", title, organisationID = "organisation_id", deadline, completedOn = "completed_on", progress
    }

    /// Creates a task.
    public init(id: Int64, year: Int, keyTask: String, title: String, organisationID: Int64, deadline: String,
                completedOn: String? = nil, progress: Double = 0) {
        self.id = id
        self.year = year
        self.keyTask = keyTask
        self.title = title
        self.organisationID = organisationID
        self.deadline = deadline
        self.completedOn = completedOn
        self.progress = progress
    }
}

/// A task's standing against its deadline.
public enum TaskStanding: String, Codable, Sendable, CaseIterable {
    /// Not done, deadline not passed.
    case open
    /// Done on or before the deadline.
    case done
    /// Done after the deadline.
    case doneLate = "done_late"
    /// Not done and the deadline has passed.
    case overdue

    /// The standing in Chinese.
    public var chineseName: String {
        switch self {
        case .open: "进行中"
        case .done: "已完成"
        case .doneLate: "逾期完成"
        case .overdue: "已逾期"
        }
    }
}

/// The overdue rule, pure: a task is overdue when it is not done and `now`, in Asia/Shanghai, is past the end of its
/// deadline day; a task done after its deadline day is done late.
public enum TaskDeadlineRule {
    /// The zone deadlines are stated in.
    public static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// The calendar day of an instant in Asia/Shanghai, `YYYY-MM-DD`.
    public static func day(of date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// Whether a text is a valid `YYYY-MM-DD` day.
    public static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1 else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: 1)),
              let range = calendar.range(of: .day, in: .month, for: date) else { return false }
        return range.contains(d)
    }

    /// The task's standing at `now`.
    /// - Parameters:
    ///   - task: the task.
    ///   - now: the instant to judge at.
    public static func standing(of task: ResponsibilityTask, now: Date) -> TaskStanding {
        if let done = task.completedOn { return done > task.deadline ? .doneLate : .done }
        return day(of: now) > task.deadline ? .overdue : .open
    }
}
