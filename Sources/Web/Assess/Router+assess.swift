import Foundation
import Hummingbird
import NIOCore
import Standards

extension Router<AppRequestContext> {
    /// The standards engine over HTTP: `POST /api/v1/assess/aqi|air|water|noise` (the same computations and JSON as
    /// `qingshan assess`) and the AQI and water-class calculator page at `/assess`. Pure computations on the request
    /// body: nothing is stored, no sign-in is needed.
    func addAssessRoutes(environment: WebEnvironment) {
        let api = group("api/v1/assess")

        api.post("aqi") { request, context in
            let body: AQIRequest = try await AssessRoutes.decode(request, context: context)
            let report = body.report ?? "hour"
            guard report == "hour" || report == "day" else {
                throw HTTPError(.badRequest, message: "report=\(report) must be hour or day")
            }
            let standard = try AssessRoutes.standard(body.standard)
            let date = try AssessRoutes.date(body.date)
            let pmHourly = try AssessRoutes.pmHourly(body.pmHourly)
            var values: [String: ScaledDecimal] = [:]
            for (key, value) in body.concentrations {
                guard AQIRequest.keys.contains(key) else {
                    throw HTTPError(.badRequest, message: "unknown concentration \"\(key)\" (known: \(AQIRequest.keys.joined(separator: ", ")))")
                }
                if let value { values[key] = value.value }
            }
            return JSONResponse.make(AQICalculation.compute(report: report, standard: standard, date: date, pmHourly: pmHourly, values: values))
        }

        api.post("air") { request, context in
            let body: FileAssessRequest = try await AssessRoutes.decode(request, context: context)
            guard let level = AirReportLevel(rawValue: body.level ?? "") else {
                throw HTTPError(.badRequest, message: "level must be hour, day or year")
            }
            guard let hourLabel = HourLabel(rawValue: body.hourLabel ?? "end") else {
                throw HTTPError(.badRequest, message: "hour_label must be start or end")
            }
            guard let areaClass = AreaClass(rawValue: body.areaClass ?? 2) else {
                throw HTTPError(.badRequest, message: "area_class must be 1 or 2")
            }
            let options = AirAssessmentOptions(level: level, standard: try AssessRoutes.standard(body.standard), hourLabel: hourLabel,
                                               areaClass: areaClass, pmHourly: try AssessRoutes.pmHourly(body.pmHourly), year: body.year)
            let text = try AssessRoutes.text(body)
            return try AssessRoutes.respond { () throws(AssessInputError) in try AirAssessment.run(csv: text, options: options) }
        }

        api.post("water") { request, context in
            let body: FileAssessRequest = try await AssessRoutes.decode(request, context: context)
            guard let type = WaterType(rawValue: body.waterType ?? "river") else {
                throw HTTPError(.badRequest, message: "water_type must be river or lake")
            }
            let text = try AssessRoutes.text(body)
            return try AssessRoutes.respond { () throws(AssessInputError) in
                try WaterAssessment.run(csv: text, waterType: type, drinkingSource: body.drinkingSource ?? false)
            }
        }

        api.post("noise") { request, context in
            let body: FileAssessRequest = try await AssessRoutes.decode(request, context: context)
            let text = try AssessRoutes.text(body)
            return try AssessRoutes.respond { () throws(AssessInputError) in try NoiseAssessment.run(csv: text) }
        }

        addAssessPages()
    }
}

/// Shared steps of the assess routes.
enum AssessRoutes {
    static func decode<T: Decodable>(_ request: Request, context: AppRequestContext) async throws -> T {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }

    static func standard(_ text: String?) throws -> AirStandardChoice {
        guard let choice = AirStandardChoice(text ?? "auto") else { throw HTTPError(.badRequest, message: "standard must be auto, 2012 or 2026") }
        return choice
    }

    static func pmHourly(_ text: String?) throws -> PMHourlyRule {
        guard let rule = PMHourlyRule(rawValue: text ?? "24h") else { throw HTTPError(.badRequest, message: "pm_hourly must be 24h or 1h") }
        return rule
    }

    /// A `YYYY-MM-DD` date, or today in Beijing time (UTC+8, no daylight saving).
    static func date(_ text: String?) throws -> CivilDate {
        guard let text, !text.isEmpty else { return today() }
        guard let date = CivilDate.parse(Substring(text)) else { throw HTTPError(.badRequest, message: "date \(text) must be YYYY-MM-DD") }
        return date
    }

    static func today() -> CivilDate {
        CivilDate(dayNumber: Int((Date().timeIntervalSince1970 + 8 * 3600) / 86_400))
    }

    static func text(_ body: FileAssessRequest) throws -> String {
        do {
            return try body.text()
        } catch let error as AssessRequestError {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    /// Runs an assessment; bad input becomes 422 with the message naming line and column.
    static func respond<Report: Encodable>(_ run: () throws(AssessInputError) -> Report) throws -> Response {
        do {
            return JSONResponse.make(try run())
        } catch {
            throw HTTPError(.unprocessableContent, message: error.description)
        }
    }
}
