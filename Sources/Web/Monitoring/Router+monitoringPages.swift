import Domain
import Foundation
import Hummingbird
import Standards
import Store

extension Router<AppRequestContext> {
    /// Pages of the assessments: the water sections table, the plan indicators fed by monitoring, and data review.
    func addMonitoringPages(environment: WebEnvironment) {
        let store = environment.store

        get("water") { request, context in
            let zh = context.language == .zh
            let year = try MonitoringQuery.year(request)
            let sites = try await store.sites().filter { $0.kind == .water || $0.kind == .drinkingWater }
            let months = try await store.waterMonths(year: year)
            let byKey = Dictionary(months.map { ("\($0.siteCode) \($0.month)", $0) }, uniquingKeysWith: { a, _ in a })
            var rows = ""
            for site in sites {
                var cells = ""
                for month in 1...12 {
                    let key = "\(site.code) \(year)-\(month < 10 ? "0" : "")\(month)"
                    if let record = byKey[key], let value = record.waterClass {
                        let waterClass = WaterClass(value)
                        let mark = record.compliant == false ? " ✗" : ""
                        let tip = "\(record.samples) \(zh ? "次采样" : "samples")" + (record.mainPollutants.isEmpty ? "" : "; \(zh ? "主要污染指标" : "main pollutants") \(record.mainPollutants.joined(separator: ", "))")
                        cells += "<td class=\"center wq\" style=\"background:\(waterClass.colour)33\" title=\"\(esc(tip))\">\(waterClass.name)\(mark)</td>"
                    } else {
                        cells += "<td class=\"center muted\">—</td>"
                    }
                }
                let kind = site.kind == .drinkingWater ? (zh ? "水源地" : "source") : (zh ? "断面" : "section")
                rows += "<tr><td><a href=\"/sites/\(esc(site.code))\">\(esc(site.code))</a></td><td>\(esc(site.name))\(site.demo ? " <span class=\"badge reference\">\(zh ? "示例" : "demo")</span>" : "")</td><td>\(kind)</td><td>\(esc(site.river ?? ""))</td><td class=\"center\">\(site.targetClass.map { WaterClassName.name($0) } ?? "—")</td>\(cells)</tr>"
            }
            let header = (1...12).map { "<th class=\"center\">\(zh ? "\($0)月" : "M\($0)")</th>" }.joined()
            return context.page(zh ? "地表水与饮用水水质" : "Water quality", path: request.uri.path, """
            <h1>\(zh ? "\(year) 年断面与水源地水质类别（按月）" : "Water quality classes by month, \(year)")</h1>
            <p class="lead">\(zh ? "各月类别按当月有效数据的均值，依 GB 3838-2002 单因子评价；✗ 表示劣于目标类别（水源地：不达标）。悬停可见采样次数与主要污染指标。" : "Each month's class from the mean of its valid values by GB 3838-2002 single-factor evaluation; ✗ marks worse than the target (sources: not compliant). Hover for samples and main pollutants.")</p>
            \(MonitoringPages.yearLinks(year: year, path: "/water"))
            <div class="table-wrap"><table><thead><tr><th>\(zh ? "编码" : "Code")</th><th>\(zh ? "名称" : "Name")</th><th>\(zh ? "类型" : "Kind")</th><th>\(zh ? "河流" : "River")</th><th>\(zh ? "目标" : "Target")</th>\(header)</tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td colspan=\"17\" class=\"muted\">—</td></tr>" : rows)</tbody></table></div>
            <p><a href="/api/v1/water/months?year=\(year)">JSON</a></p>
            """)
        }

