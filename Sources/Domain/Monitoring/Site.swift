/// What a monitoring site measures.
public enum SiteKind: String, Codable, Sendable, CaseIterable {
    /// An ambient air-quality station.
    case air
    /// A surface-water section (断面) of a river, lake or reservoir.
    case water
    /// A centralised drinking-water source (集中式饮用水水源地).
    case drinkingWater = "drinking_water"
    /// An environmental noise point.
    case noise
    /// A pollution-source outlet (排放口) of an enterprise: stack or outfall.
    case outlet

    /// The kind's Chinese name.
    public var chineseName: String {
        switch self {
        case .air: "环境空气监测站"
        case .water: "地表水断面"
        case .drinkingWater: "饮用水水源地"
        case .noise: "噪声监测点"
        case .outlet: "污染源排放口"
        }
    }
}

/// The control level of a site (国控 / 市控 / 县控).
public enum ControlLevel: String, Codable, Sendable, CaseIterable {
    /// 国控: national control.
    case national
    /// 市控: city (here: Chongqing) control.
    case city
    /// 县控: county control.
    case county

    /// The Chinese term.
    public var chineseName: String {
        switch self {
        case .national: "国控"
        case .city: "市控"
        case .county: "县控"
        }
    }
}

/// A pollutant an outlet is permitted to emit, with its limit.
public struct OutletPollutant: Codable, Sendable, Equatable {
    /// The HJ 212-2017 code (e.g. `a21026` SO2, `w01018` COD).
    public var code: String
    /// The pollutant's name.
    public var name: String
    /// The emission limit, in ``unit``.
    public var limit: Double?
    /// The unit of the limit, e.g. `mg/m3`, `mg/L`.
    public var unit: String

    /// Creates a permitted pollutant.
    public init(code: String, name: String, limit: Double?, unit: String) {
        self.code = code
        self.name = name
        self.limit = limit
        self.unit = unit
    }
}

/// A monitoring site: a station, section, source, noise point or outlet, with its place and what it is held to.
public struct Site: Codable, Sendable, Equatable {
    /// The site's code, unique in the installation.
    public var code: String
    /// What it measures.
    public var kind: SiteKind
    /// The site's name.
    public var name: String
    /// The township (乡镇/街道) it lies in.
    public var township: String?
    /// WGS-84 longitude, degrees east.
    public var longitude: Double?
    /// WGS-84 latitude, degrees north.
    public var latitude: Double?
    /// Whether the site is demo data (invented where the plan is silent), not a real registry entry.
    public var demo: Bool
    /// A note: where the data comes from, what is assumed.
    public var note: String?
    /// Air stations: 国控 / 市控 / 县控.
    public var controlLevel: ControlLevel?
    /// Air stations: the ambient-air functional area class (1 or 2, GB 3095).
    public var areaClass: Int?
    /// Water sections: the river or lake.
    public var river: String?
    /// Water sections and drinking-water sources: the target class (1-5 for I-V, GB 3838).
    public var targetClass: Int?
    /// Water sections: whether the section is on a county boundary (跨界断面).
    public var crossBoundary: Bool?
    /// Water sections and sources: `river` or `lake` (lakes and reservoirs have their own TP column in GB 3838).
    public var waterType: String?
    /// Drinking-water sources: `city` (城市) or `township` (乡镇).
    public var sourceScale: String?
    /// Drinking-water sources: the protection zones (一级, 二级, 准保护区).
    public var protectionZones: [String]?
    /// Noise points: the acoustic functional zone (0, 1, 2, 3, 4a, 4b; GB 3096).
    public var zone: String?
    /// Outlets: the enterprise.
    public var enterprise: String?
    /// Outlets: `gas` (废气) or `water` (废水).
    public var medium: String?
    /// Outlets: the permitted pollutants and their limits.
    public var pollutants: [OutletPollutant]?

