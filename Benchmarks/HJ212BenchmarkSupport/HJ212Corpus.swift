#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HJ212

/// Typical HJ 212 traffic for the decode benchmarks: a deterministic mix of the packets a county gateway receives.
///
/// 40 % 2017 real-time air-station uploads (CN 2011, 8 factors, ~345 bytes), 30 % 2017 hourly waste-water data
/// (CN 2061, Cou/Min/Avg/Max/Flag, ~330 bytes), 20 % 2017 flue-gas minute data with converted values (CN 2051,
/// ~700 bytes), 10 % HJ/T 212-2005 real-time waste-water uploads (~140 bytes); every packet with its own QN, values
/// and CRC, followed by CR LF.
public struct HJ212Corpus: Sendable {
    /// The packets, concatenated.
    public let bytes: [UInt8]
    /// How many packets.
    public let count: Int

    /// Generates `count` packets.
    /// - Parameter count: the number of packets.
    public init(count: Int) {
        var state: UInt64 = 212
        func random() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func value(_ scale: Int, decimals: Int) -> String {
            let units = Int(random() % UInt64(scale * 1000))
            var text = String(units / 1000)
            if decimals > 0 {
                var fraction = String(units % 1000)
                while fraction.count < 3 { fraction = "0" + fraction }
                text += "." + fraction.prefix(decimals)
            }
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(count * 420)
        for index in 0..<count {
            let qn = "2026010108\(String(10 + index % 50))\(String(10 + index % 49))\(String(100 + index % 900))"
            let data: String
            switch index % 10 {
            case 0, 1, 2, 3:
                let codes = ["a34002", "a34004", "a21026", "a21004", "a21005", "a05024", "a01001", "a01002"]
                let items = codes.map { "\($0)-Rtd=\(value(200, decimals: 2)),\($0)-Flag=N" }.joined(separator: ";")
                data = "QN=\(qn);ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20260101080000;\(items)&&"
            case 4, 5, 6:
                let codes = ["w00000", "w01018", "w21003"]
                let items = codes.map { code in
                    "\(code)-Cou=\(value(100, decimals: 1)),\(code)-Min=\(value(50, decimals: 1)),\(code)-Avg=\(value(50, decimals: 1)),\(code)-Max=\(value(50, decimals: 1)),\(code)-Flag=N"
                }.joined(separator: ";")
                data = "QN=\(qn);ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC1;Flag=5;CP=&&DataTime=20260101070000;\(items)&&"
            case 7, 8:
                let codes = ["a34013", "a21026", "a21002", "a21005", "a19001"]
                let items = codes.map { code in
                    "\(code)-Min=\(value(90, decimals: 2)),\(code)-Avg=\(value(90, decimals: 2)),\(code)-Max=\(value(90, decimals: 2)),\(code)-ZsAvg=\(value(90, decimals: 2)),\(code)-Cou=\(value(9, decimals: 3)),\(code)-Flag=N"
                }.joined(separator: ";")
                data = "QN=\(qn);ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC2;Flag=5;CP=&&DataTime=20260101075000;\(items)&&"
            default:
                data = "ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20260101080000000;B01-Rtd=\(value(40, decimals: 2));011-Rtd=\(value(300, decimals: 1)),011-Flag=N;060-Rtd=\(value(2, decimals: 3)),060-Flag=N&&"
            }
            let segment = Array(data.utf8)
            var length = String(segment.count)
            while length.count < 4 { length = "0" + length }
            var crc = String(HJ212CRC.checksumBitwise(segment), radix: 16, uppercase: true)
            while crc.count < 4 { crc = "0" + crc }
            out += Array("##\(length)".utf8) + segment + Array(crc.utf8) + [13, 10]
        }
        self.bytes = out
        self.count = count
    }

    /// The memchr-style baseline: counts line ends with `memchr`, touching every byte once at memory speed.
    /// - Parameter bytes: the stream.
    /// - Returns: the number of LF bytes.
    public static func memchrLines(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard var pointer = bytes.baseAddress else { return 0 }
        let end = pointer + bytes.count
        var lines = 0
        while pointer < end, let found = memchr(pointer, 10, end - pointer) {
            lines += 1
            pointer = UnsafeRawPointer(found) + 1
        }
        return lines
    }
}
