import HJ212
import Testing

/// HJ 212-2017 附录A checksum: known answers and agreement of the sliced table form with the bit-by-bit C code.
struct HJ212CRCTests {
    static let knownAnswers: [(data: String, crc: UInt16)] = [
        // The standard's own example (CRC printed in 附录A).
        ("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&", 0x1C80),
        // Real 2005 waste-water upload.
        ("ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&", 0x4980),
        // 9014 data answer of 附录C.14.
        ("QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&", 0x3240),
        // Log text with UTF-8 (CRC over bytes, not characters).
        ("QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20100301145000;PolId=w01018;i11001-Info=//清洗管路//&&", 0x9741),
    ]

    @Test func knownAnswers() {
        for (data, crc) in Self.knownAnswers {
            #expect(HJ212CRC.checksum(Array(data.utf8)) == crc, "\(data)")
            #expect(HJ212CRC.checksumBitwise(Array(data.utf8)) == crc)
            Array(data.utf8).withUnsafeBytes { #expect(HJ212CRC.checksum($0) == crc) }
        }
    }

    @Test func isNotModbus() {
        let data = Array(Self.knownAnswers[0].data.utf8)
        #expect(HJ212CRC.modbus(data) == 0x0759)
        #expect(HJ212CRC.checksum(data) != HJ212CRC.modbus(data))
    }

    @Test func emptyAndShortInputs() {
        #expect(HJ212CRC.checksum([UInt8]()) == 0xFFFF)
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(HJ212CRC.checksum(bytes) == HJ212CRC.checksumBitwise(bytes), "length \(length)")
        }
    }

    /// The sliced form equals the reference for random inputs of every length and alignment.
    @Test func slicedEqualsBitwise() {
        var generator = SplitMix(seed: 212)
        for _ in 0..<2000 {
            let length = Int(generator.next() % 1100)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let offset = Int(generator.next() % 8)
            let padded = [UInt8](repeating: 0, count: offset) + bytes
            padded.withUnsafeBytes { raw in
                #expect(HJ212CRC.checksum(UnsafeRawBufferPointer(rebasing: raw[offset...])) == HJ212CRC.checksumBitwise(bytes))
            }
        }
    }

    /// hj212.md §3: the register keeps 8 bits between bytes, so the low byte of every CRC is one of 8 values.
    @Test func lowByteHasEightValues() {
        var generator = SplitMix(seed: 7)
        var lows = Set<UInt8>()
        for _ in 0..<5000 {
            let bytes = (0..<Int(1 + generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            lows.insert(UInt8(truncatingIfNeeded: HJ212CRC.checksum(bytes)))
        }
        #expect(lows.isSubset(of: [0x00, 0x01, 0x40, 0x41, 0x80, 0x81, 0xC0, 0xC1]))
    }
}

/// A small deterministic generator for tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
