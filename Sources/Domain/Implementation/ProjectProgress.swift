/// A project's state in a year (第八章 强化项目实施监管).
public enum ProjectStatus: String, Codable, Sendable, CaseIterable {
    /// 未开工.
    case notStarted = "not_started"
    /// 实施中.
    case inProgress = "in_progress"
    /// 已完工 (建成).
    case completed
    /// 滞后.
    case delayed
    /// 已取消 (退出).
    case cancelled
    /// 已调整: the site, scale or technical plan was changed by the 评估调整 procedure.
    case adjusted

    /// The status in Chinese.
    public var chineseName: String {
        switch self {
        case .notStarted: "未开工"
        case .inProgress: "实施中"
        case .completed: "已完工"
        case .delayed: "滞后"
        case .cancelled: "已取消"
        case .adjusted: "已调整"
        }
    }

    /// The status in English.
    public var englishName: String {
        switch self {
        case .notStarted: "not started"
        case .inProgress: "in progress"
        case .completed: "completed"
        case .delayed: "delayed"
        case .cancelled: "cancelled"
        case .adjusted: "adjusted"
        }
    }

    /// Whether the status needs a reason: 第八章 "确需调整建设地点、建设规模、技术方案的应当按程序适时调整" — an adjustment,
    /// a cancellation and a delay are explained.
    public var needsReason: Bool { self == .adjusted || self == .cancelled || self == .delayed }

    /// Whether the project is finished one way or another (not carried into the next plan).
    public var isClosed: Bool { self == .completed || self == .cancelled }
}

/// Amounts by source of funds, in 万元.
public struct Funds: Codable, Sendable, Equatable {
    /// Fiscal (government) funds.
    public var fiscal: Double
    /// Social (private) funds.
    public var social: Double
    /// Other funds.
    public var other: Double

    /// Creates an amount by source.
    public init(fiscal: Double = 0, social: Double = 0, other: Double = 0) {
        self.fiscal = fiscal
        self.social = social
        self.other = other
    }

    /// The sum of the three sources.
    public var total: Double { fiscal + social + other }

    /// Adds two amounts source by source.
    public static func + (lhs: Funds, rhs: Funds) -> Funds {
        Funds(fiscal: lhs.fiscal + rhs.fiscal, social: lhs.social + rhs.social, other: lhs.other + rhs.other)
    }

    /// Nothing.
    public static let zero = Funds()
}

/// A project's progress in one year: funds in place and spent by source, physical progress, status and the yearly
/// 绩效评价 score.
public struct ProjectYearProgress: Codable, Sendable, Equatable {
    /// The project's number in the plan's ledger.
    public var projectNumber: Int
    /// The year.
    public var year: Int
    /// Funds that arrived in the year (到位资金), by source.
    public var inPlace: Funds
    /// Funds spent in the year (完成投资), by source.
    public var spent: Funds
    /// Physical progress at the end of the year, 0-100 %.
    public var physicalProgress: Double
    /// The project's status.
    public var status: ProjectStatus
    /// Why the project was adjusted, cancelled or delayed.
    public var statusReason: String
    /// The yearly performance evaluation score (0-100), when evaluated.
    public var score: Double?
    /// The evaluation's comments.
    public var scoreComment: String

    enum CodingKeys: String, CodingKey {
        case projectNumber = "project_number", year, inPlace = "in_place", spent, physicalProgress = "physical_progress"
        case status, statusReason = "status_reason", score, scoreComment = "score_comment"
    }

    /// Creates a year's progress.
    public init(
        projectNumber: Int, year: Int, inPlace: Funds = .zero, spent: Funds = .zero, physicalProgress: Double = 0,
        status: ProjectStatus = .notStarted, statusReason: String = "", score: Double? = nil, scoreComment: String = ""
    ) {
        self.projectNumber = projectNumber
        self.year = year
        self.inPlace = inPlace
        self.spent = spent
        self.physicalProgress = physicalProgress
        self.status = status
        self.statusReason = statusReason
        self.score = score
        self.scoreComment = scoreComment
    }

