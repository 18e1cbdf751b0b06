import Domain
import Foundation
import Hummingbird
import NIOCore
import Store

/// An indicator as `GET /api/v1/implementation/{plan}/indicators` lists it.
struct IndicatorTracking: Encodable {
    var number: Int
    var name: String
    var unit: String
    var responsibleUnit: String?
    var target: PlanValue
    var year: Int
    var status: String
    var actual: Double?
    var expected: Double?
    var rule: String
    var values: [IndicatorValueRecord]

    enum CodingKeys: String, CodingKey {
        case number, name, unit, responsibleUnit = "responsible_unit", target, year, status, actual, expected, rule, values
    }
}

/// A project's standing as the API reports it.
struct ProjectTracking: Encodable {
    var number: Int
    var name: String
    var leadUnits: [String]
    var planned: Double
    var inPlace: Funds
    var spent: Funds
    var investmentCompletion: Double?
    var physicalProgress: Double
    var status: ProjectStatus
    var statusReason: String
    var score: Double?

    enum CodingKeys: String, CodingKey {
        case number, name, leadUnits = "lead_units", planned, inPlace = "in_place", spent, investmentCompletion = "investment_completion"
        case physicalProgress = "physical_progress", status, statusReason = "status_reason", score
    }
}

/// A rollup as the API reports it.
struct RollupJSON: Encodable {
    var name: String
    var count: Int
    var planned: Double
    var inPlace: Double
    var spent: Double
    var completed: Int

    enum CodingKeys: String, CodingKey { case name, count, planned, inPlace = "in_place", spent, completed }

    init(_ r: ProjectRollup) {
        name = r.name
        count = r.count
        planned = r.planned
        inPlace = r.inPlace.total
        spent = r.spent.total
        completed = r.completed
    }
}

/// `GET /api/v1/implementation/{plan}/projects` answer.
struct ProjectTrackingAnswer: Encodable {
    var year: Int
    var projects: [ProjectTracking]
    var byCategory: [RollupJSON]
    var byLeadUnit: [RollupJSON]
    var byTownship: [RollupJSON]
    var total: RollupJSON
    enum CodingKeys: String, CodingKey {
        case year, projects, byCategory = "by_category", byLeadUnit = "by_lead_unit", byTownship = "by_township", total
    }
}

/// A task with its standing.
struct TaskLine: Encodable {
    var task: ResponsibilityTask
    var standing: TaskStanding
}

extension Router<AppRequestContext> {
    /// The implementation JSON API under `/api/v1`.
    func addImplementationAPI(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")

        api.get("organisations") { _, context in
            _ = try context.requireUser()
            return JSONResponse.make(try await store.organisations())
        }

        api.post("organisations/seed") { request, context in
            let actor = try await context.implementationActor(store)
            try request.verifyCSRF(nil, context: context)
            guard actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff manage organisations") }
            let created = try await store.seedOrganisations(WuxiOrganisations.seeds(), actor: actor.name)
            return JSONResponse.make(["created": created], status: .ok)
        }

        api.get("implementation/{plan}/indicators") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let year = scope.year(request)
            let figures = try await store.approvedFigures(planID: scope.plan.id)
            let records = Dictionary(grouping: try await store.indicatorValues(planID: scope.plan.id), by: \.indicatorNumber)
            let list = scope.plan.indicators.filter { scope.canRead(indicator: $0.number) }.map { indicator in
                let a = IndicatorStatusRule.assess(indicator, period: scope.plan.period, baselineYear: scope.plan.baselineYear,
                                                   figures: figures[indicator.number] ?? [], year: year)
                return IndicatorTracking(number: indicator.number, name: indicator.name, unit: indicator.unit,
                                         responsibleUnit: scope.indicatorUnits[indicator.number].flatMap { scope.tree[$0]?.name },
                                         target: indicator.target, year: year, status: a.status.rawValue, actual: a.actual, expected: a.expected,
                                         rule: a.rule.explanation.zh, values: records[indicator.number] ?? [])
            }
            return JSONResponse.make(list)
        }

        api.get("implementation/{plan}/indicators/{number}/values") { _, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            try scope.requireRead(indicator: number)
            return JSONResponse.make(try await store.indicatorValues(planID: scope.plan.id, number: number))
        }

