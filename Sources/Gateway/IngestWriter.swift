public import Domain
import Foundation
import Synchronization
public import Logging
public import ServiceLifecycle
public import Store

/// One received frame and the observations it carries, to be stored together.
public struct IngestItem: Sendable {
    /// The frame, for the raw archive; nil when the frame is not archived.
    public var frame: ArchivedFrame?
    /// The observations to store.
    public var observations: [Observation]

    /// Creates an item.
    public init(frame: ArchivedFrame?, observations: [Observation]) {
        self.frame = frame
        self.observations = observations
    }
}

/// Writes what the gateway receives with group commit: every submission waiting when a transaction starts joins it,
/// and each submitter resumes only **after** its data is committed, so the gateway acknowledges (9014) only what is
/// durable. One transaction carries thousands of packets under load and one packet when the line is quiet.
public final class IngestWriter: Service, Sendable {
    private struct Pending: Sendable {
        var items: [IngestItem]
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// The submissions waiting for the next transaction, guarded by a mutex so that graceful shutdown (a synchronous
    /// handler) can close it without spawning a task.
    private final class Queue: Sendable {
        private struct State {
            var pending: [Pending] = []
            var waiter: CheckedContinuation<Void, Never>?
            var closed = false
        }
        private let state = Mutex(State())

        func enqueue(_ pending: Pending) {
            let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                if state.closed { return (false, nil) }
                state.pending.append(pending)
                defer { state.waiter = nil }
                return (true, state.waiter)
            }
            if !accepted { pending.continuation.resume(throwing: CancellationError()) }
            waiter?.resume()
        }

        /// Waits for work and takes up to `maxItems` items' worth of it; empty once closed and drained.
        func take(maxItems: Int) async -> [Pending] {
            while true {
                let taken: [Pending]? = state.withLock { state in
                    if state.pending.isEmpty { return state.closed ? [] : nil }
                    var taken: [Pending] = []
                    var count = 0
                    while !state.pending.isEmpty && (taken.isEmpty || count + state.pending[0].items.count <= maxItems) {
                        let next = state.pending.removeFirst()
                        count += next.items.count
                        taken.append(next)
                    }
                    return taken
                }
                if let taken { return taken }
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.pending.isEmpty || state.closed { return true }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }

        func close() {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.closed = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    private let store: Store
    private let maxBatch: Int
    private let logger: Logger
    private let queue = Queue()
    private let metrics: GatewayMetrics

    /// Creates a writer for a store.
    public init(store: Store, maxBatch: Int = 4096, metrics: GatewayMetrics = GatewayMetrics(), logger: Logger) {
        self.store = store
        self.maxBatch = maxBatch
        self.metrics = metrics
        self.logger = logger
    }

    /// Stores items and returns once they are committed.
    /// - Throws: the database error when the transaction failed (nothing of it is stored), or `CancellationError`
    ///   when the writer has stopped.
    public func submit(_ items: [IngestItem]) async throws {
        guard !items.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.enqueue(Pending(items: items, continuation: continuation))
        }
    }

    /// Runs the write loop until graceful shutdown; what is queued at shutdown is still written.
    public func run() async throws {
        await withGracefulShutdownHandler {
            while true {
                let batch = await queue.take(maxItems: maxBatch)
                if batch.isEmpty { break }
                await write(batch)
            }
        } onGracefulShutdown: {
            self.queue.close()
        }
    }

    private func write(_ batch: [Pending]) async {
        let items = batch.flatMap(\.items)
        let started = ContinuousClock.now
        do {
            let stored = try await store.write { db in
                let frames = items.compactMap(\.frame)
                let ids = try await Store.insertFrames(frames, on: db)
                var observations: [Observation] = []
                var frameIDs: [Int64?] = []
                var frameIndex = 0
                for item in items {
                    let id: Int64? = item.frame == nil ? nil : ids[frameIndex]
                    if item.frame != nil { frameIndex += 1 }
                    observations += item.observations
                    frameIDs += Array(repeating: id, count: item.observations.count)
                }
                return try await Store.insertObservations(observations, frameIDs: frameIDs, on: db)
            }
            metrics.recordCommit(packets: items.count, observations: stored, duration: ContinuousClock.now - started)
            for pending in batch { pending.continuation.resume() }
        } catch {
            logger.error("ingest transaction of \(items.count) frames failed: \(String(reflecting: error))")
            for pending in batch { pending.continuation.resume(throwing: error) }
        }
    }
}
