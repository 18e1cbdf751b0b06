import ArgumentParser
import Foundation
import Logging
import Store

/// The `--db` option every command that touches data shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: an SQLite file path, or a postgres://user:pass@host:port/db URL.",
        valueName: "path-or-url"))
    var db: String = ProcessInfo.processInfo.environment["QINGSHAN_DB"] ?? "qingshan.sqlite"

    /// Opens the store and brings its schema up to date.
    func openStore(logger: Logger) async throws -> Store {
        let store = try await Store.open(DatabaseLocation(db), logger: logger)
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }
}

/// A logger that writes to standard error, at `info` unless QINGSHAN_LOG_LEVEL says otherwise.
func makeLogger(_ label: String) -> Logger {
    var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = ProcessInfo.processInfo.environment["QINGSHAN_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return logger
}

/// Prints a message for the user on standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}
