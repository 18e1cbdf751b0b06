public import NIOCore

/// A packet to send: replies (9011/9012/9013/9014) and platform requests (1012, 1061–1064, 2051/2061 history …),
/// encoded as HJ 212-2017 6.3.1 says: `##` + 4-digit byte length + data segment + CRC (附录A, upper-case hex) + CR LF.
public struct HJ212Message: Sendable, Hashable {
    /// One `key=value` pair of the data area.
    public struct Pair: Sendable, Hashable {
        /// The key (`DataTime`, `w01018-Rtd`, `QnRtn` …).
        public var key: String
        /// The value exactly as it is to be sent.
        public var value: String

        /// Creates a pair.
        /// - Parameters:
        ///   - key: the key.
        ///   - value: the value text.
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// QN, the request code (`YYYYMMDDhhmmsszzz`); nil to leave it out.
    public var qn: String?
    /// ST, the system code (`91` for replies).
    public var st: String
    /// CN, the command code.
    public var cn: String
    /// PW, the device's password.
    public var pw: String
    /// MN, the device's identifier.
    public var mn: String
    /// Flag; nil to leave it out (HJ/T 212-2005 devices that do not send one).
    public var flag: Int?
    /// PNUM and PNO, for a segmented packet.
    public var segment: (count: Int, number: Int)? {
        get { segmentStorage.map { (count: $0.count, number: $0.number) } }
        set { segmentStorage = newValue.map { Segment($0.count, $0.number) } }
    }
    private var segmentStorage: Segment?
    /// The data area: items separated by `;`, each a list of pairs separated by `,`.
    public var items: [[Pair]]

    private struct Segment: Sendable, Hashable {
        var count: Int
        var number: Int
        init(_ count: Int, _ number: Int) {
            self.count = count
            self.number = number
        }
    }

    /// Creates a message.
    /// - Parameters:
    ///   - qn: the request code, or nil.
    ///   - st: the system code.
    ///   - cn: the command code.
    ///   - pw: the password.
    ///   - mn: the device identifier.
    ///   - flag: the Flag, or nil.
    ///   - items: the data area.
    public init(qn: String?, st: String, cn: String, pw: String, mn: String, flag: Int?, items: [[Pair]] = []) {
        self.qn = qn
        self.st = st
        self.cn = cn
        self.pw = pw
        self.mn = mn
        self.flag = flag
        self.items = items
    }

    /// The data segment (`QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;]CP=&&…&&`), HJ 212-2017 表3 order.
    public var dataSegment: String {
        var buffer = ByteBuffer()
        writeDataSegment(into: &buffer)
        return String(buffer: buffer)
    }

    /// Writes the data segment (``dataSegment``) at the buffer's writer index.
    private func writeDataSegment(into buffer: inout ByteBuffer) {
        if let qn {
            buffer.writeStaticString("QN=")
            buffer.writeString(qn)
            buffer.writeStaticString(";")
        }
        buffer.writeStaticString("ST=")
        buffer.writeString(st)
        buffer.writeStaticString(";CN=")
        buffer.writeString(cn)
        buffer.writeStaticString(";PW=")
        buffer.writeString(pw)
        buffer.writeStaticString(";MN=")
        buffer.writeString(mn)
        buffer.writeStaticString(";")
        if let flag {
            buffer.writeStaticString("Flag=")
            buffer.writeString(String(flag))
            buffer.writeStaticString(";")
        }
        if let segment = segmentStorage { buffer.writeString("PNUM=\(segment.count);PNO=\(segment.number);") }
        buffer.writeStaticString("CP=&&")
        for (index, item) in items.enumerated() {
            if index > 0 { buffer.writeStaticString(";") }
            for (position, pair) in item.enumerated() {
                if position > 0 { buffer.writeStaticString(",") }
                buffer.writeString(pair.key)
                buffer.writeStaticString("=")
                buffer.writeString(pair.value)
            }
        }
        buffer.writeStaticString("&&")
    }

