public import Logging
public import ServiceLifecycle
public import Store
import Domain
import Foundation

/// Keeps the rollups current as data arrives (no nightly rebuild): every stored, imported or reviewed value queues
/// its (site, day) in the same transaction; this service takes the queue in batches and recomputes the air days,
/// water months, noise days and emission days they touch, then refreshes the plan indicators fed by monitoring
/// (``Store/feedMonitoringIndicators(years:)``) for the years touched.
public struct RollupService: Service {
    let store: Store
    let batch: Int
    let idleInterval: Duration
    let indicatorInterval: Duration
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - store: the database.
    ///   - batch: (site, day) pairs per transaction.
    ///   - idleInterval: how long to wait when nothing is queued.
    ///   - indicatorInterval: the shortest time between two refreshes of the plan indicators.
    ///   - logger: where to report.
    public init(store: Store, batch: Int = 100, idleInterval: Duration = .seconds(2), indicatorInterval: Duration = .seconds(60),
                logger: Logger) {
        self.store = store
        self.batch = batch
        self.idleInterval = idleInterval
        self.indicatorInterval = indicatorInterval
        self.logger = logger
    }

    /// Rolls up until shut down.
    public func run() async throws {
        var touchedYears = Set<Int>()
        let clock = ContinuousClock()
        var lastFeed = clock.now
        while !Task.isShuttingDownGracefully {
            var processed = 0
            do {
                let keys = try await store.processPendingRollups(limit: batch)
                processed = keys.count
                for key in keys { if let year = Int(key.day.prefix(4)) { touchedYears.insert(year) } }
            } catch {
                logger.warning("rolling up failed: \(error)")
            }
            if processed == 0, !touchedYears.isEmpty, clock.now - lastFeed >= indicatorInterval || indicatorInterval == .zero {
                do {
                    let fed = try await store.feedMonitoringIndicators(years: touchedYears.sorted())
                    if fed > 0 { logger.info("plan indicators fed by monitoring data: \(fed) figures for \(touchedYears.sorted())") }
                    touchedYears.removeAll()
                } catch {
                    logger.warning("feeding plan indicators failed: \(error)")
                }
                lastFeed = clock.now
            }
            if processed == 0 {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: idleInterval) }
                } catch {
                    return
                }
            }
        }
    }
}
