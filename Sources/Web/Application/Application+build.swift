public import Hummingbird
public import Logging
public import Store
public import Prometheus
import NIOCore

/// Everything a route needs: the store and the settings.
public struct WebEnvironment: Sendable {
    /// The database.
    public let store: Store
    /// The settings.
    public let configuration: WebConfiguration
    /// The Prometheus registry `/metrics` exposes, when metrics are collected.
    public let metrics: PrometheusCollectorRegistry?
    /// Queues a platform-to-device command (MN, CN, data area, who asked) with the HJ 212 gateway, when it runs.
    public let deviceCommandSink: (@Sendable (String, String, String, String) -> Void)?
    /// The OpenAPI document, assembled once.
    let openAPI: OpenAPIDocument

    /// Creates the environment.
    public init(
        store: Store, configuration: WebConfiguration, metrics: PrometheusCollectorRegistry? = nil,
        deviceCommandSink: (@Sendable (String, String, String, String) -> Void)? = nil
    ) throws {
        self.deviceCommandSink = deviceCommandSink
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.openAPI = try OpenAPIDocument.load()
    }
}

/// Builds the router with every route and middleware. Used by ``buildApplication(environment:logger:)`` and by tests,
/// which drive it in-process.
/// - Parameter environment: the store and settings.
/// - Returns: the router.
public func buildRouter(environment: WebEnvironment) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: IdentityMiddleware(store: environment.store))
    router.addAssetRoutes()
    router.addHealthRoutes(environment: environment)
    router.addAuthRoutes(environment: environment)
    router.addPlanAPIRoutes(environment: environment)
    router.addObservationRoutes(environment: environment)
    router.addObservationImportRoutes(environment: environment)
    router.addSiteRoutes(environment: environment)
    router.addMonitoringDataRoutes(environment: environment)
    router.addMonitoringPages(environment: environment)
    router.addDeviceCommandRoutes(environment: environment)
    router.addPlanPages(environment: environment)
    router.addAccountPages(environment: environment)
    router.addImplementationRoutes(environment: environment)
    router.addAssessRoutes(environment: environment)
    router.addAlarmRoutes(environment: environment)
    router.addAlarmPages(environment: environment)
    return router
}

/// Builds the Hummingbird application serving the platform's pages and API.
/// - Parameters:
///   - environment: the store and settings.
///   - logger: where request logs go.
/// - Returns: an application to run as a service.
public func buildApplication(environment: WebEnvironment, logger: Logger) -> some ApplicationProtocol {
    Application(
        router: buildRouter(environment: environment),
        configuration: .init(address: .hostname(environment.configuration.host, port: environment.configuration.port),
                             serverName: "qingshan"),
        logger: logger)
}