        get("monitoring/indicators") { request, context in
            let zh = context.language == .zh
            let year = try MonitoringQuery.year(request)
            let figures = try await store.monitoringIndicators(year: year, planID: request.uri.queryParameters.get("plan"))
            let rows = figures.map { f in
                let value = f.value.map { formatAmount($0) } ?? "—"
                let verdict = f.meetsTarget.map { $0 ? "<span class=\"badge st-met\">\(zh ? "达标" : "met")</span>" : "<span class=\"badge st-not_met\">\(zh ? "未达标" : "not met")</span>" } ?? "—"
                let details = f.details.isEmpty ? "" : "<details><summary>\(zh ? "明细" : "details")</summary><ul>\(f.details.map { "<li>\(esc($0))</li>" }.joined())</ul></details>"
                return "<tr><td>\(esc(f.planID))</td><td class=\"num\">\(f.number)</td><td>\(esc(f.name))</td><td class=\"num\"><strong>\(value)</strong> \(esc(f.unit))</td><td>\(esc(f.target))</td><td class=\"center\">\(verdict)</td><td>\(esc(f.basis))\(details)</td></tr>"
            }.joined()
            return context.page(zh ? "监测数据计算的规划指标" : "Plan indicators from monitoring", path: request.uri.path, """
            <h1>\(zh ? "\(year) 年规划指标（监测数据自动计算）" : "Plan indicators computed from monitoring data, \(year)")</h1>
            <p class="lead">\(zh ? "只用审核后的有效数据；每个数值注明所用的天数、断面或水源地月份。计算结果以“已提交”报送至规划实施台账，待生态环境局审核。" : "Only validated data are used; each figure states the days, sections or source-months behind it. Figures are submitted to the implementation ledger for the bureau's approval.")</p>
            \(MonitoringPages.yearLinks(year: year, path: "/monitoring/indicators"))
            <div class="table-wrap"><table><thead><tr><th>\(zh ? "规划" : "Plan")</th><th class="num">\(zh ? "序号" : "No.")</th><th>\(zh ? "指标" : "Indicator")</th><th class="num">\(zh ? "\(year) 年" : "\(year)")</th><th>\(zh ? "目标" : "Target")</th><th>\(zh ? "判定" : "Verdict")</th><th>\(zh ? "计算依据" : "Basis")</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td colspan=\"7\" class=\"muted\">\(zh ? "没有覆盖该年份的规划，或规划中没有可由监测数据计算的指标。" : "No plan covers this year, or none of its indicators is computed from monitoring data.")</td></tr>" : rows)</tbody></table></div>
            <p><a href="/api/v1/monitoring/indicators?year=\(year)">JSON</a></p>
            """)
        }

        get("sites/{code}/review") { request, context in
            let zh = context.language == .zh
            let code = try context.parameters.require("code")
            guard let site = try await store.site(code) else { throw StoreError.notFound("site \(code)") }
            let day = try request.uri.queryParameters.get("day").map { text -> CivilDate in
                guard let date = CivilDate.parse(Substring(text)) else { throw HTTPError(.badRequest, message: "day=\(text) must be YYYY-MM-DD") }
                return date
            } ?? LocalTime.civilDate(.now)
            let from = LocalTime.start(of: day)
            let values = try await store.observations(mn: nil, siteCode: code, from: from, to: from.addingTimeInterval(86_399), limit: 20_000)
                .filter { $0.observation.kind != .other }
            let canReview = context.identity?.role.canWrite == true
            let rows = values.map { stored -> String in
                let o = stored.observation
                let status = stored.review.map { "\($0.chineseName)\(stored.reviewedValue.map { " → \(formatAmount($0))" } ?? "")：\(esc(stored.reviewReason ?? ""))（\(esc(stored.reviewedBy ?? ""))）" } ?? ""
                let exclusion = stored.exclusion.map { "<span class=\"badge st-not_met\">\(esc(zh ? "不参与统计：" : "excluded: "))\(esc($0))</span>" } ?? "<span class=\"badge st-met\">\(zh ? "有效" : "valid")</span>"
                let form = canReview && stored.id != nil ? """
                <form method="post" action="/sites/\(esc(code))/review" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="id" value="\(stored.id!)"><input type="hidden" name="day" value="\(day)">
                <select name="status"><option value="invalid">\(zh ? "标记无效" : "invalid")</option><option value="corrected">\(zh ? "修正为" : "correct to")</option><option value="valid">\(zh ? "确认有效" : "confirm valid")</option></select>
                <input name="value" size="7" inputmode="decimal" placeholder="\(zh ? "修正值" : "value")"><input name="reason" size="18" required placeholder="\(zh ? "原因（必填）" : "reason (required)")"><button type="submit">\(zh ? "审核" : "Review")</button></form>
                """ : ""
                return "<tr><td>\(esc(LocalTime.format(o.dataTime)))</td><td>\(esc(o.code))</td><td>\(esc(o.field))</td><td class=\"num\">\(esc(o.valueText))</td><td class=\"center\">\(esc(o.flag ?? ""))</td><td>\(exclusion) \(status)</td><td>\(form)</td></tr>"
            }.joined()
            let previous = CivilDate(dayNumber: day.dayNumber - 1), next = day.next
            return context.page("\(zh ? "数据审核" : "Data review") · \(site.name)", path: request.uri.path, """
            <h1>\(zh ? "数据审核" : "Data review")：<a href="/sites/\(esc(code))">\(esc(site.name))</a> \(day)</h1>
            <p class="lead">\(zh ? "原始数据始终保留；标记无效或修正须填写原因，记入审计日志，并自动重算该日（水质为该月）的统计。带 F/M/D/C/T/B 标记、负值和哨兵值（-99、9999 等）不参与统计，除非确认有效。" : "The original value is always kept; marking invalid or correcting needs a reason, is written to the audit trail, and recomputes that day's (water: month's) statistics. Values flagged F/M/D/C/T/B, negative values and sentinels (-99, 9999 …) are excluded unless confirmed valid.")</p>
            <p><a href="?day=\(previous)">← \(previous)</a> · <a href="?day=\(next)">\(next) →</a></p>
            <div class="table-wrap"><table><thead><tr><th>\(zh ? "数据时间" : "Time")</th><th>\(zh ? "因子" : "Code")</th><th>\(zh ? "统计量" : "Field")</th><th class="num">\(zh ? "原始值" : "Value")</th><th>\(zh ? "标记" : "Flag")</th><th>\(zh ? "状态" : "Status")</th><th></th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td colspan=\"7\" class=\"muted\">\(zh ? "该日没有数据。" : "No data that day.")</td></tr>" : rows)</tbody></table></div>
            """)
        }

