import Domain
import Foundation
import Hummingbird
import Store

extension Router<AppRequestContext> {
    /// The alarm pages: the inbox, one alarm with its history and the lifecycle forms, and the rules and webhooks page.
    func addAlarmPages(environment: WebEnvironment) {
        let store = environment.store

        get("alarms") { request, context in
            _ = try context.requireUser()
            let t = AlarmStrings(context.language)
            let state = try AlarmRoutes.state(request.uri.queryParameters.get("state"))
            let site = request.uri.queryParameters.get("site").flatMap { $0.isEmpty ? nil : $0 }
            let alarms = try await store.alarms(state: state, siteCode: site)
            let filters = ([nil] + AlarmState.allCases.map(Optional.some)).map { option -> String in
                let label = option.map { t.state($0) } ?? t["filter.all"]
                let href = "/alarms" + (option.map { "?state=\($0.rawValue)" } ?? "")
                return option == state ? "<b>\(esc(label))</b>" : "<a href=\"\(esc(href))\">\(esc(label))</a>"
            }.joined(separator: " · ")
            let rows = alarms.map { record -> String in
                let a = record.alarm
                return """
                <tr><td><a href="/alarms/\(record.id)">#\(record.id)</a></td><td>\(AlarmPages.severity(a.severity, t: t))</td>
                <td><a href="/alarms/\(record.id)">\(esc(a.title))</a></td>
                <td>\(record.siteCode.map { "<a href=\"/sites/\(esc($0))\">\(esc($0))</a>" } ?? "—")</td><td>\(esc(record.mn ?? "—"))</td>
                <td>\(AlarmPages.stateBadge(a.state, t: t))\(a.escalation > 0 ? " <span class=\"badge overdue\">\(t["escalated"]) \(a.escalation)</span>" : "")</td>
                <td>\(esc(localTime(a.raisedAt)))</td><td>\(esc(localTime(a.lastHeldAt)))</td><td class="num">\(a.occurrences)</td>
                <td>\(a.clearedAt.map { esc(localTime($0)) } ?? "—")</td></tr>
                """
            }.joined()
            let canAdmin = context.identity?.role.canWrite == true
            return context.page(t["inbox.title"], path: request.uri.path, """
            <h1>\(t["inbox.title"])</h1>
            <p class="lead">\(t["inbox.lead"])</p>
            <p>\(t["filter.state"]): \(filters)\(canAdmin ? " · <a href=\"/alarms/rules\">\(t["rules.title"])</a>" : "")</p>
            \(alarms.isEmpty ? "<p class=\"muted\">\(t["inbox.none"])</p>" : """
            <div class="table-wrap"><table><thead><tr><th>#</th><th>\(t["col.severity"])</th><th>\(t["col.title"])</th><th>\(t["col.site"])</th><th>MN</th>
            <th>\(t["col.state"])</th><th>\(t["col.raised"])</th><th>\(t["col.lastHeld"])</th><th class="num">\(t["col.occurrences"])</th><th>\(t["col.cleared"])</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """)
            """)
        }

        get("alarms/{id}") { request, context in
            _ = try context.requireUser()
            let t = AlarmStrings(context.language)
            let id = try context.parameters.require("id", as: Int64.self)
            let record = try await store.alarm(id: id)
            let history = try await store.alarmHistory(id: id)
            let a = record.alarm
            let items = history.map { entry in
                "<tr><td>\(esc(localTime(entry.at)))</td><td>\(esc(entry.actor))</td><td>\(esc(t.event(entry.event)))</td><td>\(esc(entry.detail))</td><td>\(AlarmPages.stateBadge(entry.state, t: t))</td></tr>"
            }.joined()
            var forms = ""
            if context.identity?.role.canWrite == true {
                func form(_ action: String, _ label: String, _ fields: String) -> String {
                    """
                    <form method="post" action="/alarms/\(id)/\(action)" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}">\(fields)<button type="submit">\(label)</button></form>
                    """
                }
                let noteField = "<input type=\"text\" name=\"note\" placeholder=\"\(t["form.note"])\">"
                if a.state == .open { forms += form("acknowledge", t["action.acknowledge"], noteField) }
                if a.state == .open || a.state == .acknowledged {
                    forms += form("dispatch", t["action.dispatch"], "<input type=\"text\" name=\"to\" required placeholder=\"\(t["form.to"])\">" + noteField)
                }
                if a.isActive { forms += form("close", t["action.close"], noteField) }
                forms += form("notes", t["action.note"], "<input type=\"text\" name=\"text\" required placeholder=\"\(t["form.text"])\">")
            }
            return context.page("#\(id) \(a.title)", path: request.uri.path, """
            <p><a href="/alarms">← \(t["inbox.title"])</a></p>
            <section class="panel">
            <h1>#\(id) \(esc(a.title))</h1>
            <ul class="facts">
            <li><span>\(t["col.state"])</span>\(AlarmPages.stateBadge(a.state, t: t))</li>
            <li><span>\(t["col.severity"])</span>\(AlarmPages.severity(a.severity, t: t))</li>
            <li><span>\(t["col.rule"])</span>\(esc(a.ruleID))</li>
            <li><span>\(t["col.site"])</span>\(record.siteCode.map { "<a href=\"/sites/\(esc($0))\">\(esc($0))</a>" } ?? "—")</li>
            <li><span>MN</span>\(esc(record.mn ?? "—"))</li>
            <li><span>\(t["col.raised"])</span>\(esc(localTime(a.raisedAt)))</li>
            <li><span>\(t["col.lastHeld"])</span>\(esc(localTime(a.lastHeldAt)))</li>
            <li><span>\(t["col.occurrences"])</span>\(a.occurrences)</li>
            <li><span>\(t["col.cleared"])</span>\(a.clearedAt.map { esc(localTime($0)) } ?? "—")</li>
            <li><span>\(t["escalated"])</span>\(a.escalation)</li>
            <li><span>\(t["col.acknowledgedBy"])</span>\(esc(a.acknowledgedBy ?? "—"))</li>
            <li><span>\(t["col.dispatchedTo"])</span>\(esc(a.dispatchedTo ?? "—"))</li>
            <li><span>\(t["col.closedBy"])</span>\(esc(a.closedBy ?? "—"))</li>
            </ul>
            </section>
            \(forms)
            <h2>\(t["history"])</h2>
            <div class="table-wrap"><table><thead><tr><th>\(t["col.time"])</th><th>\(t["col.actor"])</th><th>\(t["col.event"])</th><th>\(t["col.detail"])</th><th>\(t["col.state"])</th></tr></thead>
            <tbody>\(items)</tbody></table></div>
            """)
        }

        for action in ["acknowledge", "dispatch", "close", "notes"] {
            post("alarms/{id}/\(action)") { request, context in
                let user = try context.requireStaff()
                let id = try context.parameters.require("id", as: Int64.self)
                let fields = try await formFields(request, context: context)
                try request.verifyCSRF(fields["csrf"], context: context)
                try await AlarmRoutes.mapping {
                    try await store.applyAlarmEvent(try AlarmRoutes.event(action, fields: fields, user: user), to: id, actor: user.name)
                }
                return redirect("/alarms/\(id)")
            }
        }

        get("alarms/rules") { request, context in
            _ = try context.requireStaff()
            let t = AlarmStrings(context.language)
            let isAdmin = context.identity?.role.canAdminister == true
            let rules = try await store.alarmRules()
            let hooks = try await store.webhooks()
            let ruleRows = rules.map { record -> String in
                let r = record.rule
                let toggle = isAdmin ? """
                <form method="post" action="/alarms/rules/\(esc(r.id))/\(record.enabled ? "disable" : "enable")" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="link">\(record.enabled ? t["action.disable"] : t["action.enable"])</button></form>
                <form method="post" action="/alarms/rules/\(esc(r.id))/delete" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="link">\(t["action.delete"])</button></form>
                """ : ""
                return """
                <tr><td>\(esc(r.id))</td><td>\(esc(r.name))</td><td><code>\(esc(AlarmPages.json(r.condition)))</code></td><td class="num">\(r.duration)</td><td class="num">\(r.clearAfter)</td>
                <td>\(esc(r.siteCodes.isEmpty ? (r.siteKind.map { context.language == .zh ? $0.chineseName : $0.rawValue } ?? t["all.sites"]) : r.siteCodes.joined(separator: ", ")))</td>
                <td>\(AlarmPages.severity(r.severity, t: t))</td><td class="num">\(r.escalateAfter.map { String(Int($0 / 60)) } ?? "—")</td>
                <td>\(record.enabled ? t["yes"] : t["no"])</td><td>\(toggle)</td></tr>
                """
            }.joined()
            var hookRows = ""
            for hook in hooks {
                let deliveries = try await store.webhookDeliveries(webhookID: hook.id, limit: 10)
                let log = deliveries.map { d in
                    let last = d.attemptLog.last.map { "\($0.statusCode.map(String.init) ?? "—") \($0.error ?? "")" } ?? ""
                    return "<li>#\(d.alarmID) \(esc(d.reason)) · \(d.delivered ? t["delivered"] : d.gaveUp ? t["gaveUp"] : t["pending"]) · \(d.attempts) \(t["attempts"]) · \(esc(last))</li>"
                }.joined()
                let delete = isAdmin ? """
                <form method="post" action="/alarms/webhooks/\(hook.id)/delete" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="link">\(t["action.delete"])</button></form>
                """ : ""
                hookRows += """
                <tr><td>\(hook.id)</td><td><code>\(esc(hook.url))</code></td><td>\(esc(hook.description))</td><td>\(hook.enabled ? t["yes"] : t["no"])</td>
                <td>\(hook.hasSecret ? t["yes"] : t["no"])</td><td><ul>\(log)</ul></td><td>\(delete)</td></tr>
                """
            }
            let kinds = SiteKind.allCases.map { "<option value=\"\($0.rawValue)\">\(esc(context.language == .zh ? $0.chineseName : $0.rawValue))</option>" }.joined()
            let severities = AlarmSeverity.allCases.map { "<option value=\"\($0.rawValue)\"\($0 == .warning ? " selected" : "")>\(esc(t.severityName($0)))</option>" }.joined()
            let forms = isAdmin ? """
            <h3>\(t["rules.add"])</h3>
            <form method="post" action="/alarms/rules" class="panel"><input type="hidden" name="csrf" value="{{csrf}}">
            <p><label>ID <input type="text" name="id" required pattern="[A-Za-z0-9._-]{1,64}"></label> <label>\(t["col.name"]) <input type="text" name="name" required></label></p>
            <p><label>\(t["col.condition"]) <textarea name="condition" rows="3" cols="70" required>{"overLimit":{"code":"w01018","field":"Avg"}}</textarea></label></p>
            <p><label>\(t["col.duration"]) <input type="number" name="duration" min="1" value="1"></label> <label>\(t["col.clearAfter"]) <input type="number" name="clear_after" min="1" value="1"></label>
            <label>\(t["col.kind"]) <select name="site_kind"><option value="">\(t["all.sites"])</option>\(kinds)</select></label>
            <label>\(t["col.sites"]) <input type="text" name="site_codes" placeholder="CODE1, CODE2"></label></p>
            <p><label>\(t["col.severity"]) <select name="severity">\(severities)</select></label> <label>\(t["col.escalate"]) <input type="number" name="escalate_minutes" min="1"></label>
            <button type="submit">\(t["rules.add"])</button></p>
            <p class="muted">\(t["rules.help"])</p>
            </form>
            <h3>\(t["hooks.add"])</h3>
            <form method="post" action="/alarms/webhooks" class="row panel"><input type="hidden" name="csrf" value="{{csrf}}">
            <input type="url" name="url" required placeholder="https://…"><input type="text" name="description" placeholder="\(t["col.description"])"><input type="text" name="secret" placeholder="\(t["col.secret"])">
            <button type="submit">\(t["hooks.add"])</button></form>
            """ : "<p class=\"muted\">\(t["adminOnly"])</p>"
            return context.page(t["rules.title"], path: request.uri.path, """
            <p><a href="/alarms">← \(t["inbox.title"])</a></p>
            <h1>\(t["rules.title"])</h1>
            <p class="lead">\(t["rules.lead"])</p>
            <h2>\(t["rules.heading"])</h2>
            <div class="table-wrap"><table><thead><tr><th>ID</th><th>\(t["col.name"])</th><th>\(t["col.condition"])</th><th class="num">\(t["col.duration"])</th><th class="num">\(t["col.clearAfter"])</th>
            <th>\(t["col.sites"])</th><th>\(t["col.severity"])</th><th class="num">\(t["col.escalate"])</th><th>\(t["col.enabled"])</th><th></th></tr></thead><tbody>\(ruleRows)</tbody></table></div>
            <h2>\(t["hooks.heading"])</h2>
            <div class="table-wrap"><table><thead><tr><th>ID</th><th>URL</th><th>\(t["col.description"])</th><th>\(t["col.enabled"])</th><th>\(t["col.secret"])</th><th>\(t["col.deliveries"])</th><th></th></tr></thead><tbody>\(hookRows)</tbody></table></div>
            \(forms)
            """)
        }

        post("alarms/rules") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            let condition: AlarmCondition
            do {
                condition = try JSONDecoder().decode(AlarmCondition.self, from: Data((fields["condition"] ?? "").utf8))
            } catch {
                throw HTTPError(.unprocessableContent, message: "condition: not a condition in JSON, e.g. {\"aqiAbove\":{\"_0\":200}}")
            }
            let codes = (fields["site_codes"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "，" }).map(String.init)
            let rule = AlarmRule(
                id: (fields["id"] ?? "").trimmingCharacters(in: .whitespaces), name: fields["name"] ?? "", condition: condition,
                duration: Int(fields["duration"] ?? "") ?? 1, clearAfter: Int(fields["clear_after"] ?? "") ?? 1, siteCodes: codes,
                siteKind: fields["site_kind"].flatMap(SiteKind.init(rawValue:)), severity: fields["severity"].flatMap(AlarmSeverity.init(rawValue:)) ?? .warning,
                escalateAfter: fields["escalate_minutes"].flatMap { Double($0) }.map { $0 * 60 })
            try await AlarmRoutes.mapping { try await store.addAlarmRule(rule, actor: user.name) }
            return redirect("/alarms/rules")
        }

