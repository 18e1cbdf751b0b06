import Domain
import Dispatch
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif
import VaporCSQLite

/// SQLite's ingest connection: the gateway's commits (``Store/appendFrames(_:)``) run on a thread of its own, with
/// statements prepared once and group commit: every submission queued when a transaction starts joins it.
///
/// Through the general writer every statement of a commit (begin, reserve ids, inserts, commit) was a round trip: a job
/// on NIO's thread pool, then a future on an event loop shared with a thousand gateway sockets, then a resumption on
/// the cooperative pool. Under load each hop queued behind socket reads, and the commit loop, which every 9014 waits
/// for, spent more time waiting for its turn than writing. Here the thread takes the queue, writes, commits and
/// resumes the submitters itself: no hop lies between one transaction and the next.
///
/// The connection is a second SQLite connection on the same file (WAL mode). The thread holds the store's
/// ``WriteLock`` during each transaction, so it never contends with the general writer in SQLite's busy handler. Its
/// automatic checkpoint is set high: the general writer checkpoints at 10,000 pages, and a checkpoint in this
/// connection would hold up acknowledgements. Its page cache is 64 MiB (the general writer's 128 MiB): the ingest
/// touches the ends of its tables and one leaf per device of the site index, and SQLite walks the whole cache at the
/// end of every transaction.
final class SQLiteIngestConnection: @unchecked Sendable {
    // @unchecked: `handle` and `statements` are used only on `thread`; `jobs`, `closed` and `observer` only under
    // `condition`.
    private struct Job {
        var frames: [ArchivedFrame]
        var completion: @Sendable (Result<[Int64], any Error>) -> Void
    }

    private let handle: OpaquePointer
    private let path: String
    private let writeLock: WriteLock
    private let maxFrames: Int
    private var statements: [String: OpaquePointer] = [:]
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var closed = false
    private var observer: IngestCommitObserver?
    private let finished = DispatchSemaphore(value: 0)
    private let logger: Logger
    /// Where the submitters' callbacks run, in commit order.
    private let completions = DispatchQueue(label: "qingshan-ingest-completions")