    enum CodingKeys: String, CodingKey {
        case code, kind, name, township, longitude, latitude, demo, note, controlLevel = "control_level", areaClass = "area_class"
        case river, targetClass = "target_class", crossBoundary = "cross_boundary", waterType = "water_type"
        case sourceScale = "source_scale", protectionZones = "protection_zones", zone, enterprise, medium, pollutants
    }

    /// Creates a site.
    public init(code: String, kind: SiteKind, name: String, township: String? = nil, longitude: Double? = nil, latitude: Double? = nil,
                demo: Bool = false, note: String? = nil) {
        self.code = code
        self.kind = kind
        self.name = name
        self.township = township
        self.longitude = longitude
        self.latitude = latitude
        self.demo = demo
        self.note = note
    }

    /// Decodes a site; every attribute but code, kind and name may be omitted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        kind = try c.decode(SiteKind.self, forKey: .kind)
        name = try c.decode(String.self, forKey: .name)
        township = try c.decodeIfPresent(String.self, forKey: .township)
        longitude = try c.decodeIfPresent(Double.self, forKey: .longitude)
        latitude = try c.decodeIfPresent(Double.self, forKey: .latitude)
        demo = try c.decodeIfPresent(Bool.self, forKey: .demo) ?? false
        note = try c.decodeIfPresent(String.self, forKey: .note)
        controlLevel = try c.decodeIfPresent(ControlLevel.self, forKey: .controlLevel)
        areaClass = try c.decodeIfPresent(Int.self, forKey: .areaClass)
        river = try c.decodeIfPresent(String.self, forKey: .river)
        targetClass = try c.decodeIfPresent(Int.self, forKey: .targetClass)
        crossBoundary = try c.decodeIfPresent(Bool.self, forKey: .crossBoundary)
        waterType = try c.decodeIfPresent(String.self, forKey: .waterType)
        sourceScale = try c.decodeIfPresent(String.self, forKey: .sourceScale)
        protectionZones = try c.decodeIfPresent([String].self, forKey: .protectionZones)
        zone = try c.decodeIfPresent(String.self, forKey: .zone)
        enterprise = try c.decodeIfPresent(String.self, forKey: .enterprise)
        medium = try c.decodeIfPresent(String.self, forKey: .medium)
        pollutants = try c.decodeIfPresent([OutletPollutant].self, forKey: .pollutants)
    }

    /// The rules a site must satisfy: a code and name, coordinates on Earth, attributes that fit its kind.
    /// - Returns: the problems found, each naming the field.
    public func problems() -> [String] {
        var problems: [String] = []
        if code.isEmpty || code.count > 64 || code.contains(where: { $0.isWhitespace || $0 == "/" }) {
            problems.append("code \"\(code)\" must be 1-64 characters without spaces or '/'")
        }
        if name.isEmpty { problems.append("name must not be empty") }
        if let longitude, !(-180...180).contains(longitude) { problems.append("longitude \(longitude) is not between -180 and 180") }
        if let latitude, !(-90...90).contains(latitude) { problems.append("latitude \(latitude) is not between -90 and 90") }
        if let targetClass, !(1...5).contains(targetClass) { problems.append("target_class \(targetClass) must be 1-5 (I-V)") }
        if let areaClass, !(1...2).contains(areaClass) { problems.append("area_class \(areaClass) must be 1 or 2") }
        if let zone, !["0", "1", "2", "3", "4a", "4b"].contains(zone) { problems.append("zone \(zone) must be one of 0, 1, 2, 3, 4a, 4b") }
        if let medium, !["gas", "water"].contains(medium) { problems.append("medium \(medium) must be gas or water") }
        if let waterType, !["river", "lake"].contains(waterType) { problems.append("water_type \(waterType) must be river or lake") }
        if let sourceScale, !["city", "township"].contains(sourceScale) { problems.append("source_scale \(sourceScale) must be city or township") }
        switch kind {
        case .water where targetClass == nil: problems.append("a water section needs its target_class")
        case .noise where zone == nil: problems.append("a noise point needs its zone")
        case .drinkingWater where sourceScale == nil: problems.append("a drinking-water source needs source_scale (city or township)")
        default: break
        }
        return problems
    }
}
