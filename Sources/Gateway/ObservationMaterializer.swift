import Domain
import Foundation
import HJ212
import Synchronization
public import Logging
public import ServiceLifecycle
public import Store

/// Stores the values of the frames the gateway has archived: the second half of the ingest path.
///
/// The gateway acknowledges a packet once its raw frame is committed to the archive (``IngestWriter``); this
/// service then reads the frames after its recorded position in id order, decodes each accepted upload again, and
/// stores its observations together with the new position in one transaction
/// (``Store/storeMaterializedObservations(_:through:)``). Work is taken in batches so the SQLite writer is never
/// held for long and the ingest log's commits (the acknowledgements) go between them. It is woken after every ingest
/// commit; ``catchUp()`` drains what a crash left before the gateway starts listening.
///
/// Flow control: the log may run ahead by at most `maxBacklog` frames. Beyond that the ingest writer waits
/// (``waitForRoom()``) before its next commit, so under a sustained overload the acknowledgements slow down to the
/// rate at which values are stored, and what a crash can leave to replay stays small.
public final class ObservationMaterializer: Service, Sendable {
    private let store: Store
    private let registry: DeviceRegistry
    private let batch: Int
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let maxBacklog: Int
    private let doorbell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation
    /// The id of the newest frame committed to the log (0 until the first commit since start).
    private let committedThrough = Atomic<Int64>(0)
    /// The materialiser's position: the last frame id whose values are stored (0 until known).
    private let position = Atomic<Int64>(0)
    /// When the position was last stored for batches of real-time frames only (ms since 1970).
    private let positionStoredAt = Atomic<Int64>(0)

    /// How many frames the log is ahead of the stored values, from ids rather than counts, so a commit reported after
    /// the materialiser already read its frames can never leave a phantom backlog behind.
    private var backlog: Int64 { max(0, committedThrough.load(ordering: .relaxed) - position.load(ordering: .relaxed)) }

