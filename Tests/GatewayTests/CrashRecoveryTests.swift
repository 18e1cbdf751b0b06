import Domain
import Foundation
import Gateway
import Logging
import SQLKit
import Store
import Testing
import TestSupport

/// The `qingshan` executable built beside the test bundle.
var qingshanExecutable: URL? {
    let directory = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).deletingLastPathComponent()
    for candidate in [directory, directory.deletingLastPathComponent()] {
        let url = candidate.appendingPathComponent("qingshan")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
}

/// A `qingshan serve` child process.
final class ServerProcess {
    let process = Process()
    let log: URL

    init(executable: URL, database: DatabaseLocation, httpPort: Int, hj212Port: Int, directory: URL) throws {
        log = directory.appendingPathComponent("serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let argument: String
        switch database {
        case .sqlite(let path): argument = path
        case .postgres(let url): argument = url
        }
        process.executableURL = executable
        process.arguments = ["serve", "--db", argument, "--http-port", String(httpPort), "--hj212-port", String(hj212Port),
                             "--host", "127.0.0.1", "--no-built-in-plan"]
        process.currentDirectoryURL = directory
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    /// Waits until the gateway port accepts connections (after a crash the server first stores the values of the
    /// acknowledged frames left in the ingest log, which a debug build on a busy machine may take a while to do).
    func waitUntilListening(port: Int) async throws {
        for _ in 0..<2_400 {
            if let text = try? String(contentsOf: log, encoding: .utf8), text.contains("HJ 212 gateway listening") { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestDatabaseError(message: "server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    func kill9() async {
        kill(process.processIdentifier, SIGKILL)
        await waitForExit()
    }

    func stop() async {
        if process.isRunning {
            process.terminate()
            await waitForExit()
        }
    }

    /// Waits for the process to end without blocking a thread of the shared concurrency pool.
    private func waitForExit() async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

@Suite("Crash recovery: kill -9 under load", .serialized)
struct CrashRecoveryTests {
    @Test("every upload that received a 9014 is in the database after kill -9 and a restart", arguments: TestDatabase.available)
    func killNine(database: TestDatabase) async throws {
        let executable = try #require(qingshanExecutable, "build the qingshan executable first (swift build --build-tests)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qingshan-kill9-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await database.withStore { store async throws in
            let base = 20_000 + Int.random(in: 0..<20_000)
            var configuration = SimulatorConfiguration()
            configuration.port = base + 1
            configuration.loggers = 30
            configuration.packetsPerSecond = 0
            configuration.duration = 6
            configuration.ackTimeout = 2
            configuration.resendEvery = 13
            configuration.ackLog = directory.appendingPathComponent("acks.txt").path
            let simulator = DeviceSimulator(configuration: configuration, logger: Logger(label: "sim") { _ in SwiftLogNoOpLogHandler() })
            try await store.saveDevices(simulator.devices().map { Device(mn: $0.mn, password: $0.password) }, actor: "test")

            let server = try ServerProcess(executable: executable, database: store.location, httpPort: base, hj212Port: base + 1,
                                           directory: directory)
            do {
                try await server.waitUntilListening(port: base + 1)
            } catch {
                await server.stop()
                throw error
            }
            async let report = simulator.run()
            try? await Task.sleep(for: .milliseconds(2500))
            await server.kill9()
            let seen = await report
            #expect(seen.acksReceived > 100, "the load ran before the kill")
            #expect(seen.acksMissing > 0 || seen.connectionErrors > 0 || seen.acksReceived == seen.acksExpected)

            // Restart on the same database: it opens (recovery) and serves.
            let restarted = try ServerProcess(executable: executable, database: store.location, httpPort: base + 2, hj212Port: base + 3,
                                              directory: directory)
            do {
                try await restarted.waitUntilListening(port: base + 3)
            } catch {
                await restarted.stop()
                throw error
            }
            do {
                try await Self.expectEveryAcknowledgedUploadStored(directory: directory, store: store)
            } catch {
                await restarted.stop()
                throw error
            }
            await restarted.stop()
        }
    }

    /// Checks the simulator's log of acknowledged uploads against the stored observations.
    private static func expectEveryAcknowledgedUploadStored(directory: URL, store: Store) async throws {
        let lines = try String(contentsOf: directory.appendingPathComponent("acks.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines.count > 100)
        var missing: [String] = []
        for line in lines {
            let parts = line.split(separator: ",")
            guard parts.count == 3, let time = LocalTime.parse(String(parts[1])) else { continue }
            let codes = Set(parts[2].split(separator: ";").map(String.init))
            let stored = try await store.reader.select().distinct().column("code").from("observations")
                .where("mn", .equal, String(parts[0])).where("cn", .equal, "2061").where("field", .equal, "Avg")
                .where("data_time", .equal, Int64(time.timeIntervalSince1970)).all()
                .map { try $0.decode(column: "code", as: String.self) }
            if !codes.isSubset(of: Set(stored)) { missing.append(line) }
        }
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing.prefix(5))")
    }
}