    /// The problems that keep this record from being stored, each naming its field; empty when it is valid.
    ///
    /// Amounts are not negative; spending of a source, summed over the years up to this one, does not exceed what was
    /// in place for it by then (funds that arrived in an earlier year may be spent later); progress and score lie in
    /// 0-100; a completed project is at 100 %; an adjusted, cancelled or delayed project says why.
    /// - Parameter earlier: the project's records of other years; those before this year count in the funds check.
    public func problems(earlier: [ProjectYearProgress] = []) -> [ImplementationProblem] {
        var found: [ImplementationProblem] = []
        for (name, value) in [("in_place.fiscal", inPlace.fiscal), ("in_place.social", inPlace.social), ("in_place.other", inPlace.other),
                              ("spent.fiscal", spent.fiscal), ("spent.social", spent.social), ("spent.other", spent.other)] {
            if value < 0 || !value.isFinite { found.append(.init(field: name, message: "must be a non-negative amount (万元)")) }
        }
        let before = earlier.filter { $0.year < year }
        let placed = before.reduce(inPlace) { $0 + $1.inPlace }, used = before.reduce(spent) { $0 + $1.spent }
        for (name, place, spend) in [("fiscal", placed.fiscal, used.fiscal), ("social", placed.social, used.social),
                                     ("other", placed.other, used.other)] where spend > place + 1e-9 {
            found.append(.init(field: "spent.\(name)", message: "spent \(IndicatorRule.format(spend)) so far exceeds the \(IndicatorRule.format(place)) in place so far (累计完成投资不能超过累计到位资金)"))
        }
        if !(0...100).contains(physicalProgress) { found.append(.init(field: "physical_progress", message: "must lie between 0 and 100 %")) }
        if status == .completed && physicalProgress < 100 {
            found.append(.init(field: "physical_progress", message: "a completed project is at 100 % (已完工项目形象进度应为 100%)"))
        }
        if status.needsReason && statusReason.trimmingPlanWhitespace().isEmpty {
            found.append(.init(field: "status_reason", message: "the status \(status.chineseName) needs a reason (评估调整须说明原因)"))
        }
        if let score, !(0...100).contains(score) { found.append(.init(field: "score", message: "must lie between 0 and 100")) }
        return found
    }
}

/// A milestone of a project, with its planned and actual dates (`YYYY-MM-DD`).
public struct Milestone: Codable, Sendable, Equatable {
    /// The milestone's id.
    public var id: Int64
    /// The project's number.
    public var projectNumber: Int
    /// What is reached (e.g. 可研批复, 开工, 完工验收).
    public var title: String
    /// The planned date.
    public var due: String
    /// The date it was reached, when it was.
    public var done: String?

    enum CodingKeys: String, CodingKey { case id, projectNumber = "project_number", title, due, done }

    /// Creates a milestone.
    public init(id: Int64, projectNumber: Int, title: String, due: String, done: String? = nil) {
        self.id = id
        self.projectNumber = projectNumber
        self.title = title
        self.due = due
        self.done = done
    }
}

/// A problem with submitted implementation data, naming the field.
public struct ImplementationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The field at fault.
    public var field: String
    /// What is wrong.
    public var message: String

    /// Creates a problem.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}

/// A project with its progress up to a year, as the rollups and reports see it.
public struct ProjectStanding: Sendable, Equatable {
    /// The project as planned.
    public var project: Project
    /// Funds in place, summed over the years up to the year.
    public var inPlace: Funds
    /// Funds spent, summed over the years up to the year.
    public var spent: Funds
    /// The status in the latest year with a record (not started when none).
    public var status: ProjectStatus
    /// The reason given with that status.
    public var statusReason: String
    /// Physical progress in the latest year with a record.
    public var physicalProgress: Double
    /// The performance score of the year, when evaluated.
    public var score: Double?
    /// The score's comments.
    public var scoreComment: String
    /// The townships the project's location names.
    public var townships: [String]

    /// Spent as a share of planned total investment, in % (nil when the plan gives no amount).
    public var investmentCompletion: Double? {
        project.investment.total > 0 ? spent.total / project.investment.total * 100 : nil
    }

    /// Folds yearly records up to `year` into a standing.
    /// - Parameters:
    ///   - project: the planned project.
    ///   - records: its yearly progress, any order.
    ///   - year: the last year that counts.
    ///   - townships: the townships the location names.
    public init(project: Project, records: [ProjectYearProgress], year: Int, townships: [String] = []) {
        self.project = project
        let counted = records.filter { $0.year <= year }.sorted { $0.year < $1.year }
        inPlace = counted.reduce(.zero) { $0 + $1.inPlace }
        spent = counted.reduce(.zero) { $0 + $1.spent }
        let latest = counted.last
        status = latest?.status ?? .notStarted
        statusReason = latest?.statusReason ?? ""
        physicalProgress = latest?.physicalProgress ?? 0
        let ofYear = counted.first { $0.year == year }
        score = ofYear?.score
        scoreComment = ofYear?.scoreComment ?? ""
        self.townships = townships
    }
}

