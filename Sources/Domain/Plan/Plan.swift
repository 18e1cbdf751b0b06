import Foundation

/// An eco-environment protection plan as a county publishes it: metadata, the target indicators, the review of the
/// previous plan, the project ledger, policies and highlights.
///
/// Plans are data, not code: this value is decoded from a plan file (format `qingshan.plan/1`, documented in
/// `docs/plan-format.md`, schema in `schemas/plan.schema.json`) and validated by ``Plan/validate()`` before it is stored.
public struct Plan: Codable, Sendable, Equatable {
    /// The file format tag every plan file carries.
    public static let formatTag = "qingshan.plan/1"

    /// The format tag, always ``formatTag``.
    public var format: String
    /// Stable identifier, lower-case letters, digits and dashes (e.g. `wuxi-2021-2025`).
    public var id: String
    /// The plan's title as printed.
    public var name: String
    /// The title in English, when given.
    public var nameEn: String?
    /// The administrative region the plan covers.
    public var region: Region
    /// The years the plan runs.
    public var period: Period
    /// The year of the baseline values (usually the year before the period starts).
    public var baselineYear: Int
    /// The year of the long-range vision, when the plan has one.
    public var visionYear: Int?
    /// Where the plan comes from (document title, issuing body).
    public var source: String?
    /// The title and notes of the target-indicator table.
    public var indicatorTable: IndicatorTable
    /// The target indicators.
    public var indicators: [Indicator]
    /// The review of the previous plan's indicators, when the plan has one.
    public var review: Review?
    /// The categories of the project ledger with their printed subtotals.
    public var projectCategories: [ProjectCategory]
    /// The printed grand total of the project ledger (万元).
    public var projectsTotal: Double
    /// The project ledger.
    public var projects: [Project]
    /// The policy ledger.
    public var policies: [Policy]
    /// The highlight ledger.
    public var highlights: [Highlight]

    enum CodingKeys: String, CodingKey {
        case format, id, name, nameEn = "name_en", region, period, baselineYear = "baseline_year"
        case visionYear = "vision_year", source, indicatorTable = "indicator_table", indicators, review
        case projectCategories = "project_categories", projectsTotal = "projects_total", projects, policies, highlights
    }

    /// Creates a plan from its parts.
    public init(
        format: String = Plan.formatTag, id: String, name: String, nameEn: String? = nil, region: Region,
        period: Period, baselineYear: Int, visionYear: Int? = nil, source: String? = nil,
        indicatorTable: IndicatorTable = .init(), indicators: [Indicator] = [], review: Review? = nil,
        projectCategories: [ProjectCategory] = [], projectsTotal: Double = 0, projects: [Project] = [],
        policies: [Policy] = [], highlights: [Highlight] = []
    ) {
        self.format = format
        self.id = id
        self.name = name
        self.nameEn = nameEn
        self.region = region
        self.period = period
        self.baselineYear = baselineYear
        self.visionYear = visionYear
        self.source = source
        self.indicatorTable = indicatorTable
        self.indicators = indicators
        self.review = review
        self.projectCategories = projectCategories
        self.projectsTotal = projectsTotal
        self.projects = projects
        self.policies = policies
        self.highlights = highlights
    }
}

/// The administrative region a plan covers.
public struct Region: Codable, Sendable, Equatable {
    /// The county (区县) name, e.g. 巫溪县.
    public var county: String
    /// The province-level unit, e.g. 重庆市.
    public var province: String
    /// The six-digit administrative division code (GB/T 2260), when known.
    public var adminCode: String?

    enum CodingKeys: String, CodingKey { case county, province, adminCode = "admin_code" }

    /// Creates a region.
    public init(county: String, province: String, adminCode: String? = nil) {
        self.county = county
        self.province = province
        self.adminCode = adminCode
    }
}

/// The years a plan runs, both inclusive.
public struct Period: Codable, Sendable, Equatable {
    /// The first year of the plan.
    public var startYear: Int
    /// The last year of the plan.
    public var endYear: Int

    enum CodingKeys: String, CodingKey { case startYear = "start_year", endYear = "end_year" }

    /// Creates a period.
    public init(startYear: Int, endYear: Int) {
        self.startYear = startYear
        self.endYear = endYear
    }

    /// The years of the period in order.
    public var years: ClosedRange<Int> { startYear...max(startYear, endYear) }
}
