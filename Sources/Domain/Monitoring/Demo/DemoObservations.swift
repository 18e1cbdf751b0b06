import Foundation
public import Standards

/// The demo observations: a seeded, deterministic generator of realistic monitoring data for the demo sites, as if
/// their data loggers had reported over HJ 212 (hourly data CN 2061, daily data CN 2031) through the gateway.
///
/// What it yields (see `docs/monitoring-data.md` for the choices and the figures):
///
/// - **air stations**: hourly SO2, NO2, CO, O3, PM10, PM2.5 with the diurnal and seasonal shape of a clean mountain
///   county in Chongqing (PM2.5 annual mean about 28 µg/m³ at the county-town station, winter higher, O3 highest on
///   summer afternoons), missing hours and days, a 3-day outage of one station a year, values flagged M
///   (maintenance), C (calibration, span-gas readings) and D (fault) with their numbers kept, a -99 sentinel flagged D
///   and a small negative zero drift, and regional pollution episodes (winter haze, Spring Festival fireworks, a
///   summer ozone episode) that push some days over AQI 100 and one or two over 150;
/// - **surface-water sections**: one automatic-station value a day (kind `day`, CN 2031) of water temperature, pH, DO,
///   CODMn, COD, BOD5, NH3-N, TP and TN, within the section's target class except a few (section, month) pairs a year
///   one class worse;
/// - **drinking-water sources**: one sample a month (kind `day`, CN 2031) of the same items and the GB 3838 表2
///   items, all compliant except one month a year at one township source (NH3-N of class IV);
/// - **noise points**: hourly Leq with the day/night pattern of the zone, a few nights over the night limit at 4a
///   points;
/// - **outlets**: hourly `Avg` concentrations and `Cou` amounts of the permitted pollutants and the flow, three
///   consecutive hours over a limit once a year at one outlet, a few single hours over, a Spring Festival shutdown
///   (flag F) of gas outlets.
///
/// Every value of a given site and day depends only on the seed, the site and the day: generating any sub-range
/// gives exactly the values of the whole range, and the same seed gives the same data on every machine.
public struct DemoObservations: Sendable {
    /// The seed used when none is given.
    public static let defaultSeed: UInt64 = 20_212_025
    /// The prefix of the demo devices' MNs, which marks them as demo devices.
    public static let mnPrefix = "DEMO-"

    /// The seed.
    public let seed: UInt64
    /// The demo sites, by code.
    let sites: [Site]

    /// A generator for a set of sites.
    /// - Parameters:
    ///   - sites: the sites (normally ``DemoRegistry/wuxiSites()``); yearly events such as the station outage are
    ///     spread over them.
    ///   - seed: the seed.
    public init(sites: [Site], seed: UInt64 = DemoObservations.defaultSeed) {
        self.sites = sites.sorted { $0.code < $1.code }
        self.seed = seed
    }

    /// The MN of the demo data logger of a site: `DEMO-` and the site code.
    /// - Parameter site: the site.
    public static func mn(for site: Site) -> String { mnPrefix + site.code }

    /// Whether an MN is that of a demo data logger.
    public static func isDemoMN(_ mn: String) -> Bool { mn.hasPrefix(mnPrefix) }

    /// The demo data loggers, one per site, bound to it, speaking HJ 212-2017.
    /// - Parameter password: the access password to give them.
    /// - Returns: one device per site.
    public func devices(password: String) -> [Device] {
        sites.map { Device(mn: DemoObservations.mn(for: $0), password: password, dialect: .v2017, siteCode: $0.code) }
    }

    /// The range stored when none is given: from 1 January of last year through yesterday (China time), so that the
    /// last full calendar year and the last twelve months both have data.
    /// - Parameter today: today's date, China time.
    /// - Returns: the first and last day, inclusive.
    public static func defaultRange(today: CivilDate) -> (from: CivilDate, through: CivilDate) {
        (CivilDate(year: today.year - 1, month: 1, day: 1)!, CivilDate(dayNumber: today.dayNumber - 1))
    }

    /// The HJ 212 command number the values of a site kind come with: daily data (2031) for water sections and
    /// drinking-water sources, hourly data (2061) for the others.
    public static func cn(for kind: SiteKind) -> String {
        kind == .water || kind == .drinkingWater ? "2031" : "2061"
    }

    /// The observations of one site over whole days, ordered by time.
    /// - Parameters:
    ///   - site: the site.
    ///   - from: the first day (China time).
    ///   - through: the last day, inclusive.
    /// - Returns: the values; empty when `through` is before `from`.
    public func observations(for site: Site, from: CivilDate, through: CivilDate) -> [Observation] {
        guard from <= through else { return [] }
        var batch = DemoBatch(site: site, cn: DemoObservations.cn(for: site.kind))
        for dayNumber in from.dayNumber...through.dayNumber {
            let day = DemoDay(dayNumber: dayNumber)
            switch site.kind {
            case .air: air(site, day, into: &batch)
            case .water: water(site, day, into: &batch)
            case .drinkingWater: drinkingWater(site, day, into: &batch)
            case .noise: noise(site, day, into: &batch)
            case .outlet: outlet(site, day, into: &batch)
            }
        }
        return batch.observations
    }

