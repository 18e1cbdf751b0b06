import Domain
import Foundation
import HJ212
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
public import Store
import Synchronization

/// The HJ 212 listener: data loggers connect over TCP and send `##dddd…CRC\r\n` packets; the gateway frames them
/// (``HJ212/HJ212FrameDecoder`` in the pipeline), checks the device, appends every frame to the ingest log through the
/// group-commit ``IngestWriter`` and answers 9014 **only after the frame is committed**; the ``ObservationMaterializer``
/// stores the values from the log behind it.
///
/// Each connection is one child task in a discarding task group over `NIOAsyncChannel`: a bad connection is logged
/// and closed and never takes the server down. Limits bound what any peer can make the server hold: frame size,
/// bytes buffered per connection, idle time, connections per address and in total.
public final class HJ212Gateway: Service, Sendable {
    private let configuration: GatewayConfiguration
    private let writer: IngestWriter
    private let registry: DeviceRegistry
    private let store: Store
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let limiter: ConnectionLimiter
    /// The live connections by MN, for platform-to-device commands.
    public let connections: LiveConnections
    /// Called with the MN of a device that asked for time calibration (CN 1013), after its 9013.
    private let onTimeCalibrationRequest: @Sendable (String) -> Void
    private let bound = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, any Error>])>((nil, []))

    /// Creates the gateway.
    public init(configuration: GatewayConfiguration, store: Store, writer: IngestWriter, registry: DeviceRegistry,
                connections: LiveConnections = LiveConnections(), metrics: GatewayMetrics = GatewayMetrics(),
                onTimeCalibrationRequest: @escaping @Sendable (String) -> Void = { _ in }, logger: Logger) {
        self.onTimeCalibrationRequest = onTimeCalibrationRequest
        self.configuration = configuration
        self.store = store
        self.writer = writer
        self.registry = registry
        self.connections = connections
        self.metrics = metrics
        self.logger = logger
        self.limiter = ConnectionLimiter(maxTotal: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress)
    }

    /// The port the gateway listens on, once bound (useful with port 0 in tests).
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let port = bound.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    /// Listens until graceful shutdown, then closes every connection.
    public func run() async throws {
        let idle = TimeAmount.milliseconds(Int64(configuration.idleTimeout * 1000))
        let maxData = configuration.maxFrameSize - 12
        let maxBuffered = configuration.maxBufferedBytes
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    try channel.pipeline.syncOperations.addHandler(CloseOnIdleHandler())
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(
                        HJ212FrameDecoderAdapter(configuration: .init(maxDataLength: max(maxData, 64))),
                        maximumBufferSize: maxBuffered))
                    return try NIOAsyncChannel<[Result<HJ212Frame, HJ212DecodingError>], ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? configuration.port
        let waiters = bound.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
        logger.info("HJ 212 gateway listening on \(configuration.host):\(port)")

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
            self.connections.closeAll()
        }
    }

    private func serve(_ connection: NIOAsyncChannel<[Result<HJ212Frame, HJ212DecodingError>], ByteBuffer>) async {
        let remote = connection.channel.remoteAddress
        let address = remote?.ipAddress ?? "unknown"
        let peer = remote.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        guard limiter.admit(address) else {
            metrics.connectionRefused()
            logger.warning("refused HJ 212 connection from \(peer): connection limit reached")
            // Closing through the async channel finishes its writer (a writer dropped unfinished is a fatal error).
            try? await connection.executeThenClose { _, _ in }
            return
        }
        metrics.connectionOpened(open: limiter.open)
        defer {
            limiter.release(address)
            metrics.connectionClosed(open: limiter.open)
        }
        let handle = ConnectionHandle(channel: connection.channel)
        let channel = connection.channel
        var session = GatewaySession(peer: peer, configuration: configuration, registry: registry, metrics: metrics)
        var registeredMNs = Set<String>()
        var systemCodes: [String: String] = [:]
        let window = CommitWindow(limit: GatewayConfiguration.maxUncommittedFramesPerConnection)
        do {
            try await connection.executeThenClose { inbound, outbound in
                handle.outbound = outbound
                // Everything one read produced arrives as one run: one commit, then the answers. The task does not wait
                // for the commit: the writer calls back once the run is committed (in order), and the answers, the
                // command flows and a close happen there. The task goes on reading, up to a window of uncommitted
                // frames, so a connection's runs share transactions instead of taking turns.
                for try await results in inbound {
                    let started = ContinuousClock.now
                    let output = await session.handle(results, receivedAt: Date())
                    for mn in output.heard where !registeredMNs.contains(mn) {
                        registeredMNs.insert(mn)
                        connections.register(mn: mn, handle: handle)
                    }
                    if !output.heard.isEmpty { connections.heard(output.heard, peer: peer) }
                    guard !output.items.isEmpty || !output.replies.isEmpty || !output.commandTraffic.isEmpty || output.close else { continue }
                    let weight = max(output.items.count, 1)
                    await window.acquire(weight)
                    // The ST a device uses, for the requests sent to it: told to the registry only when it changes.
                    var systemCodeChanges: [(st: String, mn: String)] = []
                    if !registeredMNs.isEmpty {
                        for packet in output.commandTraffic {
                            guard let st = packet.st, st != "91", systemCodes[packet.mn] != st else { continue }
                            systemCodes[packet.mn] = st
                            systemCodeChanges.append((st, packet.mn))
                        }
                    }
                    writer.enqueue(output.items) { [self, systemCodeChanges] result in
                        defer { window.release(weight) }
                        guard case .success = result else {
                            // Nothing of the run is stored, so nothing is acknowledged: the device sends it again.
                            channel.close(promise: nil)
                            return
                        }
                        if !output.replies.isEmpty || output.close {
                            let replies = output.replies, close = output.close
                            channel.eventLoop.execute {
                                for reply in replies { channel.write(reply, promise: nil) }
                                channel.flush()
                                if close { channel.close(promise: nil) }
                            }
                            if !replies.isEmpty { metrics.recordAck(latency: ContinuousClock.now - started) }
                        }
                        for change in systemCodeChanges { connections.noteSystemCode(change.st, of: change.mn) }
                        for packet in output.commandTraffic {
                            if packet.cn == "1013" { onTimeCalibrationRequest(packet.mn) } else { connections.deliver(packet) }
                        }
                    }
                    if output.close {
                        logger.warning("closing HJ 212 connection from \(peer) after \(configuration.maxAuthFailures) authentication failures")
                        await window.drain()
                        return
                    }
                }
                // The peer closed its side: the answers still owed go out before the connection is closed.
                await window.drain()
            }
        } catch {
            logger.debug("HJ 212 connection from \(peer) ended: \(error)")
        }
        for mn in registeredMNs { connections.unregister(mn: mn, handle: handle) }
    }
}

