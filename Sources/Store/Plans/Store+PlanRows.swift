import Domain
import Foundation
import SQLKit

/// Converting between a ``Domain/Plan`` and its rows. Nested values (cells, lists) are stored as JSON text so one
/// schema serves both engines.
extension Store {
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("stored \(what) cannot be read: \(error)")
        }
    }

    static func insert(_ plan: Plan, actor: String, on db: any SQLDatabase) async throws {
        try await db.insert(into: "plans")
            .columns("id", "format", "name", "name_en", "county", "province", "admin_code", "start_year", "end_year",
                     "baseline_year", "vision_year", "source", "indicator_table_title", "indicator_notes", "projects_total",
                     "review_title", "review_base_year", "review_target_year", "imported_at", "imported_by")
            .values(
                SQLBind(plan.id), SQLBind(plan.format), SQLBind(plan.name), SQLBind(plan.nameEn), SQLBind(plan.region.county),
                SQLBind(plan.region.province), SQLBind(plan.region.adminCode), SQLBind(plan.period.startYear),
                SQLBind(plan.period.endYear), SQLBind(plan.baselineYear), SQLBind(plan.visionYear), SQLBind(plan.source),
                SQLBind(plan.indicatorTable.title), SQLBind(json(plan.indicatorTable.notes)), SQLBind(plan.projectsTotal),
                SQLBind(plan.review?.title), SQLBind(plan.review?.baseYear), SQLBind(plan.review?.targetYear),
                SQLBind(Int64(Date.now.timeIntervalSince1970)), SQLBind(actor))
            .run()

        for indicator in plan.indicators {
            try await db.insert(into: "plan_indicators")
                .columns("plan_id", "number", "domain", "name", "unit", "type", "type_text", "baseline", "baseline_value",
                         "target", "target_value", "carried_down")
                .values(
                    SQLBind(plan.id), SQLBind(indicator.number), SQLBind(indicator.domain), SQLBind(indicator.name),
                    SQLBind(indicator.unit), SQLBind(indicator.type.rawValue), SQLBind(indicator.typeText),
                    SQLBind(json(indicator.baseline)), SQLBind(indicator.baseline.value), SQLBind(json(indicator.target)),
                    SQLBind(indicator.target.value), SQLBind(json(indicator.carriedDown)))
                .run()
        }
        for indicator in plan.review?.indicators ?? [] {
            try await db.insert(into: "plan_review_indicators")
                .columns("plan_id", "number", "category", "name", "data")
                .values(SQLBind(plan.id), SQLBind(indicator.number), SQLBind(indicator.category), SQLBind(indicator.name),
                        SQLBind(json(indicator)))
                .run()
        }
        for category in plan.projectCategories {
            try await db.insert(into: "plan_project_categories")
                .columns("plan_id", "number", "name", "printed", "subtotal")
                .values(SQLBind(plan.id), SQLBind(category.number), SQLBind(category.name), SQLBind(category.printed),
                        SQLBind(category.subtotal))
                .run()
        }
        for project in plan.projects {
            try await db.insert(into: "plan_projects")
                .columns("plan_id", "number", "category", "name", "lead_units", "content", "location", "years", "start_year",
                         "end_year", "investment_total", "investment_fiscal", "investment_social", "investment_other",
                         "investment_text", "remark", "carried_down")
                .values(
                    SQLBind(plan.id), SQLBind(project.number), SQLBind(project.category), SQLBind(project.name),
                    SQLBind(json(project.leadUnits)), SQLBind(project.content), SQLBind(project.location), SQLBind(project.years),
                    SQLBind(project.startYear), SQLBind(project.endYear), SQLBind(project.investment.total),
                    SQLBind(project.investment.fiscal), SQLBind(project.investment.social), SQLBind(project.investment.other),
                    SQLBind(json(project.investmentText)), SQLBind(project.remark), SQLBind(json(project.carriedDown)))
                .run()
            for (position, unit) in project.leadUnits.enumerated() {
                try await db.insert(into: "plan_project_lead_units")
                    .columns("plan_id", "project_number", "position", "unit")
                    .values(SQLBind(plan.id), SQLBind(project.number), SQLBind(position), SQLBind(unit))
                    .run()
            }
        }
        for policy in plan.policies {
            try await db.insert(into: "plan_policies")
                .columns("plan_id", "number", "name", "content", "key_tasks", "lead_units", "source")
                .values(SQLBind(plan.id), SQLBind(policy.number), SQLBind(policy.name), SQLBind(policy.content),
                        SQLBind(policy.keyTasks), SQLBind(json(policy.leadUnits)), SQLBind(policy.source))
                .run()
        }
        for highlight in plan.highlights {
            try await db.insert(into: "plan_highlights")
                .columns("plan_id", "number", "name", "content", "lead_units", "years", "carried_down")
                .values(SQLBind(plan.id), SQLBind(highlight.number), SQLBind(highlight.name), SQLBind(highlight.content),
                        SQLBind(json(highlight.leadUnits)), SQLBind(highlight.years), SQLBind(json(highlight.carriedDown)))
                .run()
        }
    }

    static func loadPlan(_ id: String, from db: any SQLDatabase) async throws -> Plan? {
        guard let row = try await db.select().column("*").from("plans").where("id", .equal, id).first() else { return nil }
        var plan = Plan(
            format: try row.decode(column: "format", as: String.self),
            id: id,
            name: try row.decode(column: "name", as: String.self),
            nameEn: try row.decode(column: "name_en", as: String?.self),
            region: Region(county: try row.decode(column: "county", as: String.self),
                           province: try row.decode(column: "province", as: String.self),
                           adminCode: try row.decode(column: "admin_code", as: String?.self)),
            period: Period(startYear: try row.decode(column: "start_year", as: Int.self),
                           endYear: try row.decode(column: "end_year", as: Int.self)),
            baselineYear: try row.decode(column: "baseline_year", as: Int.self),
            visionYear: try row.decode(column: "vision_year", as: Int?.self),
            source: try row.decode(column: "source", as: String?.self),
            indicatorTable: IndicatorTable(
                title: try row.decode(column: "indicator_table_title", as: String.self),
                notes: try decodeJSON([String].self, try row.decode(column: "indicator_notes", as: String.self), what: "indicator notes")),
            projectsTotal: try row.decode(column: "projects_total", as: Double.self))

        plan.indicators = try await db.select().column("*").from("plan_indicators").where("plan_id", .equal, id)
            .orderBy("number").all().map { r in
                Indicator(
                    number: try r.decode(column: "number", as: Int.self),
                    domain: try r.decode(column: "domain", as: String.self),
                    name: try r.decode(column: "name", as: String.self),
                    unit: try r.decode(column: "unit", as: String.self),
                    type: IndicatorType(rawValue: try r.decode(column: "type", as: String.self)) ?? .expected,
                    typeText: try r.decode(column: "type_text", as: String?.self),
                    baseline: try decodeJSON(PlanValue.self, try r.decode(column: "baseline", as: String.self), what: "baseline"),
                    target: try decodeJSON(PlanValue.self, try r.decode(column: "target", as: String.self), what: "target"),
                    carriedDown: try decodeJSON([String].self, try r.decode(column: "carried_down", as: String.self), what: "carried_down"))
            }
        if let title = try row.decode(column: "review_title", as: String?.self) {
            let reviewed = try await db.select().column("data").from("plan_review_indicators").where("plan_id", .equal, id)
                .orderBy("number").all().map { r in
                    try decodeJSON(ReviewIndicator.self, try r.decode(column: "data", as: String.self), what: "review indicator")
                }
            plan.review = Review(
                title: title, baseYear: try row.decode(column: "review_base_year", as: Int?.self) ?? 0,
                targetYear: try row.decode(column: "review_target_year", as: Int?.self) ?? 0, indicators: reviewed)
        }
        plan.projectCategories = try await db.select().column("*").from("plan_project_categories").where("plan_id", .equal, id)
            .orderBy("number").all().map { r in
                ProjectCategory(
                    number: try r.decode(column: "number", as: Int.self), name: try r.decode(column: "name", as: String.self),
                    printed: try r.decode(column: "printed", as: String?.self), subtotal: try r.decode(column: "subtotal", as: Double.self))
            }
        plan.projects = try await db.select().column("*").from("plan_projects").where("plan_id", .equal, id)
            .orderBy("number").all().map(project(from:))
        plan.policies = try await db.select().column("*").from("plan_policies").where("plan_id", .equal, id)
            .orderBy("number").all().map { r in
                Policy(
                    number: try r.decode(column: "number", as: Int.self), name: try r.decode(column: "name", as: String.self),
                    content: try r.decode(column: "content", as: String.self),
                    keyTasks: try r.decode(column: "key_tasks", as: String.self),
                    leadUnits: try decodeJSON([String].self, try r.decode(column: "lead_units", as: String.self), what: "lead units"),
                    source: try r.decode(column: "source", as: String.self))
            }
        plan.highlights = try await db.select().column("*").from("plan_highlights").where("plan_id", .equal, id)
            .orderBy("number").all().map { r in
                Highlight(
                    number: try r.decode(column: "number", as: Int.self), name: try r.decode(column: "name", as: String.self),
                    content: try r.decode(column: "content", as: String.self),
                    leadUnits: try decodeJSON([String].self, try r.decode(column: "lead_units", as: String.self), what: "lead units"),
                    years: try r.decode(column: "years", as: String.self),
                    carriedDown: try decodeJSON([String].self, try r.decode(column: "carried_down", as: String.self), what: "carried_down"))
            }
        return plan
    }

    static func project(from r: any SQLRow) throws -> Project {
        Project(
            number: try r.decode(column: "number", as: Int.self),
            category: try r.decode(column: "category", as: String.self),
            name: try r.decode(column: "name", as: String.self),
            leadUnits: try decodeJSON([String].self, try r.decode(column: "lead_units", as: String.self), what: "lead units"),
            content: try r.decode(column: "content", as: String.self),
            location: try r.decode(column: "location", as: String.self),
            years: try r.decode(column: "years", as: String.self),
            startYear: try r.decode(column: "start_year", as: Int?.self),
            endYear: try r.decode(column: "end_year", as: Int?.self),
            investment: Investment(
                total: try r.decode(column: "investment_total", as: Double.self),
                fiscal: try r.decode(column: "investment_fiscal", as: Double?.self),
                social: try r.decode(column: "investment_social", as: Double?.self),
                other: try r.decode(column: "investment_other", as: Double?.self)),
            investmentText: try decodeJSON([String: String].self, try r.decode(column: "investment_text", as: String.self), what: "investment text"),
            remark: try r.decode(column: "remark", as: String.self),
            carriedDown: try decodeJSON([String].self, try r.decode(column: "carried_down", as: String.self), what: "carried_down"))
    }
}
