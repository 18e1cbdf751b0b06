import Domain
import Foundation
import Hummingbird
import Store

extension Router<AppRequestContext> {
    func addImplementationTaskPages(environment: WebEnvironment) {
        let store = environment.store
        let impl = group("implementation")

        impl.get("{plan}/tasks") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let t = context.implText
            let year = scope.year(request)
            let now = Date.now
            let tasks = try await store.tasks(planID: scope.plan.id, year: year, units: scope.actor.access.seesEverything ? nil : scope.actor.access.units)
            var rows = ""
            for task in tasks {
                let standing = TaskDeadlineRule.standing(of: task, now: now)
                let reports = try await store.taskReports(id: task.id).map {
                    "<li>\(esc(localTime($0.at))) \(esc($0.actor)) · \(fmt($0.progress))% · \(esc($0.text))</li>"
                }.joined()
                let canReport = scope.actor.access.canEdit(assignedTo: [task.organisationID]) && task.completedOn == nil
                let form = canReport ? """
                <form method="post" action="\(scope.base)/tasks/\(task.id)/report" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                <input type="number" name="progress" min="0" max="100" step="any" value="\(fmt(task.progress))"><input type="text" name="text" placeholder="\(t("进展情况（必填）", "what was done (required)"))" required>
                <label><input type="checkbox" name="done" value="on"> \(t("已完成", "done"))</label><button type="submit">\(t("报告进展", "Report"))</button></form>
                """ : ""
                rows += """
                <tr><td>\(esc(task.keyTask))</td><td>\(esc(task.title))</td><td><a href="\(scope.base)/responsibility/\(task.organisationID)?year=\(year)">\(esc(scope.unitName(task.organisationID)))</a></td>
                <td>\(esc(task.deadline))</td><td class="num">\(fmt(task.progress))%</td>
                <td><span class="badge\(standing == .overdue || standing == .doneLate ? " overdue" : "")">\(esc(t(standing.chineseName, standing.rawValue)))</span></td>
                <td><ul>\(reports)</ul>\(form)</td></tr>
                """
            }
            let yearLinks = scope.plan.period.years.map { $0 == year ? "<b>\($0)</b>" : "<a href=\"?year=\($0)\">\($0)</a>" }.joined(separator: " ")
            var body = """
            <p><a href="\(scope.base)?year=\(year)">← \(esc(scope.plan.name))</a></p>
            <h1>\(t("年度任务分解", "Tasks of the year"))</h1>
            <p class="lead">\(t("逾期规则：未完成且当前日期（北京时间）已过完成时限当日的任务为已逾期；完成日期晚于时限的为逾期完成。", "Overdue rule: a task not done when the current day (Beijing time) is past its deadline day is overdue; one done after its deadline day is done late."))</p>
            <p>\(t("年度", "Year")): \(yearLinks)</p>
            <div class="table-wrap"><table><thead><tr><th>\(t("重点任务", "Key task"))</th><th>\(t("任务", "Task"))</th><th>\(t("责任单位", "Unit"))</th><th>\(t("完成时限", "Deadline"))</th><th>\(t("进度", "Progress"))</th><th>\(t("状态", "Standing"))</th><th>\(t("进展报告", "Reports"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
            if scope.actor.access.canReview {
                let keyTasks = Array(Set(scope.plan.policies.map(\.keyTasks).filter { !$0.isEmpty })).sorted()
                body += """
                <h3>\(t("分解任务到单位", "Assign a task to a unit"))</h3>
                <form method="post" action="\(scope.base)/tasks" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="year" value="\(year)">
                <label>\(t("重点任务", "Key task"))</label><input type="text" name="key_task" list="key-tasks"><datalist id="key-tasks">\(keyTasks.map { "<option value=\"\(esc(String($0.prefix(80))))\">" }.joined())</datalist>
                <label>\(t("任务", "Task"))</label><input type="text" name="title" required>
                <label>\(t("责任单位", "Unit"))</label><select name="organisation_id">\(scope.tree.all.filter { $0.kind != .county }.map { "<option value=\"\($0.id)\">\(esc($0.name))</option>" }.joined())</select>
                <label>\(t("完成时限", "Deadline"))</label><input type="date" name="deadline" value="\(year)-12-31" required>
                <button type="submit">\(t("分解", "Assign"))</button></form>
                """
            }
            return context.implPage(t("年度任务", "Tasks"), path: request.uri.path, body)
        }

        impl.post("{plan}/tasks") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            guard let year = fields["year"].flatMap({ Int($0) }), let orgID = fields["organisation_id"].flatMap({ Int64($0) }) else {
                throw ImplementationError.invalid(field: "organisation_id", "choose a year and a unit")
            }
            try await store.addTask(planID: scope.plan.id, year: year, keyTask: fields["key_task"] ?? "", title: fields["title"] ?? "",
                                    organisationID: orgID, deadline: fields["deadline"] ?? "", actor: scope.actor)
            return redirect("\(scope.base)/tasks?year=\(year)")
        }

        impl.post("{plan}/tasks/{id}/report") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let id = try context.parameters.require("id", as: Int64.self)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            let task = try await store.task(id: id)
            try await store.reportTask(id: id, progress: Double(fields["progress"] ?? "") ?? task.task.progress, text: fields["text"] ?? "",
                                       done: fields["done"] == "on" || fields["done"] == "true", actor: scope.actor)
            return redirect("\(scope.base)/tasks?year=\(task.task.year)")
        }

        impl.get("{plan}/responsibility/{org}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let orgID = try context.parameters.require("org", as: Int64.self)
            guard let org = scope.tree[orgID] else { throw ImplementationError.notFound("organisation \(orgID)") }
            guard scope.actor.access.canRead(assignedTo: [orgID]) else {
                throw ImplementationError.forbidden("this is another unit's responsibility list (无权查看其他单位的责任清单)")
            }
            let t = context.implText
            let year = scope.year(request)
            let indicators = scope.plan.indicators.filter { scope.indicatorUnits[$0.number] == orgID }
            let projects = scope.plan.projects.filter { scope.projectUnits($0).contains(orgID) }
            let tasks = try await store.tasks(planID: scope.plan.id, year: year, units: [orgID])
            let now = Date.now
            let body = """
            <div class="printable">
            <p class="no-print"><a href="\(scope.base)?year=\(year)">← \(esc(scope.plan.name))</a> · \(t("用浏览器打印本页", "Print this page from the browser"))</p>
            <h1>\(esc(org.name)) \(year)\(t("年度生态环境保护责任清单", " responsibility list"))</h1>
            <p class="muted">\(esc(scope.plan.name)) · \(t("生成于", "generated")) \(esc(localTime(now)))</p>
            <h2>\(t("一、目标指标", "1. Target indicators"))</h2>
            \(indicators.isEmpty ? "<p class=\"muted\">\(t("无", "none"))</p>" : "<table><thead><tr><th>#</th><th>\(t("指标", "Indicator"))</th><th>\(t("单位", "Unit"))</th><th>\(t("基准值", "Baseline"))</th><th>\(t("目标值", "Target"))</th><th>\(t("类型", "Type"))</th></tr></thead><tbody>" + indicators.map { "<tr><td>\($0.number)</td><td>\(esc($0.name))</td><td>\(esc($0.unit))</td><td>\(esc($0.baseline.text))</td><td>\(esc($0.target.text))</td><td>\(esc(t($0.type.chineseName, $0.type.rawValue)))</td></tr>" }.joined() + "</tbody></table>")
            <h2>\(t("二、牵头项目", "2. Projects led"))</h2>
            \(projects.isEmpty ? "<p class=\"muted\">\(t("无", "none"))</p>" : "<table><thead><tr><th>#</th><th>\(t("项目", "Project"))</th><th>\(t("建设内容", "Content"))</th><th>\(t("年限", "Years"))</th><th>\(t("总投资（万元）", "Investment"))</th></tr></thead><tbody>" + projects.map { "<tr><td>\($0.number)</td><td>\(esc($0.name))</td><td>\(esc($0.content))</td><td>\(esc($0.years))</td><td class=\"num\">\(fmt($0.investment.total))</td></tr>" }.joined() + "</tbody></table>")
            <h2>\(t("三、年度任务", "3. Tasks of the year"))</h2>
            \(tasks.isEmpty ? "<p class=\"muted\">\(t("无", "none"))</p>" : "<table><thead><tr><th>\(t("重点任务", "Key task"))</th><th>\(t("任务", "Task"))</th><th>\(t("完成时限", "Deadline"))</th><th>\(t("状态", "Standing"))</th></tr></thead><tbody>" + tasks.map { task in let s = TaskDeadlineRule.standing(of: task, now: now); return "<tr><td>\(esc(task.keyTask))</td><td>\(esc(task.title))</td><td>\(esc(task.deadline))</td><td>\(esc(t(s.chineseName, s.rawValue)))</td></tr>" }.joined() + "</tbody></table>")
            </div>
            """
            return context.implPage("\(org.name) \(t("责任清单", "responsibility list"))", path: request.uri.path, body)
        }
    }
}
