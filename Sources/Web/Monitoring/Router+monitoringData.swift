import Domain
import Foundation
import Hummingbird
import Standards
import Store

/// The period of an aggregate, `[from, to)`, as the API states it.
struct PeriodJSON: Encodable {
    var from: Date
    var to: Date
}

/// A station's daily air rollups as the API returns them.
struct AirDaysJSON: Encodable {
    var site: String
    var period: PeriodJSON
    /// Hours with valid data, by date.
    var hours: [String: Int]
    var report: AirDailyReport
}

/// A station's annual evaluation as the API returns it.
struct AirAnnualJSON: Encodable {
    var site: String
    var year: Int
    var period: PeriodJSON
    /// Daily rollups the evaluation used.
    var days: Int
    var report: AirAnnualReport
}

/// One month of a station as the API returns it.
struct AirMonthJSON: Encodable {
    struct Item: Encodable {
        var validDays: Int
        var valid: Bool
        var mean: String?
        var percentile: String?
        enum CodingKeys: String, CodingKey { case validDays = "valid_days", valid, mean, percentile }
    }
    var month: String
    var period: PeriodJSON
    var validDays: Int
    var goodDays: Int
    var goodRatio: String?
    var perLevel: [Int]
    var items: [String: Item]
    enum CodingKeys: String, CodingKey {
        case month, period, validDays = "valid_days", goodDays = "good_days", goodRatio = "good_ratio", perLevel = "per_level", items
    }
}

extension Router<AppRequestContext> {
    /// Assessments from stored data (air days, months and years; water months; noise days; emission totals), the
    /// plan indicators fed by monitoring, and data review.
    func addMonitoringDataRoutes(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")

        api.get("sites/{code}/air/days") { request, context in
            let site = try await MonitoringQuery.site(context, store: store, kind: .air)
            let (from, to) = try MonitoringQuery.days(request, defaultDays: 31)
            let records = try await store.airDays(siteCodes: [site.code], from: from, to: to)
            return JSONResponse.make(AirDaysJSON(
                site: site.code, period: PeriodJSON(from: LocalTime.start(of: from), to: LocalTime.start(of: to)),
                hours: Dictionary(uniqueKeysWithValues: records.map { ($0.report.date.description, $0.hours) }),
                report: AirDailyReport(standard: "auto", areaClass: site.areaClass == 1 ? .one : .two, days: records.map(\.report))))
        }

        api.get("sites/{code}/air/annual") { request, context in
            let site = try await MonitoringQuery.site(context, store: store, kind: .air)
            let year = try MonitoringQuery.year(request)
            let days = try await store.airDays(siteCodes: [site.code], from: CivilDate(year: year, month: 1, day: 1)!,
                                               to: CivilDate(year: year + 1, month: 1, day: 1)!)
            let evaluation = AnnualAirEvaluation.evaluate(year: year, days: days.map(\.report), standard: .auto,
                                                          areaClass: site.areaClass == 1 ? .one : .two)
            return JSONResponse.make(AirAnnualJSON(
                site: site.code, year: year, period: MonitoringQuery.yearPeriod(year), days: days.count,
                report: AirAnnualReport(standard: evaluation.ruleSets.map(\.rawValue).joined(separator: "+"), evaluation: evaluation)))
        }

        api.get("sites/{code}/air/monthly") { request, context in
            let site = try await MonitoringQuery.site(context, store: store, kind: .air)
            let year = try MonitoringQuery.year(request)
            let days = try await store.airDays(siteCodes: [site.code], from: CivilDate(year: year, month: 1, day: 1)!,
                                               to: CivilDate(year: year + 1, month: 1, day: 1)!).map(\.report)
            return JSONResponse.make((1...12).map { month in MonitoringQuery.monthJSON(MonthlyAirEvaluation.evaluate(year: year, month: month, days: days)) })
        }

        api.get("water/months") { request, _ in
            JSONResponse.make(try await store.waterMonths(year: try MonitoringQuery.year(request)))
        }

        api.get("sites/{code}/noise/days") { request, context in
            let site = try await MonitoringQuery.site(context, store: store, kind: .noise)
            let (from, to) = try MonitoringQuery.days(request, defaultDays: 31)
            return JSONResponse.make(try await store.noiseDays(siteCode: site.code, from: from, to: to))
        }

        api.get("emissions") { request, _ in
            let year = try MonitoringQuery.year(request)
            return JSONResponse.make(try await store.emissionTotals(year: year, siteCode: request.uri.queryParameters.get("site")))
        }

        api.get("monitoring/indicators") { request, _ in
            let year = try MonitoringQuery.year(request)
            return JSONResponse.make(try await store.monitoringIndicators(year: year, planID: request.uri.queryParameters.get("plan")))
        }

        api.get("observations/{id}") { _, context in
            let id = try MonitoringQuery.observationID(context)
            guard let stored = try await store.observation(id: id) else { throw StoreError.notFound("observation \(id)") }
            return JSONResponse.make(stored)
        }

        api.post("observations/{id}/review") { request, context in
            let user = try context.requireStaff()
            try request.verifyCSRF(nil, context: context)
            let id = try MonitoringQuery.observationID(context)
            let review = try await request.decode(as: ObservationReview.self, context: context)
            return JSONResponse.make(try await store.review(observation: id, review, actor: user.name))
        }
    }
}

