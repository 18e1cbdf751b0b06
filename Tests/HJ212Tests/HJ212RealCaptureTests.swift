import HJ212
import NIOCore
import Testing

/// An excerpt of the real captures in `../shared/data/hj212-real` (Hebei 2005 traffic with every defect kind seen,
/// a 2017 logger, the mixed log with byte-swapped MODBUS CRCs): 454 CR LF records, 418 valid by the README's rule.
struct HJ212RealCaptureTests {
    @Test func excerptDecodesAsExpected() throws {
        let bytes = Wire.fixture("hj212-real-excerpt.bin")
        // Frames with valid length and CRC: exactly the records the README counts as valid.
        var decoder = HJ212FrameDecoder()
        var buffer = ByteBufferAllocator().buffer(bytes: bytes)
        var frames = 0
        while let result = try decoder.decodeLast(buffer: &buffer, seenEOF: true) {
            if case .success = result { frames += 1 }
        }
        #expect(frames == 418)
        // Packets and errors by kind.
        var counts: [String: Int] = [:]
        var dialects: [String: Int] = [:]
        for event in Wire.decode(bytes) {
            switch event {
            case .packet(let packet):
                counts["ok", default: 0] += 1
                dialects[packet.dialect.rawValue, default: 0] += 1
                _ = packet.items  // materialises without trapping
            case .failure(let error):
                counts[error.kind.name, default: 0] += 1
            }
        }
        #expect(counts == ["ok": 415, "bad_encoding": 3, "bad_header": 3, "bad_length": 10, "bad_crc": 22])
        #expect(dialects == ["2005": 337, "2017": 78])
    }
}
