import HJ212
import Testing

/// Every line of `hj212-vectors.txt` (a copy of `../shared/hj212-vectors.txt`) decodes to its expected outcome.
struct HJ212VectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var expect: String
        var id: String
        var bytes: [UInt8]
        var testDescription: String { id }
    }

    static let vectors: [Vector] = {
        let text = String(decoding: Wire.fixture("hj212-vectors.txt"), as: UTF8.self)
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.isEmpty else { return nil }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            let bytes = columns[2] == "hex" ? Wire.hex(columns[3]) : Array(columns[3].utf8)
            return Vector(expect: String(columns[0]), id: String(columns[1]), bytes: bytes)
        }
    }()

    static let errorKinds: [String: HJ212DecodingError.Kind] = [
        "BAD_CRC": .badCRC, "BAD_LENGTH": .badLength, "TRUNCATED": .truncated, "BAD_STRUCTURE": .badStructure,
        "BAD_HEADER": .badHeader, "BAD_ENCODING": .badEncoding,
    ]

    @Test func fileHasEveryVector() {
        #expect(Self.vectors.count == 33)
    }

    /// Lenient and strict outcomes for one vector, with CR LF, without it, and fed one byte at a time.
    @Test(arguments: vectors)
    func vector(_ vector: Vector) throws {
        for terminator in [[13, 10], [10], []] as [[UInt8]] {
            let bytes = vector.bytes + terminator
            let lenient = Wire.decode(bytes)
            let strict = Wire.decode(bytes, strict: true)
            #expect(lenient.count == 1, "\(vector.id): \(lenient.map(\.jsonLine))")
            #expect(strict.count == 1, "\(vector.id) strict: \(strict.map(\.jsonLine))")
            guard let outcome = lenient.first, let strictOutcome = strict.first else { continue }
            switch vector.expect {
            case "OK", "RESYNC_OK":
                let packet = try #require(outcome.packet, "\(vector.id): \(outcome.jsonLine)")
                #expect(packet.deviations.isEmpty, "\(vector.id): \(packet.deviations)")
                #expect(strictOutcome.packet != nil)
            case "OK_NONSTD":
                let packet = try #require(outcome.packet, "\(vector.id): \(outcome.jsonLine)")
                #expect(!packet.deviations.isEmpty)
                #expect(strictOutcome.error != nil)
            case "OVERSIZE":
                let packet = try #require(outcome.packet)
                #expect(packet.deviations == .oversize)
                #expect(strictOutcome.error?.kind == .oversize)
            case "BAD_HEADER_FIELD":
                let packet = try #require(outcome.packet)
                #expect(packet.deviations == [.headerKeyCase, .headerSeparator])
                #expect(strictOutcome.error?.kind == .badHeader)
            default:
                let kind = try #require(Self.errorKinds[vector.expect])
                #expect(outcome.error?.kind == kind, "\(vector.id): \(outcome.jsonLine)")
                #expect(outcome.error?.offset == 0)
                #expect(strictOutcome.error?.kind == kind)
            }
            // The same stream split into single bytes gives the same outcome.
            var decoder = HJ212StreamDecoder()
            var events: [HJ212StreamDecoder.Event] = []
            for byte in bytes {
                decoder.append([byte])
                while let event = decoder.next() { events.append(event) }
            }
            decoder.finish()
            while let event = decoder.next() { events.append(event) }
            #expect(events.map(\.jsonLine) == lenient.map(\.jsonLine), "\(vector.id) byte by byte")
        }
    }

    /// All vectors in one stream, with junk between them: each is found at its offset with its outcome.
    @Test func allVectorsInOneStream() throws {
        var stream: [UInt8] = Array("modem AT+CIPSEND junk\r\n".utf8)
        var expected: [(offset: Int, expect: String)] = []
        for (index, vector) in Self.vectors.enumerated() {
            expected.append((stream.count, vector.expect))
            stream += vector.bytes + [13, 10]
            if index % 3 == 0 { stream += Array("\r\n#x garbage \0\r\n".utf8) }
        }
        let events = Wire.decode(stream)
        #expect(events.count == expected.count)
        for (event, expectation) in zip(events, expected) {
            switch event {
            case .packet(let packet):
                #expect(packet.frame.offset == expectation.offset)
                #expect(["OK", "OK_NONSTD", "OVERSIZE", "BAD_HEADER_FIELD"].contains(expectation.expect))
            case .failure(let error):
                #expect(error.offset == expectation.offset)
                #expect(Self.errorKinds[expectation.expect] == error.kind, "\(error)")
            }
        }
    }

    /// Exact JSON for representative vectors (the interface `qingshan hj212 decode` prints).
    @Test func jsonOfStandardExample() throws {
        let vector = try #require(Self.vectors.first { $0.id == "std-C50-2061-split-2of2" })
        let packet = try Wire.packet(vector.bytes + [13, 10])
        #expect(
            packet.jsonLine
                == #"{"ok":true,"dialect":"2017","qn":"20160801085857535","st":"32","cn":"2061","mn":"010000A8900016F000169DC0","flag":7,"pnum":2,"pno":2,"data_time":"20160801080000","items":[{"code":"w01018","code_2017":"w01018","field":"Cou","value":63.0,"flag":"N"},{"code":"w01018","code_2017":"w01018","field":"Min","value":40.1,"flag":"N"},{"code":"w01018","code_2017":"w01018","field":"Avg","value":40.1,"flag":"N"},{"code":"w01018","code_2017":"w01018","field":"Max","value":40.1,"flag":"N"}],"deviations":[],"offset":0}"#
        )
        let wastewater = try #require(Self.vectors.first { $0.id == "pub-2005-2011-wastewater" })
        #expect(
            try Wire.packet(wastewater.bytes).jsonLine
                == #"{"ok":true,"dialect":"2005","qn":null,"st":"32","cn":"2011","mn":"LD130133000015","flag":null,"pnum":null,"pno":null,"data_time":"20160824003817000","items":[{"code":"B01","code_2017":"w00000","field":"Rtd","value":36.91,"flag":null},{"code":"011","code_2017":"w01018","field":"Rtd","value":231.0,"flag":"N"},{"code":"060","code_2017":"w21003","field":"Rtd","value":1.803,"flag":"N"}],"deviations":[],"offset":0}"#
        )
        let crc = try #require(Self.vectors.first { $0.id == "syn-crc-off-by-one" })
        #expect(
            try Wire.error(crc.bytes).jsonLine
                == #"{"ok":false,"error":"bad_crc","offset":0,"detail":"CRC sent 1C81, computed 1C80 over the 101-byte data segment"}"#
        )
    }

    @Test func dialects() throws {
        func dialect(_ id: String) throws -> HJ212Packet.Dialect {
            let vector = try #require(Self.vectors.first { $0.id == id })
            return try Wire.packet(vector.bytes).dialect
        }
        #expect(try dialect("pub-2005-2011-wastewater") == .v2005)  // no Flag: 14-character MN, 2005 codes
        #expect(try dialect("pub-2005-8013-vendor-heartbeat") == .v2005)  // Flag=0
        #expect(try dialect("std-A-1062-set-rtd-interval") == .v2017)  // Flag=5
        #expect(try dialect("pub-2017-lowercase-crc-flag8") == .v2025)  // Flag=8: version bits 000010
    }
}
