import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

extension Router<AppRequestContext> {
    func addImplementationReportPages(environment: WebEnvironment) {
        let store = environment.store
        let impl = group("implementation")

        impl.get("{plan}/reports") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            guard scope.actor.access.seesEverything else { throw ImplementationError.forbidden("evaluation reports cover every unit; they are the bureau's") }
            let t = context.implText
            var body = """
            <p><a href="\(scope.base)">← \(esc(scope.plan.name))</a></p>
            <h1>\(t("评估报告", "Evaluation reports"))</h1>
            <p class="lead">\(t("年度实施情况报告、中期评估和终期评估：指标完成情况与状态、项目投资完成情况、年度任务和评估意见。可打印为 A4，或导出 CSV 和 Excel。", "Annual reports, the mid-term and the final evaluation: indicators with status, project investment, tasks and the assessment. Print as A4, or export CSV and Excel."))</p>
            <ul>
            """
            for kind in ReportKind.allCases {
                let years: [Int] = kind == .annual ? Array(scope.plan.period.years) : [kind.year(for: scope.plan.period, annual: nil)]
                for year in years {
                    let query = kind == .annual ? "year=\(year)&" : ""
                    body += "<li>\(esc(t.report(kind))) \(year)：<a href=\"\(scope.base)/reports/\(kind.rawValue)?\(query)\">HTML</a> · <a href=\"\(scope.base)/reports/\(kind.rawValue)?\(query)format=csv\">CSV</a> · <a href=\"\(scope.base)/reports/\(kind.rawValue)?\(query)format=xlsx\">Excel</a></li>"
                }
            }
            body += "</ul>"
            if scope.actor.access.canReview {
                for kind in ReportKind.allCases {
                    let year = kind == .annual ? scope.year(request) : kind.year(for: scope.plan.period, annual: nil)
                    let texts = try await store.narratives(planID: scope.plan.id, kind: kind, year: year)
                    body += """
                    <h2>\(esc(t.report(kind))) \(year) · \(t("评估意见", "narrative"))</h2>
                    <form method="post" action="\(scope.base)/reports/\(kind.rawValue)/narrative" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="year" value="\(year)">
                    \(NarrativeSection.allCases.map { "<label>\(esc(t.section($0)))</label><textarea name=\"\($0.rawValue)\">\(esc(texts[$0] ?? ""))</textarea>" }.joined())
                    <button type="submit">\(t("保存", "Save"))</button></form>
                    """
                }
            }
            return context.implPage(t("评估报告", "Reports"), path: request.uri.path, body)
        }

