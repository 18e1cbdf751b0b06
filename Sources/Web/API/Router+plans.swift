import Domain
import Foundation
import Hummingbird
import NIOCore
import Store

extension Router<AppRequestContext> {
    /// The plan ledger's JSON API under `/api/v1`. Reading is public; importing needs staff.
    func addPlanAPIRoutes(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")

        api.get("openapi.json") { _, _ in
            JSONResponse.raw(environment.openAPI.data)
        }

        api.get("plans") { _, _ in
            JSONResponse.make(try await store.planSummaries())
        }

        api.post("plans") { request, context in
            let user = try context.requireStaff()
            try request.verifyCSRF(nil, context: context)
            let replace = request.uri.queryParameters.get("replace") == "true"
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let plan = try PlanFile.decode(Data(body.readableBytesView), file: "request body")
            try await store.importPlan(plan, actor: user.name, replace: replace)
            return JSONResponse.make(try await summary(of: plan.id, store: store), status: replace ? .ok : .created)
        }

        api.get("plans/{id}") { _, context in
            let id = try context.parameters.require("id")
            let plan = try await requirePlan(id, store: store)
            return JSONResponse.make(PlanDetail(plan: plan, summary: try await summary(of: id, store: store)))
        }

        api.get("plans/{id}/export") { _, context in
            let plan = try await requirePlan(try context.parameters.require("id"), store: store)
            var response = JSONResponse.raw(PlanFile.encode(plan))
            response.headers[.contentDisposition] = "attachment; filename=\"\(plan.id).json\""
            return response
        }

        api.get("plans/{id}/indicators") { _, context in
            JSONResponse.make(try await requirePlan(try context.parameters.require("id"), store: store).indicators)
        }

        api.get("plans/{id}/review") { _, context in
            let plan = try await requirePlan(try context.parameters.require("id"), store: store)
            guard let review = plan.review else { throw HTTPError(.notFound, message: "plan \(plan.id) has no review of a previous plan") }
            return JSONResponse.make(review)
        }

        api.get("plans/{id}/projects") { request, context in
            let id = try context.parameters.require("id")
            guard try await store.planExists(id) else { throw StoreError.notFound("plan \(id)") }
            let query = request.uri.queryParameters
            let projects = try await store.projects(
                planID: id, category: query.get("category").flatMap { $0.isEmpty ? nil : $0 },
                leadUnit: query.get("lead_unit").flatMap { $0.isEmpty ? nil : $0 })
            return JSONResponse.make(projects)
        }

        api.get("plans/{id}/projects/summary") { _, context in
            let id = try context.parameters.require("id")
            guard let summary = try await store.projectSummary(planID: id) else { throw StoreError.notFound("plan \(id)") }
            return JSONResponse.make(summary)
        }

        api.get("plans/{id}/policies") { _, context in
            JSONResponse.make(try await requirePlan(try context.parameters.require("id"), store: store).policies)
        }

        api.get("plans/{id}/highlights") { _, context in
            JSONResponse.make(try await requirePlan(try context.parameters.require("id"), store: store).highlights)
        }

        api.get("audit") { request, context in
            _ = try context.requireStaff()
            let query = request.uri.queryParameters
            let limit = min(max(Int(query.get("limit") ?? "") ?? 200, 1), 5000)
            return JSONResponse.make(try await store.auditEntries(entity: query.get("entity"), entityID: query.get("entity_id"), limit: limit))
        }
    }
}

/// The plan as `GET /plans/{id}` returns it: the whole plan plus headline figures.
struct PlanDetail: Encodable {
    var plan: Plan
    var summary: PlanSummary

    func encode(to encoder: any Encoder) throws {
        try plan.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(summary.indicatorCount, forKey: .indicatorCount)
        try container.encode(summary.projectCount, forKey: .projectCount)
    }

    enum Keys: String, CodingKey {
        case indicatorCount = "indicator_count", projectCount = "project_count"
    }
}

func requirePlan(_ id: String, store: Store) async throws -> Plan {
    guard let plan = try await store.plan(id) else { throw StoreError.notFound("plan \(id)") }
    return plan
}

func summary(of id: String, store: Store) async throws -> PlanSummary {
    guard let summary = try await store.planSummaries().first(where: { $0.id == id }) else { throw StoreError.notFound("plan \(id)") }
    return summary
}
