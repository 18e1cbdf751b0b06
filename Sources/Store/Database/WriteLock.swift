import Dispatch
import Synchronization

/// The store's write lock: one holder at a time, waiters served first come, first served, whether they are tasks or
/// the SQLite ingest thread.
///
/// SQLite allows one writer; the store serialises its write transactions with this lock, so that statements of two
/// transactions never interleave on the writer connection and the ingest connection (``SQLiteIngestConnection``)
/// never waits in SQLite's busy handler, which polls with growing sleeps and would let either side starve the other.
/// A task that finds the lock free takes it without a suspension.
final class WriteLock: Sendable {
    private enum Waiter {
        case task(CheckedContinuation<Void, Never>)
        case thread(DispatchSemaphore)
    }

    private struct State {
        var locked = false
        var waiters: [Waiter] = []

        mutating func take() -> Bool {
            if locked { return false }
            locked = true
            return true
        }
    }

    private let state = Mutex(State())

    /// Runs `body` while holding the lock.
    func withLock<R: Sendable>(_ body: () async throws -> R) async rethrows -> R {
        await acquire()
        defer { release() }
        return try await body()
    }

    /// Takes the lock, suspending the task while another holds it.
    func acquire() async {
        if state.withLock({ $0.take() }) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if state.take() { return true }
                state.waiters.append(.task(continuation))
                return false
            }
            if granted { continuation.resume() }
        }
    }

    /// Takes the lock, blocking the calling thread (the ingest thread) on `semaphore` while another holds it.
    func acquireBlocking(waitingOn semaphore: DispatchSemaphore) {
        let granted = state.withLock { state -> Bool in
            if state.take() { return true }
            state.waiters.append(.thread(semaphore))
            return false
        }
        if !granted { semaphore.wait() }
    }

    /// Releases the lock, handing it to the longest waiter if there is one.
    func release() {
        let next = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        switch next {
        case .task(let continuation): continuation.resume()
        case .thread(let semaphore): semaphore.signal()
        case nil: break
        }
    }
}