/// Reading the monitoring routes' parameters.
enum MonitoringQuery {
    static func site(_ context: AppRequestContext, store: Store, kind: SiteKind) async throws -> Site {
        let code = try context.parameters.require("code")
        guard let site = try await store.site(code) else { throw StoreError.notFound("site \(code)") }
        guard site.kind == kind else {
            throw HTTPError(.badRequest, message: "site \(code) is a \(site.kind.rawValue) site, not \(kind.rawValue)")
        }
        return site
    }

    static func observationID(_ context: AppRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text) else { throw HTTPError(.badRequest, message: "observation id \(text) is not a number") }
        return id
    }

    /// `year=YYYY`, default the current local year.
    static func year(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("year") else { return LocalTime.components(.now).year }
        guard let year = Int(text), (1900...2200).contains(year) else {
            throw HTTPError(.badRequest, message: "year=\(text) must be a year such as 2025")
        }
        return year
    }

    /// `from=YYYY-MM-DD&to=YYYY-MM-DD` (local days, `to` exclusive); by default the last `defaultDays` days up to today.
    static func days(_ request: Request, defaultDays: Int) throws -> (CivilDate, CivilDate) {
        func parse(_ name: String) throws -> CivilDate? {
            guard let text = request.uri.queryParameters.get(name) else { return nil }
            guard let date = CivilDate.parse(Substring(text)) else {
                throw HTTPError(.badRequest, message: "\(name)=\(text) must be a date YYYY-MM-DD")
            }
            return date
        }
        let to = try parse("to") ?? LocalTime.civilDate(.now).next
        let from = try parse("from") ?? CivilDate(dayNumber: to.dayNumber - defaultDays)
        guard from < to else { throw HTTPError(.badRequest, message: "from must be before to") }
        guard to.dayNumber - from.dayNumber <= 3660 else { throw HTTPError(.badRequest, message: "at most ten years at a time") }
        return (from, to)
    }

    static func yearPeriod(_ year: Int) -> PeriodJSON {
        PeriodJSON(from: LocalTime.start(of: CivilDate(year: year, month: 1, day: 1)!),
                   to: LocalTime.start(of: CivilDate(year: year + 1, month: 1, day: 1)!))
    }

    static func monthJSON(_ m: MonthlyAirEvaluation) -> AirMonthJSON {
        let first = CivilDate(year: m.year, month: m.month, day: 1)!
        let next = first.firstOfNextMonth
        var items: [String: AirMonthJSON.Item] = [:]
        for item in m.items {
            items[item.item.rawValue] = .init(validDays: item.validDays, valid: item.valid, mean: item.mean?.description,
                                              percentile: item.percentile?.description)
        }
        return AirMonthJSON(
            month: String(first.description.prefix(7)), period: PeriodJSON(from: LocalTime.start(of: first), to: LocalTime.start(of: next)),
            validDays: m.aqiDays.validDays, goodDays: m.aqiDays.goodDays, goodRatio: m.aqiDays.goodRatio?.description,
            perLevel: m.aqiDays.perLevel, items: items)
    }
}
