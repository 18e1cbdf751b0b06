import HJ212
import NIOCore

/// The platform's answers to a device (HJ 212-2017 6.5 and 附录C): 9014 data answer, 9013 notification answer,
/// 9011 request answer with `QnRtn`.
enum HJ212Replies {
    /// Frames a data segment: `##` + 4-digit byte length + segment + CRC (HJ 212-2017 附录A) + CR LF.
    static func frame(_ segment: String) -> ByteBuffer {
        let bytes = Array(segment.utf8)
        let crc = HJ212CRC.checksum(bytes)
        let length = String(bytes.count)
        let hex = String(crc, radix: 16, uppercase: true)
        var out = ByteBuffer()
        out.reserveCapacity(bytes.count + 12)
        out.writeString("##" + String(repeating: "0", count: max(0, 4 - length.count)) + length)
        out.writeBytes(bytes)
        out.writeString(String(repeating: "0", count: 4 - hex.count) + hex + "\r\n")
        return out
    }

    static func header(qn: String?, cn: String, pw: String?, mn: String, dialect: HJ212Packet.Dialect) -> String {
        var parts: [String] = []
        if let qn { parts.append("QN=\(qn)") }
        parts.append("ST=91")
        parts.append("CN=\(cn)")
        parts.append("PW=\(pw ?? "")")
        parts.append("MN=\(mn)")
        if dialect != .v2005 { parts.append("Flag=\(dialect.replyFlag)") }
        return parts.joined(separator: ";") + ";"
    }

    /// 9014: the data answer to an upload whose Flag asks for one, echoing its QN (HJ 212-2017 附录C.14).
    static func dataAnswer(to packet: HJ212Packet) -> ByteBuffer {
        frame(header(qn: packet.qn, cn: "9014", pw: packet.pw, mn: packet.mn, dialect: packet.dialect) + "CP=&&&&")
    }

    /// 9013: the notification answer (to 1013 time-calibration requests and heartbeats).
    static func notificationAnswer(to packet: HJ212Packet) -> ByteBuffer {
        frame(header(qn: packet.qn, cn: "9013", pw: packet.pw, mn: packet.mn, dialect: packet.dialect) + "CP=&&&&")
    }

    /// 9011 with a `QnRtn` code (HJ 212-2017 表7: 2 rejected, 3 PW error, 4 MN error).
    static func requestAnswer(to packet: HJ212Packet, qnRtn: Int) -> ByteBuffer {
        frame(header(qn: packet.qn, cn: "9011", pw: packet.pw, mn: packet.mn, dialect: packet.dialect) + "CP=&&QnRtn=\(qnRtn)&&")
    }
}
