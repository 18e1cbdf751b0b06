import Metrics
import Synchronization

/// The gateway's metrics, reported through swift-metrics (Prometheus at `/metrics` when `qingshan serve` runs).
public struct GatewayMetrics: Sendable {
    let connectionsOpen: Gauge
    let connectionsTotal: Counter
    let connectionsRefused: Counter
    let packetsStored: Counter
    let observationsStored: Counter
    let commitDuration: Timer
    let ackLatency: Timer
    let materializeDuration: Timer
    let backlog: Gauge
    private let frameCounters: FrameCounters

    /// Creates the metrics (registered with the bootstrapped metrics system).
    public init() {
        connectionsOpen = Gauge(label: "qingshan_hj212_connections_open")
        connectionsTotal = Counter(label: "qingshan_hj212_connections_total")
        connectionsRefused = Counter(label: "qingshan_hj212_connections_refused_total")
        packetsStored = Counter(label: "qingshan_hj212_packets_stored_total")
        observationsStored = Counter(label: "qingshan_hj212_observations_stored_total")
        commitDuration = Timer(label: "qingshan_hj212_commit_seconds", preferredDisplayUnit: .seconds)
        ackLatency = Timer(label: "qingshan_hj212_ack_latency_seconds", preferredDisplayUnit: .seconds)
        materializeDuration = Timer(label: "qingshan_hj212_materialize_seconds", preferredDisplayUnit: .seconds)
        backlog = Gauge(label: "qingshan_hj212_ingest_backlog_frames")
        frameCounters = FrameCounters()
    }

    /// Counts an accepted connection.
    func connectionOpened(open: Int) {
        connectionsTotal.increment()
        connectionsOpen.record(open)
    }

    /// Records a closed connection.
    func connectionClosed(open: Int) {
        connectionsOpen.record(open)
    }

    /// Counts a connection refused by a limit.
    func connectionRefused() {
        connectionsRefused.increment()
    }

    /// Counts a frame by its outcome (`ok`, `bad_crc`, `unknown_mn` …).
    public func recordFrame(outcome: String) {
        frameCounters.counter(outcome).increment()
    }

    /// Records a committed transaction of the ingest log.
    public func recordCommit(packets: Int, duration: Duration) {
        packetsStored.increment(by: packets)
        commitDuration.recordNanoseconds(duration.nanoseconds)
    }

    /// Records a transaction of the materialiser: values stored, its duration, and the frames still waiting.
    public func recordMaterialized(observations: Int, duration: Duration, backlog frames: Int64) {
        observationsStored.increment(by: observations)
        materializeDuration.recordNanoseconds(duration.nanoseconds)
        backlog.record(frames)
    }

    /// Records the time from a packet's last byte to its acknowledgement.
    public func recordAck(latency: Duration) {
        ackLatency.recordNanoseconds(latency.nanoseconds)
    }
}

/// The frame counters by outcome, made once each: creating a swift-metrics counter goes through the metrics
/// factory's lock and registry, too much for every frame.
private final class FrameCounters: Sendable {
    private let counters = Mutex<[String: Counter]>([:])

    func counter(_ outcome: String) -> Counter {
        counters.withLock { counters in
            if let counter = counters[outcome] { return counter }
            let counter = Counter(label: "qingshan_hj212_frames_total", dimensions: [("outcome", outcome)])
            counters[outcome] = counter
            return counter
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
