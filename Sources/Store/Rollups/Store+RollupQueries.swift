public import Domain
public import Foundation
import SQLKit
public import Standards

/// A stored daily air rollup: the day's report and the hours behind it.
public struct AirDayRecord: Sendable, Equatable {
    /// The station.
    public var siteCode: String
    /// The day's statistics, AQI, level and primary pollutants.
    public var report: DailyAirReport
    /// Hours with at least one valid value.
    public var hours: Int
    /// The period `[from, to)`.
    public var from: Date
    /// End of the period (exclusive).
    public var to: Date
}

/// A stored monthly water rollup.
public struct WaterMonthRecord: Sendable, Equatable, Codable {
    /// The site.
    public var siteCode: String
    /// `YYYY-MM`.
    public var month: String
    /// Sampling times with valid values.
    public var samples: Int
    /// Item means: item → `mean` (text) and `n` (values averaged).
    public var items: [String: [String: String]]
    /// The class 1-6 (6 = 劣Ⅴ), when any item was measured.
    public var waterClass: Int?
    /// The target class.
    public var targetClass: Int?
    /// Compliance (with the target class; drinking-water sources: GB 3838 §4.2).
    public var compliant: Bool?
    /// Main pollutants (items over class III, worst first).
    public var mainPollutants: [String]
    /// Period start.
    public var from: Date
    /// Period end (exclusive).
    public var to: Date
}

/// A stored daily noise rollup.
public struct NoiseDayRecord: Sendable, Equatable, Codable {
    /// The point.
    public var siteCode: String
    /// `YYYY-MM-DD`.
    public var day: String
    /// The zone.
    public var zone: String
    /// L_d (dB(A)), when measured.
    public var ld: String?
    /// L_n, when measured.
    public var ln: String?
    /// Day hours used.
    public var dayHours: Int
    /// Night hours used.
    public var nightHours: Int
    /// L_d within the zone's day limit.
    public var dayCompliant: Bool?
    /// L_n within the zone's night limit.
    public var nightCompliant: Bool?
}

/// An outlet's emitted amount of one pollutant over a period.
public struct EmissionTotal: Sendable, Equatable, Codable {
    /// The outlet.
    public var siteCode: String
    /// The pollutant code.
    public var code: String
    /// The period, `YYYY` or `YYYY-MM`.
    public var period: String
    /// The amount (kg; m³ for flow).
    public var total: Double
    /// Days with amounts.
    public var days: Int
    /// Values summed.
    public var values: Int
}