        post("alarms/rules/{id}/{action}") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            let id = try context.parameters.require("id")
            switch try context.parameters.require("action") {
            case "enable", "disable":
                guard let record = try await store.alarmRule(id: id) else { throw StoreError.notFound("alarm rule \(id)") }
                try await store.updateAlarmRule(record.rule, enabled: context.parameters.get("action") == "enable", actor: user.name)
            case "delete":
                try await store.deleteAlarmRule(id: id, actor: user.name)
            default:
                throw HTTPError(.notFound)
            }
            return redirect("/alarms/rules")
        }

        post("alarms/webhooks") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            try await AlarmRoutes.mapping {
                try await store.addWebhook(url: fields["url"] ?? "", description: fields["description"] ?? "", secret: fields["secret"], actor: user.name)
            }
            return redirect("/alarms/rules")
        }

        post("alarms/webhooks/{id}/delete") { request, context in
            let user = try AlarmRoutes.requireAdmin(context)
            let fields = try await formFields(request, context: context)
            try request.verifyCSRF(fields["csrf"], context: context)
            try await store.deleteWebhook(id: try context.parameters.require("id", as: Int64.self), actor: user.name)
            return redirect("/alarms/rules")
        }
    }
}

/// The alarm pages' HTML pieces.
enum AlarmPages {
    static func stateBadge(_ state: AlarmState, t: AlarmStrings) -> String {
        "<span class=\"badge\(state == .open ? " binding" : state == .closed ? " reference" : " expected")\">\(esc(t.state(state)))</span>"
    }

