public import Domain
import SQLKit
import Foundation

/// A plan as listed: its identity and headline figures.
public struct PlanSummary: Codable, Sendable, Equatable {
    /// The plan's id.
    public var id: String
    /// The plan's title.
    public var name: String
    /// The title in English, when given.
    public var nameEn: String?
    /// The county.
    public var county: String
    /// The province-level unit.
    public var province: String
    /// First year.
    public var startYear: Int
    /// Last year.
    public var endYear: Int
    /// The vision year, when the plan has one.
    public var visionYear: Int?
    /// How many target indicators the plan has.
    public var indicatorCount: Int
    /// How many projects the ledger has.
    public var projectCount: Int
    /// The ledger's printed grand total (万元).
    public var projectsTotal: Double

    enum CodingKeys: String, CodingKey {
        case id, name, nameEn = "name_en", county, province, startYear = "start_year", endYear = "end_year"
        case visionYear = "vision_year", indicatorCount = "indicator_count", projectCount = "project_count"
        case projectsTotal = "projects_total"
    }
}

/// Per-category project counts and subtotals, and the grand total.
public struct ProjectSummary: Codable, Sendable, Equatable {
    /// One category's figures.
    public struct Category: Codable, Sendable, Equatable {
        /// The category's position.
        public var number: Int
        /// The category's name.
        public var name: String
        /// How many projects it has.
        public var count: Int
        /// Its total investment (万元), summed from its projects.
        public var total: Double
        /// Its fiscal investment (万元).
        public var fiscal: Double
        /// Its social investment (万元).
        public var social: Double
        /// Its other investment (万元).
        public var other: Double
        /// The subtotal printed in the plan (万元).
        public var printedSubtotal: Double

        enum CodingKeys: String, CodingKey {
            case number, name, count, total, fiscal, social, other, printedSubtotal = "printed_subtotal"
        }
    }

    /// The categories in order.
    public var categories: [Category]
    /// How many projects in all.
    public var count: Int
    /// The grand total (万元), summed from the projects.
    public var total: Double
    /// Fiscal investment in all (万元).
    public var fiscal: Double
    /// Social investment in all (万元).
    public var social: Double
    /// Other investment in all (万元).
    public var other: Double
    /// The grand total printed in the plan (万元).
    public var printedTotal: Double

    enum CodingKeys: String, CodingKey {
        case categories, count, total, fiscal, social, other, printedTotal = "printed_total"
    }
}

extension Store {
    /// Stores a plan, validated, in one transaction with its audit entry. Nothing of it is stored if any step fails.
    /// - Parameters:
    ///   - plan: the plan; it is validated again here.
    ///   - actor: who imports it.
    ///   - replace: whether an existing plan with the same id is replaced (otherwise that is a conflict).
    /// - Throws: ``Domain/PlanFileError`` when the plan is invalid, ``StoreError`` on a conflict or database failure.
    public func importPlan(_ plan: Plan, actor: String, replace: Bool = false) async throws {
        try plan.validate()
        let afterJSON = String(decoding: PlanFile.encode(plan), as: UTF8.self)
        try await write { db in
            let existing = try await db.select().column("id").from("plans").where("id", .equal, plan.id).first()
            var before: String?
            if existing != nil {
                guard replace else { throw StoreError.conflict("a plan with id \(plan.id) already exists (use replace to overwrite it)") }
                before = try await Store.loadPlan(plan.id, from: db).map { String(decoding: PlanFile.encode($0), as: UTF8.self) }
                try await db.delete(from: "plans").where("id", .equal, plan.id).run()
            }
            try await Store.insert(plan, actor: actor, on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: existing == nil ? "plan.import" : "plan.replace", entity: "plan", entityID: plan.id,
                before: before, after: afterJSON,
                detail: "\(plan.indicators.count) indicators, \(plan.projects.count) projects, \(plan.policies.count) policies, \(plan.highlights.count) highlights")
        }
    }

    /// Whether a plan with this id is stored.
    public func planExists(_ id: String) async throws -> Bool {
        try await reader.select().column("id").from("plans").where("id", .equal, id).first() != nil
    }

