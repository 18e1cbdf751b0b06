import Foundation
import Hummingbird
import Standards

extension Router<AppRequestContext> {
    /// The calculator page `/assess`: the AQI of one hour or day and the GB 3838 class of one water sample, computed
    /// on the server from the form (GET, so no script and no CSRF token are needed).
    func addAssessPages() {
        get("assess") { request, context in
            let t = AssessStrings(context.language)
            let query = request.uri.queryParameters
            func field(_ name: String) -> String { query.get(name).map { String($0) } ?? "" }
            var problems: [String] = []
            func number(_ name: String) -> ScaledDecimal? {
                let text = field(name).trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { return nil }
                guard let value = ScaledDecimal.parse(Substring(text), maximumDecimals: 9), value.units >= 0 else {
                    problems.append("\(name): \"\(text)\" \(t["notNumber"])")
                    return nil
                }
                return value
            }
            var aqiResult = ""
            var waterResult = ""
            switch field("form") {
            case "aqi":
                var values: [String: ScaledDecimal] = [:]
                for key in AQIRequest.keys { if let value = number(key) { values[key] = value } }
                let standard = AirStandardChoice(field("standard")) ?? .auto
                let date = CivilDate.parse(Substring(field("date"))) ?? AssessRoutes.today()
                let pmHourly = PMHourlyRule(rawValue: field("pm_hourly")) ?? .movingAverage24h
                if problems.isEmpty {
                    let calculation = AQICalculation.compute(report: field("report") == "day" ? "day" : "hour", standard: standard,
                                                             date: date, pmHourly: pmHourly, values: values)
                    aqiResult = AssessPages.aqiResult(calculation, t: t)
                }
            case "water":
                var values: [WaterItem: ScaledDecimal] = [:]
                for item in WaterItem.evaluated { if let value = number(item.rawValue) { values[item] = value } }
                let type = WaterType(rawValue: field("water_type")) ?? .river
                let target = WaterClass(name: field("target_class"))
                if problems.isEmpty {
                    waterResult = AssessPages.waterResult(WaterQuality.evaluate(values, waterType: type, targetClass: target),
                                                          values: values, type: type, t: t)
                }
            default:
                break
            }
            let problemList = problems.isEmpty ? "" : "<div class=\"problems\"><ul>" + problems.map { "<li>\(esc($0))</li>" }.joined() + "</ul></div>"
            return context.page(t["title"], path: request.uri.path, """
            <h1>\(t["title"])</h1>
            <p class="lead">\(t["lead"])</p>
            \(problemList)
            <section class="panel">
            <h2>\(t["aqi.title"])</h2>
            \(AssessPages.aqiForm(field, t: t))
            \(aqiResult)
            </section>
            <section class="panel">
            <h2>\(t["water.title"])</h2>
            \(AssessPages.waterForm(field, t: t))
            \(waterResult)
            </section>
            <p class="muted">\(t["api"])</p>
            """)
        }
    }
}

/// The markup of the calculator page.
enum AssessPages {
    static func select(_ name: String, _ options: [(String, String)], selected: String) -> String {
        "<select id=\"\(name)\" name=\"\(name)\">" + options.map { value, label in
            "<option value=\"\(esc(value))\"\(value == selected ? " selected" : "")>\(esc(label))</option>"
        }.joined() + "</select>"
    }

    static func input(_ name: String, _ label: String, _ field: (String) -> String) -> String {
        "<label for=\"\(name)\">\(esc(label))</label><input type=\"text\" inputmode=\"decimal\" id=\"\(name)\" name=\"\(name)\" value=\"\(esc(field(name)))\">"
    }

    static func aqiForm(_ field: (String) -> String, t: AssessStrings) -> String {
        let inputs: [(String, String)] = [
            ("so2", "SO₂ (µg/m³)"), ("no2", "NO₂ (µg/m³)"), ("co", "CO (mg/m³)"), ("o3", t["o3.1h"]), ("o3_8h", t["o3.8h"]),
            ("pm10", "PM₁₀ (µg/m³)"), ("pm25", "PM₂.₅ (µg/m³)"), ("pm10_24h", t["pm10.24h"]), ("pm25_24h", t["pm25.24h"]),
            ("so2_24h", t["so2.24h"]),
        ]
        return """
        <form method="get" action="/assess">
        <input type="hidden" name="form" value="aqi">
        <label for="report">\(t["report"])</label>\(select("report", [("hour", t["report.hour"]), ("day", t["report.day"])], selected: field("report")))
        <label for="standard">\(t["standard"])</label>\(select("standard", [("auto", t["standard.auto"]), ("2012", "HJ 633-2012"), ("2026", "HJ 633-2026")], selected: field("standard")))
        <label for="date">\(t["date"])</label><input type="date" id="date" name="date" value="\(esc(field("date")))">
        <label for="pm_hourly">\(t["pm"])</label>\(select("pm_hourly", [("24h", t["pm.24h"]), ("1h", t["pm.1h"])], selected: field("pm_hourly")))
        \(inputs.map { input($0.0, $0.1, field) }.joined(separator: "\n"))
        <p><button type="submit">\(t["compute"])</button></p>
        </form>
        """
    }