        post("sites/{code}/review") { request, context in
            let user = try context.requireStaff()
            let code = try context.parameters.require("code")
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            guard let idText = fields["id"], let id = Int64(idText) else { throw HTTPError(.badRequest, message: "id is missing") }
            guard let status = fields["status"].flatMap(ReviewStatus.init(rawValue:)) else {
                throw HTTPError(.badRequest, message: "status must be valid, invalid or corrected")
            }
            let valueText = (fields["value"] ?? "").trimmingCharacters(in: .whitespaces)
            var value: Double?
            if status == .corrected {
                guard let number = Double(valueText) else { throw ReviewError(field: "value", message: "\"\(valueText)\" is not a number") }
                value = number
            }
            guard let stored = try await store.observation(id: id), stored.observation.siteCode == code else {
                throw StoreError.notFound("observation \(id) of site \(code)")
            }
            try await store.review(observation: id, ObservationReview(status: status, value: value, reason: fields["reason"] ?? ""), actor: user.name)
            return redirect("/sites/\(code)/review?day=\(LocalTime.civilDate(stored.observation.dataTime))")
        }
    }
}

/// The assessment pieces of the monitoring pages.
enum MonitoringPages {
    static func yearLinks(year: Int, path: String) -> String {
        "<p>" + [year - 1, year + 1].map { "<a href=\"\(path)?year=\($0)\">\($0)</a>" }.joined(separator: " · ") + "</p>"
    }

