import Domain
public import Foundation
import HJ212
public import Logging
import NIOCore
public import Store
import Synchronization

/// Sends platform-to-device requests down a device's live connection and follows the HJ 212 request flow
/// (``CommandFlow``): 9011 answer, data, 9012 result, with timeouts and retries. Every command and its outcome is
/// recorded in `device_commands`.
public final class DeviceCommands: Sendable {
    private let connections: LiveConnections
    private let store: Store
    private let configuration: GatewayConfiguration
    private let logger: Logger
    private let sequence = Mutex(0)

    /// Creates the command sender.
    public init(connections: LiveConnections, store: Store, configuration: GatewayConfiguration, logger: Logger) {
        self.connections = connections
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    /// A request number: `YYYYMMDDhhmmsszzz` (China time, HJ 212-2017 表3), unique within this process.
    func nextQN() -> String {
        let now = Date()
        let c = LocalTime.components(now)
        let counter = sequence.withLock { value -> Int in
            value = (value + 1) % 1000
            return value
        }
        return String(format: "%04d%02d%02d%02d%02d%02d%03d", c.year, c.month, c.day, c.hour, c.minute, c.second, counter)
    }

    /// Formats an instant as an HJ 212 N14 time (`YYYYMMDDhhmmss`, China time).
    public static func hj212Time(_ date: Date) -> String {
        let c = LocalTime.components(date)
        return String(format: "%04d%02d%02d%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// Sends a request and follows it to its end.
    /// - Parameters:
    ///   - mn: the device.
    ///   - cn: the command number.
    ///   - parameters: the data area, without `&&` (e.g. `SystemTime=20261129120000`).
    ///   - reason: why (`api`, `backfill`, `time-calibration`).
    ///   - requestedBy: who asked.
    /// - Returns: the recorded command with its outcome.
    @discardableResult
    public func execute(mn: String, cn: String, parameters: String, reason: String, requestedBy: String) async throws -> DeviceCommandRecord {
        let qn = nextQN()
        let id = try await store.recordCommand(mn: mn, cn: cn, qn: qn, parameters: parameters, reason: reason, requestedBy: requestedBy)
        guard let handle = connections.handle(for: mn), let device = try await store.device(mn) else {
            try await store.finishCommand(id: id, outcome: "not_connected", attempts: 0, dataPackets: 0, answer: nil)
            return try await record(id, mn: mn)
        }
        let dialect: HJ212Packet.Dialect = device.dialect == .v2005 ? .v2005 : device.dialect == .v2025 ? .v2025 : .v2017
        let request = HJ212Replies.request(qn: qn, st: connections.systemCode(of: mn) ?? "32", cn: cn, pw: device.password, mn: mn,
                                           dialect: dialect, parameters: parameters)

        let inbox = Mutex<[HJ212Packet]>([])
        let waiter = connections.addWaiter(LiveConnections.Waiter(qn: qn, mn: mn, cn: cn, onPacket: { packet in
            let related = packet.qn == qn || (packet.cn == cn && (packet.cn.hasPrefix("20") || packet.cn.hasPrefix("10")))
            if related { inbox.withLock { $0.append(packet) } }
            return related
        }))
        defer { connections.removeWaiter(waiter) }

        var flow = CommandFlow(timeout: configuration.requestTimeout, retries: configuration.requestRetries,
                               executionTimeout: max(configuration.requestTimeout * 6, 60))
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        var attempts = 0
        var answer: String?
        var actions = flow.start(now: seconds())
        while true {
            for action in actions {
                switch action {
                case .send(let attempt):
                    attempts = attempt
                    do { try await handle.send(request) } catch {
                        try await store.finishCommand(id: id, outcome: "not_connected", attempts: attempts, dataPackets: flow.dataPackets, answer: nil)
                        return try await record(id, mn: mn)
                    }
                case .finish(let outcome):
                    let text: String
                    switch outcome {
                    case .succeeded: text = "succeeded"
                    case .refused(let code): text = "refused:\(code)"
                    case .failed(let code): text = "failed:\(code)"
                    case .timedOut(let stage): text = "timeout:\(stage)"
                    }
                    try await store.finishCommand(id: id, outcome: text, attempts: attempts, dataPackets: flow.dataPackets, answer: answer)
                    logger.info("HJ 212 command CN \(cn) to \(mn): \(text) after \(attempts) attempt(s), \(flow.dataPackets) data packet(s)")
                    return try await record(id, mn: mn)
                }
            }
            actions = []
            let arrived = inbox.withLock { packets -> [HJ212Packet] in
                defer { packets = [] }
                return packets
            }
            for packet in arrived {
                let now = seconds()
                switch packet.cn {
                case "9011":
                    let code = packet.items.first { $0.field == "QnRtn" }?.value.map { Int($0) } ?? 100
                    actions += flow.answer(qnRtn: code, now: now)
                case "9012":
                    let code = packet.items.first { $0.field == "ExeRtn" }?.value.map { Int($0) } ?? 2
                    actions += flow.result(exeRtn: code, now: now)
                default:
                    actions += flow.data(now: now)
                    let values = packet.items.filter { $0.code == nil }.map { "\($0.field)=\($0.text)" }
                    if !values.isEmpty { answer = values.joined(separator: ";") }
                }
            }
            if actions.isEmpty {
                if Task.isCancelled {
                    try await store.finishCommand(id: id, outcome: "cancelled", attempts: attempts, dataPackets: flow.dataPackets, answer: answer)
                    return try await record(id, mn: mn)
                }
                try? await Task.sleep(for: .milliseconds(20))
                actions = flow.tick(now: seconds())
            }
        }
    }

    private func record(_ id: Int64, mn: String) async throws -> DeviceCommandRecord {
        guard let record = try await store.commands(mn: mn, limit: 50).first(where: { $0.id == id }) else {
            throw StoreError.notFound("command \(id)")
        }
        return record
    }
}