    /// The observations of every site over whole days.
    /// - Parameters:
    ///   - from: the first day.
    ///   - through: the last day, inclusive.
    /// - Returns: the values, site by site.
    public func observations(from: CivilDate, through: CivilDate) -> [Observation] {
        sites.flatMap { observations(for: $0, from: from, through: through) }
    }

    // MARK: Streams

    /// A generator for one purpose of one site (or of the region, `site` nil) and one period.
    func random(_ purpose: String, site: Site?, _ keys: Int...) -> DemoRandom {
        DemoRandom(seed: seed, keys: [DemoRandom.hash(purpose), site.map { DemoRandom.hash($0.code) } ?? 0]
            + keys.map { UInt64(bitPattern: Int64($0)) })
    }

    /// Smooth day-to-day noise of one purpose (weather-like persistence over `period` days).
    func smooth(_ purpose: String, site: Site?, day: Int, period: Int = 4) -> Double {
        DemoRandom.smooth(seed: seed, stream: DemoRandom.hash(purpose) ^ (site.map { DemoRandom.hash($0.code) } ?? 0),
                          day: day, period: period)
    }

    /// A stable number in [0, 1) for a site and purpose: what makes one site a little different from another.
    func trait(_ purpose: String, site: Site) -> Double {
        var random = random(purpose, site: site)
        return random.uniform()
    }

    /// The sites of a kind, by code.
    func sites(_ kind: SiteKind) -> [Site] { sites.filter { $0.kind == kind } }
}

/// One day of the generator's calendar, with the seasonal weights the models use.
struct DemoDay {
    /// Days since 1970-01-01.
    let dayNumber: Int
    /// The date.
    let date: CivilDate
    /// Day of the year, 0-based.
    let dayOfYear: Int
    /// 1 in mid-January, 0 in mid-July (cosine).
    let winter: Double
    /// 1 - ``winter``.
    var summer: Double { 1 - winter }

    init(dayNumber: Int) {
        self.dayNumber = dayNumber
        date = CivilDate(dayNumber: dayNumber)
        dayOfYear = dayNumber - CivilDate(year: date.year, month: 1, day: 1)!.dayNumber
        winter = (1 + cos(2 * Double.pi * Double(dayOfYear - 15) / 365.25)) / 2
    }

    /// The seasonal weight peaking on day of year `peak` (1 there, 0 half a year away).
    func season(peak: Int) -> Double { (1 + cos(2 * Double.pi * Double(dayOfYear - peak) / 365.25)) / 2 }

    /// Day of the week, 0 = Monday.
    var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }
}

/// The observations of one site being built.
struct DemoBatch {
    let siteCode: String
    let mn: String
    let cn: String
    let kind: DataKind
    var observations: [Observation] = []

    init(site: Site, cn: String) {
        siteCode = site.code
        mn = DemoObservations.mn(for: site)
        self.cn = cn
        kind = DataKind(cn: cn)
    }

    /// Adds one value, rounded to `decimals` as a data logger would send it.
    mutating func add(_ code: String, field: String = MonitoringCodes.averageField, day: Int, hour: Int = 0, value: Double,
                      decimals: Int, flag: String = "N") {
        let scale = DemoBatch.powers[decimals]
        let units = Int((value * scale).rounded())
        let seconds = (day * 24 + hour) * 3600 - LocalTime.offset
        observations.append(Observation(
            siteCode: siteCode, mn: mn, cn: cn, kind: kind, code: code, originalCode: code, field: field,
            dataTime: Date(timeIntervalSince1970: TimeInterval(seconds)), value: Double(units) / scale,
            valueText: DemoBatch.text(units, decimals: decimals), flag: flag))
    }

    static let powers: [Double] = [1, 10, 100, 1000, 10_000]

    /// `units / 10^decimals` as fixed-point text, e.g. (-995, 1) → `-99.5`.
    static func text(_ units: Int, decimals: Int) -> String {
        guard decimals > 0 else { return String(units) }
        let magnitude = units.magnitude
        let divisor = UInt(DemoBatch.powers[decimals])
        var fraction = String(magnitude % divisor)
        if fraction.count < decimals { fraction = String(repeating: "0", count: decimals - fraction.count) + fraction }
        return (units < 0 ? "-" : "") + String(magnitude / divisor) + "." + fraction
    }

    /// The number of decimals a concentration of this size is sent with.
    static func decimals(for value: Double) -> Int { value < 1 ? 3 : value < 10 ? 2 : 1 }
}
