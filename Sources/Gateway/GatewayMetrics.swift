import Metrics

/// The gateway's metrics, reported through swift-metrics (Prometheus at `/metrics` when `qingshan serve` runs).
public struct GatewayMetrics: Sendable {
    let connectionsOpen: Gauge
    let connectionsTotal: Counter
    let connectionsRefused: Counter
    let packetsStored: Counter
    let observationsStored: Counter
    let commitDuration: Timer
    let ackLatency: Timer

    /// Creates the metrics (registered with the bootstrapped metrics system).
    public init() {
        connectionsOpen = Gauge(label: "qingshan_hj212_connections_open")
        connectionsTotal = Counter(label: "qingshan_hj212_connections_total")
        connectionsRefused = Counter(label: "qingshan_hj212_connections_refused_total")
        packetsStored = Counter(label: "qingshan_hj212_packets_stored_total")
        observationsStored = Counter(label: "qingshan_hj212_observations_stored_total")
        commitDuration = Timer(label: "qingshan_hj212_commit_seconds", preferredDisplayUnit: .seconds)
        ackLatency = Timer(label: "qingshan_hj212_ack_latency_seconds", preferredDisplayUnit: .seconds)
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
        Counter(label: "qingshan_hj212_frames_total", dimensions: [("outcome", outcome)]).increment()
    }

    /// Records a committed transaction.
    public func recordCommit(packets: Int, observations: Int, duration: Duration) {
        packetsStored.increment(by: packets)
        observationsStored.increment(by: observations)
        commitDuration.recordNanoseconds(duration.nanoseconds)
    }

    /// Records the time from a packet's last byte to its acknowledgement.
    public func recordAck(latency: Duration) {
        ackLatency.recordNanoseconds(latency.nanoseconds)
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
