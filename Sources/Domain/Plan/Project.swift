/// A category of the project ledger with its printed subtotal (e.g. 一、水污染防治工程 35730 万元).
public struct ProjectCategory: Codable, Sendable, Equatable {
    /// The category's position (1-based).
    public var number: Int
    /// The category's name without its ordinal, e.g. 水污染防治工程.
    public var name: String
    /// The heading as printed, e.g. 一、水污染防治工程.
    public var printed: String?
    /// The printed subtotal of the category's investment (万元).
    public var subtotal: Double

    /// Creates a category.
    public init(number: Int, name: String, printed: String? = nil, subtotal: Double) {
        self.number = number
        self.name = name
        self.printed = printed
        self.subtotal = subtotal
    }
}

/// Planned investment of a project and its split by source, in 万元 (10,000 yuan).
public struct Investment: Codable, Sendable, Equatable {
    /// Total investment (预估总投资).
    public var total: Double
    /// Fiscal (government) investment; nil when the cell is blank.
    public var fiscal: Double?
    /// Social (private) investment; nil when the cell is blank.
    public var social: Double?
    /// Other investment; nil when the cell is blank.
    public var other: Double?

    /// Creates an investment record.
    public init(total: Double, fiscal: Double?, social: Double?, other: Double?) {
        self.total = total
        self.fiscal = fiscal
        self.social = social
        self.other = other
    }

    /// Encodes every key, with `null` for blank cells.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(total, forKey: .total)
        try c.encode(fiscal, forKey: .fiscal)
        try c.encode(social, forKey: .social)
        try c.encode(other, forKey: .other)
    }
}

/// A project of the plan's ledger (项目台账).
public struct Project: Codable, Sendable, Equatable {
    /// The project's number as printed.
    public var number: Int
    /// The name of the category the project belongs to.
    public var category: String
    /// The project's name; empty where the plan gives none.
    public var name: String
    /// The lead units (牵头单位), in printed order.
    public var leadUnits: [String]
    /// The main content and scale (主要建设内容及规模).
    public var content: String
    /// The location (建设地址), e.g. 县域内.
    public var location: String
    /// The construction years as printed, e.g. `2021-2025`.
    public var years: String
    /// The first construction year.
    public var startYear: Int?
    /// The last construction year.
    public var endYear: Int?
    /// Planned investment and its split by source (万元).
    public var investment: Investment
    /// Printed texts of investment cells that say more than the number, keyed by `total`, `fiscal`, `social`, `other`.
    public var investmentText: [String: String]
    /// The remark (备注) as printed.
    public var remark: String
    /// Fields whose printed cell was blank because the table merged it with the row above.
    public var carriedDown: [String]

    enum CodingKeys: String, CodingKey {
        case number, category, name, leadUnits = "lead_units", content, location, years, startYear = "start_year"
        case endYear = "end_year", investment, investmentText = "investment_text", remark, carriedDown = "carried_down"
    }

    /// Creates a project.
    public init(
        number: Int, category: String, name: String, leadUnits: [String], content: String, location: String,
        years: String, startYear: Int? = nil, endYear: Int? = nil, investment: Investment,
        investmentText: [String: String] = [:], remark: String = "", carriedDown: [String] = []
    ) {
        self.number = number
        self.category = category
        self.name = name
        self.leadUnits = leadUnits
        self.content = content
        self.location = location
        self.years = years
        self.startYear = startYear
        self.endYear = endYear
        self.investment = investment
        self.investmentText = investmentText
        self.remark = remark
        self.carriedDown = carriedDown
    }

    /// Decodes a project; optional parts may be omitted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        number = try c.decode(Int.self, forKey: .number)
        category = try c.decode(String.self, forKey: .category)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        leadUnits = try c.decodeIfPresent([String].self, forKey: .leadUnits) ?? []
        content = try c.decodeIfPresent(String.self, forKey: .content) ?? ""
        location = try c.decodeIfPresent(String.self, forKey: .location) ?? ""
        years = try c.decodeIfPresent(String.self, forKey: .years) ?? ""
        startYear = try c.decodeIfPresent(Int.self, forKey: .startYear)
        endYear = try c.decodeIfPresent(Int.self, forKey: .endYear)
        investment = try c.decode(Investment.self, forKey: .investment)
        investmentText = try c.decodeIfPresent([String: String].self, forKey: .investmentText) ?? [:]
        remark = try c.decodeIfPresent(String.self, forKey: .remark) ?? ""
        carriedDown = try c.decodeIfPresent([String].self, forKey: .carriedDown) ?? []
    }
}

/// A policy of the plan's policy ledger (政策台账).
public struct Policy: Codable, Sendable, Equatable {
    /// The policy's number as printed.
    public var number: Int
    /// The policy's name (政策).
    public var name: String
    /// What the policy is (内容).
    public var content: String
    /// The key tasks (重点任务).
    public var keyTasks: String
    /// The lead units (牵头单位).
    public var leadUnits: [String]
    /// Where the policy comes from (来源).
    public var source: String

    enum CodingKeys: String, CodingKey { case number, name, content, keyTasks = "key_tasks", leadUnits = "lead_units", source }

    /// Creates a policy.
    public init(number: Int, name: String, content: String, keyTasks: String, leadUnits: [String], source: String) {
        self.number = number
        self.name = name
        self.content = content
        self.keyTasks = keyTasks
        self.leadUnits = leadUnits
        self.source = source
    }
}

/// A highlight of the plan's highlight ledger (亮点台账).
public struct Highlight: Codable, Sendable, Equatable {
    /// The highlight's number as printed.
    public var number: Int
    /// The highlight project (规划亮点项目).
    public var name: String
    /// The main content (主要项目内容).
    public var content: String
    /// The lead units (牵头单位).
    public var leadUnits: [String]
    /// The implementation years as printed (实施年度).
    public var years: String
    /// Fields whose printed cell was blank because the table merged it with the row above.
    public var carriedDown: [String]

    enum CodingKeys: String, CodingKey { case number, name, content, leadUnits = "lead_units", years, carriedDown = "carried_down" }

    /// Creates a highlight.
    public init(number: Int, name: String, content: String, leadUnits: [String], years: String, carriedDown: [String] = []) {
        self.number = number
        self.name = name
        self.content = content
        self.leadUnits = leadUnits
        self.years = years
        self.carriedDown = carriedDown
    }

    /// Decodes a highlight; `carried_down` may be omitted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        number = try c.decode(Int.self, forKey: .number)
        name = try c.decode(String.self, forKey: .name)
        content = try c.decodeIfPresent(String.self, forKey: .content) ?? ""
        leadUnits = try c.decodeIfPresent([String].self, forKey: .leadUnits) ?? []
        years = try c.decodeIfPresent(String.self, forKey: .years) ?? ""
        carriedDown = try c.decodeIfPresent([String].self, forKey: .carriedDown) ?? []
    }
}