    /// Opens the connection and starts its thread.
    /// - Parameters:
    ///   - path: the database file (already in WAL mode).
    ///   - writeLock: the store's write lock, held during each transaction.
    ///   - maxFrames: the most frames in one transaction.
    ///   - logger: where a refused priority is reported.
    /// - Throws: ``SQLiteIngestError`` when the file cannot be opened or configured.
    init(path: String, writeLock: WriteLock, maxFrames: Int = 4_096, logger: Logger) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            if let handle { sqlite_nio_sqlite3_close(handle) }
            throw SQLiteIngestError(path: path, step: "open", code: status, message: "cannot open the ingest connection")
        }
        self.handle = handle
        self.path = path
        self.writeLock = writeLock
        self.maxFrames = maxFrames
        self.logger = logger
        do {
            for pragma in ["PRAGMA busy_timeout=10000", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536",
                           "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=50000"] {
                try execute(pragma)
            }
        } catch {
            sqlite_nio_sqlite3_close(handle)
            throw error
        }
        let thread = Thread { [self] in self.runLoop() }
        thread.start()
    }

    /// Sets what is told of each transaction (the gateway's metrics, flow control and the materialiser).
    func observe(_ observer: IngestCommitObserver?) {
        condition.lock()
        self.observer = observer
        condition.unlock()
    }

    /// Queues frames for the next transaction; `completion` is called once they are committed (with their ids, in
    /// order) or the transaction failed (nothing of it stored), on a serial queue: callbacks run in commit order.
    func enqueue(_ frames: [ArchivedFrame], completion: @escaping @Sendable (Result<[Int64], any Error>) -> Void) {
        condition.lock()
        guard !closed else {
            condition.unlock()
            completion(.failure(CancellationError()))
            return
        }
        jobs.append(Job(frames: frames, completion: completion))
        condition.signal()
        condition.unlock()
    }

    /// Commits what is queued, stops the thread and closes the connection.
    func close() async {
        markClosed()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.finished.wait()
                self.completions.sync {}
                continuation.resume()
            }
        }
    }

    /// The nice value the ingest thread asks for.
    static let niceValue: Int32 = -10

    /// Asks the kernel to run this thread ahead of the others of the process (nice ``niceValue``).
    ///
    /// Every acknowledgement waits for this one thread, while a thousand connections keep the other threads busy: at
    /// equal priority the scheduler gives it a fair share of a core, and under load it spent as much time waiting for
    /// the CPU as writing (on 2 cores, 1,000 loggers: about 33,000 packets/s at nice 0, about 50,000/s at nice -10).
    /// On Linux a nice value belongs to the thread. Raising it needs root, `CAP_SYS_NICE` or an `RLIMIT_NICE` that
    /// allows it (systemd: `LimitNICE=-10`, or `AmbientCapabilities=CAP_SYS_NICE`); without them it is logged once and
    /// the thread runs at the process's priority.
    private func raisePriority() {
        #if canImport(Glibc)
        if setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceValue) != 0 {
            let reason = String(cString: strerror(errno))
            logger.notice("the SQLite ingest thread runs at normal priority (nice \(Self.niceValue) refused: \(reason)); grant CAP_SYS_NICE or LimitNICE=\(Self.niceValue) for the full ingest rate")
        }
        #endif
    }

    private func markClosed() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    /// The thread: takes what is queued, commits it in one transaction, tells the submitters; until closed and drained.
    private func runLoop() {
        // Named from the thread itself, so that the kernel knows the name too (`top -H`, profilers).
        Thread.current.name = "qingshan-ingest"
        raisePriority()
        let semaphore = DispatchSemaphore(value: 0)
        while true {
            condition.lock()
            while jobs.isEmpty && !closed { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                break
            }
            let (taken, count) = jobs.removeIngestBatch(limit: maxFrames) { $0.frames.count }
            let observer = self.observer
            condition.unlock()

            let result: Result<Int64, any Error>
            if count == 0 {
                // Only empty submissions (answers ordered behind earlier commits): nothing to write.
                result = .success(0)
            } else {
                observer?.beforeCommit()
                let started = ContinuousClock.now
                writeLock.acquireBlocking(waitingOn: semaphore)
                result = Result { try appendNow(taken) }
                writeLock.release()
                switch result {
                case .success(let base): observer?.afterCommit(count, ContinuousClock.now - started, base + Int64(count))
                case .failure(let error): observer?.failed(count, error)
                }
            }
            // The callbacks (answers handed to the event loops, command flows) and the release of the frames run on a
            // serial queue of their own, in order, so that the thread starts the next transaction at once.
            completions.async { [taken] in
                var next: Int64 = 1
                for job in taken {
                    let first = next
                    next += Int64(job.frames.count)
                    job.completion(result.map { base in (first..<next).map { base + $0 } })
                }
            }
        }
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        sqlite_nio_sqlite3_close(handle)
        finished.signal()
    }

    // MARK: - On the connection's thread

    /// Writes the jobs' frames and packets in one transaction; the frames get the ids after the returned base, in
    /// order. Frames are read in place (no copy of a frame or of its texts: on this thread every retain counts).
    private func appendNow(_ jobs: [Job]) throws -> Int64 {
        try execute("BEGIN IMMEDIATE")
        do {
            let base = try reserveBase()
            let insertFrame = try statement("""
                INSERT INTO hj212_frames (id, received_at, peer, mn, cn, qn, outcome, raw) VALUES (?,?,?,?,?,?,?,?)
                """)
            let insertPacket = try statement("""
                INSERT INTO observation_packets (site_code, mn, cn, kind, data_time, signature, received_at, frame_id, value_count, items)
                VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (data_time, mn, cn, signature) DO NOTHING
                """)
            var id = base
            for job in jobs {
                try job.frames.withUnsafeBufferPointer { frames in
                    for index in frames.indices {
                        id += 1
                        bind(insertFrame, 1, id)
                        bind(insertFrame, 2, Int64((frames[index].receivedAt.timeIntervalSince1970 * 1000).rounded()))
                        bind(insertFrame, 3, frames[index].peer)
                        bind(insertFrame, 4, frames[index].mn)
                        bind(insertFrame, 5, frames[index].cn)
                        bind(insertFrame, 6, frames[index].qn)
                        bind(insertFrame, 7, frames[index].outcome)
                        bind(insertFrame, 8, frames[index].raw)
                        try run(insertFrame, step: "insert frame")
                        guard frames[index].packet != nil else { continue }
                        // The real-time packet the frame carries, linked to the frame's id.
                        bind(insertPacket, 1, frames[index].packet!.siteCode)
                        bind(insertPacket, 2, frames[index].packet!.mn)
                        bind(insertPacket, 3, frames[index].packet!.cn)
                        bind(insertPacket, 4, frames[index].packet!.kind.rawValue)
                        bind(insertPacket, 5, Int64(frames[index].packet!.dataTime.timeIntervalSince1970))
                        bind(insertPacket, 6, frames[index].packet!.signature)
                        bind(insertPacket, 7, frames[index].packet!.receivedAtMilliseconds)
                        bind(insertPacket, 8, id)
                        bind(insertPacket, 9, Int64(frames[index].packet!.valueCount))
                        bind(insertPacket, 10, frames[index].packet!.items)
                        try run(insertPacket, step: "insert packet")
                    }
                }
            }
            try execute("COMMIT")
            return base
        } catch {
            _ = sqlite_nio_sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    /// The largest frame id given out so far: in the archive, or in `ingest_progress` (see ``Store/appendFrames(_:)``).
    private func reserveBase() throws -> Int64 {
        let query = try statement("""
            SELECT MAX(COALESCE((SELECT MAX(id) FROM hj212_frames), 0), COALESCE((SELECT MAX(frame_id) FROM ingest_progress), 0))
            """)
        defer { sqlite_nio_sqlite3_reset(query) }
        let status = sqlite_nio_sqlite3_step(query)
        guard status == SQLITE_ROW else { throw failure("reserve frame ids", status) }
        return sqlite_nio_sqlite3_column_int64(query, 0)
    }

    private func statement(_ sql: String) throws -> OpaquePointer {
        if let prepared = statements[sql] { return prepared }
        var prepared: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard status == SQLITE_OK, let prepared else { throw failure("prepare", status) }
        statements[sql] = prepared
        return prepared
    }

    private func execute(_ sql: String) throws {
        let status = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw failure(sql, status) }
    }

    private func run(_ statement: OpaquePointer, step: String) throws {
        let status = sqlite_nio_sqlite3_step(statement)
        sqlite_nio_sqlite3_reset(statement)
        guard status == SQLITE_DONE else { throw failure(step, status) }
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ value: Int64?) {
        if let value { sqlite_nio_sqlite3_bind_int64(statement, index, value) } else { sqlite_nio_sqlite3_bind_null(statement, index) }
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ value: String?) {
        guard var value else { sqlite_nio_sqlite3_bind_null(statement, index); return }
        // SQLITE_TRANSIENT: SQLite copies the text before the call returns.
        value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { text in
                if let start = text.baseAddress {
                    _ = sqlite_nio_sqlite3_bind_text(statement, index, start, Int32(text.count), SQLiteIngestConnection.transient)
                } else {
                    _ = sqlite_nio_sqlite3_bind_text(statement, index, "", 0, SQLiteIngestConnection.transient)
                }
            }
        }
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private func failure(_ step: String, _ status: Int32) -> SQLiteIngestError {
        SQLiteIngestError(path: path, step: step, code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }
}

/// A failure of the SQLite ingest connection, with the database file, the step and SQLite's own message.
struct SQLiteIngestError: Error, CustomStringConvertible {
    /// The database file.
    let path: String
    /// What was being done (a statement or a step's name).
    let step: String
    /// SQLite's extended result code.
    let code: Int32
    /// SQLite's message.
    let message: String

    var description: String { "SQLite ingest (\(path)): \(step) failed with code \(code): \(message)" }
}

/// What the store tells the gateway's ingest writer of each of its group commits on SQLite (see
/// ``Store/observeIngestCommits(_:)``); called on the ingest thread.
public struct IngestCommitObserver: Sendable {
    /// Called before each transaction; may block the ingest thread (flow control).
    public var beforeCommit: @Sendable () -> Void
    /// Called after each committed transaction with its number of frames, its duration and its newest frame id.
    public var afterCommit: @Sendable (_ frames: Int, _ duration: Duration, _ lastID: Int64?) -> Void
    /// Called after each failed transaction (nothing of it stored) with its number of frames and the error.
    public var failed: @Sendable (_ frames: Int, _ error: any Error) -> Void

    /// Creates an observer.
    public init(beforeCommit: @escaping @Sendable () -> Void,
                afterCommit: @escaping @Sendable (_ frames: Int, _ duration: Duration, _ lastID: Int64?) -> Void,
                failed: @escaping @Sendable (_ frames: Int, _ error: any Error) -> Void) {
        self.beforeCommit = beforeCommit
        self.afterCommit = afterCommit
        self.failed = failed
    }
}
