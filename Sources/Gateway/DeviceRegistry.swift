public import Domain
import Foundation
public import Logging
public import ServiceLifecycle
public import Store
import Synchronization

/// The gateway's view of the registered devices: a snapshot of the `devices` table, refreshed every few seconds and
/// at once (at most once a second) when an unknown MN appears, so a device registered with `qingshan device add`
/// while the server runs is accepted within moments.
public final class DeviceRegistry: Service, Sendable {
    private struct State {
        var devices: [String: Device] = [:]
        var lastRefresh: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let store: Store
    private let refreshInterval: Duration
    private let logger: Logger

    /// Creates a registry over a store.
    public init(store: Store, refreshInterval: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.refreshInterval = refreshInterval
        self.logger = logger
    }

    /// Reloads the devices from the store.
    public func refresh() async throws {
        let devices = try await store.devices()
        state.withLock { state in
            state.devices = Dictionary(devices.map { ($0.mn, $0) }, uniquingKeysWith: { first, _ in first })
            state.lastRefresh = .now
        }
    }

    /// The device with this MN, reloading once when it is not known yet.
    public func device(_ mn: String) async -> Device? {
        if let device = state.withLock({ $0.devices[mn] }) { return device }
        let stale = state.withLock { state in state.lastRefresh.map { ContinuousClock.now - $0 > .seconds(1) } ?? true }
        if stale {
            do { try await refresh() } catch { logger.warning("device registry refresh failed: \(error)") }
        }
        return state.withLock { $0.devices[mn] }
    }

    /// Refreshes on a timer until graceful shutdown.
    public func run() async throws {
        try await refresh()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.refreshInterval) }
            } catch {
                return
            }
            do { try await refresh() } catch { logger.warning("device registry refresh failed: \(error)") }
        }
    }
}