/// Adapts the codec's single-step decoder to NIO's `ByteToMessageDecoder`, so the pipeline frames the stream. All the
/// frames one read completes are passed on together, so they share one commit and their answers one write.
struct HJ212FrameDecoderAdapter: ByteToMessageDecoder {
    typealias InboundOut = [Result<HJ212Frame, HJ212DecodingError>]
    var decoder: HJ212FrameDecoder

    init(configuration: HJ212FrameScanner.Configuration) {
        decoder = HJ212FrameDecoder(configuration: configuration)
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        var results: [Result<HJ212Frame, HJ212DecodingError>] = []
        while let result = try decoder.decode(buffer: &buffer) { results.append(result) }
        if !results.isEmpty { context.fireChannelRead(wrapInboundOut(results)) }
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        var results: [Result<HJ212Frame, HJ212DecodingError>] = []
        while let result = try decoder.decodeLast(buffer: &buffer, seenEOF: seenEOF) { results.append(result) }
        if !results.isEmpty { context.fireChannelRead(wrapInboundOut(results)) }
        return .needMoreData
    }
}

/// Closes a connection that has been idle past the read timeout.
final class CloseOnIdleHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// A connection's window of frames handed to the ingest writer and not yet committed: reading stops while it is full,
/// so whatever a peer sends, the frames a connection holds in memory stay bounded. The ingest writer uses one too, for
/// the batches it has sent to PostgreSQL and not yet seen committed (counted as 1 each).
final class CommitWindow: Sendable {
    private struct Waiter {
        var count: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var inFlight = 0
        var waiter: Waiter?

        /// Takes `count` frames if they fit (a run larger than the whole window fits an empty one).
        mutating func take(_ count: Int, limit: Int) -> Bool {
            guard inFlight == 0 || inFlight + count <= limit else { return false }
            inFlight += count
            return true
        }
    }

    private let limit: Int
    private let state = Mutex(State())

    /// Creates a window of `limit` frames.
    init(limit: Int) { self.limit = limit }

    /// Waits until `count` more frames fit, then takes them. Called by one task only, one call at a time.
    func acquire(_ count: Int) async {
        if state.withLock({ $0.take(count, limit: limit) }) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.take(count, limit: limit) { return true }
                state.waiter = Waiter(count: count, continuation: continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Gives back `count` frames once committed (or failed), waking the task if what it waits for now fits.
    func release(_ count: Int) {
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.inFlight -= count
            guard let waiter = state.waiter, state.take(waiter.count, limit: limit) else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        wake?.resume()
    }

    /// Waits until every frame taken is committed.
    func drain() async {
        await acquire(limit)
        release(limit)
    }
}
