import Domain
import Foundation
import Gateway
import HJ212
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SQLKit
import Store
import Testing
import TestSupport

/// Runs the gateway's services in-process on a free port over a fresh database.
func withGateway(
    _ database: TestDatabase, configuration: GatewayConfiguration = GatewayConfiguration(host: "127.0.0.1", port: 0),
    _ body: @escaping @Sendable (Int, Store, CommandService, LiveConnections) async throws -> Void
) async throws {
    try await database.withStore { store async throws in
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let registry = DeviceRegistry(store: store, refreshInterval: .milliseconds(200), logger: logger)
        let materializer = ObservationMaterializer(store: store, registry: registry, logger: logger)
        let writer = IngestWriter(store: store, materializer: materializer, logger: logger)
        let connections = LiveConnections()
        let commands = DeviceCommands(connections: connections, store: store, configuration: configuration, logger: logger)
        let commandService = CommandService(commands: commands, connections: connections, store: store, configuration: configuration,
                                            backfillInterval: .seconds(3600), logger: logger)
        let gateway = HJ212Gateway(configuration: configuration, store: store, writer: writer, registry: registry,
                                   connections: connections, onTimeCalibrationRequest: { commandService.enqueue(.calibrateTime(mn: $0)) },
                                   logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: materializer), .init(service: writer), .init(service: registry), .init(service: commandService), .init(service: gateway)],
            logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await gateway.boundPort()
            do {
                try await body(port, store, commandService, connections)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// A raw TCP client for the tests: send bytes, read the frames that come back.
final class RawClient {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    var received = ByteBuffer()

    init(port: Int) async throws {
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
    }

    static func frame(_ segment: String) -> ByteBuffer {
        let bytes = Array(segment.utf8)
        let crc = String(HJ212CRC.checksum(bytes), radix: 16, uppercase: true)
        var buffer = ByteBuffer(string: "##" + String(format: "%04d", bytes.count))
        buffer.writeBytes(bytes)
        buffer.writeString(String(repeating: "0", count: 4 - crc.count) + crc + "\r\n")
        return buffer
    }
}

@Suite("HJ 212 gateway over real TCP on loopback")
struct GatewayTests {
    @Test("every upload of 40 simulated loggers is acknowledged after commit, once stored despite resends, segments and corruption",
          arguments: TestDatabase.available)
    func simulatedLoad(database: TestDatabase) async throws {
        try await withGateway(database) { port, store, _, _ in
            var configuration = SimulatorConfiguration()
            configuration.port = port
            configuration.loggers = 40
            configuration.packetsPerSecond = 0
            configuration.hoursPerLogger = 12
            // Generous limits: the run ends when the 12 hours are acknowledged (about a second alone), but other suites
            // run beside it on two cores.
            configuration.duration = 120
            configuration.ackTimeout = 60
            configuration.resendEvery = 5
            configuration.segmentEvery = 4
            configuration.corruptEvery = 9
            let simulator = DeviceSimulator(configuration: configuration, logger: Logger(label: "sim"))
            try await store.saveDevices(simulator.devices().map { Device(mn: $0.mn, password: $0.password) }, actor: "test")
            let report = await simulator.run()
            #expect(report.connected == 40)
            #expect(report.acksMissing == 0)
            #expect(report.unexpectedAcks == 0)
            #expect(report.acksReceived == report.acksExpected)
            #expect(report.corruptedSent > 0 && report.resent > 0 && report.segmentPieces > 0)
            #expect(try await store.waitForMaterializedObservations())
            // 40 loggers × 12 hours, each pollutant's Min/Avg/Max (+Cou, ZsAvg) stored exactly once.
            let hours = try await store.reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(SQLAlias(SQLSubquery.select { $0.distinct().columns("mn", "data_time").from("observations") }, as: SQLIdentifier("h")))
                .first()?.decode(column: "n", as: Int.self)
            #expect(hours == 480)
            let duplicates = try await store.reader.raw("""
                SELECT COUNT(*) AS n FROM (SELECT mn, code, field, data_time FROM observations GROUP BY mn, code, field, data_time HAVING COUNT(*) > 1) d
                """).first()?.decode(column: "n", as: Int.self)
            #expect(duplicates == 0)
            let badCRC = try await store.frames(mn: nil, limit: 10_000).filter { $0.outcome == "bad_crc" }.count
            #expect(badCRC == report.corruptedSent)
        }
    }

    @Test("real-time uploads are acknowledged, stored one row per packet, never doubled by a resend, and read back value by value",
          arguments: TestDatabase.available)
    func realtimePackets(database: TestDatabase) async throws {
        try await withGateway(database) { port, store, _, _ in
            let mn = "010000A8900016F000169DC7"
            try await store.saveDevice(Device(mn: mn, password: "123456", siteCode: "STACK-1"), actor: "test")
            let start = LocalTime.date(year: 2026, month: 11, day: 29, hour: 9)!
            let connection = LoggerConnection(client: try await RawClient(port: port), mn: mn, password: "123456")
            var uploads: [(cn: String, dataTime: String, cp: String)] = (0..<20).map { n in
                ("2011", hj212Time(start.addingTimeInterval(Double(n) * 30)),
                 "a21026-Rtd=\(20 + n).5,a21026-ZsRtd=\(30 + n),a21026-Flag=N;a21002-Rtd=\(40 + n),a21002-Flag=\(n == 7 ? "D" : "N")")
            }
            uploads.append(uploads[3])   // a resend
            let answers = try await connection.upload(uploads)
            #expect(answers.count == 21 && answers.allSatisfy { $0.contains("CN=9014") })
            try await store.waitForMaterializedObservations()

            let values = try await store.observations(mn: mn, cn: "2011")
            #expect(values.count == 60)
            #expect(try await store.observationCount() == 60)
            let packets = try await store.reader.raw("SELECT COUNT(*) AS n FROM observation_packets").first()?.decode(column: "n", as: Int.self)
            #expect(packets == 20)
            let seventh = values.filter { $0.observation.dataTime == start.addingTimeInterval(7 * 30) }
            #expect(seventh.map { "\($0.observation.code)-\($0.observation.field)=\($0.observation.valueText)/\($0.observation.flag ?? "")" }
                    == ["a21002-Rtd=47/D", "a21026-Rtd=27.5/N", "a21026-ZsRtd=37/N"])
            #expect(seventh.allSatisfy { $0.observation.siteCode == "STACK-1" && $0.frameID != nil })
        }
    }

    @Test("an unknown MN is answered QnRtn=4, a wrong password QnRtn=3, nothing is stored, and the connection closes after 3 offences",
          arguments: [TestDatabase.sqlite])
    func authentication(database: TestDatabase) async throws {
        try await withGateway(database) { port, store, _, _ in
            try await store.saveDevice(Device(mn: "010000A8900016F000169DC0", password: "123456"), actor: "test")
            let client = try await RawClient(port: port)
            let upload = "QN=20261129100000001;ST=32;CN=2061;PW=%@;MN=%@;Flag=5;CP=&&DataTime=20261129090000;w01018-Avg=31.2,w01018-Flag=N&&"
            try await client.channel.executeThenClose { inbound, outbound in
                try await outbound.write(RawClient.frame(String(format: upload, "123456", "UNKNOWN000000000000000001")))
                try await outbound.write(RawClient.frame(String(format: upload, "wrong1", "010000A8900016F000169DC0")))
                try await outbound.write(RawClient.frame(String(format: upload, "wrong2", "010000A8900016F000169DC0")))
                var text = ""
                for try await chunk in inbound { text += String(buffer: chunk) }   // ends when the gateway closes
                #expect(text.contains("CN=9011") && text.contains("QnRtn=4"))
                #expect(text.contains("QnRtn=3"))
                #expect(!text.contains("CN=9014"))
            }
            #expect(try await store.observationCount() == 0)
            let outcomes = Set(try await store.frames(mn: nil).map(\.outcome))
            #expect(outcomes == ["unknown_mn", "bad_password"])
        }
    }

    @Test("a 1013 time-calibration request gets its 9013, then a 1012 set-time request follows", arguments: [TestDatabase.sqlite])
    func timeCalibration(database: TestDatabase) async throws {
        try await withGateway(database) { port, store, _, _ in
            try await store.saveDevice(Device(mn: "010000A8900016F000169DC0", password: "123456"), actor: "test")
            let client = try await RawClient(port: port)
            try await client.channel.executeThenClose { inbound, outbound in
                try await outbound.write(RawClient.frame(
                    "QN=20261129100000001;ST=32;CN=1013;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"))
                var text = ""
                for try await chunk in inbound {
                    text += String(buffer: chunk)
                    if text.contains("CN=1012") { break }
                }
                #expect(text.contains("CN=9013"))
                #expect(text.contains("CN=1012") && text.contains("SystemTime="))
            }
        }
    }

    @Test("hourly gaps are back-filled: the gateway asks with BeginTime/EndTime and stores what comes back",
          arguments: [TestDatabase.sqlite])
    func backfill(database: TestDatabase) async throws {
        try await withGateway(database) { port, store, commandService, connections in
            // One logger sends the last 30 hours but skips three of them; it answers requests while connected.
            let now = Date()
            let hour = 3600.0
            let currentHour = (now.timeIntervalSince1970 / hour).rounded(.down) * hour
            var configuration = SimulatorConfiguration()
            configuration.port = port
            configuration.loggers = 1
            configuration.sources = [.air]
            configuration.packetsPerSecond = 0
            configuration.hoursPerLogger = 30
            configuration.duration = 120
            configuration.start = Date(timeIntervalSince1970: currentHour - 30 * hour)
            configuration.linger = 120   // until the test closes the connection
            let simulator = DeviceSimulator(configuration: configuration, logger: Logger(label: "sim"))
            let mn = simulator.devices()[0].mn
            try await store.saveDevice(Device(mn: mn, password: "123456"), actor: "test")
            async let report = simulator.run()
            // Wait for the uploads, then delete three hours to make a gap, and run the back-fill check.
            var stored = 0
            for _ in 0..<1_200 {
                stored = try await store.hoursWithData(mn: mn, from: configuration.start, to: now).count
                if stored == 30 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(stored == 30)
            let gapStart = Int64(currentHour - 10 * hour)
            try await store.write { db in
                try await db.delete(from: "observations").where("mn", .equal, mn)
                    .where("data_time", .greaterThanOrEqual, gapStart).where("data_time", .lessThan, gapStart + 3 * 3600).run()
            }
            #expect(connections.connectedMNs.contains(mn))
            await commandService.backfillOnce(now: now)
            let commands = try await store.commands(mn: mn)
            #expect(commands.first?.cn == "2061")
            #expect(commands.first?.outcome == "succeeded")
            #expect(commands.first?.dataPackets == 3)
            #expect(try await store.waitForMaterializedObservations())
            #expect(try await store.hoursWithData(mn: mn, from: configuration.start, to: now).count == 30)
            connections.closeAll()
            _ = await report
        }
    }
}

@Suite("HJ 212 gateway limits")
struct GatewayLimitTests {
    @Test("connections over the per-address limit are closed at once and the gateway keeps serving", arguments: [TestDatabase.sqlite])
    func perAddressLimit(database: TestDatabase) async throws {
        try await withGateway(database, configuration: GatewayConfiguration(host: "127.0.0.1", port: 0, maxConnectionsPerAddress: 2)) { port, store, _, _ in
            try await store.saveDevice(Device(mn: "010000A8900016F000169DC0", password: "123456"), actor: "test")
            let first = try await RawClient(port: port)
            let second = try await RawClient(port: port)
            try await Task.sleep(for: .milliseconds(200))
            let third = try await RawClient(port: port)
            try await third.channel.executeThenClose { inbound, _ in
                var bytes = 0
                for try await chunk in inbound { bytes += chunk.readableBytes }   // ends: the gateway closed it
                #expect(bytes == 0)
            }
            try await first.channel.executeThenClose { inbound, outbound in
                try await outbound.write(RawClient.frame(
                    "QN=20261129100000001;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20261129090000;w01018-Avg=31.2&&"))
                for try await chunk in inbound {
                    #expect(String(buffer: chunk).contains("CN=9014"))
                    break
                }
            }
            try await second.channel.executeThenClose { _, _ in }
        }
    }
}