    static func swatch(_ colour: String) -> String {
        "<svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\"><rect width=\"14\" height=\"14\" rx=\"3\" fill=\"\(esc(colour))\" stroke=\"#999\"/></svg>"
    }

    static func aqiResult(_ calculation: AQICalculation, t: AssessStrings) -> String {
        let result = calculation.result
        let rows = result.indicators.map { indicator in
            let concentration = indicator.concentration.map { plain($0) } ?? "—"
            let iaqi = indicator.iaqi.map { "\($0.value)\($0.beyondTable ? " ⚠" : "")" } ?? (indicator.dropped ? t["dropped"] : "—")
            return "<tr><td>\(esc(indicator.key))</td><td>\(esc(indicator.table.rawValue))</td><td class=\"num\">\(esc(concentration))</td><td class=\"num\">\(esc(iaqi))</td><td>\(esc(indicator.rule ?? ""))</td></tr>"
        }.joined()
        let headline: String
        if let aqi = result.aqi, let level = result.level {
            let primary = (result.primary ?? []).map(\.displayName).joined(separator: ", ")
            headline = "<p>\(swatch(level.colour)) <b>AQI \(aqi)</b> · \(esc(t["level.\(level.rawValue)"])) · \(esc(t["category.\(level.rawValue)"]))\(primary.isEmpty ? "" : " · \(t["primary"]) \(esc(primary))")</p>"
        } else {
            headline = "<p><b>AQI NA</b> · \(esc(t["na"]))\(result.aqiOfAvailable.map { " (\($0))" } ?? "")</p>"
        }
        return """
        <h3>\(t["result"]) · \(esc(result.ruleSet.aqiStandard)) · \(esc(calculation.date.description))</h3>
        \(headline)
        <div class="table-wrap"><table><thead><tr><th>\(t["col.indicator"])</th><th>\(t["col.table"])</th><th class="num">\(t["col.concentration"])</th><th class="num">IAQI</th><th>\(t["col.rule"])</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }

    /// An exact value written with up to 3 decimals and no trailing zeros.
    static func plain(_ value: ExactNumber) -> String {
        var text = value.rounded(decimals: 3).description
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    static func waterForm(_ field: (String) -> String, t: AssessStrings) -> String {
        let items = WaterItem.evaluated.map { item in
            input(item.rawValue, "\(item.chineseName) (\(item.rawValue))\(item == .ph ? "" : " mg/L")", field)
        }
        return """
        <form method="get" action="/assess">
        <input type="hidden" name="form" value="water">
        <label for="water_type">\(t["waterType"])</label>\(select("water_type", [("river", t["river"]), ("lake", t["lake"])], selected: field("water_type")))
        <label for="target_class">\(t["target"])</label>\(select("target_class", [("", "—"), ("I", "I"), ("II", "II"), ("III", "III"), ("IV", "IV"), ("V", "V")], selected: field("target_class")))
        \(items.joined(separator: "\n"))
        <p><button type="submit">\(t["compute"])</button></p>
        </form>
        """
    }

    static func waterResult(_ evaluation: WaterSampleEvaluation, values: [WaterItem: ScaledDecimal], type: WaterType, t: AssessStrings) -> String {
        guard let waterClass = evaluation.waterClass else { return "<p class=\"muted\">\(t["water.none"])</p>" }
        let rows = WaterItem.evaluated.compactMap { item -> String? in
            guard let value = values[item], let itemClass = evaluation.itemClasses[item] else { return nil }
            return "<tr><td>\(esc(item.chineseName))</td><td class=\"num\">\(esc(value.description))</td><td class=\"center\">\(esc(itemClass.name))</td></tr>"
        }.joined()
        let main = evaluation.mainPollutants.map { pollutant in
            "\(pollutant.item.chineseName)\(pollutant.multiple.map { " (\($0.description))" } ?? "")"
        }.joined(separator: "、")
        let compliance = evaluation.compliant.map { $0 ? t["compliant"] : t["notCompliant"] } ?? ""
        return """
        <h3>\(t["result"]) · GB 3838-2002 · \(esc(type == .river ? t["river"] : t["lake"]))</h3>
        <p>\(swatch(waterClass.colour)) <b>\(esc(waterClass.name))</b> · \(esc(waterClass.status))\(compliance.isEmpty ? "" : " · \(esc(compliance))")</p>
        \(main.isEmpty ? "" : "<p>\(t["main"]): \(esc(main))</p>")
        <div class="table-wrap"><table><thead><tr><th>\(t["col.item"])</th><th class="num">\(t["col.value"])</th><th class="center">\(t["col.class"])</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }
}

