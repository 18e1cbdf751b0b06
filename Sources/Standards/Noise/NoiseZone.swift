/// The functional zones of GB 3096-2008 §4 with their limits (表1, L_Aeq in dB(A)).
public enum NoiseZone: String, Sendable, CaseIterable, Codable {
    /// 0 类: 康复疗养区等特别需要安静的区域.
    case zone0 = "0"
    /// 1 类: 居民住宅、医疗卫生、文化教育、科研设计、行政办公为主.
    case zone1 = "1"
    /// 2 类: 商业金融、集市贸易为主, 或居住、商业、工业混杂.
    case zone2 = "2"
    /// 3 类: 工业生产、仓储物流.
    case zone3 = "3"
    /// 4a 类: 两侧 of expressways, class 1/2 roads, urban arterials, urban rail on the ground, inland waterways.
    case zone4a = "4a"
    /// 4b 类: 铁路干线两侧.
    case zone4b = "4b"

    /// Reads `0`, `1`, `2`, `3`, `4a`, `4b` (case-insensitive; `0类` etc. accepted).
    /// - Parameter text: the cell.
    public init?(text: String) {
        var name = text.lowercased()
        if name.hasSuffix("类") { name.removeLast() }
        guard let zone = NoiseZone(rawValue: name) else { return nil }
        self = zone
    }

    /// The day-time limit (昼间, 06:00–22:00), GB 3096-2008 表1: 50, 55, 60, 65, 70, 70 dB(A).
    public var dayLimit: Int {
        switch self {
        case .zone0: 50
        case .zone1: 55
        case .zone2: 60
        case .zone3: 65
        case .zone4a, .zone4b: 70
        }
    }

    /// The night-time limit (夜间, 22:00–06:00), GB 3096-2008 表1: 40, 45, 50, 55, 55, 60 dB(A).
    public var nightLimit: Int {
        switch self {
        case .zone0: 40
        case .zone1: 45
        case .zone2: 50
        case .zone3: 55
        case .zone4a: 55
        case .zone4b: 60
        }
    }
}
