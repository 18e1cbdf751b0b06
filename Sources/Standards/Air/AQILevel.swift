/// The six AQI levels of HJ 633-2012 表2 / HJ 633-2026 表1 with their categories and the colours of 附录A.
public enum AQILevel: Int, Sendable, CaseIterable, Codable {
    /// 一级 优, 0–50, green.
    case one = 1
    /// 二级 良, 51–100, yellow.
    case two
    /// 三级 轻度污染, 101–150, orange.
    case three
    /// 四级 中度污染, 151–200, red.
    case four
    /// 五级 重度污染, 201–300, purple.
    case five
    /// 六级 严重污染, > 300, maroon.
    case six

    /// The level of an AQI value (HJ 633-2012 表2; HJ 633-2026 表1).
    /// - Parameter aqi: the AQI (a non-negative integer).
    public init(aqi: Int) {
        switch aqi {
        case ...50: self = .one
        case 51...100: self = .two
        case 101...150: self = .three
        case 151...200: self = .four
        case 201...300: self = .five
        default: self = .six
        }
    }

    /// 一级 … 六级.
    public var name: String { ["一级", "二级", "三级", "四级", "五级", "六级"][rawValue - 1] }
    /// 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染.
    public var category: String { ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"][rawValue - 1] }
    /// The colour name of 附录A.
    public var colourName: String { ["绿色", "黄色", "橙色", "红色", "紫色", "褐红色"][rawValue - 1] }
    /// The RGB colour of 附录A as `#RRGGBB`.
    public var colour: String { ["#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023"][rawValue - 1] }
}