    /// The whole packet as bytes, with length, CRC and CR LF.
    public var bytes: [UInt8] {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// The whole packet as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes the packet into a buffer: `##`, the data segment's length in four digits, the data segment, its CRC in
    /// four hex digits and CR LF (HJ 212-2017 6.3.1); straight from the text's bytes, with no copy in between (every
    /// acknowledgement the gateway sends is made here).
    /// - Parameter buffer: the buffer to write to.
    /// - Returns: the number of bytes written.
    @discardableResult
    public func encode(into buffer: inout ByteBuffer) -> Int {
        // Written in place (a 9014 goes out for nearly every upload): `##` and four digits held for the length, the data
        // segment, then the length and the CRC of the bytes just written.
        let start = buffer.writerIndex
        buffer.reserveCapacity(minimumWritableBytes: 128)
        buffer.writeStaticString("##0000")
        let dataStart = buffer.writerIndex
        writeDataSegment(into: &buffer)
        let length = buffer.writerIndex - dataStart
        guard length <= 9_999 else {
            // Longer than four digits can say (never for what the platform sends): the length as its digits.
            let data = buffer.getSlice(at: dataStart, length: length)!
            buffer.moveWriterIndex(to: start)
            buffer.writeStaticString("##")
            buffer.writeString(String(length))
            buffer.writeImmutableBuffer(data)
            return finish(&buffer, start: start, dataStart: buffer.writerIndex - length)
        }
        var digits = length
        for position in stride(from: 3, through: 0, by: -1) {
            buffer.setInteger(UInt8(0x30 + digits % 10), at: start + 2 + position)
            digits /= 10
        }
        return finish(&buffer, start: start, dataStart: dataStart)
    }

    /// Appends the CRC of the data segment written from `dataStart` on (HJ 212-2017 附录A, upper-case hex) and CR LF;
    /// returns the bytes written since `start`.
    private func finish(_ buffer: inout ByteBuffer, start: Int, dataStart: Int) -> Int {
        let crc = buffer.withUnsafeReadableBytes { bytes in
            HJ212CRC.checksum(UnsafeRawBufferPointer(rebasing: bytes[(dataStart - buffer.readerIndex)...]))
        }
        for position in 0..<4 { buffer.writeInteger(HJ212FrameScanner.hexDigit(of: crc, at: position)) }
        buffer.writeStaticString("\r\n")
        return buffer.writerIndex - start
    }
}

/// HJ 212-2017 表7 (请求命令返回表): the `QnRtn` of a 9011 request answer.
public struct HJ212RequestResult: RawRepresentable, Sendable, Hashable {
    /// The code.
    public var rawValue: Int
    /// Creates a result from its code.
    /// - Parameter rawValue: the code.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// 1: ready to execute the request.
    public static let ready = HJ212RequestResult(rawValue: 1)
    /// 2: the request is rejected.
    public static let rejected = HJ212RequestResult(rawValue: 2)
    /// 3: wrong password.
    public static let passwordError = HJ212RequestResult(rawValue: 3)
    /// 4: wrong MN.
    public static let mnError = HJ212RequestResult(rawValue: 4)
    /// 5: wrong ST.
    public static let stError = HJ212RequestResult(rawValue: 5)
    /// 6: wrong Flag.
    public static let flagError = HJ212RequestResult(rawValue: 6)
    /// 7: wrong QN.
    public static let qnError = HJ212RequestResult(rawValue: 7)
    /// 8: wrong CN.
    public static let cnError = HJ212RequestResult(rawValue: 8)
    /// 9: CRC error.
    public static let crcError = HJ212RequestResult(rawValue: 9)
    /// 100: unknown error.
    public static let unknownError = HJ212RequestResult(rawValue: 100)
}

/// HJ 212-2017 表6 (执行结果定义表): the `ExeRtn` of a 9012 execution result.
public struct HJ212ExecutionResult: RawRepresentable, Sendable, Hashable {
    /// The code.
    public var rawValue: Int
    /// Creates a result from its code.
    /// - Parameter rawValue: the code.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// 1: executed successfully.
    public static let success = HJ212ExecutionResult(rawValue: 1)
    /// 2: failed, reason unknown.
    public static let failed = HJ212ExecutionResult(rawValue: 2)
    /// 3: the request's condition is wrong.
    public static let badCondition = HJ212ExecutionResult(rawValue: 3)
    /// 4: communication timeout.
    public static let timeout = HJ212ExecutionResult(rawValue: 4)
    /// 5: system busy.
    public static let busy = HJ212ExecutionResult(rawValue: 5)
    /// 6: system fault.
    public static let fault = HJ212ExecutionResult(rawValue: 6)
    /// 100: no data.
    public static let noData = HJ212ExecutionResult(rawValue: 100)
}
