import Domain
import Standards

/// A server-rendered SVG calendar of one year's daily AQI: twelve month blocks, each day a square in the colour of
/// its AQI level (HJ 633 附录A), grey when the day has no valid AQI; each square's tooltip gives the date, AQI,
/// category and primary pollutants.
struct AQICalendar {
    var year: Int
    /// The daily reports by date.
    var days: [CivilDate: DailyAirReport]
    var language: Language

    func svg() -> String {
        let cell = 13.0, gap = 2.0, monthW = 7 * (cell + gap) + 12, monthH = 6 * (cell + gap) + 22
        let width = 6 * monthW + 8, height = 2 * monthH + 40
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"AQI \(year)\">"
        let monthNames = language == .zh ? (1...12).map { "\($0)月" } : ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for month in 1...12 {
            let originX = Double((month - 1) % 6) * monthW + 4
            let originY = Double((month - 1) / 6) * monthH + 4
            out += "<text x=\"\(originX)\" y=\"\(originY + 11)\" font-size=\"11\" fill=\"#333\">\(monthNames[month - 1])</text>"
            let first = CivilDate(year: year, month: month, day: 1)!
            // Monday-first weekday of the 1st (1970-01-01 was a Thursday).
            let weekday = ((first.dayNumber % 7) + 7 + 3) % 7
            for day in 1...CivilDate.daysInMonth(year: year, month: month) {
                let date = CivilDate(year: year, month: month, day: day)!
                let slot = weekday + day - 1
                let x = originX + Double(slot % 7) * (cell + gap)
                let y = originY + 16 + Double(slot / 7) * (cell + gap)
                let report = days[date]
                let colour = report?.aqi.level?.colour ?? "#e3e3e3"
                var tip = date.description
                if let report, let aqi = report.aqi.aqi, let level = report.aqi.level {
                    tip += " AQI \(aqi) \(level.category)"
                    if let primary = report.aqi.primary, !primary.isEmpty { tip += " \(primary.map(\.displayName).joined(separator: "、"))" }
                } else {
                    tip += language == .zh ? " 无有效数据" : " no valid AQI"
                }
                out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" rx=\"2\" fill=\"\(colour)\"><title>\(esc(tip))</title></rect>"
            }
        }
        // Legend: the six levels and "no data".
        var legendX = 4.0
        let legendY = height - 16
        for level in 1...6 {
            let l = AQILevel(rawValue: level)!
            out += "<rect x=\"\(legendX)\" y=\"\(legendY - 10)\" width=\"12\" height=\"12\" fill=\"\(l.colour)\"/><text x=\"\(legendX + 16)\" y=\"\(legendY)\" font-size=\"11\">\(language == .zh ? l.category : "Level \(level)")</text>"
            legendX += 86
        }
        out += "<rect x=\"\(legendX)\" y=\"\(legendY - 10)\" width=\"12\" height=\"12\" fill=\"#e3e3e3\"/><text x=\"\(legendX + 16)\" y=\"\(legendY)\" font-size=\"11\">\(language == .zh ? "无有效数据" : "no valid AQI")</text>"
        return out + "</svg>"
    }
}
