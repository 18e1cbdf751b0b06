public import Foundation

/// How often a value is reported: the data kinds of HJ 212 (real-time 2011, minute 2051, hour 2061, day 2031) and the
/// others the platform stores.
public enum DataKind: String, Codable, Sendable, CaseIterable {
    /// Real-time values (HJ 212 CN 2011).
    case realtime
    /// Minute values (CN 2051).
    case minute
    /// Hourly values (CN 2061).
    case hour
    /// Daily values (CN 2031).
    case day
    /// Device status, alarms and other non-concentration reports (CN 3020, 2072, 2081 …).
    case other

    /// The data kind an HJ 212 command number carries.
    /// - Parameter cn: the command number, e.g. `2061`.
    public init(cn: String) {
        switch cn {
        case "2011": self = .realtime
        case "2051": self = .minute
        case "2061": self = .hour
        case "2031": self = .day
        default: self = .other
        }
    }
}

/// One measured value as it arrived: which device and site, which pollutant and statistic, for which time, with its
/// HJ 212 flag. The key (MN, CN, code, field, data time) makes storing idempotent: a resent packet never doubles a value.
public struct Observation: Codable, Sendable, Equatable {
    /// The site the device is bound to, when known.
    public var siteCode: String?
    /// The device's MN (unique station code).
    public var mn: String
    /// The HJ 212 command number the value came with (`2061` hour data …), or `csv`/`api` for other sources.
    public var cn: String
    /// The data kind.
    public var kind: DataKind
    /// The pollutant code in HJ 212-2017 form (e.g. `a34004` for PM2.5).
    public var code: String
    /// The code as the device sent it (2005 codes such as `B02` are kept here).
    public var originalCode: String
    /// The statistic: `Rtd`, `Avg`, `Min`, `Max`, `Cou`, `ZsRtd`, `ZsAvg`, `Flag` …
    public var field: String
    /// The time the value is for (the packet's DataTime), UTC.
    public var dataTime: Date
    /// The numeric value, when the text is a number.
    public var value: Double?
    /// The value exactly as sent.
    public var valueText: String
    /// The HJ 212 data flag (`N`, `F`, `M`, `S`, `D`, `C`, `T`, `B` …), when sent.
    public var flag: String?

    /// Creates an observation.
    public init(
        siteCode: String? = nil, mn: String, cn: String, kind: DataKind? = nil, code: String, originalCode: String? = nil,
        field: String, dataTime: Date, value: Double?, valueText: String? = nil, flag: String? = nil
    ) {
        self.siteCode = siteCode
        self.mn = mn
        self.cn = cn
        self.kind = kind ?? DataKind(cn: cn)
        self.code = code
        self.originalCode = originalCode ?? code
        self.field = field
        self.dataTime = dataTime
        self.value = value
        self.valueText = valueText ?? value.map { String($0) } ?? ""
        self.flag = flag
    }
}
