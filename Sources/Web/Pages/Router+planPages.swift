import Domain
import Foundation
import Hummingbird
import Store

extension Router<AppRequestContext> {
    /// Home page, plan list, plan overview and the import form.
    func addPlanPages(environment: WebEnvironment) {
        let store = environment.store

        get("/") { request, context in
            let t = Strings(context.language)
            let plans = try await store.planSummaries()
            let cards = plans.map { PlanPages.card($0, t: t) }.joined()
            return context.page(t["site.name"], path: request.uri.path, """
            <section class="panel">
            <h1>\(t["home.title"])</h1>
            <p class="lead">\(t["home.lead"])</p>
            </section>
            <h2>\(t["home.plans"])</h2>
            \(plans.isEmpty ? "<p class=\"muted\">\(t["home.noPlans"])</p>" : "<div class=\"cards\">\(cards)</div>")
            """)
        }

        get("plans") { request, context in
            let t = Strings(context.language)
            let plans = try await store.planSummaries()
            return context.page(t["plans.title"], path: request.uri.path, """
            <h1>\(t["plans.title"])</h1>
            \(plans.isEmpty ? "<p class=\"muted\">\(t["home.noPlans"])</p>" : "<div class=\"cards\">\(plans.map { PlanPages.card($0, t: t) }.joined())</div>")
            """)
        }

        get("plans/import") { request, context in
            _ = try context.requireStaff()
            return context.page(Strings(context.language)["import.title"], path: request.uri.path,
                                PlanPages.importForm(t: Strings(context.language), json: "", replace: false, problems: [], done: nil))
        }

        post("plans/import") { request, context in
            let user = try context.requireStaff()
            let form = try await request.decode(as: ImportForm.self, context: context)
            try request.verifyCSRF(form.csrf, context: context)
            let t = Strings(context.language)
            let replace = form.replace == "on" || form.replace == "true"
            do {
                let plan = try PlanFile.decode(Data(form.plan.utf8), file: "submitted file")
                try await store.importPlan(plan, actor: user.name, replace: replace)
                return context.page(t["import.title"], path: "/plans/import",
                                    PlanPages.importForm(t: t, json: "", replace: false, problems: [], done: plan))
            } catch let error as PlanFileError {
                return context.page(t["import.title"], path: "/plans/import", status: .unprocessableContent,
                                    PlanPages.importForm(t: t, json: form.plan, replace: replace, problems: error.problems.map(\.description), done: nil))
            } catch let error as StoreError where error.isConflict {
                return context.page(t["import.title"], path: "/plans/import", status: .conflict,
                                    PlanPages.importForm(t: t, json: form.plan, replace: replace, problems: [error.message], done: nil))
            }
        }

        get("plans/{id}") { request, context in
            let id = try context.parameters.require("id")
            let plan = try await requirePlan(id, store: store)
            guard let summary = try await store.projectSummary(planID: id) else { throw StoreError.notFound("plan \(id)") }
            return context.page(plan.name, path: request.uri.path, PlanPages.overview(plan, summary: summary, t: Strings(context.language)))
        }

        get("audit") { request, context in
            _ = try context.requireStaff()
            let t = Strings(context.language)
            let entries = try await store.auditEntries(limit: 500)
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
            let rows = entries.map { entry in
                "<tr><td class=\"num\">\(entry.id)</td><td>\(esc(formatter.string(from: entry.at)))</td><td>\(esc(entry.actor))</td><td>\(esc(entry.action))</td><td>\(esc(entry.entity)) \(esc(entry.entityID))</td><td>\(esc(entry.detail ?? ""))</td></tr>"
            }.joined()
            return context.page(t["audit.title"], path: request.uri.path, """
            <h1>\(t["audit.title"])</h1>
            <p class="lead">\(t["audit.lead"]) <a href="/api/v1/audit?limit=5000">\(t["audit.export"])</a></p>
            <div class="table-wrap"><table>
            <thead><tr><th>#</th><th>\(t["col.when"])</th><th>\(t["col.actor"])</th><th>\(t["col.action"])</th><th>\(t["col.record"])</th><th>\(t["col.detail"])</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """)
        }
    }
}

/// The import form's fields.
struct ImportForm: Decodable {
    var csrf: String?
    var plan: String
    var replace: String?
}

