import NIOCore

/// Decodes a byte stream into packets and errors without a NIO pipeline: feed bytes with ``append(_:)``, take
/// results with ``next()``, and call ``finish()`` when the stream ends. Used by `qingshan hj212 decode`, the tests
/// and the fuzz target; the gateway uses ``HJ212FrameDecoder`` and ``HJ212Packet/init(frame:)`` directly.
public struct HJ212StreamDecoder {
    /// One decoded packet or one rejected frame.
    public enum Event: Sendable {
        /// A packet (framing, length, CRC, encoding and structure valid; deviations recorded).
        case packet(HJ212Packet)
        /// A rejected frame.
        case failure(HJ212DecodingError)
    }

    /// Options for decoding.
    public struct Options: Sendable, Hashable {
        /// The scanner's limits and leniency.
        public var framing: HJ212FrameScanner.Configuration
        /// Whether any deviation turns the packet into an error (of the first deviation's ``HJ212Deviations/errorKind``).
        public var strict: Bool

        /// Creates options.
        /// - Parameters:
        ///   - framing: the scanner's configuration.
        ///   - strict: whether deviations are errors.
        public init(framing: HJ212FrameScanner.Configuration = .init(), strict: Bool = false) {
            self.framing = framing
            self.strict = strict
        }
    }

    private var buffer: ByteBuffer
    private var decoder: HJ212FrameDecoder
    private var ended = false
    /// The options.
    public let options: Options

    /// Creates a decoder.
    /// - Parameter options: framing configuration and strictness.
    public init(options: Options = Options()) {
        self.options = options
        self.decoder = HJ212FrameDecoder(configuration: options.framing)
        self.buffer = ByteBufferAllocator().buffer(capacity: 16_384)
    }

    /// How many bytes outside any frame were skipped so far.
    public var skippedBytes: Int { decoder.skippedBytes }

    /// Adds bytes received.
    /// - Parameter bytes: the next bytes of the stream.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if buffer.readerIndex > 65_536 && buffer.readerIndex > buffer.readableBytes { buffer.discardReadBytes() }
        buffer.writeBytes(bytes)
    }

    /// Adds bytes received.
    /// - Parameter bytes: the next bytes of the stream.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if buffer.readerIndex > 65_536 && buffer.readerIndex > buffer.readableBytes { buffer.discardReadBytes() }
        buffer.writeBytes(bytes)
    }

    /// The next packet or error from the bytes so far; nil when more bytes are needed.
    /// - Returns: an event, or nil.
    public mutating func next() -> Event? {
        while let result = decoder.step(&buffer, isEndOfStream: ended) {
            return event(result)
        }
        return nil
    }

    /// Marks the end of the stream; from now on ``next()`` reports incomplete frames as `truncated` and returns nil
    /// once everything is consumed.
    public mutating func finish() {
        ended = true
    }

    /// Decodes a whole byte stream.
    /// - Parameters:
    ///   - bytes: the stream.
    ///   - options: framing configuration and strictness.
    /// - Returns: the events in stream order.
    public static func decodeAll(_ bytes: some Sequence<UInt8>, options: Options = Options()) -> [Event] {
        var decoder = HJ212StreamDecoder(options: options)
        decoder.append(bytes)
        decoder.finish()
        var events: [Event] = []
        while let event = decoder.next() { events.append(event) }
        return events
    }

    private func event(_ result: Result<HJ212Frame, HJ212DecodingError>) -> Event {
        switch result {
        case .failure(let error):
            return .failure(error)
        case .success(let frame):
            do {
                let packet = try HJ212Packet(frame: frame)
                if options.strict, let kind = packet.deviations.errorKind {
                    let names = packet.deviations.names.joined(separator: ", ")
                    return .failure(
                        HJ212DecodingError(kind, offset: frame.offset, detail: "strict mode: the packet deviates from HJ 212 (\(names))")
                    )
                }
                return .packet(packet)
            } catch {
                return .failure(error)
            }
        }
    }
}

extension HJ212StreamDecoder.Event {
    /// The event as one line of JSON (see ``HJ212Packet/jsonLine`` and ``HJ212DecodingError/jsonLine``).
    public var jsonLine: String {
        switch self {
        case .packet(let packet): packet.jsonLine
        case .failure(let error): error.jsonLine
        }
    }
}