/// The words of the calculator page.
struct AssessStrings: Sendable {
    let language: Language
    init(_ language: Language) { self.language = language }

    subscript(_ key: String) -> String {
        guard let entry = AssessStrings.table[key] else { return key }
        return language == .zh ? entry.0 : entry.1
    }

    static let table: [String: (String, String)] = [
        "title": ("AQI 与水质类别计算器", "AQI and water-class calculator"),
        "lead": ("按 HJ 633-2012 / HJ 633-2026 计算空气质量指数，按 GB 3838-2002 单因子评价法判定水质类别。精确十进制运算，GB/T 8170 修约。",
                 "The air quality index by HJ 633-2012 / HJ 633-2026 and the water class by the single-factor method of GB 3838-2002, in exact decimal arithmetic with GB/T 8170 rounding."),
        "aqi.title": ("空气质量指数（AQI）", "Air quality index (AQI)"),
        "water.title": ("地表水水质类别", "Surface-water class"),
        "report": ("报告类型", "Report"),
        "report.hour": ("实时报（小时）", "Real-time (hour)"),
        "report.day": ("日报", "Daily"),
        "standard": ("标准", "Standard"),
        "standard.auto": ("按日期自动（2026-03-01 起为 2026 版）", "By date (2026 rules from 2026-03-01)"),
        "date": ("日期", "Date"),
        "pm": ("2012 版实时报颗粒物", "2012 real-time PM"),
        "pm.24h": ("24 小时滑动平均（标准原文）", "24-hour moving average (the standard's letter)"),
        "pm.1h": ("1 小时浓度（常见做法）", "1-hour value (common practice)"),
        "o3.1h": ("O₃ 1 小时（日报：日最大 1 小时）µg/m³", "O₃ 1-hour (daily: max 1-hour) µg/m³"),
        "o3.8h": ("O₃ 8 小时滑动平均（日报：日最大 8 小时）µg/m³", "O₃ 8-hour moving (daily: max 8-hour) µg/m³"),
        "pm10.24h": ("PM₁₀ 24 小时滑动平均 µg/m³（2012 实时报）", "PM₁₀ 24-hour moving µg/m³ (2012 real-time)"),
        "pm25.24h": ("PM₂.₅ 24 小时滑动平均 µg/m³（2012 实时报）", "PM₂.₅ 24-hour moving µg/m³ (2012 real-time)"),
        "so2.24h": ("SO₂ 24 小时滑动平均 µg/m³（2012 实时报，SO₂ 超过 800 时）", "SO₂ 24-hour moving µg/m³ (2012 real-time, SO₂ above 800)"),
        "compute": ("计算", "Compute"),
        "level.1": ("一级", "Level 1"), "level.2": ("二级", "Level 2"), "level.3": ("三级", "Level 3"),
        "level.4": ("四级", "Level 4"), "level.5": ("五级", "Level 5"), "level.6": ("六级", "Level 6"),
        "category.1": ("优", "Good"), "category.2": ("良", "Moderate"), "category.3": ("轻度污染", "Lightly polluted"),
        "category.4": ("中度污染", "Moderately polluted"), "category.5": ("重度污染", "Heavily polluted"),
        "category.6": ("严重污染", "Severely polluted"),
        "result": ("结果", "Result"),
        "primary": ("首要污染物", "primary pollutant"),
        "na": ("有指标缺测且其余指标 AQI 不大于 100，不发布 AQI（HJ 633-2026 §5.3）", "an indicator is missing and the others give AQI ≤ 100: no AQI is published (HJ 633-2026 §5.3)"),
        "dropped": ("不计算", "not computed"),
        "col.indicator": ("指标", "Indicator"),
        "col.table": ("分指数表", "Table column"),
        "col.concentration": ("浓度", "Concentration"),
        "col.rule": ("特殊规则", "Special rule"),
        "waterType": ("水体类型", "Water type"),
        "river": ("河流", "River"),
        "lake": ("湖泊、水库", "Lake or reservoir"),
        "target": ("目标类别", "Target class"),
        "water.none": ("未填写参评指标。", "No evaluated item given."),
        "main": ("主要污染指标（超Ⅲ类倍数）", "Main pollutants (multiple over class III)"),
        "compliant": ("达标", "meets the target"),
        "notCompliant": ("不达标", "misses the target"),
        "col.item": ("指标", "Item"),
        "col.value": ("浓度", "Value"),
        "col.class": ("类别", "Class"),
        "notNumber": ("不是数字", "is not a number"),
        "api": ("同样的计算可通过 API 调用：POST /api/v1/assess/aqi、/assess/air、/assess/water、/assess/noise（见 OpenAPI 文档）。",
                "The same computations are in the API: POST /api/v1/assess/aqi, /assess/air, /assess/water, /assess/noise (see the OpenAPI document)."),
    ]
}
