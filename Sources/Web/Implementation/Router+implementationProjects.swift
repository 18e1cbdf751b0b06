import Domain
import Foundation
import Hummingbird
import Store

extension Router<AppRequestContext> {
    func addImplementationProjectPages(environment: WebEnvironment) {
        let store = environment.store
        let impl = group("implementation")

        impl.get("{plan}/projects") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let t = context.implText
            let year = scope.year(request)
            let standings = try await store.projectStandings(plan: scope.plan, year: year).filter { scope.canRead(project: $0.project) }
            func rollups(_ title: String, _ list: [ProjectRollup]) -> String {
                let rows = list.map { r in
                    "<tr><td>\(esc(r.name))</td><td class=\"num\">\(r.count)</td><td class=\"num\">\(fmt(r.planned))</td><td class=\"num\">\(fmt(r.inPlace.total))</td><td class=\"num\">\(fmt(r.spent.fiscal))</td><td class=\"num\">\(fmt(r.spent.social))</td><td class=\"num\">\(fmt(r.spent.other))</td><td class=\"num\">\(fmt(r.spent.total))</td><td class=\"num\">\(pct(r.completion))</td><td class=\"num\">\(r.completed)</td></tr>"
                }.joined()
                return """
                <h3>\(title)</h3><div class="table-wrap"><table><thead><tr><th>\(t("名称", "Name"))</th><th>\(t("项目数", "Projects"))</th><th>\(t("计划总投资", "Planned"))</th><th>\(t("到位资金", "In place"))</th><th>\(t("完成-财政", "Spent fiscal"))</th><th>\(t("完成-社会", "Spent social"))</th><th>\(t("完成-其他", "Spent other"))</th><th>\(t("完成投资", "Spent"))</th><th>\(t("投资完成率", "Completion"))</th><th>\(t("已完工", "Completed"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """
            }
            let rows = standings.map { s in
                """
                <tr><td class="center">\(s.project.number)</td><td><a href="\(scope.base)/projects/\(s.project.number)?year=\(year)">\(esc(s.project.name.isEmpty ? String(s.project.content.prefix(30)) : s.project.name))</a></td>
                <td>\(esc(s.project.category))</td><td>\(esc(s.project.leadUnits.joined(separator: "、")))</td><td class="num">\(fmt(s.project.investment.total))</td>
                <td class="num">\(fmt(s.inPlace.total))</td><td class="num">\(fmt(s.spent.total))</td><td class="num">\(pct(s.investmentCompletion))</td>
                <td class="num">\(fmt(s.physicalProgress))%</td><td>\(esc(t.project(s.status)))\(s.statusReason.isEmpty ? "" : "<div class=\"rule\">\(esc(s.statusReason))</div>")</td><td class="num">\(fmt(s.score))</td></tr>
                """
            }.joined()
            let yearLinks = scope.plan.period.years.map { $0 == year ? "<b>\($0)</b>" : "<a href=\"?year=\($0)\">\($0)</a>" }.joined(separator: " ")
            let body = """
            <p><a href="\(scope.base)?year=\(year)">← \(esc(scope.plan.name))</a></p>
            <h1>\(t("项目进展", "Project progress"))</h1>
            <p class="lead">\(t("截至年底累计的到位资金、完成投资（按财政、社会、其他来源），形象进度和状态；合计按类别、牵头单位和乡镇汇总。联合牵头的项目在各牵头单位下全额计入。", "Funds in place and spent up to the end of the year by source, physical progress and status; totals by category, lead unit and township. Jointly led projects count in full for each lead unit."))</p>
            <p>\(t("截至年度", "Up to year")): \(yearLinks)</p>
            \(standings.isEmpty ? "<p class=\"muted\">\(t("没有由本单位负责的项目。", "No project is led by your unit."))</p>" : "")
            <div class="table-wrap"><table><thead><tr><th>#</th><th>\(t("项目", "Project"))</th><th>\(t("类别", "Category"))</th><th>\(t("牵头单位", "Lead units"))</th><th>\(t("计划总投资", "Planned"))</th><th>\(t("到位资金", "In place"))</th><th>\(t("完成投资", "Spent"))</th><th>\(t("投资完成率", "Completion"))</th><th>\(t("形象进度", "Progress"))</th><th>\(t("状态", "Status"))</th><th>\(t("绩效得分", "Score"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            <h2>\(t("汇总", "Totals"))</h2>
            \(rollups(t("按类别", "By category"), ProjectRollup.byCategory(standings)))
            \(rollups(t("按牵头单位", "By lead unit"), ProjectRollup.byLeadUnit(standings)))
            \(rollups(t("按乡镇（街道）", "By township"), ProjectRollup.byTownship(standings)))
            \(rollups(t("合计", "Total"), [ProjectRollup.total(standings)]))
            """
            return context.implPage(t("项目进展", "Project progress"), path: request.uri.path, body)
        }

