import ArgumentParser
import Domain
import Foundation
import Gateway
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Standards
import UnixSignals
import Store
import Web

/// `qingshan serve`: runs the web application (and, as they are added, the other services) in one service group.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the platform: the web pages and the JSON API.",
        discussion: """
        On first start the database is created, migrated and loaded with the built-in Wuxi County 2021-2025 plan; \
        nothing else needs setting up. Stop with Ctrl-C (SIGINT) or SIGTERM: requests in flight finish first.
        """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "The HTTP port.")
    var httpPort: Int = 8080

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "0.0.0.0"

    @Option(name: .long, help: "The TCP port of the HJ 212 gateway, where data loggers connect (0 disables it).")
    var hj212Port: Int = 9212

    @Option(name: .long, help: "The most HJ 212 connections in total.")
    var hj212MaxConnections: Int = 20_000

    @Option(name: .long, help: "The most HJ 212 connections from one IP address.")
    var hj212MaxPerAddress: Int = 4096

    @Option(name: .long, help: "Days to keep the raw HJ 212 frames.")
    var frameRetentionDays: Int = 180

    @Option(name: .long, help: """
        How many acknowledged HJ 212 frames may wait for their values to be stored before the gateway slows its \
        acknowledgements (bursts beyond the storage rate are absorbed up to this many).
        """)
    var hj212MaxBacklog: Int = 20_000

    @Option(name: .long, help: "Minutes without data after which a device raises an offline alarm.")
    var offlineMinutes: Int = 60

    @Option(name: .long, help: "The most attempts to deliver an alarm notification to a webhook (retried after 10 s, 30 s, 90 s …).")
    var webhookMaxAttempts: Int = 6

    @Flag(name: .long, help: "Do not load the built-in Wuxi plan into an empty database.")
    var noBuiltInPlan = false

    @Flag(name: .long, help: "Fill the site registry with the Wuxi demo sites (marked as demo where the plan is silent), their demo data loggers and, the first time, a seeded year of observations.")
    var demo = false

    func run() async throws {
        let logger = makeLogger("qingshan")
        let store: Store
        do {
            store = try await database.openStore(logger: logger)
        } catch {
            printError("qingshan: \(error)")
            throw ExitCode.failure
        }
        do {
            if !noBuiltInPlan, try await store.planSummaries().isEmpty {
                let plan = try BuiltInPlans.load()
                try await store.importPlan(plan, actor: "system")
                logger.info("loaded the built-in plan \(plan.id): \(plan.name)")
            }
            if demo {
                // The demo year is stored once: later starts only add the days since (see `qingshan demo load`).
                let today = LocalTime.components(Date())
                let range = DemoObservations.defaultRange(today: CivilDate(year: today.year, month: today.month, day: today.day)!)
                try await DemoLoader(store: store, logger: logger)
                    .load(seed: DemoObservations.defaultSeed, from: range.from, through: range.through)
            }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            // Rollups and the monitoring-fed plan indicators follow the data as it arrives.
            services.append(.init(service: RollupService(store: store, logger: logger)))
            var commandSink: (@Sendable (String, String, String, String) -> Void)?
            let metrics = GatewayMetrics()
            let devices = DeviceRegistry(store: store, logger: logger)
            // Acknowledged frames whose values a crash left unstored are stored before anything reads or receives data
            // (also when the gateway is off this time).
            let materializer = ObservationMaterializer(store: store, registry: devices, maxBacklog: max(1, hj212MaxBacklog),
                                                       metrics: metrics, logger: logger)
            let left = try await materializer.catchUp()
            if left > 0 { logger.info("stored the observations of \(left) acknowledged frames left from before the restart") }
            if hj212Port != 0 {
                let gatewayConfiguration = GatewayConfiguration(
                    host: host, port: hj212Port, maxConnectionsPerAddress: hj212MaxPerAddress, maxConnections: hj212MaxConnections,
                    frameRetentionDays: frameRetentionDays)
                let writer = IngestWriter(store: store, maxBatch: gatewayConfiguration.maxBatch, metrics: metrics,
                                          materializer: materializer, logger: logger)
                let connections = LiveConnections()
                let commands = DeviceCommands(connections: connections, store: store, configuration: gatewayConfiguration, logger: logger)
                let commandService = CommandService(commands: commands, connections: connections, store: store,
                                                    configuration: gatewayConfiguration, logger: logger)
                let gateway = HJ212Gateway(
                    configuration: gatewayConfiguration, store: store, writer: writer, registry: devices, connections: connections,
                    metrics: metrics, onTimeCalibrationRequest: { commandService.enqueue(.calibrateTime(mn: $0)) }, logger: logger)
                commandSink = { mn, cn, parameters, user in
                    commandService.enqueue(.command(mn: mn, cn: cn, parameters: parameters, reason: "api", requestedBy: user))
                }
                // The materialiser and the writer are listed first so that they stop last (a group stops its services in
                // reverse order): acknowledged frames are always committed, and their values stored before exit.
                services += [
                    .init(service: materializer), .init(service: writer), .init(service: devices), .init(service: commandService),
                    .init(service: FrameArchivePruner(store: store, retentionDays: frameRetentionDays, logger: logger)),
                    .init(service: gateway),
                ]
            }
            services += [
                .init(service: AlarmService(store: store, configuration: .init(offlineThreshold: Double(max(1, offlineMinutes)) * 60), logger: logger)),
                .init(service: WebhookDeliveryService(store: store, configuration: .init(maxAttempts: webhookMaxAttempts), logger: logger)),
            ]
            let environment = try WebEnvironment(
                store: store, configuration: WebConfiguration(host: host, port: httpPort), metrics: registry,
                deviceCommandSink: commandSink)
            services.append(.init(service: buildApplication(environment: environment, logger: logger)))
            let group = ServiceGroup(
                configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            logger.info("Qingshan on http://\(host == "0.0.0.0" ? "localhost" : host):\(httpPort) with \(store.location)")
            try await group.run()
        } catch {
            try? await store.close()
            printError("qingshan: \(error)")
            throw ExitCode.failure
        }
        try await store.close()
    }
}

/// `qingshan migrate`: brings the database schema up to date.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the database or bring its schema up to date, then exit.",
        discussion: "Migrations are versioned and append-only; running this again does nothing when the schema is current."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = makeLogger("qingshan")
        let store = try await Store.open(DatabaseLocation(database.db), logger: logger)
        do {
            let applied = try await store.migrate()
            let all = try await store.appliedMigrations()
            print(applied.isEmpty ? "schema is current (\(all.count) migrations)" : "applied \(applied.joined(separator: ", ")); schema now has \(all.count) migrations")
        } catch {
            try? await store.close()
            printError("qingshan migrate: \(error)")
            throw ExitCode.failure
        }
        try await store.close()
    }
}
