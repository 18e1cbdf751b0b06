import Domain
import Foundation
import Store

/// Server-rendered SVG charts: no script, only presentation attributes (the CSP forbids inline styles).
enum SVGChart {
    /// Target against actual for one indicator: a bar per year with an approved value, the target as a dashed line
    /// (the running sum against the target for cumulative figures; the city figure per year for city-assigned ones).
    static func targetVsActual(_ line: ReportIndicatorLine, language: Language) -> String {
        let width = 360.0, height = 180.0, left = 44.0, right = 10.0, top = 22.0, bottom = 26.0
        var actuals: [(Int, Double?)] = line.values.map { ($0.year, $0.value) }
        var targets: [(Int, Double?)] = []
        switch line.assessment.rule {
        case .atLeast(let t), .atMost(let t):
            targets = line.values.map { ($0.year, t) }
        case .cumulative(let t):
            var sum = 0.0
            var broken = false
            actuals = line.values.map { year, value in
                guard let value, !broken else { broken = true; return (year, nil) }
                sum += value
                return (year, sum)
            }
            targets = line.values.map { ($0.year, t) }
        case .cityAssigned:
            targets = line.values.map { ($0.year, line.cityAssigned[$0.year]) }
        case .none:
            return ""
        }
        let numbers = actuals.compactMap(\.1) + targets.compactMap(\.1) + [line.indicator.baseline.cumulative ? nil : line.indicator.baseline.value].compactMap { $0 }
        // The axis starts at 0 unless every figure lies in the upper half of the range, where a zero base would hide
        // the differences (69.9 against 72); the axis then starts below the smallest figure and says so.
        let high = max(numbers.max() ?? 1, 1e-9), low = numbers.min() ?? 0
        let base = low > high * 0.5 ? max(0, (low - (high - low) * 0.6 - high * 0.02).rounded(.down)) : 0
        let maxValue = base + (high - base) * 1.1
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let slot = plotWidth / Double(max(1, actuals.count))
        func y(_ v: Double) -> Double { top + plotHeight - (v - base) / (maxValue - base) * plotHeight }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(esc(line.indicator.name))\">"
        svg += "<title>\(esc(line.indicator.name))</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\" stroke=\"#5b6b66\" stroke-width=\"1\"/>"
        for tick in [0.0, 0.5, 1.0] {
            let v = base + (high - base) * tick
            svg += "<text x=\"\(left - 4)\" y=\"\(fmt2(y(v)) )\" font-size=\"9\" text-anchor=\"end\" fill=\"#5b6b66\">\(fmt(round(v * 100) / 100))</text>"
            svg += "<line x1=\"\(left)\" y1=\"\(fmt2(y(v)))\" x2=\"\(width - right)\" y2=\"\(fmt2(y(v)))\" stroke=\"#e3e8e6\" stroke-width=\"0.5\"/>"
        }
        for (index, (year, value)) in actuals.enumerated() {
            let x = left + slot * Double(index)
            if let value {
                let barTop = min(y(value), top + plotHeight)
                svg += "<rect x=\"\(fmt2(x + slot * 0.2))\" y=\"\(fmt2(barTop))\" width=\"\(fmt2(slot * 0.6))\" height=\"\(fmt2(top + plotHeight - barTop))\" fill=\"#2e7d62\"><title>\(year): \(fmt(value))</title></rect>"
                svg += "<text x=\"\(fmt2(x + slot / 2))\" y=\"\(fmt2(barTop - 3))\" font-size=\"9\" text-anchor=\"middle\" fill=\"#1d2a26\">\(fmt(value))</text>"
            }
            svg += "<text x=\"\(fmt2(x + slot / 2))\" y=\"\(fmt2(height - 10))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1d2a26\">\(year)</text>"
        }
        var path = ""
        for (index, (_, target)) in targets.enumerated() {
            guard let target else { continue }
            let x1 = left + slot * Double(index), x2 = x1 + slot
            path += "M\(fmt2(x1)) \(fmt2(y(target))) L\(fmt2(x2)) \(fmt2(y(target))) "
        }
        if !path.isEmpty {
            svg += "<path d=\"\(path)\" stroke=\"#b5462f\" stroke-width=\"2\" stroke-dasharray=\"5 3\" fill=\"none\"/>"
        }
        let t = ImplText(language: language)
        svg += "<rect x=\"\(left)\" y=\"4\" width=\"10\" height=\"8\" fill=\"#2e7d62\"/><text x=\"\(left + 14)\" y=\"12\" font-size=\"9\" fill=\"#1d2a26\">\(t("实际值", "actual"))\(line.assessment.rule == .cumulative(line.indicator.target.value ?? 0) ? t("（累计）", " (cumulative)") : "")</text>"
        svg += "<line x1=\"\(left + 110)\" y1=\"8\" x2=\"\(left + 126)\" y2=\"8\" stroke=\"#b5462f\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"\(left + 130)\" y=\"12\" font-size=\"9\" fill=\"#1d2a26\">\(line.assessment.rule == .cityAssigned ? t("市级下达值", "city figure") : t("目标值", "target"))</text>"
        svg += "</svg>"
        return svg
    }

