import HJ212
import NIOCore
import Testing

/// Framing: resynchronisation after junk and corruption, limits, the NIO decoder.
struct HJ212FrameScannerTests {
    static let upload = "QN=20160801085000001;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801084000;w01018-Avg=40.1,w01018-Flag=N&&"

    @Test func junkBeforeBetweenAndAfterFrames() throws {
        let frame = Wire.frame(Self.upload)
        let stream = Array("AT+CIPSEND\r\n#\u{0}junk#".utf8) + frame + Array("\r\n2BC0\r\n".utf8) + frame + Array("tail#".utf8)
        var decoder = HJ212StreamDecoder()
        decoder.append(stream)
        decoder.finish()
        var packets: [HJ212Packet] = []
        while let event = decoder.next() { packets.append(try #require(event.packet, "\(event.jsonLine)")) }
        #expect(packets.count == 2)
        #expect(packets[0].frame.offset == 19)
        #expect(packets[1].frame.offset == 19 + frame.count + 8)
        #expect(decoder.skippedBytes == stream.count - 2 * frame.count)  // CR LF after a frame belongs to the frame
    }

    @Test func runOfHashesStartsAtTheLastTwo() throws {
        let packet = try Wire.packet(Array("###".utf8) + Wire.frame(Self.upload))
        #expect(packet.frame.offset == 3)  // "#####0…": the frame is the last "##"
    }

    @Test func resyncAfterBadHeaderAndDroppedBytes() {
        let frame = Wire.frame(Self.upload)
        var damaged = frame
        damaged.removeSubrange(60..<63)  // bytes lost in transit: length and CRC both wrong
        let stream = Array("##9ST=31;".utf8) + damaged + frame + Array(frame[0..<50]) + [13, 10] + frame
        let events = Wire.decode(stream)
        #expect(events.map { $0.error?.kind.name ?? "ok" } == ["bad_header", "bad_length", "ok", "truncated", "ok"])
        #expect(events[1].error?.offset == 9)
    }

    @Test func truncatedByNextFrameWithoutCRLF() {
        let frame = Wire.frame(Self.upload, crlf: false)
        let events = Wire.decode(Array(frame[0..<70]) + frame)
        #expect(events.map { $0.error?.kind.name ?? "ok" } == ["truncated", "ok"])
        #expect(events[1].packet?.frame.offset == 70)
    }

    @Test func incompleteFrameWaitsThenTruncatesAtEnd() {
        var decoder = HJ212StreamDecoder()
        let frame = Wire.frame(Self.upload)
        decoder.append(frame[0..<100])
        #expect(decoder.next().map(\.jsonLine) == nil)
        decoder.finish()
        #expect(decoder.next()?.error?.kind == .truncated)
        #expect(decoder.next().map(\.jsonLine) == nil)
    }

    @Test func oversizeLimit() throws {
        let long = "QN=20160801085000001;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801084000;"
            + String(repeating: "w01018-Avg=40.1,w01018-Flag=N;", count: 40) + "w01018-Cou=1&&"
        let frame = Wire.frame(long)
        let lenient = try Wire.packet(frame)
        #expect(lenient.deviations.contains(.oversize))
        let limited = HJ212StreamDecoder.decodeAll(frame, options: .init(framing: .init(maxDataLength: 1024)))
        #expect(limited.first?.error?.kind == .oversize)
        #expect(limited.count == 1)
    }

    @Test func lowercaseAndModbusCRC() throws {
        let packet = try Wire.packet(Wire.frame(Self.upload, lowercase: true))
        #expect(packet.deviations == .lowercaseCRC)
        var data = Array(Self.upload.utf8)
        let modbus = HJ212CRC.modbus(data).byteSwapped
        var crc = String(modbus, radix: 16, uppercase: true)
        while crc.count < 4 { crc = "0" + crc }
        data = Array("##0\(data.count)".utf8) + data + Array(crc.utf8) + [13, 10]
        #expect(try Wire.error(data).kind == .badCRC)
        #expect(try Wire.error(data).detail.contains("MODBUS"))
        let accepted = HJ212StreamDecoder.decodeAll(data, options: .init(framing: .init(acceptModbusCRC: true)))
        #expect(accepted.first?.packet?.deviations == .modbusCRC)
    }

    /// The NIO decoder used by the gateway: frames and errors come out as values; junk never accumulates.
    @Test func nioDecoder() throws {
        var decoder = HJ212FrameDecoder()
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        buffer.writeBytes(Array(repeating: UInt8(ascii: "x"), count: 10_000))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 0)
        let frame = Wire.frame(Self.upload)
        buffer.writeBytes(frame[0..<40])
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeBytes(frame[40...])
        let result = try #require(try decoder.decode(buffer: &buffer))
        let decoded = try result.get()
        #expect(decoded.offset == 10_000)
        #expect(decoded.dataLength == Self.upload.utf8.count)
        #expect(try HJ212Packet(frame: decoded).cn == "2051")
        buffer.writeBytes(Array("##0010abc".utf8))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        let last = try #require(try decoder.decodeLast(buffer: &buffer, seenEOF: true))
        #expect(throws: HJ212DecodingError.self) { try last.get() }
    }

    /// Any split of a stream gives the same events as the whole stream.
    @Test func splitsDoNotChangeTheOutcome() {
        let good = Wire.frame(Self.upload)
        var bad = good
        bad[80] ^= 1
        let stream = good + Array("junk".utf8) + bad + Array(good[0..<30]) + good + Array("##12".utf8)
        let whole = Wire.decode(stream).map(\.jsonLine)
        var generator = SplitMix(seed: 1)
        for _ in 0..<200 {
            var decoder = HJ212StreamDecoder()
            var events: [String] = []
            var index = 0
            while index < stream.count {
                let size = Int(1 + generator.next() % 64)
                let end = min(stream.count, index + size)
                decoder.append(stream[index..<end])
                while let event = decoder.next() { events.append(event.jsonLine) }
                index = end
            }
            decoder.finish()
            while let event = decoder.next() { events.append(event.jsonLine) }
            #expect(events == whole)
        }
    }
}