    /// Lists the stored plans, newest period first.
    public func planSummaries() async throws -> [PlanSummary] {
        let rows = try await reader.select()
            .columns("id", "name", "name_en", "county", "province", "start_year", "end_year", "vision_year", "projects_total")
            .column(SQLSubquery.select { $0.column(SQLFunction("COUNT", args: SQLLiteral.all)).from("plan_indicators")
                .where(SQLColumn("plan_id", table: "plan_indicators"), .equal, SQLColumn("id", table: "plans")) }, as: "indicator_count")
            .column(SQLSubquery.select { $0.column(SQLFunction("COUNT", args: SQLLiteral.all)).from("plan_projects")
                .where(SQLColumn("plan_id", table: "plan_projects"), .equal, SQLColumn("id", table: "plans")) }, as: "project_count")
            .from("plans")
            .orderBy("start_year", .descending).orderBy("id")
            .all()
        return try rows.map { row in
            PlanSummary(
                id: try row.decode(column: "id", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                nameEn: try row.decode(column: "name_en", as: String?.self),
                county: try row.decode(column: "county", as: String.self),
                province: try row.decode(column: "province", as: String.self),
                startYear: try row.decode(column: "start_year", as: Int.self),
                endYear: try row.decode(column: "end_year", as: Int.self),
                visionYear: try row.decode(column: "vision_year", as: Int?.self),
                indicatorCount: try row.decode(column: "indicator_count", as: Int.self),
                projectCount: try row.decode(column: "project_count", as: Int.self),
                projectsTotal: try row.decode(column: "projects_total", as: Double.self))
        }
    }

    /// Loads a whole plan, as it was imported.
    /// - Parameter id: the plan's id.
    /// - Returns: the plan, or nil when there is none with this id.
    public func plan(_ id: String) async throws -> Plan? {
        try await Store.loadPlan(id, from: reader)
    }

    /// The projects of a plan, optionally only one category's or one lead unit's, in ledger order.
    /// - Parameters:
    ///   - planID: the plan's id.
    ///   - category: a category name, when filtering by category.
    ///   - leadUnit: a lead unit, when filtering by lead unit (matches projects the unit leads, alone or jointly).
    public func projects(planID: String, category: String? = nil, leadUnit: String? = nil) async throws -> [Project] {
        var query = reader.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("p"))).from(SQLAlias(SQLIdentifier("plan_projects"), as: SQLIdentifier("p")))
            .where(SQLColumn("plan_id", table: "p"), .equal, SQLBind(planID))
        if let category { query = query.where(SQLColumn("category", table: "p"), .equal, SQLBind(category)) }
        if let leadUnit {
            query = query.where(SQLColumn("number", table: "p"), .in, SQLSubquery.select { sub in
                sub.column("project_number").from("plan_project_lead_units")
                    .where("plan_id", .equal, planID).where("unit", .equal, leadUnit)
            })
        }
        return try await query.orderBy(SQLColumn("number", table: "p")).all().map(Store.project(from:))
    }

    /// Per-category counts and investment sums, summed from the stored projects, beside the printed subtotals.
    /// - Parameter planID: the plan's id.
    /// - Returns: the summary, or nil when there is no such plan.
    public func projectSummary(planID: String) async throws -> ProjectSummary? {
        guard let planRow = try await reader.select().column("projects_total").from("plans").where("id", .equal, planID).first() else {
            return nil
        }
        let categories = try await reader.select().columns("number", "name", "subtotal").from("plan_project_categories")
            .where("plan_id", .equal, planID).orderBy("number").all()
        let sums = try await reader.select()
            .column("category")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("SUM", args: SQLColumn("investment_total")), as: "total")
            .column(SQLFunction("SUM", args: SQLFunction("COALESCE", args: SQLColumn("investment_fiscal"), SQLLiteral.numeric("0"))), as: "fiscal")
            .column(SQLFunction("SUM", args: SQLFunction("COALESCE", args: SQLColumn("investment_social"), SQLLiteral.numeric("0"))), as: "social")
            .column(SQLFunction("SUM", args: SQLFunction("COALESCE", args: SQLColumn("investment_other"), SQLLiteral.numeric("0"))), as: "other")
            .from("plan_projects").where("plan_id", .equal, planID).groupBy("category").all()
        var byName: [String: (Int, Double, Double, Double, Double)] = [:]
        for row in sums {
            byName[try row.decode(column: "category", as: String.self)] = (
                try row.decode(column: "n", as: Int.self), try row.decode(column: "total", as: Double.self),
                try row.decode(column: "fiscal", as: Double.self), try row.decode(column: "social", as: Double.self),
                try row.decode(column: "other", as: Double.self))
        }
        let list = try categories.map { row -> ProjectSummary.Category in
            let name = try row.decode(column: "name", as: String.self)
            let s = byName[name] ?? (0, 0, 0, 0, 0)
            return ProjectSummary.Category(
                number: try row.decode(column: "number", as: Int.self), name: name, count: s.0, total: s.1.wanRounded,
                fiscal: s.2.wanRounded, social: s.3.wanRounded, other: s.4.wanRounded,
                printedSubtotal: try row.decode(column: "subtotal", as: Double.self))
        }
        return ProjectSummary(
            categories: list, count: list.reduce(0) { $0 + $1.count },
            total: list.reduce(0) { $0 + $1.total }.wanRounded, fiscal: list.reduce(0) { $0 + $1.fiscal }.wanRounded,
            social: list.reduce(0) { $0 + $1.social }.wanRounded, other: list.reduce(0) { $0 + $1.other }.wanRounded,
            printedTotal: try planRow.decode(column: "projects_total", as: Double.self))
    }
}

extension Double {
    /// The amount rounded to the yuan (four decimals of 万元), so sums print without binary noise.
    var wanRounded: Double { (self * 10_000).rounded() / 10_000 }
}
