extension HJ212Message {
    // MARK: Replies (HJ 212-2017 6.5, 附录C)

    /// Builds a reply to a received packet: same QN, ST=91, the device's PW and MN, the Flag of the packet's dialect
    /// with A=0 (4 for 2017, 8 for 2025; left out for HJ/T 212-2005 devices that sent none).
    private static func reply(to packet: HJ212Packet, cn: String, items: [[Pair]]) -> HJ212Message {
        let flag: Int? = packet.dialect == .v2005 && packet.flag == nil ? nil : packet.dialect.replyFlag
        return HJ212Message(
            qn: packet.qn, st: HJ212Codes.interactionSystem, cn: cn, pw: packet.pw ?? "", mn: packet.mn, flag: flag,
            items: items
        )
    }

    /// 9014 data answer (数据应答, HJ 212-2017 附录C.14/C.48): the platform acknowledges an upload whose Flag asks for
    /// an answer (A=1), echoing the upload's QN. Each sub-packet of a segmented upload gets its own (C.50).
    /// - Parameter packet: the upload.
    /// - Returns: the answer.
    public static func dataAcknowledgement(to packet: HJ212Packet) -> HJ212Message {
        reply(to: packet, cn: "9014", items: [])
    }

    /// 9013 notification answer (通知应答): answers a notification such as 1013 (time calibration request) or a
    /// 9015 heartbeat.
    /// - Parameter packet: the notification.
    /// - Returns: the answer.
    public static func notificationAnswer(to packet: HJ212Packet) -> HJ212Message {
        reply(to: packet, cn: "9013", items: [])
    }

    /// 9011 request answer (请求应答, HJ 212-2017 表7): whether a request will be executed (QnRtn=1) or why not.
    /// - Parameters:
    ///   - packet: the request.
    ///   - result: the QnRtn.
    /// - Returns: the answer.
    public static func requestAnswer(to packet: HJ212Packet, result: HJ212RequestResult) -> HJ212Message {
        reply(to: packet, cn: "9011", items: [[Pair("QnRtn", String(result.rawValue))]])
    }

    /// 9012 execution result (执行结果, HJ 212-2017 表6): the outcome of an executed request (ExeRtn=1 success).
    /// - Parameters:
    ///   - packet: the request.
    ///   - result: the ExeRtn.
    /// - Returns: the result message.
    public static func executionResult(to packet: HJ212Packet, result: HJ212ExecutionResult) -> HJ212Message {
        reply(to: packet, cn: "9012", items: [[Pair("ExeRtn", String(result.rawValue))]])
    }

    // MARK: Requests (platform → device, HJ 212-2017 表9 and 附录C)

    /// The device a request goes to.
    public struct Recipient: Sendable, Hashable {
        /// MN.
        public var mn: String
        /// PW.
        public var pw: String
        /// ST of the device's system (e.g. `32` waste water, `31` flue gas).
        public var st: String
        /// The dialect the device speaks (gives the Flag version bits).
        public var dialect: HJ212Packet.Dialect

        /// Creates a recipient.
        /// - Parameters:
        ///   - mn: the device identifier.
        ///   - pw: its password.
        ///   - st: its system code.
        ///   - dialect: its dialect.
        public init(mn: String, pw: String, st: String, dialect: HJ212Packet.Dialect = .v2017) {
            self.mn = mn
            self.pw = pw
            self.st = st
            self.dialect = dialect
        }
    }

    /// A request that asks for an answer (Flag A=1: 5 for 2017, 9 for 2025, 1 for 2005).
    /// - Parameters:
    ///   - cn: the command code.
    ///   - recipient: the device.
    ///   - qn: the request code, normally the current time (`HJ212Timestamp.qn`).
    ///   - items: the data area.
    /// - Returns: the request.
    public static func request(cn: String, to recipient: Recipient, qn: HJ212Timestamp, items: [[Pair]] = []) -> HJ212Message {
        HJ212Message(
            qn: qn.qn, st: recipient.st, cn: cn, pw: recipient.pw, mn: recipient.mn,
            flag: recipient.dialect.replyFlag | 1, items: items
        )
    }

    /// 1012 set the device's time (提取/设置现场机时间, HJ 212-2017 附录C.3), optionally of one analyser (`PolId`).
    /// - Parameters:
    ///   - time: the time to set.
    ///   - polId: the factor code of an analyser, or nil for the data logger.
    ///   - recipient: the device.
    ///   - qn: the request code.
    /// - Returns: the request.
    public static func setTime(
        _ time: HJ212Timestamp, polId: String? = nil, to recipient: Recipient, qn: HJ212Timestamp
    ) -> HJ212Message {
        var pairs: [[Pair]] = []
        if let polId { pairs.append([Pair("PolId", polId)]) }
        pairs.append([Pair("SystemTime", time.n14)])
        return request(cn: "1012", to: recipient, qn: qn, items: pairs)
    }

    /// 1061 read the real-time data interval (提取实时数据间隔).
    /// - Parameters:
    ///   - recipient: the device.
    ///   - qn: the request code.
    /// - Returns: the request.
    public static func getRealTimeInterval(to recipient: Recipient, qn: HJ212Timestamp) -> HJ212Message {
        request(cn: "1061", to: recipient, qn: qn)
    }

    /// 1062 set the real-time data interval in seconds (设置实时数据间隔, HJ 212-2017 附录A example; 30 ≤ n ≤ 3600).
    /// - Parameters:
    ///   - seconds: the interval.
    ///   - recipient: the device.
    ///   - qn: the request code.
    /// - Returns: the request.
    public static func setRealTimeInterval(_ seconds: Int, to recipient: Recipient, qn: HJ212Timestamp) -> HJ212Message {
        request(cn: "1062", to: recipient, qn: qn, items: [[Pair("RtdInterval", String(seconds))]])
    }

    /// 1063 read the minute-data interval (提取分钟数据间隔).
    /// - Parameters:
    ///   - recipient: the device.
    ///   - qn: the request code.
    /// - Returns: the request.
    public static func getMinuteInterval(to recipient: Recipient, qn: HJ212Timestamp) -> HJ212Message {
        request(cn: "1063", to: recipient, qn: qn)
    }

    /// 1064 set the minute-data interval in minutes (设置分钟数据间隔; one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30).
    /// - Parameters:
    ///   - minutes: the interval.
    ///   - recipient: the device.
    ///   - qn: the request code.
    /// - Returns: the request.
    public static func setMinuteInterval(_ minutes: Int, to recipient: Recipient, qn: HJ212Timestamp) -> HJ212Message {
        request(cn: "1064", to: recipient, qn: qn, items: [[Pair("MinInterval", String(minutes))]])
    }

    /// A history request (2031 daily, 2041 facility running time, 2051 minute, 2061 hourly data) for
    /// `BeginTime…EndTime` (HJ 212-2017 附录C.15/C.17): the device answers 9011, sends the data, then 9012.
    /// - Parameters:
    ///   - cn: `2051`, `2061`, `2031` or `2041`.
    ///   - begin: the first interval start.
    ///   - end: the last interval start.
    ///   - recipient: the device.
    ///   - qn: the request code.
    /// - Returns: the request.
    public static func historyRequest(
        cn: String, from begin: HJ212Timestamp, to end: HJ212Timestamp, recipient: Recipient, qn: HJ212Timestamp
    ) -> HJ212Message {
        request(cn: cn, to: recipient, qn: qn, items: [[Pair("BeginTime", begin.n14)], [Pair("EndTime", end.n14)]])
    }
}
