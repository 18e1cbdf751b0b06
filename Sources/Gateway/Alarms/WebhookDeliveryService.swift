public import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import ServiceLifecycle
public import Store

/// Delivers alarm notifications to the webhooks: each queued notification is POSTed as JSON; a receiver that does not
/// answer 2xx is tried again after an exponentially growing delay (10 s, 30 s, 90 s … by default) up to a maximum
/// number of attempts. Every attempt is written to the delivery log with its status code or error.
///
/// The notifications are queued by the store in the same transaction as the alarm event (an outbox), so an event is
/// never lost and never notified for a change that rolled back.
public struct WebhookDeliveryService: Service {
    /// The service's settings.
    public struct Configuration: Sendable {
        /// How often to look for due notifications.
        public var pollInterval: Duration
        /// The delay before the second attempt, seconds.
        public var firstRetryDelay: TimeInterval
        /// Each further delay is this many times the previous one.
        public var backoffFactor: Double
        /// The most attempts per notification, the first included.
        public var maxAttempts: Int
        /// How long one attempt may take.
        public var timeout: Duration

        /// Creates the settings.
        public init(pollInterval: Duration = .seconds(2), firstRetryDelay: TimeInterval = 10, backoffFactor: Double = 3, maxAttempts: Int = 6,
                    timeout: Duration = .seconds(10)) {
            self.pollInterval = pollInterval
            self.firstRetryDelay = firstRetryDelay
            self.backoffFactor = backoffFactor
            self.maxAttempts = max(1, maxAttempts)
            self.timeout = timeout
        }

        /// The delay after a failed attempt number `attempt` (1-based): `firstRetryDelay × backoffFactor^(attempt-1)`.
        public func delay(afterAttempt attempt: Int) -> TimeInterval {
            firstRetryDelay * pow(backoffFactor, Double(max(0, attempt - 1)))
        }
    }

    let store: Store
    /// The delivery settings.
    public let configuration: Configuration
    let httpClient: HTTPClient
    let now: @Sendable () -> Date
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - store: the database.
    ///   - configuration: the settings.
    ///   - httpClient: the client (the shared one by default).
    ///   - now: the clock (tests inject their own).
    ///   - logger: where to report.
    public init(store: Store, configuration: Configuration = Configuration(), httpClient: HTTPClient = .shared,
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.httpClient = httpClient
        self.now = now
        self.logger = logger
    }

    /// Delivers due notifications every `pollInterval` until graceful shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await deliverDue()
            } catch {
                logger.warning("webhook delivery failed: \(error)")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.pollInterval) }
            } catch {
                return
            }
        }
    }

    /// Makes one attempt for every notification due now.
    /// - Returns: how many attempts were made.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let due = try await store.dueWebhookDeliveries(now: now())
        for delivery in due { try await attempt(delivery) }
        return due.count
    }

    func attempt(_ delivery: DueWebhookDelivery) async throws {
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "qingshan-alarms/1")
        request.headers.add(name: "X-Qingshan-Delivery", value: String(delivery.id))
        if let secret = delivery.secret {
            request.headers.add(name: "X-Qingshan-Signature", value: Store.webhookSignature(body: delivery.payload, secret: secret))
        }
        request.body = .bytes(ByteBuffer(string: delivery.payload))
        let started = ContinuousClock.now
        var statusCode: Int?
        var failure: String?
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(configuration.timeout.components.seconds) * 1_000_000_000
                                                                                     + configuration.timeout.components.attoseconds / 1_000_000_000))
            statusCode = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if !(200..<300).contains(Int(response.status.code)) { failure = "HTTP \(response.status.code) \(response.status.reasonPhrase)" }
        } catch {
            failure = String(describing: error)
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let number = delivery.attempts + 1
        let delivered = failure == nil
        let at = now()
        let next: Date? = delivered || number >= configuration.maxAttempts
            ? nil : at.addingTimeInterval(configuration.delay(afterAttempt: number))
        try await store.recordWebhookAttempt(deliveryID: delivery.id, attempt: number, at: at, statusCode: statusCode, error: failure,
                                             milliseconds: milliseconds, delivered: delivered, nextAttemptAt: next)
        if let failure {
            if next == nil {
                logger.warning("webhook \(delivery.url): giving up on alarm \(delivery.alarmID) after \(number) attempts: \(failure)")
            } else {
                logger.info("webhook \(delivery.url): attempt \(number) for alarm \(delivery.alarmID) failed (\(failure)); retrying")
            }
        }
    }
}
