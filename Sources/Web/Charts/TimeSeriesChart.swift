import Domain
import Foundation

/// A server-rendered SVG line chart of one or more time series, with optional horizontal limit lines. No script, no
/// external request: the chart is part of the page and prints as it shows.
struct TimeSeriesChart {
    /// One line.
    struct Series {
        var label: String
        var colour: String
        /// Points in time order; a nil value breaks the line (a gap stays visible as a gap).
        var points: [(time: Date, value: Double?)]
    }

    /// A horizontal reference line, e.g. a limit.
    struct Limit {
        var label: String
        var value: Double
        var colour: String = "#b5462f"
    }

    var title: String
    var unit: String
    var series: [Series]
    var limits: [Limit] = []
    var width: Double = 900
    var height: Double = 280

    func svg() -> String {
        let values = series.flatMap { $0.points.compactMap(\.value) } + limits.map(\.value)
        let times = series.flatMap { $0.points.map(\.time) }
        guard let minTime = times.min(), let maxTime = times.max(), !values.isEmpty else {
            return "<p class=\"muted\">—</p>"
        }
        let left = 56.0, right = 16.0, top = 28.0, bottom = 36.0
        let plotW = width - left - right, plotH = height - top - bottom
        let (lo, hi, step) = TimeSeriesChart.niceScale(min: min(0, values.min()!), max: values.max()!)
        let span = max(maxTime.timeIntervalSince(minTime), 1)
        func x(_ t: Date) -> Double { left + t.timeIntervalSince(minTime) / span * plotW }
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotH }
        func r(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = """
        <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" role="img" xmlns="http://www.w3.org/2000/svg" aria-label="\(esc(title))">
        <text x="\(Int(left))" y="16" font-size="13" font-weight="600" fill="#1d2a26">\(esc(title))</text>
        <text x="\(Int(width - right))" y="16" font-size="11" text-anchor="end" fill="#5b6b66">\(esc(unit))</text>
        """
        var tick = lo
        while tick <= hi + step / 2 {
            svg += "<line x1=\"\(r(left))\" y1=\"\(r(y(tick)))\" x2=\"\(r(width - right))\" y2=\"\(r(y(tick)))\" stroke=\"#e6ece9\"/>"
            svg += "<text x=\"\(r(left - 6))\" y=\"\(r(y(tick) + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6b66\">\(TimeSeriesChart.label(tick))</text>"
            tick += step
        }
        for index in 0...4 {
            let t = minTime.addingTimeInterval(span * Double(index) / 4)
            let c = LocalTimeLabel.components(t)
            let anchor = index == 0 ? "start" : index == 4 ? "end" : "middle"
            svg += "<text x=\"\(r(x(t)))\" y=\"\(r(height - 14))\" font-size=\"10\" text-anchor=\"\(anchor)\" fill=\"#5b6b66\">\(c)</text>"
        }
        for limit in limits {
            svg += "<line x1=\"\(r(left))\" y1=\"\(r(y(limit.value)))\" x2=\"\(r(width - right))\" y2=\"\(r(y(limit.value)))\" stroke=\"\(limit.colour)\" stroke-dasharray=\"5 4\"/>"
            svg += "<text x=\"\(r(width - right - 4))\" y=\"\(r(y(limit.value) - 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"\(limit.colour)\">\(esc(limit.label))</text>"
        }
        for line in series {
            var path = ""
            var pen = false
            for point in line.points {
                guard let value = point.value else { pen = false; continue }
                path += (pen ? "L" : "M") + r(x(point.time)) + " " + r(y(value)) + " "
                pen = true
            }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"1.4\"><title>\(esc(line.label))</title></path>"
        }
        var legendX = left
        for line in series where series.count > 1 {
            svg += "<rect x=\"\(r(legendX))\" y=\"\(r(height - 8))\" width=\"10\" height=\"3\" fill=\"\(line.colour)\"/>"
            svg += "<text x=\"\(r(legendX + 14))\" y=\"\(r(height - 4))\" font-size=\"10\" fill=\"#1d2a26\">\(esc(line.label))</text>"
            legendX += Double(line.label.count) * 9 + 40
        }
        svg += "<rect x=\"\(r(left))\" y=\"\(r(top))\" width=\"\(r(plotW))\" height=\"\(r(plotH))\" fill=\"none\" stroke=\"#c9d3cf\"/></svg>"
        return svg
    }

    /// A scale from `min` to `max` in 1-2-5 steps with about five ticks.
    static func niceScale(min lower: Double, max upper: Double) -> (Double, Double, Double) {
        let range = Swift.max(upper - lower, 1e-9)
        let raw = range / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return (floor(lower / step) * step, ceil(upper / step) * step, step)
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }
}

/// Short China-time labels for chart axes.
enum LocalTimeLabel {
    static func components(_ date: Date) -> String {
        let c = LocalTime.components(date)
        return String(format: "%02d-%02d %02d:00", c.month, c.day, c.hour)
    }
}
