public import NIOCore

/// Frames an HJ 212 byte stream for a SwiftNIO pipeline (HJ 212-2017 6.3.1).
///
/// Wrap it in `ByteToMessageHandler(NIOSingleStepByteToMessageDecoder-adapter)` or use it with
/// `NIOSingleStepByteToMessageProcessor`. Each output is either a frame whose length and CRC are valid or the error of
/// a rejected frame: a bad frame never closes the connection by itself (the handler decides), and the decoder
/// resynchronises on the next `##dddd`. Junk between frames is dropped at once; at most one frame's worth of bytes
/// (the configured maximum data length + 12) is buffered while a frame is incomplete.
public struct HJ212FrameDecoder: NIOSingleStepByteToMessageDecoder {
    /// A frame with valid length and CRC, or why the bytes at an offset were rejected.
    public typealias InboundOut = Result<HJ212Frame, HJ212DecodingError>

    /// The scanner that finds and checks frames.
    public var scanner: HJ212FrameScanner
    /// The stream offset of the first byte not yet consumed (frames and errors carry stream offsets).
    public private(set) var streamOffset: Int = 0
    /// How many junk bytes (outside any frame) were skipped so far.
    public private(set) var skippedBytes: Int = 0

    /// Creates a decoder.
    /// - Parameter configuration: limits and leniency of the scanner.
    public init(configuration: HJ212FrameScanner.Configuration = .init()) {
        self.scanner = HJ212FrameScanner(configuration: configuration)
    }

    /// Decodes the next frame or error, or returns nil when more bytes are needed.
    /// - Parameter buffer: the buffered bytes; consumed bytes are read from it.
    /// - Returns: a frame, an error, or nil.
    public mutating func decode(buffer: inout ByteBuffer) throws -> InboundOut? {
        step(&buffer, isEndOfStream: false)
    }

    /// Decodes what remains when the stream ends: incomplete frames become `truncated` errors.
    /// - Parameters:
    ///   - buffer: the buffered bytes.
    ///   - seenEOF: whether the end of the stream was seen (treated the same either way: nothing more will come).
    /// - Returns: a frame, an error, or nil when nothing is left.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> InboundOut? {
        step(&buffer, isEndOfStream: true)
    }

    /// One scan step; shared by ``decode(buffer:)``, ``decodeLast(buffer:seenEOF:)`` and ``HJ212StreamDecoder``.
    mutating func step(_ buffer: inout ByteBuffer, isEndOfStream: Bool) -> InboundOut? {
        let scanner = self.scanner
        let result = buffer.withUnsafeReadableBytes { scanner.scan($0, isEndOfStream: isEndOfStream) }
        switch result {
        case .needMoreData(let discardable):
            skippedBytes += discardable
            streamOffset += discardable
            buffer.moveReaderIndex(forwardBy: discardable)
            return nil
        case .frame(let start, let end, let checksum, let deviations, let consumed):
            let bytes = buffer.getSlice(at: buffer.readerIndex + start, length: end - start)!
            let frame = HJ212Frame(bytes: bytes, offset: streamOffset + start, checksum: checksum, deviations: deviations)
            skippedBytes += start
            streamOffset += consumed
            buffer.moveReaderIndex(forwardBy: consumed)
            return .success(frame)
        case .rejected(let kind, let start, let consumed, let detail):
            let error = HJ212DecodingError(kind, offset: streamOffset + start, detail: detail)
            skippedBytes += start
            streamOffset += consumed
            buffer.moveReaderIndex(forwardBy: consumed)
            return .failure(error)
        }
    }
}
