public import NIOCore

/// One HJ 212 communication packet whose framing, length and CRC are valid (HJ 212-2017 6.3.1, 表2):
/// `##` + 4-digit length + data segment + 4 hex digits of CRC (the trailing CR LF is not part of ``bytes``).
///
/// The bytes are a view (a `ByteBuffer` slice) into the buffer they were received in: nothing is copied.
/// Parse the data segment with ``HJ212Packet/init(frame:)``.
public struct HJ212Frame: Sendable, Hashable {
    /// The frame from its `##` to the last CRC digit.
    public var bytes: ByteBuffer
    /// The byte offset of the frame's `##` in the stream it was read from.
    public var offset: Int
    /// The checksum sent with the frame (equal to the one computed, unless ``deviations`` holds `.modbusCRC`).
    public var checksum: UInt16
    /// Framing deviations: `.lowercaseCRC`, `.oversize`, `.modbusCRC`.
    public var deviations: HJ212Deviations

    /// Creates a frame from its parts; the scanner and ``HJ212FrameDecoder`` do this after checking length and CRC.
    /// - Parameters:
    ///   - bytes: the bytes from `##` to the last CRC digit.
    ///   - offset: the stream offset of the `##`.
    ///   - checksum: the checksum sent.
    ///   - deviations: framing deviations found.
    public init(bytes: ByteBuffer, offset: Int, checksum: UInt16, deviations: HJ212Deviations = []) {
        self.bytes = bytes
        self.offset = offset
        self.checksum = checksum
        self.deviations = deviations
    }

    /// The number of bytes of the data segment (the value of the 4-digit length field).
    public var dataLength: Int { bytes.readableBytes - 10 }

    /// The data segment (`QN=…;…;CP=&&…&&`), a view into ``bytes``.
    public var dataSegment: ByteBuffer {
        bytes.getSlice(at: bytes.readerIndex + 6, length: dataLength)!
    }

    /// The frame as it goes on the wire, with CR LF.
    public var wireBytes: [UInt8] {
        var result = Array(bytes.readableBytesView)
        result.append(13)
        result.append(10)
        return result
    }
}
