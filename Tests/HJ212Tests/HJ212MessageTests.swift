import HJ212
import NIOCore
import Testing

/// The encoder: replies and requests byte-for-byte equal to the standard's examples, and round trips through the decoder.
struct HJ212MessageTests {
    static let qn = HJ212Timestamp(year: 2016, month: 8, day: 1, hour: 8, minute: 58, second: 57, millisecond: 223)!
    static let device = HJ212Message.Recipient(mn: "010000A8900016F000169DC0", pw: "100000", st: "32")

    func upload() throws -> HJ212Packet {
        try Wire.packet(Wire.frame("QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;w01018-Avg=40.1,w01018-Flag=N&&"))
    }

    @Test func dataAcknowledgementIsAppendixC14() throws {
        let ack = HJ212Message.dataAcknowledgement(to: try upload())
        #expect(ack.text == "##0087QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&3240\r\n")
    }

    @Test("encoded in place after what the buffer already holds; a data segment over 9,999 bytes keeps all its digits")
    func encodesInPlace() throws {
        var buffer = ByteBuffer(string: "xyz##junk")
        buffer.moveReaderIndex(forwardBy: 3)
        let ack = HJ212Message.dataAcknowledgement(to: try upload())
        #expect(ack.encode(into: &buffer) == ack.text.utf8.count && ack.text.utf8.count == 99)
        #expect(String(buffer: buffer) == "##junk" + ack.text)

        let log = String(repeating: "清洗管路", count: 900)
        let long = HJ212Message(qn: nil, st: "32", cn: "3020", pw: "123456", mn: "LD130133000015", flag: 4,
                                items: [[.init("i11001-Info", "//\(log)//")]])
        let segment = long.dataSegment
        #expect(segment == "ST=32;CN=3020;PW=123456;MN=LD130133000015;Flag=4;CP=&&i11001-Info=//\(log)//&&")
        let crc = HJ212CRC.checksumBitwise(Array(segment.utf8))
        let hex = String(crc, radix: 16, uppercase: true)
        #expect(long.text == "##\(segment.utf8.count)" + segment + String(repeating: "0", count: 4 - hex.count) + hex + "\r\n")
        #expect(segment.utf8.count > 9_999)
    }

    @Test func requestAnswerAndExecutionResultAreAppendixC1() throws {
        let request = try upload()
        #expect(
            HJ212Message.requestAnswer(to: request, result: .ready).text
                == "##0094QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&1B00\r\n"
        )
        #expect(
            HJ212Message.executionResult(to: request, result: .success).text
                == "##0095QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&ExeRtn=1&&6240\r\n"
        )
        let notify = HJ212Message.notificationAnswer(to: request)
        #expect(notify.cn == "9013" && notify.flag == 4 && notify.qn == "20160801085857223")
    }

    @Test func setRealTimeIntervalIsAppendixA() {
        let request = HJ212Message.setRealTimeInterval(30, to: Self.device, qn: Self.qn)
        #expect(request.text == "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n")
    }

    @Test func setTimeIsAppendixC3() {
        let device = HJ212Message.Recipient(mn: "010000A8900016F000169DC0", pw: "123456", st: "32")
        let time = HJ212Timestamp(year: 2016, month: 8, day: 1, hour: 8, minute: 58, second: 57)!
        #expect(
            HJ212Message.setTime(time, polId: "w01018", to: device, qn: Self.qn).text
                == "##0125QN=20160801085857223;ST=32;CN=1012;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018;SystemTime=20160801085857&&0880\r\n"
        )
    }

    @Test func requestsRoundTrip() throws {
        let begin = HJ212Timestamp(year: 2016, month: 8, day: 1)!
        let end = HJ212Timestamp(year: 2016, month: 8, day: 1, hour: 23)!
        let messages = [
            HJ212Message.historyRequest(cn: "2061", from: begin, to: end, recipient: Self.device, qn: Self.qn),
            HJ212Message.historyRequest(cn: "2051", from: begin, to: end, recipient: Self.device, qn: Self.qn),
            HJ212Message.getRealTimeInterval(to: Self.device, qn: Self.qn),
            HJ212Message.getMinuteInterval(to: Self.device, qn: Self.qn),
            HJ212Message.setMinuteInterval(10, to: Self.device, qn: Self.qn),
            HJ212Message.setTime(end, to: HJ212Message.Recipient(mn: "LD130133000015", pw: "1", st: "32", dialect: .v2025), qn: Self.qn),
        ]
        for message in messages {
            let packet = try Wire.packet(message.bytes)
            #expect(packet.deviations.isEmpty, "\(message.text)")
            #expect(packet.cn == message.cn && packet.mn == message.mn && packet.qn == "20160801085857223")
            #expect(packet.needsAcknowledgement)
            #expect(packet.items.map { "\($0.field)=\($0.text)" } == message.items.flatMap { $0.map { "\($0.key)=\($0.value)" } })
        }
        let history = try Wire.packet(messages[0].bytes)
        #expect(history.items.map(\.text) == ["20160801000000", "20160801230000"])
        #expect(try Wire.packet(messages[5].bytes).dialect == .v2025)
    }

    @Test func repliesFollowTheDialect() throws {
        let legacy = try Wire.packet(Wire.frame("ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;011-Rtd=231.0&&"))
        let ack = HJ212Message.dataAcknowledgement(to: legacy)
        #expect(ack.flag == nil && ack.qn == nil)
        #expect(ack.dataSegment == "ST=91;CN=9014;PW=123456;MN=LD130133000015;CP=&&&&")
        let v2025 = try Wire.packet(Wire.frame("QN=20260101000000001;ST=22;CN=2011;PW=1;MN=A1;Flag=9;CP=&&DataTime=20260101000000;a34004-Rtd=1&&"))
        #expect(HJ212Message.dataAcknowledgement(to: v2025).flag == 8)
    }

    @Test func segmentedMessage() throws {
        var message = HJ212Message(qn: "20160801085857534", st: "32", cn: "2061", pw: "123456", mn: "010000A8900016F000169DC0", flag: 7,
            items: [[.init("DataTime", "20160801080000")], [.init("w00000-Cou", "63.0"), .init("w00000-Flag", "N")]])
        message.segment = (count: 2, number: 1)
        let packet = try Wire.packet(message.bytes)
        #expect(packet.pnum == 2 && packet.pno == 1 && packet.deviations.isEmpty)
        #expect(packet.items.first?.flag == "N")
    }

    @Test func timestamps() {
        #expect(HJ212Timestamp("20160801085857")?.n14 == "20160801085857")
        #expect(HJ212Timestamp("20160801085857223")?.qn == "20160801085857223")
        #expect(HJ212Timestamp("20160230000000") == nil)
        #expect(HJ212Timestamp("20000229000000") != nil)
        #expect(HJ212Timestamp("2016080108585") == nil)
        #expect(HJ212Timestamp("20160801085857")! < HJ212Timestamp("20160801085858")!)
    }
}
