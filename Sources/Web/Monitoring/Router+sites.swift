import Domain
import Foundation
import Hummingbird
import NIOCore
import Standards
import Store

/// A site with the devices bound to it, as the API returns it.
struct SiteDetail: Encodable {
    var site: Site
    var devices: [String]

    func encode(to encoder: any Encoder) throws {
        try site.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(devices, forKey: .devices)
    }

    enum Keys: String, CodingKey { case devices }
}

extension Router<AppRequestContext> {
    /// The site registry: API and pages.
    func addSiteRoutes(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")

        api.get("sites") { request, _ in
            let kindText = request.uri.queryParameters.get("kind")
            let kind = try kindText.map { text -> SiteKind in
                guard let kind = SiteKind(rawValue: text) else {
                    throw HTTPError(.badRequest, message: "kind=\(text) must be one of \(SiteKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            }
            return JSONResponse.make(try await store.sites(kind: kind))
        }

        api.get("sites/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let site = try await store.site(code) else { throw StoreError.notFound("site \(code)") }
            return JSONResponse.make(SiteDetail(site: site, devices: try await store.deviceMNs(siteCode: code)))
        }

        api.post("sites") { request, context in
            let user = try context.requireStaff()
            try request.verifyCSRF(nil, context: context)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let data = Data(body.readableBytesView)
            let sites: [Site]
            do {
                if let list = try? JSONDecoder().decode([Site].self, from: data) { sites = list } else { sites = [try JSONDecoder().decode(Site.self, from: data)] }
            } catch let error as DecodingError {
                throw HTTPError(.badRequest, message: "not a site or a list of sites: \(APIProblem.describe(error))")
            }
            try await store.saveSites(sites, actor: user.name)
            return JSONResponse.make(sites, status: .created)
        }

        api.post("sites/import") { request, context in
            let user = try context.requireStaff()
            try request.verifyCSRF(nil, context: context)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let sites = try SiteCSV.parse(String(decoding: body.readableBytesView, as: UTF8.self), file: "request body")
            try await store.saveSites(sites, actor: user.name)
            return JSONResponse.make(["imported": sites.count], status: .created)
        }

        get("sites") { request, context in
            let t = MonitoringStrings(context.language)
            let sites = try await store.sites()
            var body = """
            <h1>\(t["sites.title"])</h1>
            <p class="lead">\(t["sites.lead"])</p>
            <div class="panel">\(SiteMap.svg(sites, language: context.language))</div>
            """
            for kind in SiteKind.allCases {
                let group = sites.filter { $0.kind == kind }
                guard !group.isEmpty else { continue }
                let rows = group.map { site in
                    """
                    <tr><td><a href="/sites/\(esc(site.code))">\(esc(site.code))</a></td><td>\(esc(site.name))\(site.demo ? " <span class=\"badge reference\">\(t["sites.demo"])</span>" : "")</td>
                    <td>\(esc(site.township ?? ""))</td><td>\(SitePages.attributes(site, t: t))</td>
                    <td class="num">\(site.longitude.map { String(format: "%.4f", $0) } ?? "")</td><td class="num">\(site.latitude.map { String(format: "%.4f", $0) } ?? "")</td></tr>
                    """
                }.joined()
                body += """
                <h2>\(esc(context.language == .zh ? kind.chineseName : t["kind.\(kind.rawValue)"])) · \(group.count)</h2>
                <div class="table-wrap"><table><thead><tr><th>\(t["col.code"])</th><th>\(t["col.name"])</th><th>\(t["col.township"])</th>
                <th>\(t["col.attributes"])</th><th class="num">\(t["col.longitude"])</th><th class="num">\(t["col.latitude"])</th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """
            }
            if sites.isEmpty { body += "<p class=\"muted\">\(t["sites.none"])</p>" }
            return context.page(t["sites.title"], path: request.uri.path, body)
        }

        get("sites/{code}") { request, context in
            let code = try context.parameters.require("code")
            guard let site = try await store.site(code) else { throw StoreError.notFound("site \(code)") }
            let t = MonitoringStrings(context.language)
            let devices = try await store.deviceMNs(siteCode: code)
            // The charts and the latest-values table need the last seven days of data only.
            let latestTime = try await store.latestObservationTime(siteCode: code)
            var all: [StoredObservation] = []
            if let latestTime {
                all = try await store.observations(mn: nil, siteCode: code, from: latestTime.addingTimeInterval(-7 * 86_400), limit: 100_000)
            }
            let latest = all.suffix(48)
            let charts = SitePages.charts(all, site: site, t: t)
            let assessments = try await MonitoringPages.assessments(site, year: try MonitoringQuery.year(request), store: store,
                                                                    language: context.language)
            let rows = latest.reversed().map { stored in
                let o = stored.observation
                return "<tr><td>\(esc(LocalTime.format(o.dataTime)))</td><td>\(esc(o.cn))</td><td>\(esc(o.code))</td><td>\(esc(o.field))</td><td class=\"num\">\(esc(o.valueText))</td><td class=\"center\">\(esc(o.flag ?? ""))</td></tr>"
            }.joined()
            return context.page(site.name, path: request.uri.path, """
            <section class="panel">
            <h1>\(esc(site.name))</h1>
            <ul class="facts">
            <li><span>\(t["col.code"])</span>\(esc(site.code))</li>
            <li><span>\(t["col.kind"])</span>\(esc(context.language == .zh ? site.kind.chineseName : t["kind.\(site.kind.rawValue)"]))</li>
            <li><span>\(t["col.township"])</span>\(esc(site.township ?? "—"))</li>
            <li><span>WGS-84</span>\(site.longitude.map { String(format: "%.5f", $0) } ?? "—"), \(site.latitude.map { String(format: "%.5f", $0) } ?? "—")</li>
            <li><span>\(t["col.devices"])</span>\(devices.isEmpty ? "—" : devices.map(esc).joined(separator: ", "))</li>
            </ul>
            <p>\(SitePages.attributes(site, t: t))</p>
            \(site.note.map { "<p class=\"muted\">\(esc($0))</p>" } ?? "")
            </section>
            \(charts)
            \(assessments)
            <h2>\(t["site.latest"])</h2>
            \(rows.isEmpty ? "<p class=\"muted\">\(t["site.noData"])</p>" : """
            <div class="table-wrap"><table><thead><tr><th>\(t["col.time"])</th><th>CN</th><th>\(t["col.pollutant"])</th><th>\(t["col.field"])</th><th class="num">\(t["col.value"])</th><th>\(t["col.flag"])</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """)
            """)
        }
    }
}

/// The site pages' HTML pieces.
enum SitePages {
    /// One SVG chart per pollutant of the site's hourly averages over the last seven days of data, with the site's
    /// limit when it has one; gaps stay gaps.
    static func charts(_ observations: [StoredObservation], site: Site, t: MonitoringStrings) -> String {
        // Only values that count are drawn: flagged (calibration, fault …), sentinel, negative and reviewed-invalid
        // values leave a gap, as they leave the statistics.
        var hourly: [Observation] = []
        for stored in observations where stored.exclusion == nil {
            var o = stored.observation
            guard o.kind == .hour, o.field == "Avg" else { continue }
            if stored.review == .corrected, let corrected = stored.reviewedValue { o.value = corrected }
            hourly.append(o)
        }
        guard let last = hourly.map(\.dataTime).max() else { return "" }
        let from = last.addingTimeInterval(-7 * 86_400)
        let byCode = Dictionary(grouping: hourly.filter { $0.dataTime > from }, by: \.code)
        var html = "<h2>\(t["site.series"])</h2>"
        for code in byCode.keys.sorted() {
            let points = byCode[code]!.sorted { $0.dataTime < $1.dataTime }
            var series: [(time: Date, value: Double?)] = []
            var previous: Date?
            for point in points {
                if let previous, point.dataTime.timeIntervalSince(previous) > 3600 { series.append((previous.addingTimeInterval(3600), nil)) }
                series.append((point.dataTime, point.value))
                previous = point.dataTime
            }
            let permitted = site.pollutants?.first { $0.code == code }
            let air = site.kind == .air ? MonitoringCodes.airPollutant(code: code) : nil
            let water = MonitoringCodes.waterItem(code: code)
            let noise = code == MonitoringCodes.noiseLevel
            let waterName: String? = noise ? "Leq" : water?.chineseName
            let title: String = permitted?.name ?? air?.displayName ?? waterName ?? code
            let unit: String = permitted?.unit ?? air?.unit ?? (noise ? "dB(A)" : "")
            let chart = TimeSeriesChart(
                title: "\(title) (\(code))", unit: unit,
                series: [.init(label: code, colour: "#1f6fb2", points: series)],
                limits: permitted?.limit.map { [.init(label: "\(t["site.limit"]) \(formatAmount($0))", value: $0)] } ?? [])
            html += "<div class=\"panel\">\(chart.svg())</div>"
        }
        return byCode.isEmpty ? "" : html
    }

    static func attributes(_ site: Site, t: MonitoringStrings) -> String {
        var parts: [String] = []
        if let level = site.controlLevel { parts.append(t.language == .zh ? level.chineseName : level.rawValue) }
        if let areaClass = site.areaClass { parts.append("\(t["attr.areaClass"]) \(areaClass)") }
        if let river = site.river { parts.append(esc(river)) }
        if let target = site.targetClass { parts.append("\(t["attr.target"]) \(WaterClassName.name(target))") }
        if site.crossBoundary == true { parts.append(t["attr.boundary"]) }
        if let scale = site.sourceScale { parts.append(t["attr.\(scale)"]) }
        if let zones = site.protectionZones { parts.append(zones.map(esc).joined(separator: "、")) }
        if let zone = site.zone { parts.append("\(t["attr.zone"]) \(zone)") }
        if let enterprise = site.enterprise { parts.append(esc(enterprise)) }
        if let medium = site.medium { parts.append(t["attr.\(medium)"]) }
        if let pollutants = site.pollutants {
            parts.append(pollutants.map { "\(esc($0.name)) ≤\($0.limit.map { formatAmount($0) } ?? "—") \(esc($0.unit))" }.joined(separator: "；"))
        }
        return parts.joined(separator: " · ")
    }
}

/// The monitoring pages' words.
struct MonitoringStrings: Sendable {
    let language: Language
    init(_ language: Language) { self.language = language }

    subscript(_ key: String) -> String {
        guard let entry = MonitoringStrings.table[key] else { return key }
        return language == .zh ? entry.0 : entry.1
    }

    static let table: [String: (String, String)] = [
        "sites.title": ("监测点位", "Monitoring sites"),
        "sites.lead": ("环境空气、地表水、饮用水水源地、噪声和污染源排放口点位，按WGS-84坐标绘制。", "Air, surface-water, drinking-water, noise and outlet sites, drawn from their WGS-84 coordinates."),
        "sites.none": ("还没有点位。可用 qingshan serve --demo 载入示例登记，或通过 API 导入 CSV。", "No site yet. Load the demo registry with qingshan serve --demo, or import a CSV through the API."),
        "sites.demo": ("示例", "demo"),
        "kind.air": ("环境空气监测站", "Air stations"),
        "kind.water": ("地表水断面", "Surface-water sections"),
        "kind.drinking_water": ("饮用水水源地", "Drinking-water sources"),
        "kind.noise": ("噪声监测点", "Noise points"),
        "kind.outlet": ("污染源排放口", "Source outlets"),
        "col.code": ("编码", "Code"),
        "col.name": ("名称", "Name"),
        "col.kind": ("类型", "Kind"),
        "col.township": ("乡镇（街道）", "Township"),
        "col.attributes": ("属性", "Attributes"),
        "col.longitude": ("经度", "Longitude"),
        "col.latitude": ("纬度", "Latitude"),
        "col.devices": ("数采仪 (MN)", "Devices (MN)"),
        "col.time": ("数据时间", "Data time"),
        "col.pollutant": ("因子", "Pollutant"),
        "col.field": ("统计量", "Statistic"),
        "col.value": ("数值", "Value"),
        "col.flag": ("标记", "Flag"),
        "site.latest": ("最新数据", "Latest data"),
        "site.series": ("近七日小时均值", "Hourly averages, last seven days"),
        "site.limit": ("限值", "limit"),
        "site.noData": ("还没有数据。", "No data yet."),
        "attr.areaClass": ("功能区", "area class"),
        "attr.target": ("目标", "target"),
        "attr.boundary": ("跨界断面", "boundary section"),
        "attr.city": ("城市水源地", "city source"),
        "attr.township": ("乡镇水源地", "township source"),
        "attr.zone": ("声功能区", "zone"),
        "attr.gas": ("废气", "flue gas"),
        "attr.water": ("废水", "waste water"),
    ]
}
