import Domain
public import Foundation
public import Logging
public import ServiceLifecycle
public import Store

/// Runs platform-to-device work in the background of the service group: time calibration after a device's 1013,
/// commands queued from the API, and the history back-fill — every few minutes, each connected device's hourly data
/// (CN 2061) of the last day is checked for gaps, and the device is asked for the missing hours with
/// `BeginTime`/`EndTime` (HJ 212-2017 6.6.5, 表9).
public final class CommandService: Service, Sendable {
    /// A piece of work.
    public enum Job: Sendable {
        /// Set the device's clock (CN 1012) — after its 1013 request.
        case calibrateTime(mn: String)
        /// Any request.
        case command(mn: String, cn: String, parameters: String, reason: String, requestedBy: String)
    }

    private let commands: DeviceCommands
    private let connections: LiveConnections
    private let store: Store
    private let configuration: GatewayConfiguration
    private let logger: Logger
    private let backfillInterval: Duration
    private let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation

    /// Creates the service.
    public init(commands: DeviceCommands, connections: LiveConnections, store: Store, configuration: GatewayConfiguration,
                backfillInterval: Duration = .seconds(600), logger: Logger) {
        self.commands = commands
        self.connections = connections
        self.store = store
        self.configuration = configuration
        self.backfillInterval = backfillInterval
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Queues work.
    public func enqueue(_ job: Job) {
        continuation.yield(job)
    }

    /// Processes jobs and runs the back-fill timer until graceful shutdown.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            if configuration.backfillEnabled {
                group.addTask {
                    while !Task.isShuttingDownGracefully {
                        do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.backfillInterval) } } catch { return }
                        await self.backfillOnce()
                    }
                }
            }
            for await job in stream.cancelOnGracefulShutdown() {
                group.addTask { await self.perform(job) }
            }
            group.cancelAll()
        }
    }

    private func perform(_ job: Job) async {
        do {
            switch job {
            case .calibrateTime(let mn):
                try await commands.execute(mn: mn, cn: "1012", parameters: "SystemTime=\(DeviceCommands.hj212Time(Date()))",
                                           reason: "time-calibration", requestedBy: "system")
            case .command(let mn, let cn, let parameters, let reason, let requestedBy):
                try await commands.execute(mn: mn, cn: cn, parameters: parameters, reason: reason, requestedBy: requestedBy)
            }
        } catch {
            logger.warning("HJ 212 command failed: \(error)")
        }
    }

    /// Looks for missing hourly data of every connected device over the last day and asks for each gap.
    public func backfillOnce(now: Date = Date()) async {
        let hour = 3600.0
        let currentHour = (now.timeIntervalSince1970 / hour).rounded(.down) * hour
        // The last two hours are still arriving in the normal course.
        let to = Date(timeIntervalSince1970: currentHour - hour)
        let from = to.addingTimeInterval(-24 * hour)
        // Hours already acknowledged but still in the ingest log are not gaps: let their values be stored first.
        _ = try? await store.waitForMaterializedObservations(timeout: .seconds(30))
        for mn in connections.connectedMNs {
            do {
                let have = try await store.hoursWithData(mn: mn, from: from, to: to)
                guard !have.isEmpty else { continue }   // devices that never sent hourly data are not asked
                let first = have.min()!
                var gaps: [(Int64, Int64)] = []
                var start: Int64?
                var t = Int64(from.timeIntervalSince1970)
                t = max(t, first)
                while t < Int64(to.timeIntervalSince1970) {
                    if have.contains(t) {
                        if let s = start { gaps.append((s, t - 3600)); start = nil }
                    } else if start == nil {
                        start = t
                    }
                    t += 3600
                }
                if let s = start { gaps.append((s, Int64(to.timeIntervalSince1970) - 3600)) }
                for (begin, end) in gaps {
                    let parameters = "BeginTime=\(DeviceCommands.hj212Time(Date(timeIntervalSince1970: Double(begin))));EndTime=\(DeviceCommands.hj212Time(Date(timeIntervalSince1970: Double(end))))"
                    try await commands.execute(mn: mn, cn: "2061", parameters: parameters, reason: "backfill", requestedBy: "system")
                }
            } catch {
                logger.warning("back-fill check of \(mn) failed: \(error)")
            }
        }
    }
}