        impl.get("{plan}/projects/{number}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            guard let project = scope.plan.projects.first(where: { $0.number == number }) else { throw ImplementationError.notFound("project \(number)") }
            try scope.requireRead(project: project)
            let t = context.implText
            let year = scope.year(request)
            let records = try await store.projectProgress(planID: scope.plan.id, projectNumber: number)
            let milestones = try await store.milestones(planID: scope.plan.id, projectNumber: number)
            let canEdit = scope.actor.access.canEdit(assignedTo: scope.projectUnits(project))
            let current = records.first { $0.year == year } ?? ProjectYearProgress(projectNumber: number, year: year)
            let rows = records.map { r in
                "<tr><th>\(r.year)</th><td class=\"num\">\(fmt(r.inPlace.fiscal))/\(fmt(r.inPlace.social))/\(fmt(r.inPlace.other))</td><td class=\"num\">\(fmt(r.spent.fiscal))/\(fmt(r.spent.social))/\(fmt(r.spent.other))</td><td class=\"num\">\(fmt(r.physicalProgress))%</td><td>\(esc(t.project(r.status)))\(r.statusReason.isEmpty ? "" : "<div class=\"rule\">\(esc(r.statusReason))</div>")</td><td class=\"num\">\(fmt(r.score))</td><td>\(esc(r.scoreComment))</td></tr>"
            }.joined()
            func amountField(_ name: String, _ label: String, _ value: Double?) -> String {
                "<label>\(label)</label><input type=\"number\" step=\"any\" min=\"0\" name=\"\(name)\" value=\"\(fmt(value))\">"
            }
            var body = """
            <p><a href="\(scope.base)/projects?year=\(year)">← \(t("项目进展", "Project progress"))</a></p>
            <h1>\(number). \(esc(project.name.isEmpty ? project.content : project.name))</h1>
            <dl class="kv"><dt>\(t("类别", "Category"))</dt><dd>\(esc(project.category))</dd><dt>\(t("牵头单位", "Lead units"))</dt><dd>\(esc(project.leadUnits.joined(separator: "、")))</dd>
            <dt>\(t("建设内容", "Content"))</dt><dd>\(escMultiline(project.content))</dd><dt>\(t("建设地址", "Location"))</dt><dd>\(esc(project.location))</dd>
            <dt>\(t("建设年限", "Years"))</dt><dd>\(esc(project.years))</dd><dt>\(t("计划总投资（万元）", "Planned (10k yuan)"))</dt><dd>\(fmt(project.investment.total))（\(t("财政", "fiscal")) \(fmt(project.investment.fiscal ?? 0)) · \(t("社会", "social")) \(fmt(project.investment.social ?? 0)) · \(t("其他", "other")) \(fmt(project.investment.other ?? 0))）</dd></dl>
            <h2>\(t("逐年进展", "Progress by year"))</h2>
            <div class="table-wrap"><table><thead><tr><th>\(t("年度", "Year"))</th><th>\(t("到位资金 财政/社会/其他", "In place fiscal/social/other"))</th><th>\(t("完成投资 财政/社会/其他", "Spent fiscal/social/other"))</th><th>\(t("形象进度", "Progress"))</th><th>\(t("状态", "Status"))</th><th>\(t("绩效评价得分", "Score"))</th><th>\(t("评价意见", "Comments"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
            if canEdit {
                let yearOptions = scope.plan.period.years.map { "<option value=\"\($0)\"\($0 == year ? " selected" : "")>\($0)</option>" }.joined()
                let statusOptions = ProjectStatus.allCases.map { "<option value=\"\($0.rawValue)\"\($0 == current.status ? " selected" : "")>\(esc(t.project($0)))</option>" }.joined()
                body += """
                <h3>\(t("填报年度进展", "Record a year's progress"))</h3>
                <form method="post" action="\(scope.base)/projects/\(number)/progress" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}">
                <label>\(t("年度", "Year"))</label><select name="year">\(yearOptions)</select>
                \(amountField("in_place_fiscal", t("到位-财政", "In place fiscal"), current.inPlace.fiscal))\(amountField("in_place_social", t("到位-社会", "In place social"), current.inPlace.social))\(amountField("in_place_other", t("到位-其他", "In place other"), current.inPlace.other))
                \(amountField("spent_fiscal", t("完成-财政", "Spent fiscal"), current.spent.fiscal))\(amountField("spent_social", t("完成-社会", "Spent social"), current.spent.social))\(amountField("spent_other", t("完成-其他", "Spent other"), current.spent.other))
                \(amountField("physical_progress", t("形象进度 %", "Progress %"), current.physicalProgress))
                <label>\(t("状态", "Status"))</label><select name="status">\(statusOptions)</select>
                <label>\(t("原因（调整、取消、滞后须填写）", "Reason (adjusted, cancelled, delayed)"))</label><input type="text" name="status_reason" value="\(esc(current.statusReason))">
                \(scope.actor.access.canReview ? amountField("score", t("绩效评价得分", "Performance score"), current.score) + "<label>\(t("评价意见", "Comments"))</label><input type=\"text\" name=\"score_comment\" value=\"\(esc(current.scoreComment))\">" : "")
                <button type="submit">\(t("保存", "Save"))</button></form>
                """
            }
            body += "<h2>\(t("里程碑", "Milestones"))</h2><ul>" + milestones.map { m in
                "<li>\(esc(m.due)) · \(esc(m.title)) · \(m.done.map { "\(t("已完成", "done")) \(esc($0))" } ?? "<span class=\"reason\">\(TaskDeadlineRule.day(of: .now) > m.due ? t("已逾期", "overdue") : t("未完成", "open"))</span>")"
                    + (canEdit && m.done == nil ? " <form method=\"post\" action=\"\(scope.base)/projects/\(number)/milestones\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\"><input type=\"hidden\" name=\"id\" value=\"\(m.id)\"><input type=\"hidden\" name=\"title\" value=\"\(esc(m.title))\"><input type=\"hidden\" name=\"due\" value=\"\(esc(m.due))\"><input type=\"hidden\" name=\"done\" value=\"\(TaskDeadlineRule.day(of: .now))\"><button type=\"submit\" class=\"link\">\(t("标记完成", "mark done"))</button></form>" : "")
                    + "</li>"
            }.joined() + "</ul>"
            if canEdit {
                body += """
                <form method="post" action="\(scope.base)/projects/\(number)/milestones" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                <label>\(t("里程碑", "Milestone"))</label><input type="text" name="title" required><label>\(t("计划日期", "Due"))</label><input type="date" name="due" required>
                <label>\(t("完成日期", "Done"))</label><input type="date" name="done"><button type="submit" class="secondary">\(t("添加", "Add"))</button></form>
                """
            }
            body += "<h2>\(t("变更记录", "Audit trail"))</h2>" + ImplementationPages.auditTable(
                try await store.implementationAudit(entity: "project_progress", idPrefix: "\(scope.plan.id)/\(number)/"), t: t)
            return context.implPage(project.name, path: request.uri.path, body)
        }

        impl.post("{plan}/projects/{number}/progress") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            let progress = try ImplementationPages.progress(from: fields, projectNumber: number)
            try await store.saveProjectProgress(planID: scope.plan.id, progress, actor: scope.actor)
            return redirect("\(scope.base)/projects/\(number)?year=\(progress.year)")
        }

        impl.post("{plan}/projects/{number}/milestones") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            try await store.saveMilestone(planID: scope.plan.id, projectNumber: number, id: fields["id"].flatMap { Int64($0) },
                                          title: fields["title"] ?? "", due: fields["due"] ?? "", done: fields["done"], actor: scope.actor)
            return redirect("\(scope.base)/projects/\(number)")
        }

        // MARK: The dynamic reserve

        impl.get("{plan}/reserve") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            guard scope.actor.access.seesEverything else { throw ImplementationError.forbidden("the project reserve is the bureau's") }
            let t = context.implText
            let entries = try await store.reserve(planID: scope.plan.id)
            var rows = ""
            for entry in entries {
                let history = try await store.reserveHistory(id: entry.id).map {
                    "<li>\(esc(localTime($0.at))) \(esc($0.actor)): \($0.from.map { esc($0.chineseName) + " → " } ?? "")\(esc($0.to.chineseName)) — \(esc($0.reason))</li>"
                }.joined()
                let moves = scope.actor.access.canReview && !entry.status.next.isEmpty ? """
                <form method="post" action="\(scope.base)/reserve/\(entry.id)/status" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                <select name="status">\(entry.status.next.map { "<option value=\"\($0.rawValue)\">\(esc($0.chineseName))</option>" }.joined())</select>
                <input type="text" name="reason" placeholder="\(t("原因（必填）", "reason (required)"))" required><button type="submit">\(t("变更", "Change"))</button></form>
                """ : ""
                rows += "<tr><td>\(entry.id)</td><td>\(esc(entry.name))</td><td>\(esc(entry.category))</td><td>\(esc(entry.leadUnits.joined(separator: "、")))</td><td class=\"num\">\(fmt(entry.investment))</td><td>\(esc(entry.status.chineseName))</td><td><ul>\(history)</ul></td><td>\(moves)</td></tr>"
            }
            var body = """
            <p><a href="\(scope.base)">← \(esc(scope.plan.name))</a></p>
            <h1>\(t("项目储备库", "Project reserve"))</h1>
            <p class="lead">\(t("建成一批、退出一批、充实一批：储备项目的每一次状态变化都记录在案。", "Built, retired, added: every change of a reserve project is kept in its history."))</p>
            <div class="table-wrap"><table><thead><tr><th>#</th><th>\(t("项目", "Project"))</th><th>\(t("类别", "Category"))</th><th>\(t("牵头单位", "Lead units"))</th><th>\(t("估算投资（万元）", "Estimate (10k yuan)"))</th><th>\(t("状态", "Status"))</th><th>\(t("历史", "History"))</th><th></th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
            if scope.actor.access.canReview {
                body += """
                <h3>\(t("充实储备项目", "Add a project to the reserve"))</h3>
                <form method="post" action="\(scope.base)/reserve" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}">
                <label>\(t("项目名称", "Name"))</label><input type="text" name="name" required>
                <label>\(t("类别", "Category"))</label><select name="category">\(scope.plan.projectCategories.map { "<option>\(esc($0.name))</option>" }.joined())<option>\(t("其他", "other"))</option></select>
                <label>\(t("牵头单位（顿号分隔）", "Lead units (、)"))</label><input type="text" name="lead_units">
                <label>\(t("建设地址", "Location"))</label><input type="text" name="location">
                <label>\(t("估算投资", "Estimate"))</label><input type="number" step="any" min="0" name="investment" value="0">
                <label>\(t("说明", "Note"))</label><input type="text" name="note">
                <button type="submit">\(t("加入储备库", "Add"))</button></form>
                """
            }
            return context.implPage(t("项目储备库", "Project reserve"), path: request.uri.path, body)
        }

        impl.post("{plan}/reserve") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            let units = (fields["lead_units"] ?? "").split(whereSeparator: { $0 == "、" || $0 == "," || $0 == "，" })
                .map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
            try await store.addReserveProject(planID: scope.plan.id, name: fields["name"] ?? "", category: fields["category"] ?? "",
                                              leadUnits: units, location: fields["location"] ?? "",
                                              investment: Double(fields["investment"] ?? "") ?? 0, note: fields["note"] ?? "", actor: scope.actor)
            return redirect("\(scope.base)/reserve")
        }

        impl.post("{plan}/reserve/{id}/status") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            guard let status = ReserveStatus(rawValue: fields["status"] ?? "") else { throw ImplementationError.invalid(field: "status", "unknown status") }
            try await store.moveReserveProject(id: id, to: status, reason: fields["reason"] ?? "", actor: scope.actor)
            return redirect("\(scope.base)/reserve")
        }
    }
}

