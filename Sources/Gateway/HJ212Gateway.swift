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
        var session = GatewaySession(peer: peer, configuration: configuration, registry: registry, metrics: metrics)
        var registeredMNs = Set<String>()
        do {
            try await connection.executeThenClose { inbound, outbound in
                handle.outbound = outbound
                // Everything one read produced arrives as one run: one commit, then the answers.
                for try await results in inbound {
                    let started = ContinuousClock.now
                    let output = await session.handle(results, receivedAt: Date())
                    if !output.items.isEmpty { try await writer.submit(output.items) }
                    if !output.replies.isEmpty {
                        try await outbound.write(contentsOf: output.replies)
                        metrics.recordAck(latency: ContinuousClock.now - started)
                    }
                    for mn in output.heard where !registeredMNs.contains(mn) {
                        registeredMNs.insert(mn)
                        connections.register(mn: mn, handle: handle)
                    }
                    if !output.heard.isEmpty { connections.heard(output.heard, peer: peer) }
                    for packet in output.commandTraffic {
                        if let st = packet.st, st != "91", !registeredMNs.isEmpty { connections.noteSystemCode(st, of: packet.mn) }
                        if packet.cn == "1013" { onTimeCalibrationRequest(packet.mn) } else { connections.deliver(packet) }
                    }
                    if output.close {
                        logger.warning("closing HJ 212 connection from \(peer) after \(configuration.maxAuthFailures) authentication failures")
                        return
                    }
                }
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
