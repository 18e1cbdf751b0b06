import ArgumentParser
import Domain
import Foundation
import Gateway
import HJ212
import Store

/// `qingshan simulate`: virtual HJ 212 data loggers for demos and load tests.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run virtual HJ 212 data loggers against a gateway and check that every upload is acknowledged.",
        discussion: """
        Each logger (flue-gas stack, outfall, water station or air station, in turn) connects over TCP and sends hourly \
        data (CN 2061) with diurnal cycles, noise, occasional exceedances and flagged values, asking for a 9014 answer. \
        Options add resends, split (PNUM/PNO) uploads and corrupted frames. Loggers answer the platform's requests \
        (history back-fill, intervals). A JSON report goes to standard output; the exit status is 1 when an answer is \
        missing or unexpected. With --register, the virtual devices are first registered in the database given by --db.
        """
    )

    @Option(name: .long, help: "The gateway's address.") var host = "127.0.0.1"
    @Option(name: .long, help: "The gateway's HJ 212 port.") var port = 9212
    @Option(name: .long, help: "How many virtual loggers.") var loggers = 10
    @Option(name: .long, help: "The dialect: 2005, 2017 or 2025.") var dialect = "2017"
    @Option(name: .long, help: "Comma-separated sources: stack, outfall, water, air.") var sources = "stack,outfall,water,air"
    @Option(name: .long, help: "Packets per second per logger (0: as fast as the window allows).") var rate: Double = 1
    @Option(name: .long, help: "Seconds to send.") var duration: Double = 10
    @Option(name: .long, help: "At most this many hourly uploads per logger (0: no limit).") var hours = 0
    @Option(name: .long, help: "At most this many unanswered packets per logger.") var window = 32
    @Option(name: .long, help: "Send every N-th packet corrupted first (0: never).") var corruptEvery = 0
    @Option(name: .long, help: "Send every N-th packet twice (0: never).") var resendEvery = 0
    @Option(name: .long, help: "Split every N-th hour into two segments (0: never).") var segmentEvery = 0
    @Option(name: .long, help: "The first data time, YYYY-MM-DDTHH:MM:SS China time.") var start = "2025-01-01T00:00:00"
    @Option(name: .long, help: "The generator's seed.") var seed: UInt64 = 212
    @Option(name: .long, help: "Seconds to wait for the last answers.") var ackTimeout: Double = 10
    @Option(name: .long, help: "Seconds to stay connected after the last answer, answering the platform's requests.") var linger: Double = 0
    @Option(name: .long, help: "Write every acknowledged upload to this file (mn,data time,codes).") var ackLog: String?
    @Flag(name: .long, help: "Register the virtual devices in the database first.") var register = false
    @Option(name: .long, help: "The password of the virtual devices.") var password = "123456"
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var configuration = SimulatorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.loggers = loggers
        guard let dialect = HJ212Packet.Dialect(rawValue: dialect) else {
            printError("qingshan simulate: --dialect must be 2005, 2017 or 2025")
            throw ExitCode(2)
        }
        configuration.dialect = dialect
        let parsedSources = sources.split(separator: ",").compactMap { SimulatedSource(rawValue: String($0)) }
        guard !parsedSources.isEmpty else {
            printError("qingshan simulate: --sources must list stack, outfall, water or air")
            throw ExitCode(2)
        }
        configuration.sources = parsedSources
        configuration.packetsPerSecond = rate
        configuration.duration = duration
        configuration.hoursPerLogger = hours
        configuration.window = max(1, window)
        configuration.corruptEvery = corruptEvery
        configuration.resendEvery = resendEvery
        configuration.segmentEvery = segmentEvery
        guard let startDate = LocalTime.parse(start) else {
            printError("qingshan simulate: --start must be a time like 2025-01-01T00:00:00")
            throw ExitCode(2)
        }
        configuration.start = startDate
        configuration.seed = seed
        configuration.ackTimeout = ackTimeout
        configuration.ackLog = ackLog
        configuration.linger = linger
        let logger = makeLogger("qingshan.simulate")
        let simulator = DeviceSimulator(configuration: configuration, logger: logger)
        if register {
            let store = try await database.openStore(logger: logger)
            let devices = simulator.devices().map {
                Device(mn: $0.mn, password: $0.password, dialect: HJ212Dialect(rawValue: $0.dialect) ?? .v2017)
            }
            try await store.saveDevices(devices, actor: "simulate")
            try await store.close()
            printError("registered \(devices.count) virtual devices")
        }
        let report = await simulator.run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
        if report.acksMissing > 0 || report.unexpectedAcks > 0 || report.connectionErrors > 0 { throw ExitCode.failure }
    }
}
