#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HJ212

/// Helpers shared by the HJ212 tests.
enum Wire {
    /// The fixture folder next to this file (the tests do not depend on ../shared).
    static let fixtures: String = {
        var path = "\(#filePath)"
        while let last = path.last, last != "/" { path.removeLast() }
        return path + "Fixtures/"
    }()

    /// Reads a fixture as bytes.
    static func fixture(_ name: String) -> [UInt8] {
        let path = fixtures + name
        guard let file = fopen(path, "rb") else { fatalError("missing fixture \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Frames a data segment with its length and CRC, computed with the bit-by-bit reference of HJ 212-2017 附录A.
    static func frame(_ data: String, crlf: Bool = true, lowercase: Bool = false) -> [UInt8] {
        let bytes = Array(data.utf8)
        var crc = String(HJ212CRC.checksumBitwise(bytes), radix: 16, uppercase: !lowercase)
        while crc.count < 4 { crc = "0" + crc }
        var length = String(bytes.count)
        while length.count < 4 { length = "0" + length }
        return Array("##\(length)".utf8) + bytes + Array(crc.utf8) + (crlf ? [13, 10] : [])
    }

    /// Frames raw data-segment bytes (which may be invalid UTF-8).
    static func frame(bytes: [UInt8]) -> [UInt8] {
        var crc = String(HJ212CRC.checksumBitwise(bytes), radix: 16, uppercase: true)
        while crc.count < 4 { crc = "0" + crc }
        var length = String(bytes.count)
        while length.count < 4 { length = "0" + length }
        return Array("##\(length)".utf8) + bytes + Array(crc.utf8) + [13, 10]
    }

    /// Decodes a whole stream.
    static func decode(_ bytes: [UInt8], strict: Bool = false) -> [HJ212StreamDecoder.Event] {
        HJ212StreamDecoder.decodeAll(bytes, options: .init(strict: strict))
    }

    /// Decodes one packet that must be accepted.
    static func packet(_ bytes: [UInt8]) throws -> HJ212Packet {
        let events = decode(bytes)
        guard events.count == 1, case .packet(let packet) = events[0] else {
            throw Failure(message: "expected one packet, got \(events.map(\.jsonLine))")
        }
        return packet
    }

    /// Decodes one frame that must be rejected.
    static func error(_ bytes: [UInt8], strict: Bool = false) throws -> HJ212DecodingError {
        let events = decode(bytes, strict: strict)
        guard events.count == 1, case .failure(let error) = events[0] else {
            throw Failure(message: "expected one error, got \(events.map(\.jsonLine))")
        }
        return error
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Hex string to bytes.
    static func hex(_ text: some StringProtocol) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

extension HJ212StreamDecoder.Event {
    var packet: HJ212Packet? {
        if case .packet(let packet) = self { return packet }
        return nil
    }

    var error: HJ212DecodingError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
