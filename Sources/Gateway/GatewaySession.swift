import Domain
import Foundation
import HJ212
import NIOCore
import Store

/// What one connection does with the frames it receives: checks the device, archives every frame with its outcome,
/// and decides the answers. The session holds no socket; the listener feeds it frames and performs its output, writing
/// the data answers (9014) only after the ingest writer has committed the frames; the values of accepted uploads are
/// stored from the archive by the ``ObservationMaterializer`` (``observations(of:siteCode:receivedAt:)``).
struct GatewaySession {
    /// The result of handling a run of frames.
    struct Output {
        /// Frames to commit to the ingest log before any acknowledgement goes out.
        var items: [ArchivedFrame] = []
        /// Answers to send after the commit, in order.
        var replies: [ByteBuffer] = []
        /// Packets for the platform-to-device command flows (9011, 9012 and requested data).
        var commandTraffic: [HJ212Packet] = []
        /// Devices heard from on this connection.
        var heard: Set<String> = []
        /// Whether the connection must be closed after the replies (repeated authentication failures).
        var close = false
    }

    /// Commands whose uploads carry observations.
    static let dataCommands: Set<String> = ["2011", "2051", "2061", "2031", "2041", "2021", "2081", "3020", "2072", "2071", "3019", "1011"]
    /// Notifications answered with 9013: time-calibration request and heartbeats.
    static let notifications: Set<String> = ["1013", "9015", "8013"]
    /// Answers of the device to platform requests.
    static let commandAnswers: Set<String> = ["9011", "9012", "9013", "9014"]

    let peer: String
    let configuration: GatewayConfiguration
    let registry: DeviceRegistry
    let metrics: GatewayMetrics
    private(set) var authFailures = 0
    /// Segmented uploads being reassembled, by (MN, CN, DataTime): the piece numbers seen and the total.
    private(set) var segments: [String: (total: Int, seen: Set<Int>)] = [:]

    init(peer: String, configuration: GatewayConfiguration, registry: DeviceRegistry, metrics: GatewayMetrics) {
        self.peer = peer
        self.configuration = configuration
        self.registry = registry
        self.metrics = metrics
    }

    /// Handles the frames (and framing errors) that one read produced.
    mutating func handle(_ results: [Result<HJ212Frame, HJ212DecodingError>], receivedAt: Date) async -> Output {
        var output = Output()
        for result in results {
            switch result {
            case .failure(let error):
                metrics.recordFrame(outcome: error.kind.name)
                output.items.append(ArchivedFrame(receivedAt: receivedAt, peer: peer, mn: nil, cn: nil, qn: nil, outcome: error.kind.name,
                                                  raw: "offset \(error.offset): \(error.detail)"))
            case .success(let frame):
                await handle(frame, receivedAt: receivedAt, into: &output)
            }
            if output.close { break }
        }
        return output
    }

