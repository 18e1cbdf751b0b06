import Foundation
import Synchronization
public import Logging
public import ServiceLifecycle
public import Store

/// Appends what the gateway receives to the frame archive, its ingest log, with group commit: every submission waiting
/// when a transaction starts joins it, and each submitter resumes only **after** its frames are committed, so the
/// gateway acknowledges (9014) only what is durable. One transaction carries thousands of packets under load and one
/// packet when the line is quiet. After each commit the ``ObservationMaterializer`` is woken to store the values the
/// frames carry (see ``Store/storeMaterializedObservations(_:through:)``): the acknowledgement waits for one small
/// row per packet, not for the dozen indexed rows of its values.
///
/// On SQLite the grouping and the transactions happen on the store's ingest thread (``Store/enqueueFrames(_:completion:)``),
/// which resumes each submitter itself: no task hop lies between one commit and the next. This writer's own queue and
/// loop serve PostgreSQL: each batch is one statement on the store's ingest connection, and the loop sends the next
/// batch while one executes (``Store/sendFrames(_:completion:)``).
public final class IngestWriter: Service, Sendable {
    private struct Pending: Sendable {
        var items: [ArchivedFrame]
        var completion: @Sendable (Result<Void, any Error>) -> Void
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
            if !accepted { pending.completion(.failure(CancellationError())) }
            waiter?.resume()
        }

        /// Waits for work and takes up to `maxItems` items' worth of it; empty once closed and drained.
        func take(maxItems: Int) async -> [Pending] {
            while true {
                let taken: [Pending]? = state.withLock { state in
                    if state.pending.isEmpty { return state.closed ? [] : nil }
                    return state.pending.removeIngestBatch(limit: maxItems) { $0.items.count }.batch
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

        /// Whether ``close()`` was called.
        var isClosed: Bool { state.withLock { $0.closed } }

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
    private let materializer: ObservationMaterializer?

    /// Creates a writer for a store.
    /// - Parameters:
    ///   - store: the database.
    ///   - maxBatch: the most frames in one transaction.
    ///   - metrics: where commits are counted.
    ///   - materializer: told of every commit, and asked for room before each (flow control); nil when nothing
    ///     stores the values (tests of the log alone).
    ///   - logger: where failures go.
    public init(store: Store, maxBatch: Int = 4096, metrics: GatewayMetrics = GatewayMetrics(),
                materializer: ObservationMaterializer?, logger: Logger) {
        self.store = store
        self.maxBatch = maxBatch
        self.metrics = metrics
        self.materializer = materializer
        self.logger = logger
        // SQLite commits on the store's ingest thread, which groups the submissions itself (see `submit`); it tells
        // this writer's metrics and materialiser of each transaction from there.
        store.observeIngestCommits(IngestCommitObserver(
            beforeCommit: { materializer?.waitForRoomBlocking() },
            afterCommit: { frames, duration, lastID in
                metrics.recordCommit(packets: frames, duration: duration)
                if let lastID { materializer?.committed(through: lastID) }
            },
            failed: { frames, error in logger.error("ingest transaction of \(frames) frames failed: \(String(reflecting: error))") }))
    }

    /// Archives frames and returns once they are committed.
    /// - Throws: the database error when the transaction failed (nothing of it is stored), or `CancellationError`
    ///   when the writer has stopped.
    public func submit(_ items: [ArchivedFrame]) async throws {
        guard !items.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enqueue(items) { continuation.resume(with: $0) }
        }
    }

    /// Queues frames for the next transaction; `completion` runs once they are committed, or with the error when the
    /// transaction failed (nothing of it stored) or the writer has stopped (`CancellationError`).
    ///
    /// Completions run in the order of the calls (SQLite: on a serial queue of the store's ingest connection;
    /// PostgreSQL: on the ingest connection's event loop): keep them short. An empty `items` commits nothing and completes in its turn, after everything
    /// queued before it, so a connection can order an answer that needs no commit behind the 9014s it still owes.
    public func enqueue(_ items: [ArchivedFrame], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        if store.groupsFrameCommits {
            // SQLite: straight to the store's ingest thread, which groups the submissions and calls back once committed.
            guard !queue.isClosed else {
                completion(.failure(CancellationError()))
                return
            }
            _ = store.enqueueFrames(items) { result in completion(result.map { _ in () }) }
            return
        }
        queue.enqueue(Pending(items: items, completion: completion))
    }

    /// Runs the write loop until graceful shutdown; what is queued at shutdown is still written.
    public func run() async throws {
        // Graceful shutdown closes the queue and what is queued is still written; cancellation (another service of the
        // group failed) closes it too, so the loop never waits for work that cannot come.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                // The commit loop runs at high priority: under load a thousand connection tasks fill the default
                // executor's queue, and each step of a commit (begin, inserts, commit) would otherwise wait behind
                // them, while every acknowledgement waits for the commit.
                await withDiscardingTaskGroup { group in
                    group.addTask(priority: .high) {
                        // Two batches in flight: one executing, the next already waiting on the connection behind it,
                        // so PostgreSQL starts it the moment the first commits. Meanwhile the queue fills the batch
                        // after.
                        let sent = CommitWindow(limit: IngestWriter.batchesInFlight)
                        while true {
                            let batch = await self.queue.take(maxItems: self.maxBatch)
                            if batch.isEmpty { break }
                            await sent.acquire(1)
                            await self.send(batch) { sent.release(1) }
                        }
                        await sent.drain()
                    }
                }
            } onGracefulShutdown: {
                self.queue.close()
            }
        } onCancel: {
            self.queue.close()
        }
    }

    /// How many batches the PostgreSQL loop has sent and not yet seen committed, at most.
    static let batchesInFlight = 2

    /// Sends one batch to PostgreSQL's ingest connection (behind the batch in flight, if any) and returns once it is on
    /// its way; its submitters are called back once it is committed, in the order of the batches, then `done`.
    private func send(_ batch: [Pending], done: @escaping @Sendable () -> Void) async {
        let frames = batch.flatMap(\.items)
        let started = ContinuousClock.now
        do {
            try await materializer?.waitForRoom()
        } catch {
            // Cancelled (the writer is stopping): the batch fails, in its turn after the batches in flight.
            await store.sendFrames([]) { _ in
                for pending in batch { pending.completion(.failure(error)) }
                done()
            }
            return
        }
        // An empty batch (answers that need no commit) goes through too: it completes in its turn, after those before.
        await store.sendFrames(frames) { [metrics, materializer, logger] result in
            switch result {
            case .success(let ids):
                if !frames.isEmpty { metrics.recordCommit(packets: frames.count, duration: ContinuousClock.now - started) }
                for pending in batch { pending.completion(.success(())) }
                if let last = ids.last { materializer?.committed(through: last) }
            case .failure(let error):
                logger.error("ingest transaction of \(frames.count) frames failed: \(String(reflecting: error))")
                for pending in batch { pending.completion(.failure(error)) }
            }
            done()
        }
    }
}