    private static func fmt2(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// The report's tables as rows of cells, shared by the HTML, CSV and workbook renderers so the three agree.
struct ReportTables {
    let report: EvaluationReport
    let t: ImplText

    var indicatorHeader: [String] {
        [t("序号", "No."), t("领域", "Domain"), t("指标", "Indicator"), t("单位", "Unit"), t("类型", "Type"), t("责任单位", "Responsible unit"),
         t("基准值", "Baseline"), t("目标值", "Target")]
            + (report.indicators.first?.values.map { "\($0.year)" } ?? [])
            + [t("评价值", "Assessed"), t("比较值", "Compared with"), t("状态", "Status"), t("评价规则", "Rule")]
    }

    var indicatorRows: [[XLSXCell]] {
        report.indicators.map { line in
            var row: [XLSXCell] = [.number(Double(line.indicator.number)), .text(line.indicator.domain), .text(line.indicator.name),
                                   .text(line.indicator.unit), .text(t(line.indicator.type.chineseName, line.indicator.type.rawValue)),
                                   .text(line.unit), .text(line.indicator.baseline.text), .text(line.indicator.target.text)]
            row += line.values.map { $0.value.map(XLSXCell.number) ?? .empty }
            row += [line.assessment.actual.map(XLSXCell.number) ?? .empty, line.assessment.expected.map(XLSXCell.number) ?? .empty,
                    .text(t.status(line.assessment.status)), .text(t.rule(line.assessment.rule))]
            return row
        }
    }

    var projectHeader: [String] {
        [t("序号", "No."), t("类别", "Category"), t("项目名称", "Project"), t("牵头单位", "Lead units"), t("建设地址", "Location"),
         t("计划总投资（万元）", "Planned (10k yuan)"), t("到位资金-财政", "In place: fiscal"), t("到位资金-社会", "In place: social"),
         t("到位资金-其他", "In place: other"), t("完成投资-财政", "Spent: fiscal"), t("完成投资-社会", "Spent: social"),
         t("完成投资-其他", "Spent: other"), t("完成投资合计", "Spent total"), t("投资完成率（%）", "Investment completion (%)"),
         t("形象进度（%）", "Physical progress (%)"), t("状态", "Status"), t("原因", "Reason"), t("绩效评价得分", "Performance score"), t("评价意见", "Comments")]
    }

    var projectRows: [[XLSXCell]] {
        report.projects.map { s in
            [.number(Double(s.project.number)), .text(s.project.category), .text(s.project.name.isEmpty ? s.project.content : s.project.name),
             .text(s.project.leadUnits.joined(separator: "、")), .text(s.project.location), .number(s.project.investment.total),
             .number(s.inPlace.fiscal), .number(s.inPlace.social), .number(s.inPlace.other), .number(s.spent.fiscal), .number(s.spent.social),
             .number(s.spent.other), .number(s.spent.total), s.investmentCompletion.map { .number((($0 * 10).rounded()) / 10) } ?? .empty,
             .number(s.physicalProgress), .text(t.project(s.status)), .text(s.statusReason), s.score.map(XLSXCell.number) ?? .empty,
             .text(s.scoreComment)]
        }
    }

    var rollupHeader: [String] {
        [t("分组", "Group"), t("名称", "Name"), t("项目数", "Projects"), t("计划总投资", "Planned"), t("到位资金", "In place"),
         t("完成投资", "Spent"), t("投资完成率（%）", "Completion (%)"), t("已完工", "Completed")]
    }

    var rollupRows: [[XLSXCell]] {
        func rows(_ group: String, _ list: [ProjectRollup]) -> [[XLSXCell]] {
            list.map { r in
                [.text(group), .text(r.name), .number(Double(r.count)), .number(r.planned), .number(r.inPlace.total), .number(r.spent.total),
                 r.completion.map { .number((($0 * 10).rounded()) / 10) } ?? .empty, .number(Double(r.completed))]
            }
        }
        return rows(t("类别", "Category"), report.byCategory) + rows(t("牵头单位", "Lead unit"), report.byLeadUnit)
            + rows(t("乡镇（街道）", "Township"), report.byTownship) + rows(t("合计", "Total"), [report.total])
    }

    var taskHeader: [String] {
        [t("重点任务", "Key task"), t("任务", "Task"), t("责任单位", "Unit"), t("完成时限", "Deadline"), t("进度（%）", "Progress (%)"),
         t("完成日期", "Completed on"), t("状态", "Standing")]
    }

    var taskRows: [[XLSXCell]] {
        report.tasks.map { line in
            [.text(line.task.keyTask), .text(line.task.title), .text(line.unit), .text(line.task.deadline), .number(line.task.progress),
             .text(line.task.completedOn ?? ""), .text(t(line.standing.chineseName, line.standing.rawValue))]
        }
    }

    var narrativeRows: [[XLSXCell]] {
        NarrativeSection.allCases.map { [.text(t.section($0)), .text(report.narrative[$0] ?? "")] }
    }

    var summaryRows: [[XLSXCell]] {
        var rows: [[XLSXCell]] = [
            [.text(t("报告", "Report")), .text(report.title)],
            [.text(t("规划", "Plan")), .text(report.planName)],
            [.text(t("评价年度", "Year")), .number(Double(report.year))],
            [.text(t("生成时间", "Generated")), .text(localTime(report.generatedAt))],
            [.text(t("说明", "Note")), .text(t("指标状态仅依据经生态环境局审核通过的数值。", "Statuses use bureau-approved values only."))],
        ]
        for status in IndicatorStatus.allCases {
            rows.append([.text(t.status(status)), .number(Double(report.statusCounts[status] ?? 0))])
        }
        rows.append([.text(t("计划总投资（万元）", "Planned investment (10k yuan)")), .number(report.total.planned)])
        rows.append([.text(t("完成投资（万元）", "Spent (10k yuan)")), .number(report.total.spent.total)])
        return rows
    }

    static func text(_ cell: XLSXCell) -> String {
        switch cell {
        case .text(let s): s
        case .number(let v): fmt(v)
        case .empty: ""
        }
    }

    /// CSV (RFC 4180) with a UTF-8 byte order mark so spreadsheet programs read the Chinese correctly; sections are
    /// separated by a blank line and headed by their title.
    func csv() -> Data {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func line(_ cells: [String]) -> String { cells.map(field).joined(separator: ",") + "\r\n" }
        var out = "\u{FEFF}"
        out += line([report.title])
        for (title, header, rows) in [
            (t("概况", "Summary"), [t("项目", "Item"), t("内容", "Value")], summaryRows),
            (t("目标指标", "Indicators"), indicatorHeader, indicatorRows),
            (t("项目进展", "Projects"), projectHeader, projectRows),
            (t("投资汇总", "Rollups"), rollupHeader, rollupRows),
            (t("年度任务", "Tasks"), taskHeader, taskRows),
            (t("评估意见", "Narrative"), [t("部分", "Section"), t("内容", "Text")], narrativeRows),
        ] {
            out += "\r\n" + line(["# " + title]) + line(header)
            for row in rows { out += line(row.map(ReportTables.text)) }
        }
        return Data(out.utf8)
    }

    /// The workbook: one sheet per section.
    func workbook() -> Data {
        func sheet(_ name: String, _ header: [String], _ rows: [[XLSXCell]], widths: [Double] = []) -> XLSXWorkbook.Sheet {
            XLSXWorkbook.Sheet(name: name, rows: [header.map(XLSXCell.text)] + rows, columnWidths: widths)
        }
        var book = XLSXWorkbook()
        book.sheets = [
            sheet(t("概况", "Summary"), [t("项目", "Item"), t("内容", "Value")], summaryRows, widths: [24, 60]),
            sheet(t("目标指标", "Indicators"), indicatorHeader, indicatorRows, widths: [6, 14, 36, 8, 8, 16, 10, 14]),
            sheet(t("项目进展", "Projects"), projectHeader, projectRows, widths: [6, 18, 36, 24, 14]),
            sheet(t("投资汇总", "Rollups"), rollupHeader, rollupRows, widths: [12, 28]),
            sheet(t("年度任务", "Tasks"), taskHeader, taskRows, widths: [24, 36, 16, 12]),
            sheet(t("评估意见", "Narrative"), [t("部分", "Section"), t("内容", "Text")], narrativeRows, widths: [18, 100]),
        ]
        return book.data()
    }

    /// The rule sentences the report's indicators use, in order of first use.
    static func distinctRules(_ report: EvaluationReport, t: ImplText) -> [String] {
        report.indicators.map { t.rule($0.assessment.rule) }.reduce(into: [String]()) { list, rule in
            if !list.contains(rule) { list.append(rule) }
        }
    }

    /// The print-ready HTML document: an A4 cover, then one section per page group, charts beside the indicators.
    func html(planPath: String) -> String {
        func table(_ header: [String], _ rows: [[XLSXCell]], numeric: Set<Int> = []) -> String {
            let head = header.map { "<th>\(esc($0))</th>" }.joined()
            let body = rows.map { row in
                "<tr>" + row.enumerated().map { index, cell in
                    if case .number = cell { return "<td class=\"num\">\(esc(ReportTables.text(cell)))</td>" }
                    return "<td>\(escMultiline(ReportTables.text(cell)))</td>"
                }.joined() + "</tr>"
            }.joined()
            return "<table><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
        }
        let counts = IndicatorStatus.allCases.map { "<li><span class=\"badge \(statusClass($0))\">\(esc(t.status($0)))</span> \(report.statusCounts[$0] ?? 0)</li>" }.joined()
        let rules = ReportTables.distinctRules(report, t: t)
        let indicatorLines = report.indicators.map { line -> String in
            let values = line.values.map { "<td class=\"num\">\(fmt($0.value))</td>" }.joined()
            return """
            <tr><td class="num">\(line.indicator.number)</td><td>\(esc(line.indicator.name))</td><td>\(esc(line.indicator.unit))</td><td>\(esc(line.unit))</td>\
            <td class="num">\(esc(line.indicator.baseline.text))</td><td class="num">\(esc(line.indicator.target.text))</td>\(values)\
            <td class="num">\(fmt(line.assessment.actual))</td><td class="num">\(fmt(line.assessment.expected.map { ($0 * 100).rounded() / 100 }))</td>\
            <td><span class="badge \(statusClass(line.assessment.status))">\(esc(t.status(line.assessment.status)))</span></td>\
            <td>\(esc(line.assessment.rule.shortLabel))<sup>\((rules.firstIndex(of: t.rule(line.assessment.rule)) ?? 0) + 1)</sup></td></tr>
            """
        }.joined()
        let yearHeads = (report.indicators.first?.values ?? []).map { "<th>\($0.year)</th>" }.joined()
        let charts = report.indicators.filter(\.isQuantitative).map { line in
            "<figure class=\"chart\">\(SVGChart.targetVsActual(line, language: t.language))<figcaption>\(line.indicator.number). \(esc(line.indicator.name))（\(esc(line.indicator.unit))）· \(esc(t.status(line.assessment.status)))</figcaption></figure>"
        }.joined()
        let narrative = NarrativeSection.allCases.map { section in
            "<h3>\(esc(t.section(section)))</h3><p>\(report.narrative[section].map(escMultiline) ?? "<span class=\"muted\">\(t("（未填写）", "(not written)"))</span>")</p>"
        }.joined()
        return """
        <!doctype html>
        <html lang="\(t.language.htmlTag)">
        <head><meta charset="utf-8"><title>\(esc(report.title))</title><link rel="stylesheet" href="/assets/impl-report.css"></head>
        <body class="report">
        <nav class="no-print"><a href="\(esc(planPath))">← \(t("返回", "Back"))</a> · <a href="?\(report.kind == .annual ? "year=\(report.year)&" : "")format=csv">CSV</a> · <a href="?\(report.kind == .annual ? "year=\(report.year)&" : "")format=xlsx">Excel (.xlsx)</a> · \(t("用浏览器打印为 PDF（A4）", "Print to PDF from the browser (A4)"))</nav>
        <section class="cover">
        <p class="county">\(esc(report.county))</p>
        <h1>\(esc(report.planName))</h1>
        <h2>\(esc(t.report(report.kind)))</h2>
        <p class="year">\(t("评价年度", "Year")) \(report.year)</p>
        <p class="meta">\(t("生成时间", "Generated")) \(esc(localTime(report.generatedAt)))<br>\(t("指标状态仅依据经生态环境局审核通过的数值。", "Statuses use bureau-approved values only."))</p>
        </section>
        <section class="page">
        <h2>一、\(t("总体情况与评估意见", "Overview and assessment"))</h2>
        <ul class="counts">\(counts)</ul>
        <p>\(t("计划总投资", "Planned investment")) \(fmt(report.total.planned)) \(t("万元，累计完成投资", "10k yuan; spent")) \(fmt(report.total.spent.total)) \(t("万元，投资完成率", "10k yuan; completion")) \(pct(report.total.completion))。</p>
        \(narrative)
        </section>
        <section class="page">
        <h2>二、\(t("目标指标完成情况", "Target indicators"))</h2>
        <table class="indicators"><thead><tr><th>#</th><th>\(t("指标", "Indicator"))</th><th>\(t("单位", "Unit"))</th><th>\(t("责任单位", "Unit responsible"))</th><th>\(t("基准值", "Baseline"))</th><th>\(t("目标值", "Target"))</th>\(yearHeads)<th>\(t("评价值", "Assessed"))</th><th>\(t("比较值", "Compared with"))</th><th>\(t("状态", "Status"))</th><th>\(t("规则", "Rule"))</th></tr></thead>
        <tbody>\(indicatorLines)</tbody></table>
        <p class="muted">\(t("评价规则（仅依据审核通过的数值；比较值为目标值、当年线性进度值或市级下达值）：", "Rules (approved values only; “compared with” is the target, the year's straight-line value or the city figure):"))</p>
        <ol class="rules">\(rules.map { "<li>\(esc($0))</li>" }.joined())</ol>
        </section>
        <section class="page">
        <h2>三、\(t("目标与实际对比图", "Target against actual"))</h2>
        <div class="charts">\(charts)</div>
        </section>
        <section class="page">
        <h2>四、\(t("项目实施与投资完成情况", "Projects and investment"))</h2>
        \(table(rollupHeader, rollupRows))
        <h3>\(t("项目明细", "Projects"))</h3>
        \(table(projectHeader, projectRows))
        </section>
        <section class="page">
        <h2>五、\(t("年度任务落实情况", "Tasks of the year"))</h2>
        \(report.tasks.isEmpty ? "<p class=\"muted\">\(t("本年度未分解任务。", "No tasks for this year."))</p>" : table(taskHeader, taskRows))
        </section>
        </body>
        </html>
        """
    }
}
