public import Domain
import Foundation
import SQLKit
import Logging
public import Store

/// The databases a store test runs against: a fresh SQLite file always, and PostgreSQL when
/// `QINGSHAN_TEST_POSTGRES_URL` names a server (``scripts/test.sh`` and `.ci/run` start one).
public enum TestDatabase: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A temporary SQLite file.
    case sqlite
    /// A fresh schema in the PostgreSQL database named by `QINGSHAN_TEST_POSTGRES_URL`.
    case postgres

    /// The PostgreSQL URL from the environment, if any.
    public static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["QINGSHAN_TEST_POSTGRES_URL"]
        return url?.isEmpty == false ? url : nil
    }

    /// The engines available in this run: SQLite, plus PostgreSQL when configured.
    public static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// The engine's name.
    public var description: String { rawValue }

    /// Opens a new, empty, migrated store, runs `body`, and removes the database afterwards.
    /// - Parameter body: the test.
    public func withStore<R: Sendable>(_ body: (Store) async throws -> R) async throws -> R {
        let logger = Logger(label: "qingshan.test") { _ in SwiftLogNoOpLogHandler() }
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qingshan-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try await Store.open(.sqlite(path: directory.appendingPathComponent("test.sqlite").path), logger: logger)
            return try await run(store, body)
        case .postgres:
            guard let url = TestDatabase.postgresURL else { throw TestDatabaseError(message: "QINGSHAN_TEST_POSTGRES_URL is not set") }
            // Each test gets its own database, created from the server's template, dropped afterwards.
            let name = "qingshan_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let admin = try await Store.open(.postgres(url: url), logger: logger)
            try await admin.reader.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
            try await admin.close()
            var components = URLComponents(string: url)!
            components.path = "/" + name
            let store = try await Store.open(.postgres(url: components.string!), logger: logger)
            func drop() async {
                if let admin = try? await Store.open(.postgres(url: url), logger: logger) {
                    try? await admin.reader.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name))").run()
                    try? await admin.close()
                }
            }
            do {
                let result = try await run(store, body)
                await drop()
                return result
            } catch {
                await drop()
                throw error
            }
        }
    }

    private func run<R: Sendable>(_ store: Store, _ body: (Store) async throws -> R) async throws -> R {
        do {
            try await store.migrate()
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// The test database could not be prepared.
public struct TestDatabaseError: Error, CustomStringConvertible {
    /// What is missing.
    public var message: String
    /// Creates the error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Fixtures shared by the test targets.
public enum Fixtures {
    /// The built-in Wuxi plan.
    public static func wuxi() throws -> Plan { try BuiltInPlans.load() }
}
