public import Logging
public import SQLKit
@preconcurrency import AsyncKit
import NIOCore
import NIOPosix
import PostgresKit
import SQLiteKit
import SQLiteNIO
import Foundation

/// The platform's database: one schema and one query path over SQLite (embedded default) and PostgreSQL.
///
/// Reads go through ``reader``; every write runs in ``write(_:)``, a transaction that either commits whole or leaves
/// nothing behind. On SQLite the store keeps one writer connection (serialised by a lock, WAL mode) and one reader
/// connection; on PostgreSQL a connection pool.
public final class Store: Sendable {
    /// Which database engine is behind the store.
    public enum Engine: String, Sendable {
        /// SQLite, the embedded default.
        case sqlite
        /// PostgreSQL.
        case postgres
    }

    /// The engine in use.
    public let engine: Engine
    /// Where the data lives.
    public let location: DatabaseLocation
    /// The database for reads (and for single statements that need no transaction).
    public let reader: any SQLDatabase
    /// The logger the store writes to.
    public let logger: Logger

    private let writer: any SQLDatabase
    /// SQLite's ingest connection (``appendFrames(_:)``); nil on PostgreSQL.
    private let sqliteIngest: SQLiteIngestConnection?
    /// PostgreSQL's ingest connection (``sendFrames(_:completion:)``); nil on SQLite.
    private let postgresIngest: PostgresIngestConnection?
    private let writeLock: WriteLock
    private let closeAction: @Sendable () async throws -> Void

    private init(
        engine: Engine, location: DatabaseLocation, reader: any SQLDatabase, writer: any SQLDatabase, writeLock: WriteLock = WriteLock(), sqliteIngest: SQLiteIngestConnection? = nil,
        postgresIngest: PostgresIngestConnection? = nil, logger: Logger, close: @escaping @Sendable () async throws -> Void
    ) {
        self.sqliteIngest = sqliteIngest
        self.postgresIngest = postgresIngest
        self.writeLock = writeLock
        self.engine = engine
        self.location = location
        self.reader = reader
        self.writer = writer
        self.logger = logger
        self.closeAction = close
    }