        impl.post("{plan}/reports/{kind}/narrative") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            guard let kind = ReportKind(rawValue: try context.parameters.require("kind")) else { throw ImplementationError.notFound("report kind") }
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            let year = fields["year"].flatMap { Int($0) } ?? kind.year(for: scope.plan.period, annual: nil)
            var texts: [NarrativeSection: String] = [:]
            for section in NarrativeSection.allCases { if let text = fields[section.rawValue] { texts[section] = text } }
            try await store.saveNarratives(planID: scope.plan.id, kind: kind, year: year, texts: texts, actor: scope.actor)
            return redirect("\(scope.base)/reports")
        }

        impl.get("{plan}/reports/{kind}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            guard scope.actor.access.seesEverything else { throw ImplementationError.forbidden("evaluation reports cover every unit; they are the bureau's") }
            guard let kind = ReportKind(rawValue: try context.parameters.require("kind")) else { throw ImplementationError.notFound("report kind") }
            let year = request.uri.queryParameters.get("year").flatMap { Int($0) }
            let report = try await store.evaluationReport(planID: scope.plan.id, kind: kind, year: year)
            let tables = ReportTables(report: report, t: context.implText)
            let fileBase = "\(scope.plan.id)-\(kind.rawValue)-\(report.year)"
            switch request.uri.queryParameters.get("format") ?? "html" {
            case "csv":
                return download(tables.csv(), contentType: "text/csv; charset=utf-8", fileName: fileBase + ".csv")
            case "xlsx":
                return download(tables.workbook(), contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName: fileBase + ".xlsx")
            default:
                var headers = HTTPFields()
                headers[.contentType] = "text/html; charset=utf-8"
                headers[.cacheControl] = "no-store"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: tables.html(planPath: "\(scope.base)/reports"))))
            }
        }

        // MARK: Plan versions and the next plan

        impl.get("{plan}/plan") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            guard scope.actor.access.seesEverything else { throw ImplementationError.forbidden("plan versions are the bureau's") }
            let t = context.implText
            let version = try await store.planVersion(planID: scope.plan.id)
            let draft = version.state == .draft && scope.actor.access.canReview
            let rows = scope.plan.indicators.map { indicator in
                let target = draft ? """
                <form method="post" action="\(scope.base)/plan/targets/\(indicator.number)" class="row"><input type="hidden" name="csrf" value="{{csrf}}">
                <input type="text" name="target" value="\(esc(indicator.target.text))"><button type="submit" class="secondary">\(t("保存", "Save"))</button></form>
                """ : esc(indicator.target.text)
                return "<tr><td>\(indicator.number)</td><td>\(esc(indicator.name))</td><td>\(esc(indicator.unit))</td><td>\(esc(indicator.baseline.text))</td><td>\(target)</td></tr>"
            }.joined()
            var body = """
            <p><a href="\(scope.base)">← \(esc(scope.plan.name))</a></p>
            <h1>\(t("规划版本", "Plan version"))</h1>
            <dl class="kv"><dt>\(t("状态", "State"))</dt><dd>\(esc(t(version.state.chineseName, version.state.rawValue)))</dd><dt>\(t("版本", "Version"))</dt><dd>\(version.version)</dd>
            <dt>\(t("基于", "Based on"))</dt><dd>\(esc(version.basedOn ?? "—"))</dd><dt>\(t("理由", "Reason"))</dt><dd>\(esc(version.reason))</dd></dl>
            <p class="lead">\(t("规划一经批准，其年限和指标不再修改；调整须以新版本提出并说明理由。", "Once approved, a plan's years and indicators never change; a change is a new version with a reason."))</p>
            <div class="table-wrap"><table><thead><tr><th>#</th><th>\(t("指标", "Indicator"))</th><th>\(t("单位", "Unit"))</th><th>\(scope.plan.baselineYear) \(t("基准值", "baseline"))</th><th>\(scope.plan.period.endYear) \(t("目标值", "target"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
            if scope.actor.access.canReview {
                if version.state == .draft {
                    body += "<form method=\"post\" action=\"\(scope.base)/plan/approve\" class=\"row\"><input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\"><button type=\"submit\">\(t("批准规划（批准后不可修改）", "Approve (no changes afterwards)"))</button></form>"
                } else {
                    body += """
                    <form method="post" action="\(scope.base)/plan/version" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}">
                    <label>\(t("调整理由", "Reason for a new version"))</label><input type="text" name="reason" required><button type="submit" class="secondary">\(t("创建新版本", "Make a new version"))</button></form>
                    """
                }
                let next = "\(scope.plan.region.county == "巫溪县" ? "wuxi" : scope.plan.id.split(separator: "-").first.map(String.init) ?? "plan")-\(scope.plan.period.endYear + 1)-\(scope.plan.period.endYear + scope.plan.period.years.count)"
                body += """
                <h2>\(t("编制下一期规划", "Create the next plan"))</h2>
                <p>\(t("以末年审核值为新基准值，目标留待填写，未完成项目转入新规划的储备库。", "The last year's approved values become the baselines, targets are left blank, unfinished projects go into the new plan's reserve."))</p>
                <form method="post" action="\(scope.base)/next" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}">
                <label>id</label><input type="text" name="id" value="\(esc(next))" required>
                <label>\(t("名称", "Name"))</label><input type="text" name="name" value="\(esc(scope.plan.region.county))生态环境保护规划（\(scope.plan.period.endYear + 1)—\(scope.plan.period.endYear + scope.plan.period.years.count)年）" required>
                <button type="submit">\(t("生成草案", "Create draft"))</button></form>
                """
            }
            return context.implPage(t("规划版本", "Plan version"), path: request.uri.path, body)
        }

        impl.post("{plan}/plan/targets/{number}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            try await store.setIndicatorTarget(planID: scope.plan.id, number: number, target: fields["target"] ?? "", actor: scope.actor)
            return redirect("\(scope.base)/plan")
        }

        impl.post("{plan}/plan/approve") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            try await store.approvePlan(planID: scope.plan.id, actor: scope.actor)
            return redirect("\(scope.base)/plan")
        }

        impl.post("{plan}/plan/version") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            let id = try await store.newPlanVersion(of: scope.plan.id, reason: fields["reason"] ?? "", actor: scope.actor)
            return redirect("/implementation/\(id)/plan")
        }

        impl.post("{plan}/next") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            let result = try await store.createNextPlan(from: scope.plan.id, id: fields["id"] ?? "", name: fields["name"] ?? "", actor: scope.actor)
            return redirect("/implementation/\(result.plan.id)/plan")
        }
    }
}
