public import Foundation
import Domain
public import HJ212
public import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Settings of a simulation run.
public struct SimulatorConfiguration: Sendable {
    /// The gateway's address.
    public var host: String = "127.0.0.1"
    /// The gateway's port.
    public var port: Int = 9212
    /// How many virtual loggers.
    public var loggers: Int = 10
    /// The dialect they speak.
    public var dialect: HJ212Packet.Dialect = .v2017
    /// The kinds of source, assigned round-robin.
    public var sources: [SimulatedSource] = SimulatedSource.allCases
    /// The shared password of the virtual devices.
    public var password: String = "123456"
    /// Packets per second each logger sends (0: as fast as the window allows).
    public var packetsPerSecond: Double = 1
    /// How long to send, in seconds.
    public var duration: Double = 10
    /// At most this many hourly uploads per logger (0: no limit).
    public var hoursPerLogger: Int = 0
    /// The data time of the first hour.
    public var start: Date = Date(timeIntervalSince1970: 1_735_660_800)   // 2025-01-01T00:00:00+08:00
    /// At most this many unacknowledged packets per logger.
    public var window: Int = 32
    /// Every N-th packet is first sent corrupted (then correctly); 0 disables.
    public var corruptEvery: Int = 0
    /// Every N-th packet is sent twice; 0 disables.
    public var resendEvery: Int = 0
    /// Every N-th hour is split into two segments (PNUM/PNO); 0 disables.
    public var segmentEvery: Int = 0
    /// The chance that a value is an exceedance (2.5 to 3.5 times its usual level).
    public var exceedanceChance: Double = 0.01
    /// The chance that a pollutant's flag is not N.
    public var flagChance: Double = 0.02
    /// The seed of the generator.
    public var seed: UInt64 = 212
    /// Seconds to wait for the last acknowledgements.
    public var ackTimeout: Double = 10
    /// Seconds each logger stays connected after its last answer, answering platform requests (history back-fill …).
    public var linger: Double = 0
    /// When set, every acknowledged upload is written here as `mn,YYYY-MM-DDTHH:MM:SS,code;code;…` (China time).
    public var ackLog: String?

    /// Creates a configuration with the defaults.
    public init() {}
}

/// What a simulation saw.
public struct SimulatorReport: Codable, Sendable {
    /// Loggers that connected.
    public var connected = 0
    /// Loggers that failed to connect or were disconnected.
    public var connectionErrors = 0
    /// Well-formed packets sent (pieces counted one by one, resends included).
    public var packetsSent = 0
    /// Corrupted frames sent (no answer expected).
    public var corruptedSent = 0
    /// Packets sent a second time.
    public var resent = 0
    /// Segment pieces sent.
    public var segmentPieces = 0
    /// Answers (9014) expected.
    public var acksExpected = 0
    /// Answers received.
    public var acksReceived = 0
    /// Answers that never came.
    public var acksMissing = 0
    /// Answers whose QN matched nothing sent.
    public var unexpectedAcks = 0
    /// Platform requests answered (9011/9012), e.g. history back-fill.
    public var requestsAnswered = 0
    /// Seconds from first send to last answer.
    public var elapsed: Double = 0
    /// Well-formed packets per second over the run.
    public var packetsPerSecond: Double = 0
    /// Answer latency percentiles in milliseconds (send to 9014, measured by the logger).
    public var ackLatencyP50: Double = 0
    /// 95th percentile.
    public var ackLatencyP95: Double = 0
    /// 99th percentile.
    public var ackLatencyP99: Double = 0
    /// The slowest answer.
    public var ackLatencyMax: Double = 0

    enum CodingKeys: String, CodingKey {
        case connected, connectionErrors = "connection_errors", packetsSent = "packets_sent", corruptedSent = "corrupted_sent"
        case resent, segmentPieces = "segment_pieces", acksExpected = "acks_expected", acksReceived = "acks_received"
        case acksMissing = "acks_missing", unexpectedAcks = "unexpected_acks", requestsAnswered = "requests_answered"
        case elapsed, packetsPerSecond = "packets_per_second", ackLatencyP50 = "ack_latency_p50_ms"
        case ackLatencyP95 = "ack_latency_p95_ms", ackLatencyP99 = "ack_latency_p99_ms", ackLatencyMax = "ack_latency_max_ms"
    }
}

