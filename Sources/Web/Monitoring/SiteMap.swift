import Domain
import Foundation

/// Draws sites as an SVG map from their WGS-84 coordinates (equirectangular, scaled by the cosine of the mean
/// latitude), with no tiles and no external request.
enum SiteMap {
    static func colour(_ kind: SiteKind) -> String {
        switch kind {
        case .air: "#2e7d62"
        case .water: "#1f6fb2"
        case .drinkingWater: "#0f9fb5"
        case .noise: "#a05a2c"
        case .outlet: "#b5462f"
        }
    }

    static func svg(_ sites: [Site], width: Double = 900, height: Double = 560, language: Language) -> String {
        let located = sites.filter { $0.longitude != nil && $0.latitude != nil }
        guard !located.isEmpty else {
            return "<p class=\"muted\">\(language == .zh ? "没有带坐标的点位。" : "No site has coordinates.")</p>"
        }
        let lons = located.map { $0.longitude! }, lats = located.map { $0.latitude! }
        let meanLat = (lats.min()! + lats.max()!) / 2
        let scaleX = cos(meanLat * .pi / 180)
        var minX = lons.min()! * scaleX, maxX = lons.max()! * scaleX
        var minY = lats.min()!, maxY = lats.max()!
        let padX = max((maxX - minX) * 0.08, 0.01), padY = max((maxY - minY) * 0.08, 0.01)
        minX -= padX; maxX += padX; minY -= padY; maxY += padY
        let plotW = width - 40, plotH = height - 70
        let scale = min(plotW / (maxX - minX), plotH / (maxY - minY))
        let offsetX = 20 + (plotW - (maxX - minX) * scale) / 2
        let offsetY = 20 + (plotH - (maxY - minY) * scale) / 2
        func point(_ site: Site) -> (Double, Double) {
            let x = offsetX + (site.longitude! * scaleX - minX) * scale
            let y = offsetY + (maxY - site.latitude!) * scale
            return ((x * 10).rounded() / 10, (y * 10).rounded() / 10)
        }
        var svg = """
        <svg class="map" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" role="img" xmlns="http://www.w3.org/2000/svg" aria-label="\(language == .zh ? "点位分布图" : "Site map")">
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#f3f7f5" stroke="#d5ddd9"/>
        """
        // A graticule every 0.1 degree so distances can be read.
        var lon = (minX / scaleX * 10).rounded(.up) / 10
        while lon * scaleX <= maxX {
            let x = offsetX + (lon * scaleX - minX) * scale
            svg += "<line x1=\"\(Int(x))\" y1=\"20\" x2=\"\(Int(x))\" y2=\"\(Int(height - 50))\" stroke=\"#e1e8e4\"/>"
            svg += "<text x=\"\(Int(x) + 2)\" y=\"\(Int(height - 52))\" font-size=\"10\" fill=\"#8a9a94\">\(String(format: "%.1f°E", lon))</text>"
            lon += 0.1
        }
        var lat = (minY * 10).rounded(.up) / 10
        while lat <= maxY {
            let y = offsetY + (maxY - lat) * scale
            svg += "<line x1=\"20\" y1=\"\(Int(y))\" x2=\"\(Int(width - 20))\" y2=\"\(Int(y))\" stroke=\"#e1e8e4\"/>"
            svg += "<text x=\"22\" y=\"\(Int(y) - 2)\" font-size=\"10\" fill=\"#8a9a94\">\(String(format: "%.1f°N", lat))</text>"
            lat += 0.1
        }
        // Labels that would overlap one already drawn are left out (the point keeps its tooltip and link).
        var placed: [(x: Double, y: Double, w: Double)] = []
        for site in located {
            let (x, y) = point(site)
            let shape = site.kind == .outlet
                ? "<rect x=\"\(x - 5)\" y=\"\(y - 5)\" width=\"10\" height=\"10\" fill=\"\(colour(site.kind))\" stroke=\"#fff\"/>"
                : "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"6\" fill=\"\(colour(site.kind))\" stroke=\"#fff\" stroke-width=\"1.5\"/>"
            svg += "<a href=\"/sites/\(esc(site.code))\"><title>\(esc(site.name)) (\(esc(site.code)))</title>\(shape)"
            let label = site.name.replacingOccurrences(of: "（示例）", with: "")
            let w = Double(label.count) * 11.5
            let free = !placed.contains { abs($0.y - y) < 13 && x + 8 < $0.x + $0.w && $0.x < x + 8 + w }
            if free {
                placed.append((x + 8, y, w))
                svg += "<text x=\"\(x + 8)\" y=\"\(y + 4)\" font-size=\"11\" fill=\"#1d2a26\">\(esc(label))</text>"
            }
            svg += "</a>"
        }
        // Legend.
        var legendX = 24.0
        for kind in SiteKind.allCases {
            svg += "<circle cx=\"\(legendX)\" cy=\"\(height - 24)\" r=\"6\" fill=\"\(colour(kind))\"/>"
            let label = language == .zh ? kind.chineseName : kind.rawValue.replacingOccurrences(of: "_", with: " ")
            svg += "<text x=\"\(legendX + 10)\" y=\"\(height - 20)\" font-size=\"12\" fill=\"#1d2a26\">\(esc(label))</text>"
            legendX += Double(label.count) * (language == .zh ? 13 : 7) + 36
        }
        svg += "</svg>"
        return svg
    }
}