extension Store {
    /// The data time of a site's latest stored value, if any.
    public func latestObservationTime(siteCode: String) async throws -> Date? {
        try await reader.select().column(SQLFunction("MAX", args: SQLColumn("data_time")), as: "latest").from("observations")
            .where("site_code", .equal, siteCode).first()?
            .decode(column: "latest", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// The daily air rollups of stations over local days `[from, to)`, by station then day.
    public func airDays(siteCodes: [String], from: CivilDate, to: CivilDate) async throws -> [AirDayRecord] {
        guard !siteCodes.isEmpty else { return [] }
        // One row per station: the days folded into one text by the database (group_concat / string_agg), so a
        // year of 50 stations is 50 rows to decode, not 18,250.
        let fold = SQLQueryString(engine == .sqlite
            ? "group_concat(day || '|' || hours || '|' || statistics, char(10))"
            : "string_agg(day || '|' || hours || '|' || statistics, chr(10))")
        let rows = try await reader.select()
            .column("site_code")
            .column(SQLAlias(fold, as: SQLIdentifier("days")))
            .from("air_days")
            .where("site_code", .in, siteCodes)
            .where("day", .greaterThanOrEqual, from.description).where("day", .lessThan, to.description)
            .groupBy("site_code").orderBy("site_code").all()
        var records: [AirDayRecord] = []
        for row in rows {
            let site = try row.decode(column: "site_code", as: String.self)
            guard let parsed = AirDayStatisticsText.parseDays(try row.decode(column: "days", as: String.self)) else {
                throw StoreError.corrupt("air days of \(site) cannot be read back")
            }
            let days = parsed.map { day in
                let from = LocalTime.start(of: day.statistics.date)
                return AirDayRecord(siteCode: site, report: DailyAirReport.from(day.statistics, standard: .auto), hours: day.hours,
                                    from: from, to: from.addingTimeInterval(86_400))
            }
            records += days.sorted { $0.report.date < $1.report.date }
        }
        return records
    }

    /// The annual evaluation (HJ 663 §5.3, GB 3095 表4 validity) of each station for a year, from the stored daily
    /// rollups (one query for all stations).
    /// - Parameters:
    ///   - sites: the stations (their area class sets the limits).
    ///   - year: the year.
    /// - Returns: station code → evaluation.
    public func annualAirEvaluations(sites: [Site], year: Int) async throws -> [String: AnnualAirEvaluation] {
        let days = try await airDays(siteCodes: sites.map(\.code), from: CivilDate(year: year, month: 1, day: 1)!,
                                     to: CivilDate(year: year + 1, month: 1, day: 1)!)
        let bySite = Dictionary(grouping: days, by: \.siteCode)
        var result: [String: AnnualAirEvaluation] = [:]
        for site in sites {
            result[site.code] = AnnualAirEvaluation.evaluate(year: year, days: (bySite[site.code] ?? []).map(\.report), standard: .auto,
                                                             areaClass: site.areaClass == 1 ? .one : .two)
        }
        return result
    }

    /// The monthly water rollups, optionally of some sites, of one year.
    public func waterMonths(year: Int, siteCodes: [String]? = nil) async throws -> [WaterMonthRecord] {
        var query = reader.select()
            .columns("site_code", "month", "samples", "item_values", "water_class", "target_class", "compliant", "main_pollutants",
                     "period_from", "period_to")
            .from("water_months").where("month", .greaterThanOrEqual, "\(year)-01").where("month", .lessThanOrEqual, "\(year)-12")
        if let siteCodes { query = query.where("site_code", .in, siteCodes) }
        return try await query.orderBy("site_code").orderBy("month").all().map { row in
            let items = try Store.decodeJSON([String: [String: String]].self, try row.decode(column: "item_values", as: String.self),
                                             what: "water month")
            let main = try row.decode(column: "main_pollutants", as: String.self)
            return WaterMonthRecord(
                siteCode: try row.decode(column: "site_code", as: String.self), month: try row.decode(column: "month", as: String.self),
                samples: try row.decode(column: "samples", as: Int.self), items: items,
                waterClass: try row.decode(column: "water_class", as: Int?.self),
                targetClass: try row.decode(column: "target_class", as: Int?.self),
                compliant: try row.decode(column: "compliant", as: Bool?.self),
                mainPollutants: main.isEmpty ? [] : main.split(separator: ",").map(String.init),
                from: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "period_from", as: Int64.self))),
                to: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "period_to", as: Int64.self))))
        }
    }

    /// The daily noise rollups of a point over local days `[from, to)`.
    public func noiseDays(siteCode: String, from: CivilDate, to: CivilDate) async throws -> [NoiseDayRecord] {
        try await reader.select()
            .columns("site_code", "day", "zone", "ld", "ln", "day_hours", "night_hours", "day_compliant", "night_compliant")
            .from("noise_days").where("site_code", .equal, siteCode)
            .where("day", .greaterThanOrEqual, from.description).where("day", .lessThan, to.description)
            .orderBy("day").all().map { row in
                NoiseDayRecord(
                    siteCode: try row.decode(column: "site_code", as: String.self), day: try row.decode(column: "day", as: String.self),
                    zone: try row.decode(column: "zone", as: String.self), ld: try row.decode(column: "ld", as: String?.self),
                    ln: try row.decode(column: "ln", as: String?.self), dayHours: try row.decode(column: "day_hours", as: Int.self),
                    nightHours: try row.decode(column: "night_hours", as: Int.self),
                    dayCompliant: try row.decode(column: "day_compliant", as: Bool?.self),
                    nightCompliant: try row.decode(column: "night_compliant", as: Bool?.self))
            }
    }

    /// Emission totals of a year per outlet and pollutant: the year's total and each month's.
    /// - Parameters:
    ///   - year: the year.
    ///   - siteCode: one outlet, or all.
    /// - Returns: totals with period `YYYY` and `YYYY-MM`, by outlet, code and period.
    public func emissionTotals(year: Int, siteCode: String? = nil) async throws -> [EmissionTotal] {
        var query = reader.select().columns("site_code", "code", "day", "total", "value_count").from("emission_days")
            .where("day", .greaterThanOrEqual, "\(year)-01-01").where("day", .lessThanOrEqual, "\(year)-12-31")
        if let siteCode { query = query.where("site_code", .equal, siteCode) }
        var totals: [String: EmissionTotal] = [:]
        for row in try await query.all() {
            let site = try row.decode(column: "site_code", as: String.self)
            let code = try row.decode(column: "code", as: String.self)
            let day = try row.decode(column: "day", as: String.self)
            let amount = try row.decode(column: "total", as: Double.self)
            let count = try row.decode(column: "value_count", as: Int.self)
            for period in [String(day.prefix(4)), String(day.prefix(7))] {
                let key = "\(site)|\(code)|\(period)"
                var total = totals[key] ?? EmissionTotal(siteCode: site, code: code, period: period, total: 0, days: 0, values: 0)
                total.total += amount
                total.days += 1
                total.values += count
                totals[key] = total
            }
        }
        return totals.values.sorted { ($0.siteCode, $0.code, $0.period) < ($1.siteCode, $1.code, $1.period) }
    }
}