/// Totals of planned and actual investment for a group of projects (a category, a lead unit, a township).
public struct ProjectRollup: Sendable, Equatable {
    /// The group's name.
    public var name: String
    /// How many projects.
    public var count: Int
    /// Planned total investment (万元).
    public var planned: Double
    /// Funds in place by source.
    public var inPlace: Funds
    /// Funds spent by source.
    public var spent: Funds
    /// How many are completed.
    public var completed: Int

    /// Spent as a share of planned, in %.
    public var completion: Double? { planned > 0 ? spent.total / planned * 100 : nil }

    /// Groups standings and sums them. A project led jointly by several units counts in full for each of them (so
    /// the lead-unit totals may add up to more than the ledger's total).
    /// - Parameters:
    ///   - standings: the projects with their progress.
    ///   - key: the groups a project belongs to.
    /// - Returns: one rollup per group, in order of first appearance.
    public static func group(_ standings: [ProjectStanding], by key: (ProjectStanding) -> [String]) -> [ProjectRollup] {
        var order: [String] = []
        var totals: [String: ProjectRollup] = [:]
        for standing in standings {
            var seen: Set<String> = []
            for name in key(standing) where seen.insert(name).inserted {
                if totals[name] == nil {
                    order.append(name)
                    totals[name] = ProjectRollup(name: name, count: 0, planned: 0, inPlace: .zero, spent: .zero, completed: 0)
                }
                totals[name]!.count += 1
                totals[name]!.planned += standing.project.investment.total
                totals[name]!.inPlace = totals[name]!.inPlace + standing.inPlace
                totals[name]!.spent = totals[name]!.spent + standing.spent
                if standing.status == .completed { totals[name]!.completed += 1 }
            }
        }
        return order.compactMap { totals[$0] }
    }

    /// The rollups by category, lead unit and township.
    public static func byCategory(_ standings: [ProjectStanding]) -> [ProjectRollup] { group(standings) { [$0.project.category] } }
    /// The rollups by lead unit (joint leads count for each).
    public static func byLeadUnit(_ standings: [ProjectStanding]) -> [ProjectRollup] {
        group(standings) { $0.project.leadUnits.isEmpty ? ["未注明"] : $0.project.leadUnits }
    }
    /// The rollups by township named in the location; a project whose location names no township counts under its
    /// location as printed (县域内, 县城内), or 县域内 when blank.
    public static func byTownship(_ standings: [ProjectStanding]) -> [ProjectRollup] {
        group(standings) { standing in
            if !standing.townships.isEmpty { return standing.townships }
            let location = standing.project.location.trimmingPlanWhitespace()
            return [location.isEmpty ? "县域内" : location]
        }
    }
    /// The total of all standings.
    public static func total(_ standings: [ProjectStanding]) -> ProjectRollup {
        group(standings) { _ in ["合计"] }.first ?? ProjectRollup(name: "合计", count: 0, planned: 0, inPlace: .zero, spent: .zero, completed: 0)
    }
}

/// Where a project of the dynamic reserve (项目储备库) stands: 充实一批 (added), 纳入实施, 建成一批 (built), 退出一批 (retired).
public enum ReserveStatus: String, Codable, Sendable, CaseIterable {
    /// In the reserve, being prepared (可研、初设、招投标).
    case reserve
    /// Taken into implementation.
    case active
    /// Built.
    case built
    /// Retired from the reserve.
    case retired

    /// The status in Chinese.
    public var chineseName: String {
        switch self {
        case .reserve: "储备中"
        case .active: "已纳入实施"
        case .built: "已建成"
        case .retired: "已退出"
        }
    }

    /// The statuses a reserve project may move to from this one; a retired or built project stays so.
    public var next: [ReserveStatus] {
        switch self {
        case .reserve: [.active, .retired]
        case .active: [.built, .retired, .reserve]
        case .built, .retired: []
        }
    }
}