    /// Creates the materialiser.
    /// - Parameters:
    ///   - store: the database.
    ///   - registry: the devices, for the site each MN is bound to.
    ///   - batch: frames per transaction.
    ///   - maxBacklog: how many frames the log may run ahead before the ingest writer waits.
    ///   - metrics: where stored values and the backlog are reported.
    ///   - logger: where failures go.
    public init(store: Store, registry: DeviceRegistry, batch: Int = 2_000, maxBacklog: Int = 20_000,
                metrics: GatewayMetrics = GatewayMetrics(), logger: Logger) {
        self.store = store
        self.registry = registry
        self.batch = batch
        self.maxBacklog = maxBacklog
        self.metrics = metrics
        self.logger = logger
        (doorbell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Notes frames just committed to the log and wakes the service (the ingest writer calls it after each commit).
    /// - Parameter id: the id of the newest frame the commit added.
    public func committed(through id: Int64) {
        var current = committedThrough.load(ordering: .relaxed)
        while current < id {
            let (exchanged, original) = committedThrough.compareExchange(expected: current, desired: id, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        ring.yield()
    }

    /// Waits while the log is more than `maxBacklog` frames ahead of the stored values.
    public func waitForRoom() async throws {
        while backlog > Int64(maxBacklog) {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// ``waitForRoom()`` for a thread (SQLite's ingest thread), blocking it; gives up after `limit`, so that a
    /// materialiser that has stopped can never hold the ingest thread, and with it the store's shutdown, for good.
    public func waitForRoomBlocking(limit: Duration = .seconds(10)) {
        let deadline = ContinuousClock.now + limit
        while backlog > Int64(maxBacklog) && ContinuousClock.now < deadline {
            usleep(5_000)
        }
    }

    /// Stores the observations of every archived frame not yet done.
    /// - Returns: how many frames were handled.
    @discardableResult
    public func catchUp() async throws -> Int {
        var handled = 0
        while true {
            let count = try await materializeNextBatch()
            if count == 0 { return handled }
            handled += count
        }
    }

    /// Runs until graceful shutdown, then drains what is committed.
    public func run() async throws {
        try await drain()
        for await _ in doorbell.cancelOnGracefulShutdown() {
            try await drain()
        }
        try await drain()
    }

    private func drain() async throws {
        do {
            try await catchUp()
        } catch is CancellationError {
            return
        } catch {
            // A failed transaction leaves the position where it was: try again in a second, whether or not more
            // frames arrive (the flow control would otherwise hold the acknowledgements once the log is full).
            logger.error("storing observations from the ingest log failed, retrying in 1 s: \(String(reflecting: error))")
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
            ring.yield()
        }
    }

    /// Materialises one batch of frames.
    /// - Returns: how many frames the batch covered, read or skipped as stored at ingest (0 when there were none).
    func materializeNextBatch() async throws -> Int {
        let started = ContinuousClock.now
        // The stored position, or further on when the last batches held only frames stored at ingest (nothing to write).
        let position = max(try await store.materializedFrameID(), self.position.load(ordering: .relaxed))
        self.position.store(position, ordering: .relaxed)
        let (frames, through) = try await store.framesToMaterialize(after: position, limit: batch)
        guard through > position else { return 0 }
        guard !frames.isEmpty else {
            // Only real-time frames, whose packets were committed with them: no transaction per batch (it would take
            // the write lock from the next acknowledgements), but the position is stored every 5 seconds, so that
            // neither a restart's catch-up nor read-your-acknowledgements reads everything archived since the last
            // frame that had values to store.
            self.position.store(through, ordering: .relaxed)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            if now - positionStoredAt.load(ordering: .relaxed) >= 5_000 {
                positionStoredAt.store(now, ordering: .relaxed)
                try await store.storeMaterializedObservations([], through: through)
            }
            metrics.recordMaterialized(observations: 0, duration: ContinuousClock.now - started, backlog: backlog)
            return Int(through - position)
        }
        var rows: [(observation: Observation, frameID: Int64, receivedAt: Date)] = []
        var packets: [ObservationPacket] = []
        rows.reserveCapacity(frames.count * 16)
        // One decoder for the batch: its buffer is made once, not per frame.
        var decoder = HJ212StreamDecoder(options: .init(framing: .init(maxDataLength: 9999, acceptModbusCRC: true)))
        for frame in frames {
            guard frame.outcome == "ok", let cn = frame.cn, GatewaySession.carriesObservations(cn: cn) else { continue }
            guard let packet = Self.packet(from: frame, decoder: &decoder) else {
                logger.error("archived frame \(frame.id) could not be decoded again; its values are not stored")
                continue
            }
            let siteCode = await registry.device(packet.mn)?.siteCode
            let observations = GatewaySession.observations(of: packet, siteCode: siteCode, receivedAt: frame.receivedAt)
            // Real-time uploads are stored one row per packet; the other kinds one row per value.
            if PackedValues.isPacked(DataKind(cn: packet.cn)) {
                if let stored = ObservationPacket(observations: observations, receivedAt: frame.receivedAt, frameID: frame.id) {
                    packets.append(stored)
                }
            } else {
                for observation in observations { rows.append((observation, frame.id, frame.receivedAt)) }
            }
        }
        let stored = try await store.storeMaterializedObservations(rows, packets: packets, through: through)
        // Frames from before the start (handled by ``catchUp()``) were never counted: the count stays at 0 or above.
        self.position.store(through, ordering: .relaxed)
        metrics.recordMaterialized(observations: stored, duration: ContinuousClock.now - started, backlog: backlog)
        // The frames covered: those read and the real-time ones in between, stored at ingest.
        return Int(through - position)
    }

    /// The packet of an archived frame, decoded as the gateway accepted it. An archived frame is whole (it ends with
    /// its CRC and CR LF), so the decoder settles it without waiting for more bytes and is left empty for the next.
    static func packet(from frame: ArchivedFrame, decoder: inout HJ212StreamDecoder) -> HJ212Packet? {
        guard let bytes = ArchivedFrame.unescape(frame.raw) else { return nil }
        decoder.append(bytes)
        var packet: HJ212Packet?
        while let event = decoder.next() {
            if case .packet(let decoded) = event, packet == nil { packet = decoded }
        }
        return packet
    }
}