    private mutating func handle(_ frame: HJ212Frame, receivedAt: Date, into output: inout Output) async {
        let raw = ArchivedFrame.escape(frame.wireBytes)
        let packet: HJ212Packet
        do {
            packet = try HJ212Packet(frame: frame)
        } catch {
            metrics.recordFrame(outcome: error.kind.name)
            output.items.append(ArchivedFrame(receivedAt: receivedAt, peer: peer, mn: nil, cn: nil, qn: nil, outcome: error.kind.name, raw: raw))
            return
        }
        let mn = packet.mn, cn = packet.cn
        func archive(_ outcome: String) -> ArchivedFrame {
            ArchivedFrame(receivedAt: receivedAt, peer: peer, mn: mn.isEmpty ? nil : mn, cn: cn.isEmpty ? nil : cn,
                          qn: packet.qn, outcome: outcome, raw: raw)
        }

        guard let device = await registry.device(mn) else {
            metrics.recordFrame(outcome: "unknown_mn")
            authFailures += 1
            if configuration.archiveUnknownDevices { output.items.append(archive("unknown_mn")) }
            if packet.needsAcknowledgement || GatewaySession.notifications.contains(cn) {
                output.replies.append(HJ212Replies.requestAnswer(to: packet, qnRtn: 4))
            }
            output.close = authFailures >= configuration.maxAuthFailures
            return
        }
        guard packet.pw == device.password else {
            metrics.recordFrame(outcome: "bad_password")
            authFailures += 1
            output.items.append(archive("bad_password"))
            if packet.needsAcknowledgement || GatewaySession.notifications.contains(cn) {
                output.replies.append(HJ212Replies.requestAnswer(to: packet, qnRtn: 3))
            }
            output.close = authFailures >= configuration.maxAuthFailures
            return
        }
        guard device.enabled else {
            metrics.recordFrame(outcome: "device_disabled")
            output.items.append(archive("device_disabled"))
            if packet.needsAcknowledgement { output.replies.append(HJ212Replies.requestAnswer(to: packet, qnRtn: 2)) }
            return
        }
        output.heard.insert(mn)

        if GatewaySession.commandAnswers.contains(cn) {
            metrics.recordFrame(outcome: "ok")
            output.items.append(archive("ok"))
            output.commandTraffic.append(packet)
            return
        }
        if GatewaySession.notifications.contains(cn) {
            metrics.recordFrame(outcome: "ok")
            output.items.append(archive("ok"))
            output.replies.append(HJ212Replies.notificationAnswer(to: packet))
            if cn == "1013" { output.commandTraffic.append(packet) }
            return
        }
        if let pnum = packet.pnum, let pno = packet.pno, pnum > 1 {
            let key = "\(mn)|\(cn)|\(packet.dataTimeText ?? "")"
            var entry = segments[key] ?? (pnum, [])
            entry.seen.insert(pno)
            segments[key] = entry.seen.count >= entry.total ? nil : entry
        }
        metrics.recordFrame(outcome: "ok")
        var archived = archive("ok")
        if PackedValues.isPacked(DataKind(cn: cn)) {
            // Real-time values go into the ingest transaction itself, one row per packet (``ObservationPacket``).
            archived.packet = ObservationPacket(siteCode: device.siteCode, mn: mn, cn: cn, kind: DataKind(cn: cn),
                                                dataTime: Self.dataTime(of: packet, receivedAt: receivedAt),
                                                values: Self.values(of: packet), receivedAt: receivedAt, frameID: nil)
        }
        // The other kinds' values are stored from the archived frame by the materialiser (``carriesObservations(cn:)``).
        output.items.append(archived)
        output.commandTraffic.append(packet)
        if packet.needsAcknowledgement { output.replies.append(HJ212Replies.dataAnswer(to: packet)) }
    }

    /// Whether an accepted frame of this command carries values to store: everything but the answers to platform
    /// requests and the notifications.
    static func carriesObservations(cn: String) -> Bool {
        !commandAnswers.contains(cn) && !notifications.contains(cn)
    }

    /// The observations an upload carries: every item with a pollutant code and a value field, with its flag.
    static func observations(of packet: HJ212Packet, siteCode: String?, receivedAt: Date) -> [Observation] {
        let dataTime = dataTime(of: packet, receivedAt: receivedAt)
        return values(of: packet).map { value in
            Observation(siteCode: siteCode, mn: packet.mn, cn: packet.cn, code: value.code, originalCode: value.originalCode,
                        field: value.field, dataTime: dataTime, value: value.value, valueText: value.valueText, flag: value.flag)
        }
    }

    /// The values an upload carries, without the packet's MN, CN and time: every item with a pollutant code and a value
    /// field, with its flag (what ``observations(of:siteCode:receivedAt:)`` gives each, and what a real-time packet
    /// packs).
    static func values(of packet: HJ212Packet) -> [PackedValues.Value] {
        var values: [PackedValues.Value] = []
        for item in packet.items {
            guard let code = item.code, !code.isEmpty else { continue }
            if item.fieldKind == .flag || item.fieldKind == .eFlag || item.fieldKind == .sampleTime { continue }
            // A number item's value is the codec's reading of its text, equal to `Double(text)` (``HJ212/HJ212Item``).
            values.append(PackedValues.Value(code: item.code2017 ?? code, originalCode: code, field: item.field, value: item.value,
                                             valueText: item.text, flag: item.flag,
                                             valueIsParsedText: item.valueKind == .number && item.value != nil))
        }
        return values
    }

    /// The upload's DataTime (China time), or the second it was received when it has none.
    static func dataTime(of packet: HJ212Packet, receivedAt: Date) -> Date {
        if let stamp = packet.dataTime,
           let date = LocalTime.date(year: stamp.year, month: stamp.month, day: stamp.day, hour: stamp.hour, minute: stamp.minute,
                                     second: stamp.second) {
            return date
        }
        return Date(timeIntervalSince1970: receivedAt.timeIntervalSince1970.rounded(.down))
    }
}
