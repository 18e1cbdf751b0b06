import Foundation
public import Logging
public import ServiceLifecycle
public import Store

/// Deletes archived raw frames older than the retention period, once an hour, until graceful shutdown.
public struct FrameArchivePruner: Service {
    let store: Store
    let retentionDays: Int
    let interval: Duration
    let logger: Logger

    /// Creates the pruner.
    /// - Parameters:
    ///   - store: the database.
    ///   - retentionDays: how many days of frames to keep.
    ///   - interval: how often to prune.
    ///   - logger: where to report.
    public init(store: Store, retentionDays: Int, interval: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.retentionDays = retentionDays
        self.interval = interval
        self.logger = logger
    }

    /// Prunes now and then every `interval`.
    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            let cutoff = Date().addingTimeInterval(-Double(retentionDays) * 86_400)
            do {
                let removed = try await store.pruneFrames(before: cutoff)
                if removed > 0 { logger.info("pruned \(removed) raw frames older than \(retentionDays) days") }
            } catch {
                logger.warning("pruning raw frames failed: \(error)")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