extension ImplementationPages {
    /// Reads a progress form (or JSON object of strings) into a record.
    static func progress(from fields: [String: String], projectNumber: Int) throws -> ProjectYearProgress {
        var problems: [ImplementationProblem] = []
        func amount(_ name: String) -> Double {
            let text = (fields[name] ?? "").trimmingCharacters(in: " ")
            if text.isEmpty { return 0 }
            guard let value = Double(text) else { problems.append(.init(field: name, message: "\"\(text)\" is not a number")); return 0 }
            return value
        }
        guard let year = fields["year"].flatMap({ Int($0) }) else { throw ImplementationError.invalid(field: "year", "choose a year") }
        guard let status = ProjectStatus(rawValue: fields["status"] ?? "") else { throw ImplementationError.invalid(field: "status", "unknown status") }
        let scoreText = (fields["score"] ?? "").trimmingCharacters(in: " ")
        let progress = ProjectYearProgress(
            projectNumber: projectNumber, year: year,
            inPlace: Funds(fiscal: amount("in_place_fiscal"), social: amount("in_place_social"), other: amount("in_place_other")),
            spent: Funds(fiscal: amount("spent_fiscal"), social: amount("spent_social"), other: amount("spent_other")),
            physicalProgress: amount("physical_progress"), status: status, statusReason: fields["status_reason"] ?? "",
            score: scoreText.isEmpty ? nil : amount("score"), scoreComment: fields["score_comment"] ?? "")
        if !problems.isEmpty { throw ImplementationError.invalid(problems) }
        return progress
    }
}
