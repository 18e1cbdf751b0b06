import Domain
import Foundation
import Hummingbird
import Store

/// What every implementation page of a plan needs: the plan, the organisation tree, who asks and the assignments.
struct ImplementationScope: Sendable {
    let plan: Plan
    let tree: OrganisationTree
    let actor: ImplementationActor
    let indicatorUnits: [Int: Int64]

    static func load(_ planID: String, store: Store, context: AppRequestContext) async throws -> ImplementationScope {
        let actor = try await context.implementationActor(store)
        let plan = try await requirePlan(planID, store: store)
        return ImplementationScope(plan: plan, tree: try await store.organisationTree(), actor: actor,
                                   indicatorUnits: try await store.indicatorUnits(planID: planID))
    }

    func unitName(_ id: Int64?) -> String { id.flatMap { tree[$0]?.name } ?? "" }

    func assigned(indicator number: Int) -> Set<Int64> { indicatorUnits[number].map { [$0] } ?? [] }

    func canRead(indicator number: Int) -> Bool { actor.access.canRead(assignedTo: assigned(indicator: number)) }

    func requireRead(indicator number: Int) throws {
        guard canRead(indicator: number) else {
            throw ImplementationError.forbidden("indicator \(number) is assigned to another unit (该指标由其他单位负责，无权查看)")
        }
    }

    func projectUnits(_ project: Project) -> Set<Int64> { Store.projectUnits(project, tree: tree) }

    func canRead(project: Project) -> Bool { actor.access.canRead(assignedTo: projectUnits(project)) }

    func requireRead(project: Project) throws {
        guard canRead(project: project) else {
            throw ImplementationError.forbidden("project \(project.number) is led by another unit (该项目由其他单位负责，无权查看)")
        }
    }

    /// The year pages open on: the current year when it lies in the plan, else the plan's last year.
    func defaultYear(now: Date = .now) -> Int {
        let year = Int(TaskDeadlineRule.day(of: now).prefix(4)) ?? plan.period.endYear
        return plan.period.years.contains(year) ? year : (year < plan.period.startYear ? plan.period.startYear : plan.period.endYear)
    }

    func year(_ request: Request) -> Int {
        if let text = request.uri.queryParameters.get("year"), let year = Int(text), plan.period.years.contains(year) { return year }
        return defaultYear()
    }

    var base: String { "/implementation/\(plan.id)" }
}

extension Router<AppRequestContext> {
    /// Registers the implementation pages, their JSON API and their stylesheets.
    func addImplementationRoutes(environment: WebEnvironment) {
        addImplementationAssets()
        addImplementationPages(environment: environment)
        addImplementationAPI(environment: environment)
    }