/// The plan pages' HTML.
enum PlanPages {
    static func card(_ plan: PlanSummary, t: Strings) -> String {
        """
        <article class="card">
        <h3><a href="/plans/\(esc(plan.id))">\(esc(t.language == .en ? (plan.nameEn ?? plan.name) : plan.name))</a></h3>
        <ul class="facts">
        <li><span>\(t["plan.region"])</span>\(esc(plan.province)) \(esc(plan.county))</li>
        <li><span>\(t["plan.period"])</span>\(plan.startYear)–\(plan.endYear)</li>
        \(plan.visionYear.map { "<li><span>\(t["plan.vision"])</span>\($0)</li>" } ?? "")
        </ul>
        <div class="stats">
        <div class="stat"><b>\(plan.indicatorCount)</b><span>\(t["plan.indicatorCount"])</span></div>
        <div class="stat"><b>\(plan.projectCount)</b><span>\(t["plan.projectCount"])</span></div>
        <div class="stat"><b>\(formatGrouped(plan.projectsTotal))</b><span>\(t["plan.totalInvestment"])</span></div>
        </div>
        <a class="button" href="/plans/\(esc(plan.id))">\(t["home.open"])</a>
        </article>
        """
    }

    static func typeBadge(_ type: IndicatorType, text: String?, t: Strings) -> String {
        "<span class=\"badge \(type.rawValue)\">\(esc(t.language == .zh ? (text ?? type.chineseName) : t["type.\(type.rawValue)"]))</span>"
    }

    static func cell(_ value: PlanValue?) -> String {
        guard let value else { return "" }
        return escMultiline(value.text)
    }

    static func overview(_ plan: Plan, summary: ProjectSummary, t: Strings) -> String {
        var html = """
        <section class="panel">
        <h1>\(esc(plan.name))</h1>
        \(t.language == .en && plan.nameEn != nil ? "<p class=\"lead\">\(esc(plan.nameEn!))</p>" : "")
        <ul class="facts">
        <li><span>\(t["plan.region"])</span>\(esc(plan.region.province)) \(esc(plan.region.county))</li>
        <li><span>\(t["plan.period"])</span>\(plan.period.startYear)–\(plan.period.endYear)</li>
        \(plan.visionYear.map { "<li><span>\(t["plan.vision"])</span>\($0)</li>" } ?? "")
        </ul>
        <div class="stats">
        <div class="stat"><b>\(plan.indicators.count)</b><span>\(t["plan.indicatorCount"])</span></div>
        <div class="stat"><b>\(summary.count)</b><span>\(t["plan.projectCount"])</span></div>
        <div class="stat"><b>\(formatGrouped(summary.total))</b><span>\(t["plan.totalInvestment"])</span></div>
        </div>
        <nav class="toc">
        <a href="#indicators">\(t["plan.indicators"])</a>
        \(plan.review != nil ? "<a href=\"#review\">\(t["plan.review"])</a>" : "")
        <a href="#projects">\(t["plan.projects"])</a>
        <a href="#policies">\(t["plan.policies"])</a>
        <a href="#highlights">\(t["plan.highlights"])</a>
        <a href="/api/v1/plans/\(esc(plan.id))/export">\(t["plan.export"])</a>
        </nav>
        </section>
        """
        html += indicatorTable(plan, t: t)
        if let review = plan.review { html += reviewTable(review, t: t) }
        html += projectTable(plan, summary: summary, t: t)
        html += policyTable(plan, t: t)
        html += highlightTable(plan, t: t)
        return html
    }

    static func indicatorTable(_ plan: Plan, t: Strings) -> String {
        var rows = ""
        var index = 0
        let indicators = plan.indicators
        while index < indicators.count {
            var end = index
            while end + 1 < indicators.count && indicators[end + 1].domain == indicators[index].domain { end += 1 }
            for position in index...end {
                let indicator = indicators[position]
                rows += "<tr>"
                if position == index { rows += "<th rowspan=\"\(end - index + 1)\">\(esc(indicator.domain))</th>" }
                rows += """
                <td class="center">\(indicator.number)</td><td>\(esc(indicator.name))</td><td class="center">\(esc(indicator.unit))</td>
                <td class="center">\(typeBadge(indicator.type, text: indicator.typeText, t: t))</td>
                <td class="num">\(cell(indicator.baseline))</td><td class="num">\(cell(indicator.target))</td></tr>
                """
            }
            index = end + 1
        }
        let notes = plan.indicatorTable.notes.map { "<li>\(esc($0))</li>" }.joined()
        return """
        <h2 id="indicators">\(t["plan.indicators"])</h2>
        \(plan.indicatorTable.title.isEmpty ? "" : "<p class=\"muted\">\(esc(plan.indicatorTable.title))</p>")
        <div class="table-wrap"><table>
        <thead><tr><th>\(t["col.domain"])</th><th>\(t["col.number"])</th><th>\(t["col.indicator"])</th><th>\(t["col.unit"])</th><th>\(t["col.type"])</th>
        <th class="num">\(plan.baselineYear)</th><th class="num">\(plan.period.endYear) \(t["col.target"])</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        \(notes.isEmpty ? "" : "<p class=\"muted\">\(t["plan.notes"])</p><ol class=\"notes\">\(notes)</ol>")
        """
    }