        api.put("implementation/{plan}/indicators/{number}/values/{year}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            try request.verifyCSRF(nil, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            let year = try context.parameters.require("year", as: Int.self)
            try scope.requireRead(indicator: number)
            let entry = try await request.decode(as: IndicatorValueEntry.self, context: context)
            return JSONResponse.make(try await store.saveIndicatorValue(planID: scope.plan.id, number: number, year: year, entry: entry, actor: scope.actor))
        }

        api.post("implementation/{plan}/indicators/{number}/values/{year}/evidence") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            try request.verifyCSRF(nil, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            let year = try context.parameters.require("year", as: Int.self)
            try scope.requireRead(indicator: number)
            var request = request
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            let info = try await store.addEvidence(
                planID: scope.plan.id, number: number, year: year, fileName: request.uri.queryParameters.get("file_name") ?? "evidence",
                contentType: request.headers[.contentType] ?? "application/octet-stream", data: Data(body.readableBytesView), actor: scope.actor)
            return JSONResponse.make(info, status: .created)
        }

        api.post("implementation/{plan}/indicators/{number}/values/{year}/{action}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            try request.verifyCSRF(nil, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            let year = try context.parameters.require("year", as: Int.self)
            try scope.requireRead(indicator: number)
            let fields = try await formFields(request, context: context)
            let event = try ImplementationPages.event(try context.parameters.require("action"), reason: fields["reason"] ?? "")
            return JSONResponse.make(try await store.transitionIndicatorValue(planID: scope.plan.id, number: number, year: year, event: event,
                                                                              actor: scope.actor))
        }

        api.get("implementation/{plan}/projects") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let year = scope.year(request)
            let standings = try await store.projectStandings(plan: scope.plan, year: year).filter { scope.canRead(project: $0.project) }
            return JSONResponse.make(ProjectTrackingAnswer(
                year: year,
                projects: standings.map {
                    ProjectTracking(number: $0.project.number, name: $0.project.name, leadUnits: $0.project.leadUnits, planned: $0.project.investment.total,
                                    inPlace: $0.inPlace, spent: $0.spent, investmentCompletion: $0.investmentCompletion,
                                    physicalProgress: $0.physicalProgress, status: $0.status, statusReason: $0.statusReason, score: $0.score)
                },
                byCategory: ProjectRollup.byCategory(standings).map(RollupJSON.init), byLeadUnit: ProjectRollup.byLeadUnit(standings).map(RollupJSON.init),
                byTownship: ProjectRollup.byTownship(standings).map(RollupJSON.init), total: RollupJSON(ProjectRollup.total(standings))))
        }

        api.put("implementation/{plan}/projects/{number}/progress/{year}") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            try request.verifyCSRF(nil, context: context)
            let number = try context.parameters.require("number", as: Int.self)
            guard let project = scope.plan.projects.first(where: { $0.number == number }) else { throw ImplementationError.notFound("project \(number)") }
            try scope.requireRead(project: project)
            var fields = try await formFields(request, context: context)
            fields["year"] = try context.parameters.require("year")
            let progress = try ImplementationPages.progress(from: fields, projectNumber: number)
            try await store.saveProjectProgress(planID: scope.plan.id, progress, actor: scope.actor)
            return JSONResponse.make(try await store.projectProgress(planID: scope.plan.id, projectNumber: number))
        }

        api.get("implementation/{plan}/tasks") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            let year = request.uri.queryParameters.get("year").flatMap { Int($0) }
            let tasks = try await store.tasks(planID: scope.plan.id, year: year, units: scope.actor.access.seesEverything ? nil : scope.actor.access.units)
            return JSONResponse.make(tasks.map { TaskLine(task: $0, standing: TaskDeadlineRule.standing(of: $0, now: .now)) })
        }

        api.get("implementation/{plan}/audit") { request, context in
            let scope = try await ImplementationScope.load(try context.parameters.require("plan"), store: store, context: context)
            guard scope.actor.access.canReview else { throw ImplementationError.forbidden("only bureau staff read the whole audit trail") }
            let record = request.uri.queryParameters.get("record") ?? ""
            return JSONResponse.make(try await store.implementationAudit(idPrefix: "\(scope.plan.id)/\(record)"))
        }
    }
}
