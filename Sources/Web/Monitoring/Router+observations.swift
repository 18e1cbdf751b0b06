import Domain
import Foundation
import Hummingbird
import Store

/// An observation as `GET /api/v1/observations` returns it.
struct ObservationRow: Encodable {
    var mn: String
    var cn: String
    var code: String
    var codeOriginal: String
    var field: String
    var dataTime: String
    var value: Double?
    var valueText: String
    var flag: String?
    var site: String?
    var receivedAt: String
    var frameID: Int64?

    init(_ stored: StoredObservation) {
        let o = stored.observation
        mn = o.mn
        cn = o.cn
        code = o.code
        codeOriginal = o.originalCode
        field = o.field
        dataTime = LocalTime.format(o.dataTime)
        value = o.value
        valueText = o.valueText
        flag = o.flag
        site = o.siteCode
        receivedAt = LocalTime.format(stored.receivedAt)
        frameID = stored.frameID
    }

    enum CodingKeys: String, CodingKey {
        case mn, cn, code, codeOriginal = "code_original", field, dataTime = "data_time", value, valueText = "value_text", flag, site
        case receivedAt = "received_at", frameID = "frame_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mn, forKey: .mn)
        try c.encode(cn, forKey: .cn)
        try c.encode(code, forKey: .code)
        try c.encode(codeOriginal, forKey: .codeOriginal)
        try c.encode(field, forKey: .field)
        try c.encode(dataTime, forKey: .dataTime)
        try c.encode(value, forKey: .value)
        try c.encode(valueText, forKey: .valueText)
        try c.encode(flag, forKey: .flag)
        try c.encode(site, forKey: .site)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(frameID, forKey: .frameID)
    }
}

/// An archived frame as `GET /api/v1/hj212/frames` returns it.
struct FrameRow: Encodable {
    var id: Int64
    var receivedAt: String
    var peer: String
    var mn: String?
    var cn: String?
    var qn: String?
    var outcome: String
    var raw: String

    enum CodingKeys: String, CodingKey { case id, receivedAt = "received_at", peer, mn, cn, qn, outcome, raw }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(peer, forKey: .peer)
        try c.encode(mn, forKey: .mn)
        try c.encode(cn, forKey: .cn)
        try c.encode(qn, forKey: .qn)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(raw, forKey: .raw)
    }

    /// Replaces the value of `PW=` with asterisks, for readers who may not see device passwords.
    static func maskingPassword(_ raw: String) -> String {
        guard let range = raw.range(of: "PW=") else { return raw }
        let end = raw[range.upperBound...].firstIndex(where: { $0 == ";" || $0 == "&" }) ?? raw.endIndex
        return raw.replacingCharacters(in: range.upperBound..<end, with: "******")
    }
}

extension Router<AppRequestContext> {
    /// Observations and the raw HJ 212 frame archive.
    func addObservationRoutes(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")

        api.get("observations") { request, context in
            let query = request.uri.queryParameters
            func time(_ name: String) throws -> Date? {
                guard let text = query.get(name), !text.isEmpty else { return nil }
                guard let date = LocalTime.parse(text) else {
                    throw HTTPError(.badRequest, message: "\(name)=\(text) is not a time like 2026-11-29T08:00:00 (China time)")
                }
                return date
            }
            let mn = query.get("mn").flatMap { $0.isEmpty ? nil : $0 }, cn = query.get("cn").flatMap { $0.isEmpty ? nil : $0 }
            let site = query.get("site").flatMap { $0.isEmpty ? nil : $0 }, code = query.get("code").flatMap { $0.isEmpty ? nil : $0 }
            let from = try time("from"), to = try time("to")
            // Read-your-acknowledgements: every packet the gateway has answered with a 9014 before this request is in the
            // answer (its values are stored from the ingest log a moment after the 9014; wait for them, up to 10 s).
            try await store.waitForMaterializedObservations(timeout: .seconds(10))
            let limit = try positiveNumber("limit", query.get("limit")) ?? .max
            // Every matching observation (or the first `limit`), however many: read and sent a page at a time, so memory
            // stays bounded (a minute of one logger at 100 packets/s is 36,000 values).
            return JSONResponse.streamedArray { emit in
                var start = from, remaining = limit
                while remaining > 0 {
                    let page = try await store.observationPage(mn: mn, cn: cn, siteCode: site, code: code, from: start, to: to,
                                                               pageSize: min(remaining, 10_000))
                    try await emit(page.rows.prefix(remaining).map(ObservationRow.init))
                    remaining -= min(page.rows.count, remaining)
                    guard let next = page.next else { return }
                    start = next
                }
            }
        }

        api.get("hj212/frames") { request, context in
            let query = request.uri.queryParameters
            let mn = query.get("mn").flatMap { $0.isEmpty ? nil : $0 }
            let limit = try positiveNumber("limit", query.get("limit")) ?? 100
            let mayReadPasswords = context.identity?.role.canWrite == true
            @Sendable func row(_ frame: ArchivedFrame) -> FrameRow {
                FrameRow(id: frame.id, receivedAt: LocalTime.format(frame.receivedAt), peer: frame.peer, mn: frame.mn, cn: frame.cn,
                         qn: frame.qn, outcome: frame.outcome, raw: mayReadPasswords ? frame.raw : FrameRow.maskingPassword(frame.raw))
            }
            // Newest first, `limit` of them however many that is: read and sent a page at a time.
            let before = try positiveNumber("before", query.get("before")).map(Int64.init)
            return JSONResponse.streamedArray { emit in
                var remaining = limit, before = before
                while remaining > 0 {
                    let pageSize = min(remaining, 5_000)
                    let page = try await store.frames(mn: mn, before: before, limit: pageSize)
                    try await emit(page.map(row))
                    guard page.count == pageSize, let last = page.last else { return }
                    remaining -= page.count
                    before = last.id
                }
            }
        }

        api.get("devices") { _, context in
            _ = try context.requireStaff()
            return JSONResponse.make(try await store.devices().map { DeviceRow(mn: $0.mn, dialect: $0.dialect.rawValue, site: $0.siteCode, enabled: $0.enabled) })
        }
    }
}