    func addImplementationPages(environment: WebEnvironment) {
        let store = environment.store
        let impl = group("implementation")

        impl.get("") { request, context in
            let actor = try await context.implementationActor(store)
            let t = context.implText
            let plans = try await store.planSummaries()
            let tree = try await store.organisationTree()
            let unit = actor.organisationID.flatMap { tree[$0] }
            var body = "<h1>\(t("规划实施", "Plan implementation"))</h1>"
            body += "<p class=\"lead\">\(t("各责任单位逐年填报指标数值和项目进展，生态环境局审核；系统按规则评价指标状态，生成年度报告、中期和终期评估。", "Responsible units report yearly indicator values and project progress; the bureau reviews them; statuses follow a stated rule; annual reports and the mid-term and final evaluations are generated."))</p>"
            body += "<p>\(t("当前用户", "Signed in as")) <b>\(esc(context.identity?.displayName ?? ""))</b> · \(esc(t(actor.access.role.chineseName, actor.access.role.rawValue)))"
            body += unit.map { " · \(t("所属单位", "unit")) <b>\(esc($0.name))</b>" } ?? ""
            if actor.access.role.isUnitRole && unit == nil {
                body += " · <span class=\"reason\">\(t("尚未分配单位，请联系管理员。", "No unit assigned yet; ask an administrator."))</span>"
            }
            body += "</p>"
            if tree.all.isEmpty {
                body += "<p class=\"reason\">\(t("尚未建立组织机构。", "No organisations yet."))</p>"
            }
            body += "<p><a href=\"/implementation/organisations\">\(t("组织机构与用户", "Organisations and users"))</a></p>"
            body += "<div class=\"cards\">" + plans.map { plan in
                """
                <article class="card"><h3><a href="/implementation/\(esc(plan.id))">\(esc(plan.name))</a></h3>
                <p>\(plan.startYear)–\(plan.endYear) · \(plan.indicatorCount) \(t("项指标", "indicators")) · \(plan.projectCount) \(t("个项目", "projects"))</p>
                <a class="button" href="/implementation/\(esc(plan.id))">\(t("进入实施跟踪", "Open tracking"))</a></article>
                """
            }.joined() + "</div>"
            return context.implPage(t("规划实施", "Implementation"), path: request.uri.path, body)
        }

        // MARK: Organisations and users

        impl.get("organisations") { request, context in
            let actor = try await context.implementationActor(store)
            let t = context.implText
            let tree = try await store.organisationTree()
            func node(_ org: Organisation) -> String {
                let children = tree.children(of: org.id)
                return "<li>\(esc(org.name)) <span class=\"unit-tag\">\(esc(t(org.kind.chineseName, org.kind.rawValue))) · #\(org.id)</span>"
                    + (org.demo ? " <span class=\"badge demo\">\(t("演示数据，待核实", "demo data, to be confirmed"))</span>" : "")
                    + (children.isEmpty ? "" : "<ul>" + children.map(node).joined() + "</ul>") + "</li>"
            }
            var body = "<h1>\(t("组织机构", "Organisations"))</h1>"
            body += "<p class=\"lead\">\(t("县级部门与乡镇（街道）组成的树。部门或乡镇用户只能查看和填报分配给本单位的记录。", "The county's departments and townships as a tree. Department and township users see and edit only what is assigned to their unit."))</p>"
            if actor.access.canReview {
                body += """
                <div class="panel impl-forms">
                <form method="post" action="/implementation/organisations/seed" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                <button type="submit">\(t("导入巫溪县部门与乡镇（街道）", "Load Wuxi County's departments and townships"))</button></form>
                <form method="post" action="/implementation/organisations" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                <label for="org-name">\(t("新增单位", "New unit"))</label><input type="text" id="org-name" name="name" required>
                <select name="kind">\(OrganisationKind.allCases.map { "<option value=\"\($0.rawValue)\">\(esc(t($0.chineseName, $0.rawValue)))</option>" }.joined())</select>
                <select name="parent_id"><option value="">—</option>\(tree.all.map { "<option value=\"\($0.id)\">\(esc($0.name))</option>" }.joined())</select>
                <button type="submit">\(t("添加", "Add"))</button></form>
                </div>
                """
            }
            body += "<div class=\"panel tree\"><ul>" + tree.roots.map(node).joined() + "</ul></div>"
            if context.identity?.role.canAdminister == true {
                let users = try await store.usersWithOrganisations()
                let options = "<option value=\"\">—</option>" + tree.all.map { "<option value=\"\($0.id)\">\(esc($0.name))</option>" }.joined()
                body += "<h2>\(t("用户", "Users"))</h2><div class=\"table-wrap\"><table><thead><tr><th>\(t("用户名", "User"))</th><th>\(t("角色", "Role"))</th><th>\(t("所属单位", "Unit"))</th><th></th></tr></thead><tbody>"
                for (user, orgID) in users {
                    body += """
                    <tr><td>\(esc(user.name))</td><td>\(esc(t(user.role.chineseName, user.role.rawValue)))</td><td>\(esc(orgID.flatMap { tree[$0]?.name } ?? user.organisation ?? ""))</td>
                    <td><form method="post" action="/implementation/users/assign" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                    <input type="hidden" name="name" value="\(esc(user.name))"><select name="organisation_id">\(options)</select><button type="submit">\(t("设置单位", "Set unit"))</button></form></td></tr>
                    """
                }
                body += "</tbody></table></div>"
                body += """
                <h3>\(t("新建部门或乡镇用户", "New department or township user"))</h3>
                <form method="post" action="/implementation/users" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}">
                <label for="u-name">\(t("用户名", "User name"))</label><input type="text" id="u-name" name="name" required>
                <label for="u-display">\(t("姓名", "Display name"))</label><input type="text" id="u-display" name="display_name">
                <label for="u-pass">\(t("密码（至少 8 位）", "Password (8+)"))</label><input type="password" id="u-pass" name="password" required>
                <select name="role">\(Role.allCases.map { "<option value=\"\($0.rawValue)\"\($0 == .township ? " selected" : "")>\(esc(t($0.chineseName, $0.rawValue)))</option>" }.joined())</select>
                <select name="organisation_id">\(options)</select>
                <button type="submit">\(t("创建", "Create"))</button></form>
                """
            }
            return context.implPage(t("组织机构", "Organisations"), path: request.uri.path, body)
        }

        impl.post("organisations/seed") { request, context in
            let actor = try await context.implementationActor(store)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff manage organisations") }
            var extra: [String] = []
            for summary in try await store.planSummaries() {
                if let plan = try await store.plan(summary.id) {
                    extra += plan.projects.flatMap(\.leadUnits) + plan.policies.flatMap(\.leadUnits) + plan.highlights.flatMap(\.leadUnits)
                }
            }
            try await store.seedOrganisations(WuxiOrganisations.seeds(extraUnits: extra), actor: actor.name)
            return redirect("/implementation/organisations")
        }

        impl.post("organisations") { request, context in
            let actor = try await context.implementationActor(store)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff manage organisations") }
            _ = try await store.addOrganisation(name: fields["name"] ?? "", kind: OrganisationKind(rawValue: fields["kind"] ?? "") ?? .department,
                                            parentID: fields["parent_id"].flatMap { Int64($0) }, actor: actor.name)
            return redirect("/implementation/organisations")
        }

        impl.post("users") { request, context in
            let admin = try context.requireUser()
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            guard admin.role.canAdminister else { throw ImplementationError.forbidden("only administrators create users") }
            let role = Role(rawValue: fields["role"] ?? "") ?? .viewer
            let orgID = fields["organisation_id"].flatMap { Int64($0) }
            if role.isUnitRole && orgID == nil { throw ImplementationError.invalid(field: "organisation_id", "a unit user needs a unit") }
            let user = try await store.addUser(name: fields["name"] ?? "", displayName: fields["display_name"].flatMap { $0.isEmpty ? nil : $0 },
                                               role: role, password: fields["password"] ?? "", actor: admin.name)
            if let orgID { try await store.setUserOrganisation(userName: user.name, organisationID: orgID, actor: admin.name) }
            return redirect("/implementation/organisations")
        }

        impl.post("users/assign") { request, context in
            let admin = try context.requireUser()
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            guard admin.role.canAdminister else { throw ImplementationError.forbidden("only administrators assign users to units") }
            try await store.setUserOrganisation(userName: fields["name"] ?? "", organisationID: fields["organisation_id"].flatMap { Int64($0) },
                                                actor: admin.name)
            return redirect("/implementation/organisations")
        }

        // MARK: Plan overview and indicators

        impl.get("{plan}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let t = context.implText
            let year = scope.year(request)
            let records = try await store.indicatorValues(planID: scope.plan.id)
            let byKey = Dictionary(records.map { ("\($0.indicatorNumber)/\($0.year)", $0) }, uniquingKeysWith: { a, _ in a })
            let figures = try await store.approvedFigures(planID: scope.plan.id)
            let version = try await store.planVersion(planID: scope.plan.id)
            let visible = scope.plan.indicators.filter { scope.canRead(indicator: $0.number) }
            let years = Array(scope.plan.period.years)
            var rows = ""
            for indicator in visible {
                let assessment = IndicatorStatusRule.assess(indicator, period: scope.plan.period, baselineYear: scope.plan.baselineYear,
                                                            figures: figures[indicator.number] ?? [], year: year)
                let cells = years.map { y -> String in
                    guard let record = byKey["\(indicator.number)/\(y)"] else { return "<td class=\"cell-state\"></td>" }
                    return "<td class=\"cell-state\">\(esc(record.valueText)) <span class=\"badge rs-\(record.workflow.state.rawValue)\">\(esc(t.state(record.workflow.state)))</span>\(record.sourceKind == .monitoring ? " <span class=\"badge monitoring\">\(t("监测", "monitoring"))</span>" : "")</td>"
                }.joined()
                rows += """
                <tr><td class="center">\(indicator.number)</td><td><a href="\(scope.base)/indicators/\(indicator.number)">\(esc(indicator.name))</a> <span class="unit-tag">\(esc(indicator.unit))</span></td>
                <td>\(esc(scope.unitName(scope.indicatorUnits[indicator.number])))</td><td class="num">\(esc(indicator.baseline.text))</td><td class="num">\(esc(indicator.target.text))</td>\(cells)
                <td class="status-cell"><span class="badge \(statusClass(assessment.status))">\(esc(t.status(assessment.status)))</span> \(esc(assessment.rule.shortLabel))<div class="rule">\(esc(t.rule(assessment.rule)))</div></td></tr>
                """
            }
            let pending = records.filter { $0.workflow.state == .submitted && scope.canRead(indicator: $0.indicatorNumber) }
            let yearLinks = years.map { $0 == year ? "<b>\($0)</b>" : "<a href=\"?year=\($0)\">\($0)</a>" }.joined(separator: " ")
            var body = """
            <h1>\(esc(scope.plan.name))</h1>
            <p class="lead">\(t("实施跟踪", "Implementation tracking")) · \(t("规划状态", "Plan state")): \(esc(t(version.state.chineseName, version.state.rawValue))) v\(version.version)\(version.basedOn.map { " · \(t("基于", "based on")) \(esc($0))" } ?? "")</p>
            <nav class="toc">
            <a href="\(scope.base)/projects?year=\(year)">\(t("项目进展", "Project progress"))</a>
            <a href="\(scope.base)/tasks?year=\(year)">\(t("年度任务", "Tasks"))</a>
            \(scope.actor.organisationID.map { "<a href=\"\(scope.base)/responsibility/\($0)?year=\(year)\">\(t("本单位责任清单", "Our responsibility list"))</a>" } ?? "")
            \(scope.actor.access.seesEverything ? "<a href=\"\(scope.base)/reserve\">\(t("项目储备库", "Project reserve"))</a><a href=\"\(scope.base)/reports\">\(t("评估报告", "Reports"))</a><a href=\"\(scope.base)/plan\">\(t("规划版本", "Plan version"))</a>" : "")
            \(scope.actor.access.canReview ? "<a href=\"\(scope.base)/audit.csv\">\(t("导出审计记录 (CSV)", "Export audit trail (CSV)"))</a>" : "")
            </nav>
            <p>\(t("评价年度", "Year")): \(yearLinks)</p>
            """
            if scope.actor.access.canReview {
                body += """
                <form method="post" action="\(scope.base)/assign-suggested" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                <button type="submit" class="secondary">\(t("为未分配的指标按建议分配责任单位", "Assign unassigned indicators to their suggested units"))</button></form>
                """
                if !pending.isEmpty {
                    body += "<h2>\(t("待审核", "Waiting for review")) (\(pending.count))</h2><ul>" + pending.map {
                        "<li><a href=\"\(scope.base)/indicators/\($0.indicatorNumber)#y\($0.year)\">\($0.indicatorNumber) · \($0.year) · \(esc($0.valueText))</a> — \(esc(scope.unitName($0.organisationID)))</li>"
                    }.joined() + "</ul>"
                }
            }
            body += """
            <h2>\(t("目标指标", "Target indicators"))</h2>
            \(visible.isEmpty ? "<p class=\"muted\">\(t("没有分配给本单位的指标。", "No indicator is assigned to your unit."))</p>" : "")
            <div class="table-wrap"><table><thead><tr><th>#</th><th>\(t("指标", "Indicator"))</th><th>\(t("责任单位", "Unit"))</th><th>\(scope.plan.baselineYear)</th><th>\(t("目标", "Target"))</th>
            \(years.map { "<th>\($0)</th>" }.joined())<th>\(year) \(t("状态", "status"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
            return context.implPage(scope.plan.name, path: request.uri.path, body)
        }

        impl.post("{plan}/assign-suggested") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            try await store.applySuggestedAssignments(plan: scope.plan, actor: scope.actor)
            return redirect(scope.base)
        }

        impl.get("{plan}/indicators/{number}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            guard let indicator = scope.plan.indicators.first(where: { $0.number == number }) else { throw ImplementationError.notFound("indicator \(number)") }
            try scope.requireRead(indicator: number)
            let t = context.implText
            let records = Dictionary(try await store.indicatorValues(planID: scope.plan.id, number: number).map { ($0.year, $0) },
                                     uniquingKeysWith: { a, _ in a })
            let figures = try await store.approvedFigures(planID: scope.plan.id)[number] ?? []
            let year = scope.year(request)
            let assessment = IndicatorStatusRule.assess(indicator, period: scope.plan.period, baselineYear: scope.plan.baselineYear, figures: figures, year: year)
            let canEdit = scope.actor.access.canEdit(assignedTo: scope.assigned(indicator: number))
            let line = ReportIndicatorLine(indicator: indicator, unit: "", values: scope.plan.period.years.map { y in (y, figures.first { $0.year == y }?.value) },
                                           cityAssigned: Dictionary(figures.compactMap { f in f.cityAssigned.map { (f.year, $0) } }, uniquingKeysWith: { a, _ in a }),
                                           assessment: assessment)
            let isCity = assessment.rule == .cityAssigned
            var rows = ""
            for y in scope.plan.period.years {
                let record = records[y]
                let state = record?.workflow.state
                var actions = ""
                let path = "\(scope.base)/indicators/\(number)/\(y)"
                func button(_ action: String, _ label: String, reason: Bool = false, style: String = "") -> String {
                    """
                    <form method="post" action="\(path)/\(action)" class="row"><input type="hidden" name="csrf" value="{{csrf}}">\
                    \(reason ? "<input type=\"text\" name=\"reason\" placeholder=\"\(t("理由（必填）", "reason (required)"))\" required>" : "")\
                    <button type="submit"\(style.isEmpty ? "" : " class=\"\(style)\"")>\(label)</button></form>
                    """
                }
                if canEdit && (state == nil || record?.workflow.isEditable == true) {
                    actions += """
                    <form method="post" action="\(path)/save" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                    <label>\(t("数值", "Value"))</label><input type="text" name="value" value="\(esc(record?.valueText ?? ""))" required>
                    <label>\(t("来源", "Source"))</label><input type="text" name="source" value="\(esc(record?.source ?? ""))" required>
                    \(isCity ? "<label>\(t("市级下达值", "City figure"))</label><input type=\"text\" name=\"city_assigned\" value=\"\(fmt(record?.cityAssigned))\">" : "")
                    <label>\(t("备注", "Note"))</label><input type="text" name="note" value="\(esc(record?.note ?? ""))">
                    <button type="submit">\(t("保存", "Save"))</button></form>
                    """
                    if record != nil {
                        actions += button("submit", t("报送审核", "Submit for review"))
                        actions += """
                        <form method="post" action="\(path)/evidence" enctype="multipart/form-data" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                        <label>\(t("佐证材料", "Evidence"))</label><input type="file" name="file" required><button type="submit" class="secondary">\(t("上传", "Upload"))</button></form>
                        """
                    }
                }
                if canEdit && state == .submitted { actions += button("withdraw", t("撤回", "Withdraw"), style: "secondary") }
                if scope.actor.access.canReview && state == .submitted {
                    actions += button("approve", t("审核通过", "Approve"))
                    actions += button("return", t("退回", "Return"), reason: true, style: "danger")
                }
                if scope.actor.access.canReview && state == .approved { actions += button("reopen", t("重新打开", "Reopen"), reason: true, style: "danger") }
                let evidence = (record?.evidence ?? []).map {
                    "<li><a href=\"/implementation/evidence/\($0.id)\">\(esc($0.fileName))</a> <span class=\"unit-tag\">\($0.size) B · SHA-256 \(esc(String($0.sha256.prefix(16))))…</span></li>"
                }.joined()
                rows += """
                <tr id="y\(y)"><th>\(y)</th>
                <td class="num">\(esc(record?.valueText ?? ""))</td>
                <td>\(esc(record?.source ?? ""))\(record?.sourceKind == .monitoring ? " <span class=\"badge monitoring\">\(t("监测数据", "monitoring"))</span>" : "")</td>
                \(isCity ? "<td class=\"num\">\(fmt(record?.cityAssigned))</td>" : "")
                <td>\(state.map { "<span class=\"badge rs-\($0.rawValue)\">\(esc(t.state($0)))</span>" } ?? "")\(record.map { $0.workflow.round > 1 ? " <span class=\"unit-tag\">\(t("第", "round "))\($0.workflow.round)\(t("次报送", ""))</span>" : "" } ?? "")
                \(record?.workflow.reason.map { "<div class=\"reason\">\(t("理由", "Reason"))：\(esc($0))</div>" } ?? "")
                \(record.map { "<div class=\"unit-tag\">\(esc($0.enteredBy))\($0.decidedBy.map { " · \(t("审核", "reviewed by")) \(esc($0))" } ?? "")</div>" } ?? "")</td>
                <td>\(evidence.isEmpty ? "" : "<ul>\(evidence)</ul>")</td>
                <td>\(actions)</td></tr>
                """
            }
            let audit = try await store.implementationAudit(idPrefix: "\(scope.plan.id)/\(number)/")
                .filter { $0.entity == "indicator_value" || $0.entity == "indicator" }
            var body = """
            <p><a href="\(scope.base)?year=\(year)">← \(esc(scope.plan.name))</a></p>
            <h1>\(number). \(esc(indicator.name))（\(esc(indicator.unit))）</h1>
            <dl class="kv">
            <dt>\(t("领域", "Domain"))</dt><dd>\(esc(indicator.domain))</dd>
            <dt>\(t("类型", "Type"))</dt><dd>\(esc(t(indicator.type.chineseName, indicator.type.rawValue)))</dd>
            <dt>\(t("基准值", "Baseline")) \(scope.plan.baselineYear)</dt><dd>\(esc(indicator.baseline.text))</dd>
            <dt>\(t("目标值", "Target")) \(scope.plan.period.endYear)</dt><dd>\(esc(indicator.target.text))</dd>
            <dt>\(t("责任单位", "Responsible unit"))</dt><dd>\(esc(scope.unitName(scope.indicatorUnits[number])))</dd>
            <dt>\(year) \(t("状态", "status"))</dt><dd><span class="badge \(statusClass(assessment.status))">\(esc(t.status(assessment.status)))</span> \(assessment.actual.map { "\(t("评价值", "assessed")) \(fmt($0))" } ?? "") \(assessment.expected.map { "· \(t("比较值", "compared with")) \(fmt((($0 * 100).rounded()) / 100))" } ?? "")</dd>
            <dt>\(t("评价规则", "Rule"))</dt><dd class="rule">\(esc(t.rule(assessment.rule)))</dd>
            </dl>
            \(line.isQuantitative ? "<figure class=\"chart\">\(SVGChart.targetVsActual(line, language: context.language))<figcaption>\(t("目标与已审核实际值", "Target against approved actual values"))</figcaption></figure>" : "")
            """
            if scope.actor.access.canReview {
                body += """
                <form method="post" action="\(scope.base)/indicators/\(number)/assign" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                <label>\(t("责任单位", "Responsible unit"))</label><select name="organisation_id">\(scope.tree.all.filter { $0.kind != .county }.map { "<option value=\"\($0.id)\"\(scope.indicatorUnits[number] == $0.id ? " selected" : "")>\(esc($0.name))</option>" }.joined())</select>
                <button type="submit" class="secondary">\(t("分配", "Assign"))</button></form>
                """
            }
            body += """
            <h2>\(t("逐年数值", "Values by year"))</h2>
            <div class="table-wrap"><table><thead><tr><th>\(t("年度", "Year"))</th><th>\(t("数值", "Value"))</th><th>\(t("来源", "Source"))</th>\(isCity ? "<th>\(t("市级下达值", "City figure"))</th>" : "")<th>\(t("状态", "State"))</th><th>\(t("佐证材料", "Evidence"))</th><th>\(t("操作", "Actions"))</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            <h2>\(t("变更记录", "Audit trail"))</h2>
            \(ImplementationPages.auditTable(audit, t: t))
            """
            return context.implPage(indicator.name, path: request.uri.path, body)
        }

        impl.post("{plan}/indicators/{number}/assign") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            guard let orgID = fields["organisation_id"].flatMap({ Int64($0) }) else { throw ImplementationError.invalid(field: "organisation_id", "choose a unit") }
            try await store.assignIndicator(planID: scope.plan.id, number: number, organisationID: orgID, actor: scope.actor)
            return redirect("\(scope.base)/indicators/\(number)")
        }

        impl.post("{plan}/indicators/{number}/{year}/{action}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            let year = try context.parameters.require("year", as: Int.self)
            let action = try context.parameters.require("action")
            try scope.requireRead(indicator: number)
            let back = "\(scope.base)/indicators/\(number)?year=\(year)#y\(year)"
            if action == "evidence" {
                var request = request
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                guard let boundary = Multipart.boundary(of: request.headers[.contentType]) else {
                    throw ImplementationError.invalid(field: "file", "send the file as multipart/form-data")
                }
                let parts = Multipart.parse(Data(body.readableBytesView), boundary: boundary)
                let csrf = parts.first { $0.name == "csrf" }.map { String(decoding: $0.data, as: UTF8.self) }
                try request.verifyCSRF(csrf, context: context)
                guard let file = parts.first(where: { $0.name == "file" && $0.fileName != nil }) else {
                    throw ImplementationError.invalid(field: "file", "choose a file")
                }
                try await store.addEvidence(planID: scope.plan.id, number: number, year: year, fileName: file.fileName ?? "file",
                                            contentType: file.contentType ?? "application/octet-stream", data: file.data, actor: scope.actor)
                return redirect(back)
            }
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            switch action {
            case "save":
                try await store.saveIndicatorValue(
                    planID: scope.plan.id, number: number, year: year,
                    entry: IndicatorValueEntry(value: fields["value"] ?? "", source: fields["source"] ?? "", cityAssigned: fields["city_assigned"],
                                               note: fields["note"]),
                    actor: scope.actor)
            default:
                let event = try ImplementationPages.event(action, reason: fields["reason"] ?? "")
                try await store.transitionIndicatorValue(planID: scope.plan.id, number: number, year: year, event: event, actor: scope.actor)
            }
            return redirect(back)
        }

        impl.get("evidence/{id}") { _, context in
            let actor = try await context.implementationActor(store)
            let id = try context.parameters.require("id", as: Int64.self)
            let file = try await store.evidenceFile(id: id)
            let assigned = try await store.indicatorUnits(planID: file.planID)[file.number]
            guard actor.access.canRead(assignedTo: assigned.map { [$0] } ?? []) else {
                throw ImplementationError.forbidden("this evidence belongs to another unit's indicator (无权查看)")
            }
            return download(file.data, contentType: file.info.contentType, fileName: file.info.fileName)
        }

        impl.get("{plan}/audit.csv") { _, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            guard scope.actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff export the audit trail") }
            let entries = try await store.implementationAudit(idPrefix: "\(scope.plan.id)/", limit: 100_000)
            var csv = "\u{FEFF}id,at,actor,action,entity,entity_id,before,after,detail\r\n"
            func field(_ s: String?) -> String {
                let s = s ?? ""
                return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            }
            for e in entries.reversed() {
                csv += [String(e.id), localTime(e.at), e.actor, e.action, e.entity, e.entityID, e.before ?? "", e.after ?? "", e.detail ?? ""]
                    .map(field).joined(separator: ",") + "\r\n"
            }
            return download(Data(csv.utf8), contentType: "text/csv; charset=utf-8", fileName: "\(scope.plan.id)-audit.csv")
        }

        addImplementationProjectPages(environment: environment)
        addImplementationTaskPages(environment: environment)
        addImplementationReportPages(environment: environment)
    }
}

/// Shared pieces of the implementation pages.
enum ImplementationPages {
    static func event(_ action: String, reason: String) throws -> ReportWorkflow.Event {
        switch action {
        case "submit": return .submit
        case "withdraw": return .withdraw
        case "approve": return .approve
        case "return": return .sendBack(reason: reason)
        case "reopen": return .reopen(reason: reason)
        default: throw ImplementationError.notFound("action \(action)")
        }
    }

    static func auditTable(_ entries: [AuditEntry], t: ImplText) -> String {
        if entries.isEmpty { return "<p class=\"muted\">\(t("暂无记录。", "Nothing yet."))</p>" }
        let rows = entries.map { e in
            "<tr><td>\(esc(localTime(e.at)))</td><td>\(esc(e.actor))</td><td>\(esc(e.action))</td><td>\(esc(e.entityID))</td><td>\(changes(before: e.before, after: e.after))</td><td>\(esc(e.detail ?? ""))</td></tr>"
        }.joined()
        return """
        <div class="table-wrap"><table><thead><tr><th>\(t("时间", "When"))</th><th>\(t("操作人", "Who"))</th><th>\(t("操作", "Action"))</th><th>\(t("记录", "Record"))</th><th>\(t("变更（前 → 后）", "Change (before → after)"))</th><th>\(t("说明", "Detail"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
        """
    }

    /// The fields that differ between two JSON objects, as `key: before → after` lines; other JSON is shown whole.
    static func changes(before: String?, after: String?) -> String {
        func object(_ text: String?) -> [String: Any]? {
            guard let text, let data = text.data(using: .utf8) else { return nil }
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        }
        func show(_ value: Any?) -> String {
            switch value {
            case nil, is NSNull: return "—"
            case let string as String: return string.isEmpty ? "“”" : string
            case let number as NSNumber: return number.stringValue
            case let other?:
                let data = (try? JSONSerialization.data(withJSONObject: other, options: [.sortedKeys])) ?? Data()
                return String(decoding: data, as: UTF8.self)
            }
        }
        let old = object(before), new = object(after)
        if old == nil && new == nil { return esc([before, after].compactMap { $0 }.joined(separator: " → ")) }
        let keys = Set((old ?? [:]).keys).union((new ?? [:]).keys).sorted()
        let lines = keys.compactMap { key -> String? in
            let a = show(old?[key]), b = show(new?[key])
            if old != nil && a == b { return nil }
            return old == nil ? "\(esc(key)): \(esc(b))" : "\(esc(key)): \(esc(a)) → \(esc(b))"
        }
        return lines.isEmpty ? "" : lines.joined(separator: "<br>")
    }
}