/// Virtual data loggers that connect to a gateway and send realistic HJ 212 traffic, verifying every answer. Drives
/// the demo, the tests and the load tests (`qingshan simulate`).
public struct DeviceSimulator: Sendable {
    let configuration: SimulatorConfiguration
    let logger: Logger

    /// Creates a simulator.
    public init(configuration: SimulatorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The MNs and passwords of the virtual devices, for registering them.
    public func devices() -> [(mn: String, password: String, dialect: String)] {
        (0..<configuration.loggers).map { index in
            let source = configuration.sources[index % configuration.sources.count]
            let logger = SimulatedLogger(index: index, source: source, dialect: configuration.dialect, password: configuration.password,
                                         seed: configuration.seed)
            return (logger.mn, configuration.password, configuration.dialect.rawValue)
        }
    }

    /// Runs every logger and returns what was seen.
    public func run() async -> SimulatorReport {
        let totals = Totals()
        let ackLog = configuration.ackLog.flatMap(AckLog.init(path:))
        let started = ContinuousClock.now
        await withDiscardingTaskGroup { group in
            for index in 0..<configuration.loggers {
                group.addTask {
                    let result = await runLogger(index: index, ackLog: ackLog)
                    totals.state.withLock { total in
                        total.connected += result.report.connected
                        total.connectionErrors += result.report.connectionErrors
                        total.packetsSent += result.report.packetsSent
                        total.corruptedSent += result.report.corruptedSent
                        total.resent += result.report.resent
                        total.segmentPieces += result.report.segmentPieces
                        total.acksExpected += result.report.acksExpected
                        total.acksReceived += result.report.acksReceived
                        total.acksMissing += result.report.acksMissing
                        total.unexpectedAcks += result.report.unexpectedAcks
                        total.requestsAnswered += result.report.requestsAnswered
                    }
                    totals.latencies.withLock { $0 += result.latencies }
                }
            }
        }
        ackLog?.close()
        var report = totals.state.withLock { $0 }
        let elapsed = ContinuousClock.now - started
        report.elapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        report.packetsPerSecond = report.elapsed > 0 ? Double(report.packetsSent) / report.elapsed : 0
        let sorted = totals.latencies.withLock { $0 }.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let value = sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1 < 0 ? 0 : Int((Double(sorted.count) * p).rounded(.up)) - 1)]
            return (value * 1000).rounded() / 1000
        }
        report.ackLatencyP50 = percentile(0.50)
        report.ackLatencyP95 = percentile(0.95)
        report.ackLatencyP99 = percentile(0.99)
        report.ackLatencyMax = ((sorted.last ?? 0) * 1000).rounded() / 1000
        return report
    }

    private final class Totals: Sendable {
        let state = Mutex(SimulatorReport())
        let latencies = Mutex([Double]())
    }

    /// The file of acknowledged uploads, written line by line from every logger.
    private final class AckLog: Sendable {
        let handle: Mutex<FileHandle>

        init?(path: String) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
            self.handle = Mutex(handle)
        }

        func write(_ line: String) {
            handle.withLock { $0.write(Data((line + "\n").utf8)) }
        }

        func close() {
            handle.withLock { try? $0.close() }
        }
    }

    private struct LoggerResult {
        var report = SimulatorReport()
        var latencies: [Double] = []
    }

    /// The state one logger shares between its sending loop and its reading task.
    private final class Pending: Sendable {
        struct State {
            var outstanding: [String: (sent: ContinuousClock.Instant, expected: Int, line: String)] = [:]
            var latencies: [Double] = []
            var received = 0
            var unexpected = 0
            var requests = 0
            /// Whether the gateway closed the connection.
            var closed = false
        }
        let state = Mutex(State())
        /// Rung when an answer frees a place in the window (and by a ticker, so timeouts are checked), finished when the
        /// connection ends: the sender waits on it instead of polling.
        let room: AsyncStream<Void>
        let ring: AsyncStream<Void>.Continuation

        init() {
            (room, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        }
    }

    private func runLogger(index: Int, ackLog: AckLog?) async -> LoggerResult {
        let configuration = self.configuration
        var result = LoggerResult()
        let source = configuration.sources[index % configuration.sources.count]
        var device = SimulatedLogger(index: index, source: source, dialect: configuration.dialect, password: configuration.password,
                                     seed: configuration.seed)
        let channel: NIOAsyncChannel<[Result<HJ212Frame, HJ212DecodingError>], ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HJ212FrameDecoderAdapter(configuration: .init())))
                        return try NIOAsyncChannel<[Result<HJ212Frame, HJ212DecodingError>], ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            logger.warning("logger \(index) could not connect: \(error)")
            result.report.connectionErrors = 1
            return result
        }
        result.report.connected = 1
        let pending = Pending()
        let mn = device.mn, password = configuration.password, dialect = configuration.dialect, st = source.systemCode
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Reader: answers (9014) and platform requests.
                    group.addTask {
                        var responder = SimulatedLogger(index: index, source: source, dialect: dialect, password: password,
                                                        seed: configuration.seed &+ 99)
                        for try await results in inbound {
                            for case .success(let frame) in results {
                                guard let packet = try? HJ212Packet(frame: frame) else { continue }
                                if packet.cn == "9014" {
                                    let now = ContinuousClock.now
                                    let line: String? = pending.state.withLock { state in
                                        guard let qn = packet.qn, var entry = state.outstanding[qn] else {
                                            state.unexpected += 1
                                            return nil
                                        }
                                        state.received += 1
                                        let latency = now - entry.sent
                                        state.latencies.append(Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15)
                                        entry.expected -= 1
                                        state.outstanding[qn] = entry.expected > 0 ? entry : nil
                                        return entry.expected == 0 ? entry.line : nil
                                    }
                                    pending.ring.yield()
                                    if let line { ackLog?.write(line) }
                                } else if packet.needsAcknowledgement, packet.qn != nil, !packet.cn.hasPrefix("90") {
                                    try await answer(packet, device: &responder, outbound: outbound, pending: pending, mn: mn, st: st)
                                }
                            }
                        }
                        pending.state.withLock { $0.closed = true }
                        pending.ring.finish()   // the gateway closed the connection: nothing more will come
                    }
                    // Ticker: wakes a sender waiting for room now and then, so it notices its deadline.
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: .milliseconds(100))
                            pending.ring.yield()
                        }
                    }
                    // Sender.
                    try await send(device: &device, outbound: outbound, pending: pending, report: &result.report)
                    // Wait for the last answers.
                    let deadline = ContinuousClock.now + .milliseconds(Int64(configuration.ackTimeout * 1000))
                    while ContinuousClock.now < deadline {
                        if pending.state.withLock({ $0.outstanding.isEmpty }) { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    // Linger to answer the platform's requests, until the time is up or the gateway closes the connection.
                    let lingerEnd = ContinuousClock.now + .milliseconds(Int64(configuration.linger * 1000))
                    while ContinuousClock.now < lingerEnd, !pending.state.withLock({ $0.closed }) {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
        } catch {
            logger.debug("logger \(index) stopped: \(error)")
        }
        pending.state.withLock { state in
            result.report.acksReceived = state.received
            result.report.unexpectedAcks = state.unexpected
            result.report.acksMissing = state.outstanding.values.reduce(0) { $0 + $1.expected }
            result.report.requestsAnswered = state.requests
            result.latencies = state.latencies
        }
        return result
    }

    private func send(device: inout SimulatedLogger, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, pending: Pending,
                      report: inout SimulatorReport) async throws {
        let configuration = self.configuration
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int64(configuration.duration * 1000))
        var hour = 0
        var packetNumber = 0
        var room = pending.room.makeAsyncIterator()
        while clock.now < end && (configuration.hoursPerLogger == 0 || hour < configuration.hoursPerLogger) {
            if configuration.packetsPerSecond > 0 {
                let due = start + .milliseconds(Int64(Double(packetNumber) / configuration.packetsPerSecond * 1000))
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
            }
            while pending.state.withLock({ $0.outstanding.count }) >= configuration.window {
                if clock.now > end + .seconds(Int64(configuration.ackTimeout)) { return }
                if await room.next() == nil { return }
            }
            let date = configuration.start.addingTimeInterval(Double(hour) * 3600)
            let c = LocalTime.components(date)
            guard let stamp = HJ212Timestamp(year: c.year, month: c.month, day: c.day, hour: c.hour) else { return }
            hour += 1
            let split = configuration.segmentEvery > 0 && hour % configuration.segmentEvery == 0
            let messages = device.hourlyPackets(at: stamp, pieces: split ? 2 : 1, exceedanceChance: configuration.exceedanceChance,
                                                flagChance: configuration.flagChance)
            var buffers: [ByteBuffer] = []
            for message in messages {
                packetNumber += 1
                var buffer = ByteBuffer()
                message.encode(into: &buffer)
                if configuration.corruptEvery > 0 && packetNumber % configuration.corruptEvery == 0 {
                    var corrupted = buffer
                    let position = corrupted.readerIndex + 30
                    if let byte = corrupted.getInteger(at: position, as: UInt8.self) {
                        corrupted.setInteger(byte == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7"), at: position)
                    }
                    buffers.append(corrupted)
                    report.corruptedSent += 1
                }
                let resend = configuration.resendEvery > 0 && packetNumber % configuration.resendEvery == 0
                let qn = message.qn ?? ""
                let codes = message.items.dropFirst().compactMap { $0.first?.key.split(separator: "-").first.map(String.init) }
                let line = "\(device.mn),\(LocalTime.format(date)),\(codes.joined(separator: ";"))"
                pending.state.withLock { $0.outstanding[qn] = (clock.now, resend ? 2 : 1, line) }
                buffers.append(buffer)
                report.packetsSent += 1
                report.acksExpected += 1
                if split { report.segmentPieces += 1 }
                if resend {
                    buffers.append(buffer)
                    report.packetsSent += 1
                    report.acksExpected += 1
                    report.resent += 1
                }
            }
            try await outbound.write(contentsOf: buffers)
        }
    }

    /// Answers a platform request as a data logger does (HJ 212-2017 6.5.1): 9011, the data asked for, 9012.
    private func answer(_ request: HJ212Packet, device: inout SimulatedLogger, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
                        pending: Pending, mn: String, st: String) async throws {
        var buffers: [ByteBuffer] = []
        func add(_ message: HJ212Message) {
            var buffer = ByteBuffer()
            message.encode(into: &buffer)
            buffers.append(buffer)
        }
        add(.requestAnswer(to: request, result: .ready))
        if request.cn == "2061" || request.cn == "2051" {
            let items = request.items
            let begin = items.first { $0.field == "BeginTime" }?.text ?? ""
            let end = items.first { $0.field == "EndTime" }?.text ?? ""
            if let from = Self.n14(begin), let to = Self.n14(end) {
                var t = from
                while t <= to {
                    let c = LocalTime.components(t)
                    if let stamp = HJ212Timestamp(year: c.year, month: c.month, day: c.day, hour: c.hour) {
                        for var message in device.hourlyPackets(at: stamp, pieces: 1, exceedanceChance: 0, flagChance: 0) {
                            message.flag = (message.flag ?? 1) - 1   // history data: no answer needed
                            add(message)
                        }
                    }
                    t = t.addingTimeInterval(3600)
                }
            }
        } else if request.cn == "1061" {
            add(HJ212Message(qn: request.qn, st: st, cn: "1061", pw: configuration.password, mn: mn, flag: request.dialect.replyFlag,
                             items: [[.init("RtdInterval", "30")]]))
        } else if request.cn == "1063" {
            add(HJ212Message(qn: request.qn, st: st, cn: "1063", pw: configuration.password, mn: mn, flag: request.dialect.replyFlag,
                             items: [[.init("MinInterval", "10")]]))
        }
        add(.executionResult(to: request, result: .success))
        pending.state.withLock { $0.requests += 1 }
        try await outbound.write(contentsOf: buffers)
    }

    static func n14(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count >= 14, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        func n(_ a: Int, _ b: Int) -> Int { Int(String(decoding: digits[a..<b], as: UTF8.self)) ?? 0 }
        return LocalTime.date(year: n(0, 4), month: n(4, 6), day: n(6, 8), hour: n(8, 10), minute: n(10, 12), second: n(12, 14))
    }
}
