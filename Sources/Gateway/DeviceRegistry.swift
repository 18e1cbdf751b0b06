public import Domain
import Foundation
public import Logging
public import ServiceLifecycle
public import Store
import Synchronization

/// The gateway's view of the registered devices: a snapshot of the `devices` table, refreshed every few seconds; an
/// MN not in the snapshot is looked up in the database at once (and, when absent, not again for a second), so a device
/// registered with `qingshan device add` while the server runs is accepted at its first packet.
public final class DeviceRegistry: Service, Sendable {
    private struct State {
        var devices: [String: Device] = [:]
        /// MNs looked up and not found, with when: asked again only after a short while, so a peer sending
        /// unknown MNs cannot make every packet a database query.
        var misses: [String: ContinuousClock.Instant] = [:]
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
        }
    }

    /// The device with this MN, looking it up in the database when it is not in the snapshot.
    public func device(_ mn: String) async -> Device? {
        let now = ContinuousClock.now
        let (known, recentlyMissed) = state.withLock { state -> (Device?, Bool) in
            if let device = state.devices[mn] { return (device, false) }
            if let missed = state.misses[mn], now - missed < .seconds(1) { return (nil, true) }
            return (nil, false)
        }
        if let known { return known }
        if recentlyMissed || mn.isEmpty || mn.utf8.count > 64 { return nil }
        let found: Device?
        do {
            found = try await store.device(mn)
        } catch {
            logger.warning("device lookup of \(mn) failed: \(error)")
            return nil
        }
        state.withLock { state in
            if let found {
                state.devices[mn] = found
                state.misses[mn] = nil
            } else {
                if state.misses.count > 10_000 { state.misses.removeAll() }
                state.misses[mn] = now
            }
        }
        return found
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