    static func reviewTable(_ review: Review, t: Strings) -> String {
        var rows = ""
        var previousCategory = ""
        let categoryCounts = Dictionary(grouping: review.indicators, by: \.category).mapValues { list in
            list.reduce(0) { $0 + max(1, $1.subRows.count) }
        }
        for indicator in review.indicators {
            let span = max(1, indicator.subRows.count)
            let categoryCell = indicator.category != previousCategory
                ? "<th rowspan=\"\(categoryCounts[indicator.category] ?? span)\">\(esc(indicator.category))</th>" : ""
            previousCategory = indicator.category
            let name = "\(indicator.number). \(esc(indicator.name))\(indicator.unit.map { "（\(esc($0))）" } ?? "")"
            if indicator.subRows.isEmpty {
                rows += """
                <tr>\(categoryCell)<td colspan="2">\(name)</td><td class="num">\(cell(indicator.base))</td><td class="num">\(cell(indicator.target))</td>
                <td class="center">\(typeBadge(indicator.attribute, text: indicator.attributeText, t: t))</td><td>\(cell(indicator.result))</td></tr>
                """
            } else {
                for (position, sub) in indicator.subRows.enumerated() {
                    rows += "<tr>"
                    if position == 0 { rows += categoryCell + "<td rowspan=\"\(span)\">\(name)</td>" }
                    rows += "<td>\(esc(sub.name))</td><td class=\"num\">\(cell(sub.base ?? indicator.base))</td>"
                    if let target = sub.target {
                        rows += "<td class=\"num\">\(cell(target))</td>"
                    } else if position == 0 {
                        rows += "<td class=\"num\" rowspan=\"\(span)\">\(cell(indicator.target))</td>"
                    }
                    if let attribute = sub.attribute {
                        rows += "<td class=\"center\">\(typeBadge(attribute, text: sub.attributeText, t: t))</td>"
                    } else if position == 0 {
                        rows += "<td class=\"center\" rowspan=\"\(span)\">\(typeBadge(indicator.attribute, text: indicator.attributeText, t: t))</td>"
                    }
                    if let result = sub.result {
                        rows += "<td>\(cell(result))</td>"
                    } else if position == 0 {
                        rows += "<td rowspan=\"\(span)\">\(cell(indicator.result))</td>"
                    }
                    rows += "</tr>"
                }
            }
        }
        return """
        <h2 id="review">\(t["plan.review"])</h2>
        <p class="muted">\(esc(review.title))</p>
        <div class="table-wrap"><table>
        <thead><tr><th>\(t["col.category"])</th><th colspan="2">\(t["col.indicator"])</th><th class="num">\(review.baseYear)</th>
        <th class="num">\(review.targetYear) \(t["col.target"])</th><th>\(t["col.attribute"])</th><th>\(t["col.result"])</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }

    static func projectTable(_ plan: Plan, summary: ProjectSummary, t: Strings) -> String {
        var rows = ""
        for category in summary.categories {
            let printed = plan.projectCategories.first { $0.name == category.name }?.printed ?? category.name
            rows += "<tr class=\"category\"><th colspan=\"12\">\(esc(printed))</th></tr>"
            for project in plan.projects where project.category == category.name {
                let fiscalText = project.investmentText["fiscal"].map { "<br><span class=\"muted\">\(esc($0))</span>" } ?? ""
                let carried = project.carriedDown.isEmpty ? "" : "<span class=\"carried\" title=\"合并单元格沿用上行\">↓</span>"
                rows += """
                <tr><td class="center">\(project.number)</td><td>\(esc(project.name))</td><td>\(esc(project.leadUnits.joined(separator: "、")))\(carried)</td>
                <td>\(escMultiline(project.content))</td><td>\(esc(project.location))</td><td class="center">\(esc(project.years))</td>
                <td class="num">\(formatAmount(project.investment.total))</td><td class="num">\(formatAmount(project.investment.fiscal))\(fiscalText)</td>
                <td class="num">\(formatAmount(project.investment.social))</td><td class="num">\(formatAmount(project.investment.other))</td>
                <td>\(esc(project.remark))</td><td></td></tr>
                """
            }
            rows += """
            <tr class="subtotal"><td></td><td colspan="5">\(t["col.subtotal"]) · \(category.count) \(t["plan.projectCount"])</td>
            <td class="num">\(formatAmount(category.total))</td><td class="num">\(formatAmount(category.fiscal))</td>
            <td class="num">\(formatAmount(category.social))</td><td class="num">\(formatAmount(category.other))</td><td colspan="2"></td></tr>
            """
        }
        rows += """
        <tr class="total"><td></td><td colspan="5">\(t["col.grandTotal"]) · \(summary.count) \(t["plan.projectCount"])</td>
        <td class="num">\(formatAmount(summary.total))</td><td class="num">\(formatAmount(summary.fiscal))</td>
        <td class="num">\(formatAmount(summary.social))</td><td class="num">\(formatAmount(summary.other))</td><td colspan="2"></td></tr>
        """
        return """
        <h2 id="projects">\(t["plan.projects"])</h2>
        <p class="muted">\(t["unit.wan"])</p>
        <div class="table-wrap"><table class="ledger">
        <thead><tr><th>\(t["col.number"])</th><th>\(t["col.project"])</th><th>\(t["col.leadUnits"])</th><th>\(t["col.content"])</th>
        <th>\(t["col.location"])</th><th>\(t["col.years"])</th><th class="num">\(t["col.total"])</th><th class="num">\(t["col.fiscal"])</th>
        <th class="num">\(t["col.social"])</th><th class="num">\(t["col.other"])</th><th>\(t["col.remark"])</th><th></th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }

