import HJ212
import NIOCore

/// The platform's messages to a device as bytes on the wire, built with the codec's encoder (``HJ212/HJ212Message``):
/// 9014 data answer, 9013 notification answer, 9011 request answer with `QnRtn`, and platform requests.
enum HJ212Replies {
    static func bytes(_ message: HJ212Message) -> ByteBuffer {
        var buffer = ByteBuffer()
        message.encode(into: &buffer)
        return buffer
    }

    /// 9014: the data answer to an upload whose Flag asks for one, echoing its QN (HJ 212-2017 附录C.14).
    static func dataAnswer(to packet: HJ212Packet) -> ByteBuffer { bytes(.dataAcknowledgement(to: packet)) }

    /// 9013: the notification answer (to 1013 time-calibration requests and heartbeats).
    static func notificationAnswer(to packet: HJ212Packet) -> ByteBuffer { bytes(.notificationAnswer(to: packet)) }

    /// 9011 with a `QnRtn` code (HJ 212-2017 表7: 2 rejected, 3 PW error, 4 MN error).
    static func requestAnswer(to packet: HJ212Packet, qnRtn: Int) -> ByteBuffer {
        bytes(.requestAnswer(to: packet, result: HJ212RequestResult(rawValue: qnRtn)))
    }

    /// A platform request asking for an answer (Flag A=1), with the data area given as `key=value;key=value`.
    static func request(qn: String, st: String, cn: String, pw: String, mn: String, dialect: HJ212Packet.Dialect,
                        parameters: String) -> ByteBuffer {
        let items: [[HJ212Message.Pair]] = parameters.split(separator: ";").map { item in
            item.split(separator: ",").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return HJ212Message.Pair(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
        }
        return bytes(HJ212Message(qn: qn, st: st, cn: cn, pw: pw, mn: mn, flag: dialect.replyFlag + 1, items: items))
    }
}