/// A device as `GET /api/v1/devices` lists it (without its password).
struct DeviceRow: Encodable {
    var mn: String
    var dialect: String
    var site: String?
    var enabled: Bool
}

/// `POST /api/v1/devices/{mn}/commands` body.
struct DeviceCommandRequest: Decodable {
    /// `set_time`, `get_rtd_interval`, `set_rtd_interval`, `get_min_interval`, `set_min_interval`, `history_hourly`,
    /// `history_minute`.
    var command: String
    /// Seconds for `set_rtd_interval` (30-3600), minutes for `set_min_interval` (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30).
    var interval: Int?
    /// For history: `YYYY-MM-DDTHH:MM:SS` China time.
    var begin: String?
    /// For history: `YYYY-MM-DDTHH:MM:SS` China time.
    var end: String?

    /// The HJ 212 command number and data area (HJ 212-2017 表9).
    func hj212() throws -> (cn: String, parameters: String) {
        func n14(_ text: String?, _ name: String) throws -> String {
            guard let text, let date = LocalTime.parse(text) else {
                throw HTTPError(.badRequest, message: "\(name) must be a time like 2026-11-29T08:00:00")
            }
            let c = LocalTime.components(date)
            return String(format: "%04d%02d%02d%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute, c.second)
        }
        switch command {
        case "set_time":
            let c = LocalTime.components(Date())
            return ("1012", String(format: "SystemTime=%04d%02d%02d%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute, c.second))
        case "get_rtd_interval": return ("1061", "")
        case "set_rtd_interval":
            guard let interval, (30...3600).contains(interval) else { throw HTTPError(.badRequest, message: "interval must be 30-3600 seconds") }
            return ("1062", "RtdInterval=\(interval)")
        case "get_min_interval": return ("1063", "")
        case "set_min_interval":
            guard let interval, [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30].contains(interval) else {
                throw HTTPError(.badRequest, message: "interval must be one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 minutes")
            }
            return ("1064", "MinInterval=\(interval)")
        case "history_hourly", "history_minute":
            return (command == "history_hourly" ? "2061" : "2051", "BeginTime=\(try n14(begin, "begin"));EndTime=\(try n14(end, "end"))")
        default:
            throw HTTPError(.badRequest, message: "command must be set_time, get_rtd_interval, set_rtd_interval, get_min_interval, set_min_interval, history_hourly or history_minute")
        }
    }
}

extension Router<AppRequestContext> {
    /// Platform-to-device commands through the gateway.
    func addDeviceCommandRoutes(environment: WebEnvironment) {
        let store = environment.store
        let api = group("api/v1")
        api.post("devices/{mn}/commands") { request, context in
            let user = try context.requireStaff()
            try request.verifyCSRF(nil, context: context)
            let mn = try context.parameters.require("mn")
            guard try await store.device(mn) != nil else { throw StoreError.notFound("device \(mn)") }
            guard let sink = environment.deviceCommandSink else {
                throw HTTPError(.serviceUnavailable, message: "the HJ 212 gateway is not running in this process")
            }
            let body = try await request.decode(as: DeviceCommandRequest.self, context: context)
            let (cn, parameters) = try body.hj212()
            sink(mn, cn, parameters, user.name)
            return JSONResponse.make(["queued": true], status: .accepted)
        }
        api.get("devices/{mn}/commands") { request, context in
            _ = try context.requireStaff()
            let mn = try context.parameters.require("mn")
            return JSONResponse.make(try await store.commands(mn: mn, limit: 200))
        }
    }
}

/// A query parameter that must be a positive whole number: nil when absent or empty, a 400 naming it otherwise.
private func positiveNumber(_ name: String, _ text: String?) throws -> Int? {
    guard let text, !text.isEmpty else { return nil }
    guard let value = Int(text), value > 0 else {
        throw HTTPError(.badRequest, message: "\(name)=\(text) is not a positive whole number")
    }
    return value
}