    static func policyTable(_ plan: Plan, t: Strings) -> String {
        let rows = plan.policies.map { policy in
            """
            <tr><td class="center">\(policy.number)</td><td>\(esc(policy.name))</td><td>\(escMultiline(policy.content))</td>
            <td>\(escMultiline(policy.keyTasks))</td><td>\(esc(policy.leadUnits.joined(separator: "、")))</td><td>\(escMultiline(policy.source))</td></tr>
            """
        }.joined()
        return """
        <h2 id="policies">\(t["plan.policies"])</h2>
        <div class="table-wrap"><table>
        <thead><tr><th>\(t["col.number"])</th><th>\(t["col.policy"])</th><th>\(t["col.policyContent"])</th><th>\(t["col.keyTasks"])</th>
        <th>\(t["col.leadUnits"])</th><th>\(t["col.source"])</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }

    static func highlightTable(_ plan: Plan, t: Strings) -> String {
        let rows = plan.highlights.map { highlight in
            let carried = highlight.carriedDown.isEmpty ? "" : " <span class=\"carried\" title=\"合并单元格沿用上行\">↓</span>"
            return """
            <tr><td class="center">\(highlight.number)</td><td>\(escMultiline(highlight.name))</td><td>\(escMultiline(highlight.content))\(carried)</td>
            <td>\(esc(highlight.leadUnits.joined(separator: "、")))</td><td class="center">\(esc(highlight.years))</td></tr>
            """
        }.joined()
        return """
        <h2 id="highlights">\(t["plan.highlights"])</h2>
        <div class="table-wrap"><table>
        <thead><tr><th>\(t["col.number"])</th><th>\(t["col.highlight"])</th><th>\(t["col.highlightContent"])</th>
        <th>\(t["col.leadUnits"])</th><th>\(t["col.implYears"])</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }

    static func importForm(t: Strings, json: String, replace: Bool, problems: [String], done: Plan?) -> String {
        let problemList = problems.isEmpty ? "" : """
        <div class="panel problems"><p>\(t["import.failed"])</p><ul>\(problems.map { "<li>\(esc($0))</li>" }.joined())</ul></div>
        """
        let doneNote = done.map { plan in
            "<div class=\"panel\"><p class=\"ok\">\(t["import.done"]) <a href=\"/plans/\(esc(plan.id))\">\(esc(plan.name))</a></p></div>"
        } ?? ""
        return """
        <h1>\(t["import.title"])</h1>
        <p class="lead">\(t["import.lead"]) <a href="/api/v1/openapi.json">API</a></p>
        \(doneNote)\(problemList)
        <form method="post" action="/plans/import" class="panel">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="plan-file">\(t["import.file"])</label>
        <input type="file" id="plan-file" accept=".json,application/json">
        <label for="plan-json">\(t["import.json"])</label>
        <textarea id="plan-json" name="plan" required>\(esc(json))</textarea>
        <label><input type="checkbox" name="replace" \(replace ? "checked" : "")> \(t["import.replace"])</label>
        <button type="submit">\(t["import.submit"])</button>
        </form>
        <script src="/assets/app.js"></script>
        """
    }
}