    /// Opens the database at `location` (creating an SQLite file if needed). Does not migrate: call ``migrate()``.
    /// - Parameters:
    ///   - location: the SQLite path or PostgreSQL URL.
    ///   - logger: where database messages go.
    /// - Returns: an open store; close it with ``close()``.
    /// - Throws: ``StoreError`` when the database cannot be opened.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "qingshan.store")) async throws -> Store {
        switch location {
        case .sqlite(let path):
            do {
                let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
                let writer = try await SQLiteConnection.open(storage: .file(path: absolute), logger: logger)
                let reader: SQLiteConnection
                let ingest: SQLiteIngestConnection
                let writeLock = WriteLock()
                do {
                    // A page cache of up to 128 MiB for the writer (SQLite's default is 2 MiB): the observations' unique
                    // index takes values of a thousand devices at a thousand places, and with the default cache every
                    // commit re-read most of those pages. Statement journals (multi-row inserts with ON CONFLICT) stay
                    // in memory, and the WAL is checkpointed every 10,000 pages instead of 1,000, so pages written again
                    // and again under load are copied back once.
                    for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL",
                                   "PRAGMA cache_size=-131072", "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=10000"] {
                        _ = try await writer.query(pragma)
                    }
                    reader = try await SQLiteConnection.open(storage: .file(path: absolute), logger: logger)
                    for pragma in ["PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON"] {
                        _ = try await reader.query(pragma)
                    }
                    do {
                        ingest = try SQLiteIngestConnection(path: absolute, writeLock: writeLock, logger: logger)
                    } catch {
                        try? await reader.close()
                        throw error
                    }
                } catch {
                    try? await writer.close()
                    throw error
                }
                return Store(
                    engine: .sqlite, location: location, reader: reader.sql(queryLogLevel: nil), writer: writer.sql(queryLogLevel: nil),
                    writeLock: writeLock, sqliteIngest: ingest, logger: logger,
                    close: {
                        await ingest.close()
                        try await reader.close()
                        try await writer.close()
                    })
            } catch {
                throw StoreError.cannotOpen(location, reason: "\(error)")
            }
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                var parsed = try SQLPostgresConfiguration(url: url)
                parsed.coreConfiguration.tls = .disable
                configuration = parsed
            } catch {
                throw StoreError.cannotOpen(location, reason: "not a valid PostgreSQL URL: \(error)")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: 4,
                pruneInterval: nil,
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton)
            let database = pool.database(logger: logger).sql(queryLogLevel: nil)
            do {
                _ = try await database.raw("SELECT 1").all()
            } catch {
                try? await pool.shutdownAsync()
                throw StoreError.cannotOpen(location, reason: String(reflecting: error))
            }
            let box = PoolBox(pool: pool)
            let ingest = PostgresIngestConnection(configuration: configuration.coreConfiguration, logger: logger)
            return Store(engine: .postgres, location: location, reader: database, writer: database, postgresIngest: ingest,
                         logger: logger,
                         close: {
                             await ingest.close()
                             try await box.pool.shutdownAsync()
                         })
        }
    }

    /// Runs `body` in one transaction: all of its statements commit together, or, if it throws, none does.
    /// - Parameter body: the work, given the transaction's database.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, after rolling back.
    public func write<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        switch engine {
        case .sqlite:
            return try await writeLock.withLock {
                try await Store.transaction(on: self.writer, begin: "BEGIN IMMEDIATE", body)
            }
        case .postgres:
            return try await writer.withSession { session in
                try await Store.transaction(on: session, begin: "BEGIN", body)
            }
        }
    }

    /// PostgreSQL: sends frames to the ingest connection as one statement, behind the batches sent before, and returns
    /// once it is on its way; `completion` runs once the frames are committed (with their ids, ascending) or the
    /// statement failed (nothing of it stored), in the order of the calls, on an event loop: keep it short. Callers
    /// that wait for one batch before sending the next lose the overlap: send the next while one is in flight.
    /// On SQLite, equivalent to ``enqueueFrames(_:completion:)``.
    public func sendFrames(_ frames: [ArchivedFrame], completion: @escaping @Sendable (Result<[Int64], any Error>) -> Void) async {
        if let sqliteIngest {
            sqliteIngest.enqueue(frames, completion: completion)
        } else if let postgresIngest {
            await postgresIngest.send(frames, completion: completion)
        }
    }

    /// Whether the store groups concurrent ``enqueueFrames(_:completion:)`` into transactions itself, on a thread of
    /// its own (SQLite). Otherwise (PostgreSQL) the caller groups them and calls ``appendFrames(_:)``.
    public var groupsFrameCommits: Bool { sqliteIngest != nil }

    /// SQLite: queues frames for the ingest thread's next transaction; `completion` runs once they are committed, with
    /// their ids, on a serial queue (callbacks run in commit order). Every submission queued when a transaction starts joins it (group commit).
    /// - Returns: false on PostgreSQL (nothing queued; use ``appendFrames(_:)``).
    public func enqueueFrames(_ frames: [ArchivedFrame],
                              completion: @escaping @Sendable (Result<[Int64], any Error>) -> Void) -> Bool {
        guard let sqliteIngest else { return false }
        sqliteIngest.enqueue(frames, completion: completion)
        return true
    }

    /// SQLite: sets what is told of each ingest transaction (nil: nothing); no effect on PostgreSQL.
    public func observeIngestCommits(_ observer: IngestCommitObserver?) {
        sqliteIngest?.observe(observer)
    }

    private static func transaction<R: Sendable>(
        on database: any SQLDatabase, begin: String, _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try await database.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(database)
            try await database.raw("COMMIT").run()
            return result
        } catch {
            // Through the future-based call, which a cancelled task does not skip: a transaction left open would keep the
            // SQLite write lock (and the connection unusable) until the process ends.
            try? await database.execute(sql: SQLRaw("ROLLBACK"), { _ in }).get()
            throw error
        }
    }

    /// Closes the connections. The store must not be used afterwards.
    public func close() async throws {
        try await closeAction()
    }
}

/// A failure of the store, with what an operator needs to fix it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable { case cannotOpen, notFound, conflict, corrupt }
    private let code: Code
    /// What went wrong, in words.
    public let message: String

    /// The database could not be opened.
    public static func cannotOpen(_ location: DatabaseLocation, reason: String) -> StoreError {
        StoreError(code: .cannotOpen, message: "cannot open \(location): \(reason)")
    }

    /// A record that was asked for does not exist.
    public static func notFound(_ what: String) -> StoreError { StoreError(code: .notFound, message: "\(what) not found") }

    /// A record already exists or a change conflicts with stored data.
    public static func conflict(_ what: String) -> StoreError { StoreError(code: .conflict, message: what) }

    /// Stored data could not be read back.
    public static func corrupt(_ what: String) -> StoreError { StoreError(code: .corrupt, message: what) }

    /// Whether the error means "no such record".
    public var isNotFound: Bool { code == .notFound }
    /// Whether the error means "already exists / conflicts".
    public var isConflict: Bool { code == .conflict }

    /// The message.
    public var description: String { message }
}

/// The PostgreSQL pool guards its state with a lock; it is safe to shut down from any task.
private struct PoolBox: @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
}