    static func severity(_ severity: AlarmSeverity, t: AlarmStrings) -> String {
        "<span class=\"badge\(severity == .critical ? " binding" : severity == .warning ? " expected" : " reference")\">\(esc(t.severityName(severity)))</span>"
    }

    static func json(_ condition: AlarmCondition) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(condition)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// The alarm pages' words, Chinese first.
struct AlarmStrings: Sendable {
    let language: Language
    init(_ language: Language) { self.language = language }

    subscript(_ key: String) -> String {
        guard let entry = AlarmStrings.table[key] else { return key }
        return language == .zh ? entry.0 : entry.1
    }

    func state(_ state: AlarmState) -> String { language == .zh ? state.chineseName : state.rawValue }

    func severityName(_ severity: AlarmSeverity) -> String {
        switch severity {
        case .info: self["severity.info"]
        case .warning: self["severity.warning"]
        case .critical: self["severity.critical"]
        }
    }

    func event(_ event: String) -> String { AlarmStrings.table["event.\(event)"].map { language == .zh ? $0.0 : $0.1 } ?? event }

    static let table: [String: (String, String)] = [
        "inbox.title": ("报警收件箱", "Alarm inbox"),
        "inbox.lead": ("按规则（超标、劣于目标类别、AQI、数据标记）和离线检测产生的报警：待确认 → 已确认 → 已派单 → 已关闭。条件持续时不重复报警；条件结束时自动解除。",
                       "Alarms raised by the rules (over limit, worse than target class, AQI, data flags) and by offline detection: open → acknowledged → dispatched → closed. A persisting condition raises no second alarm; an ended one clears."),
        "inbox.none": ("没有符合条件的报警。", "No alarm matches."),
        "filter.state": ("状态", "State"),
        "filter.all": ("全部", "all"),
        "col.severity": ("级别", "Severity"),
        "col.title": ("报警", "Alarm"),
        "col.site": ("点位", "Site"),
        "col.state": ("状态", "State"),
        "col.raised": ("开始时间", "Since"),
        "col.lastHeld": ("最近持续", "Last held"),
        "col.occurrences": ("次数", "Times"),
        "col.cleared": ("解除时间", "Cleared"),
        "col.rule": ("规则", "Rule"),
        "col.acknowledgedBy": ("确认人", "Acknowledged by"),
        "col.dispatchedTo": ("派往", "Dispatched to"),
        "col.closedBy": ("关闭人", "Closed by"),
        "col.time": ("时间", "Time"),
        "col.actor": ("操作人", "By"),
        "col.event": ("事件", "Event"),
        "col.detail": ("说明", "Detail"),
        "col.name": ("名称", "Name"),
        "col.condition": ("条件 (JSON)", "Condition (JSON)"),
        "col.duration": ("持续（小时）", "Duration (hours)"),
        "col.clearAfter": ("解除（小时）", "Clear after (hours)"),
        "col.kind": ("点位类型", "Site kind"),
        "col.sites": ("适用点位", "Sites"),
        "col.escalate": ("升级（分钟）", "Escalate (min)"),
        "col.enabled": ("启用", "Enabled"),
        "col.description": ("说明", "Description"),
        "col.secret": ("签名密钥", "Secret"),
        "col.deliveries": ("最近推送", "Recent deliveries"),
        "escalated": ("升级", "escalated"),
        "history": ("处理记录", "History"),
        "action.acknowledge": ("确认", "Acknowledge"),
        "action.dispatch": ("派单", "Dispatch"),
        "action.close": ("关闭", "Close"),
        "action.note": ("添加备注", "Add note"),
        "action.enable": ("启用", "enable"),
        "action.disable": ("停用", "disable"),
        "action.delete": ("删除", "delete"),
        "form.note": ("备注（可选）", "note (optional)"),
        "form.to": ("派往单位", "unit"),
        "form.text": ("备注内容", "note"),
        "rules.title": ("报警规则与推送", "Alarm rules and webhooks"),
        "rules.lead": ("规则按小时步长评估；离线检测按时钟运行（qingshan serve --offline-minutes，默认60分钟）。",
                       "Rules are evaluated per hour step; offline detection runs on the clock (qingshan serve --offline-minutes, default 60)."),
        "rules.heading": ("规则", "Rules"),
        "rules.add": ("新增规则", "Add a rule"),
        "rules.help": ("条件示例：{\"overLimit\":{\"code\":\"w01018\",\"field\":\"Avg\"}}、{\"aqiAbove\":{\"_0\":200}}、{\"worseThanTargetClass\":{}}、{\"flagIn\":{\"code\":\"a34004\",\"flags\":[\"D\",\"F\",\"M\"]}}、{\"any\":{\"_0\":[…]}}。",
                       "Conditions, e.g. {\"overLimit\":{\"code\":\"w01018\",\"field\":\"Avg\"}}, {\"aqiAbove\":{\"_0\":200}}, {\"worseThanTargetClass\":{}}, {\"flagIn\":{\"code\":\"a34004\",\"flags\":[\"D\",\"F\",\"M\"]}}, {\"any\":{\"_0\":[…]}}."),
        "hooks.heading": ("Webhook 推送", "Webhooks"),
        "hooks.add": ("新增 Webhook", "Add a webhook"),
        "adminOnly": ("修改规则和推送需要系统管理员角色。", "Changing rules and webhooks needs the admin role."),
        "all.sites": ("全部点位", "all sites"),
        "yes": ("是", "yes"),
        "no": ("否", "no"),
        "delivered": ("已送达", "delivered"),
        "gaveUp": ("已放弃", "gave up"),
        "pending": ("待重试", "retrying"),
        "attempts": ("次尝试", "attempts"),
        "severity.info": ("提示", "info"),
        "severity.warning": ("警告", "warning"),
        "severity.critical": ("严重", "critical"),
        "event.raised": ("产生", "raised"),
        "event.held": ("持续", "persists"),
        "event.cleared": ("解除", "cleared"),
        "event.acknowledge": ("确认", "acknowledged"),
        "event.dispatch": ("派单", "dispatched"),
        "event.close": ("关闭", "closed"),
        "event.note": ("备注", "note"),
        "event.escalated": ("升级", "escalated"),
    ]
}