    /// The site page's assessments for a year: the AQI calendar, annual and monthly figures (air); classes by month
    /// (water); day/night levels (noise); emission totals (outlets).
    static func assessments(_ site: Site, year: Int, store: Store, language: Language) async throws -> String {
        let zh = language == .zh
        var html = "<h2 id=\"assessment\">\(zh ? "\(year) 年评价" : "Assessment, \(year)")</h2>" + yearLinks(year: year, path: "/sites/\(site.code)")
        html += "<p><a href=\"/sites/\(esc(site.code))/review\">\(zh ? "数据审核" : "Data review")</a></p>"
        switch site.kind {
        case .air:
            let records = try await store.airDays(siteCodes: [site.code], from: CivilDate(year: year, month: 1, day: 1)!,
                                                  to: CivilDate(year: year + 1, month: 1, day: 1)!)
            let reports = records.map(\.report)
            let evaluation = AnnualAirEvaluation.evaluate(year: year, days: reports, standard: .auto, areaClass: site.areaClass == 1 ? .one : .two)
            let calendar = AQICalendar(year: year, days: Dictionary(uniqueKeysWithValues: reports.map { ($0.date, $0) }), language: language)
            let counts = evaluation.aqiDays
            html += """
            <div class="panel"><h3>\(zh ? "AQI 日历" : "AQI calendar")</h3>\(calendar.svg())
            <p>\(zh ? "有效天数" : "Valid days") <strong>\(counts.validDays)</strong> · \(zh ? "优良天数" : "Good days") <strong>\(counts.goodDays)</strong> · \(zh ? "优良率" : "Good ratio") <strong>\(counts.goodRatio.map { "\($0)%" } ?? "—")</strong> · \(zh ? "超标天数" : "Days over 100") <strong>\(counts.overDays)</strong></p></div>
            """
            let itemRows = evaluation.items.map { item in
                "<tr><td>\(esc(item.item.pollutant.displayName))\(item.item == .o3_8h ? (zh ? " 日最大8小时" : " max 8-h") : "")</td><td class=\"num\">\(item.validDays)</td><td class=\"center\">\(item.annualValid ? "✓" : (zh ? "不足" : "short") + (item.monthsShort.isEmpty ? "" : " (\(item.monthsShort.map(String.init).joined(separator: ",")))"))</td><td class=\"num\">\(item.mean?.description ?? "—")</td><td class=\"num\">P\(item.item.percentileRank) \(item.percentile?.description ?? "—")</td><td class=\"num\">\(item.annualLimit.map(String.init) ?? "—") / \(item.dailyLimit.map(String.init) ?? "—")</td><td class=\"center\">\(item.compliant.map { $0 ? "✓" : "✗" } ?? "—")</td><td class=\"num\">\(item.daysOverDailyLimit)</td></tr>"
            }.joined()
            html += """
            <div class="table-wrap"><table><caption>\(zh ? "年评价（HJ 663；有效性：全年≥324个日均值且每月≥27个，二月≥25个）" : "Annual evaluation (HJ 663; valid with ≥ 324 daily values and ≥ 27 a month, 25 in February)")</caption>
            <thead><tr><th>\(zh ? "项目" : "Item")</th><th class="num">\(zh ? "有效日数" : "Valid days")</th><th>\(zh ? "有效性" : "Validity")</th><th class="num">\(zh ? "年均值" : "Mean")</th><th class="num">\(zh ? "百分位数" : "Percentile")</th><th class="num">\(zh ? "年/日限值" : "Limits")</th><th>\(zh ? "达标" : "Met")</th><th class="num">\(zh ? "超标天数" : "Days over")</th></tr></thead>
            <tbody>\(itemRows)</tbody></table></div>
            """
            let monthRows = (1...12).map { month -> String in
                let m = MonthlyAirEvaluation.evaluate(year: year, month: month, days: reports)
                let pm25 = m.items.first { $0.item == .pm25 }
                return "<tr><td>\(month)</td><td class=\"num\">\(m.aqiDays.validDays)</td><td class=\"num\">\(m.aqiDays.goodDays)</td><td class=\"num\">\(m.aqiDays.goodRatio.map { "\($0)%" } ?? "—")</td><td class=\"num\">\(pm25?.mean?.description ?? "—")\(pm25?.valid == false && pm25?.validDays ?? 0 > 0 ? "*" : "")</td></tr>"
            }.joined()
            html += """
            <div class="table-wrap"><table><caption>\(zh ? "月统计（* 有效日数不足27天，二月25天）" : "Months (* fewer than 27 valid days, 25 in February)")</caption>
            <thead><tr><th>\(zh ? "月" : "Month")</th><th class="num">\(zh ? "有效天数" : "Valid days")</th><th class="num">\(zh ? "优良天数" : "Good days")</th><th class="num">\(zh ? "优良率" : "Good ratio")</th><th class="num">PM2.5</th></tr></thead>
            <tbody>\(monthRows)</tbody></table></div>
            <p><a href="/api/v1/sites/\(esc(site.code))/air/annual?year=\(year)">JSON</a> · <a href="/api/v1/sites/\(esc(site.code))/air/days?from=\(year)-01-01&amp;to=\(year + 1)-01-01">\(zh ? "日数据 JSON" : "daily JSON")</a></p>
            """
        case .water, .drinkingWater:
            let months = try await store.waterMonths(year: year, siteCodes: [site.code])
            let rows = months.map { m in
                let items = m.items.sorted { $0.key < $1.key }.map { "\(WaterItem(rawValue: $0.key)?.chineseName ?? $0.key) \($0.value["mean"] ?? "")" }.joined(separator: "；")
                return "<tr><td>\(m.month)</td><td class=\"num\">\(m.samples)</td><td class=\"center\">\(m.waterClass.map { WaterClass($0).name } ?? "—")</td><td class=\"center\">\(m.compliant.map { $0 ? "✓" : "✗" } ?? "—")</td><td>\(esc(m.mainPollutants.joined(separator: ", ")))</td><td class=\"small\">\(esc(items))</td></tr>"
            }.joined()
            html += """
            <div class="table-wrap"><table><caption>\(zh ? "逐月水质类别（GB 3838-2002）" : "Monthly class (GB 3838-2002)")</caption>
            <thead><tr><th>\(zh ? "月份" : "Month")</th><th class="num">\(zh ? "采样次数" : "Samples")</th><th>\(zh ? "类别" : "Class")</th><th>\(zh ? "达标" : "Met")</th><th>\(zh ? "主要污染指标" : "Main pollutants")</th><th>\(zh ? "月均值" : "Means")</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td colspan=\"6\" class=\"muted\">—</td></tr>" : rows)</tbody></table></div>
            """
        case .noise:
            let days = try await store.noiseDays(siteCode: site.code, from: CivilDate(year: year, month: 1, day: 1)!,
                                                 to: CivilDate(year: year + 1, month: 1, day: 1)!)
            let sessions = days.filter { $0.ld != nil || $0.ln != nil }
            let dayOver = sessions.filter { $0.dayCompliant == false }, nightOver = sessions.filter { $0.nightCompliant == false }
            let rows = (dayOver + nightOver).map(\.day).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.sorted().suffix(31).map { day in
                let d = sessions.first { $0.day == day }!
                return "<tr><td>\(d.day)</td><td class=\"num\">\(d.ld ?? "—")</td><td class=\"num\">\(d.ln ?? "—")</td><td class=\"num\">\(d.dayHours)/\(d.nightHours)</td></tr>"
            }.joined()
            let zone = site.zone.flatMap(NoiseZone.init(rawValue:))
            html += """
            <p>\(zh ? "监测天数" : "Days") <strong>\(sessions.count)</strong> · \(zh ? "昼间达标" : "Day compliant") <strong>\(sessions.count - dayOver.count)</strong> · \(zh ? "夜间达标" : "Night compliant") <strong>\(sessions.count - nightOver.count)</strong>\(zone.map { " · \(zh ? "限值" : "limits") \($0.dayLimit)/\($0.nightLimit) dB(A)" } ?? "")</p>
            <div class="table-wrap"><table><caption>\(zh ? "超标日（GB 3096-2008，Ld 昼间 6-22 时，Ln 夜间）" : "Days over the limits (GB 3096-2008)")</caption>
            <thead><tr><th>\(zh ? "日期" : "Day")</th><th class="num">Ld</th><th class="num">Ln</th><th class="num">\(zh ? "昼/夜小时数" : "Hours d/n")</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td colspan=\"4\" class=\"muted\">—</td></tr>" : rows)</tbody></table></div>
            """
        case .outlet:
            let totals = try await store.emissionTotals(year: year, siteCode: site.code)
            let yearly = totals.filter { $0.period.count == 4 }
            let rows = yearly.map { total in
                let name = site.pollutants?.first { $0.code == total.code }?.name ?? MonitoringCodes.planEmissions.first { $0.code == total.code }?.name ?? total.code
                let months = (1...12).map { month in
                    totals.first { $0.code == total.code && $0.period == "\(year)-\(month < 10 ? "0" : "")\(month)" }.map { formatAmount(($0.total * 10).rounded() / 10) } ?? "—"
                }.map { "<td class=\"num\">\($0)</td>" }.joined()
                return "<tr><td>\(esc(name))</td><td class=\"num\"><strong>\(formatAmount((total.total * 10).rounded() / 10))</strong></td><td class=\"num\">\(total.days)</td>\(months)</tr>"
            }.joined()
            html += """
            <div class="table-wrap"><table><caption>\(zh ? "排放量（kg，由 HJ 212 小时 Cou 值累计）" : "Amounts emitted (kg, from the HJ 212 hourly Cou values)")</caption>
            <thead><tr><th>\(zh ? "污染物" : "Pollutant")</th><th class="num">\(zh ? "全年" : "Year")</th><th class="num">\(zh ? "天数" : "Days")</th>\((1...12).map { "<th class=\"num\">\($0)</th>" }.joined())</tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td colspan=\"15\" class=\"muted\">—</td></tr>" : rows)</tbody></table></div>
            """
        }
        return html
    }
}
