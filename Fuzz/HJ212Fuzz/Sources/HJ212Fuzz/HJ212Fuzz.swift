import HJ212

/// libFuzzer entry point: every input is a byte stream for the HJ 212 decoder.
///
/// Checks, for any bytes: decoding never traps; the same stream split at input-derived points gives the same events
/// (the scanner is a pure function of the bytes); every accepted packet materialises its items and JSON; every
/// accepted packet re-encoded from its fields decodes again; offsets are inside the input and increase.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let whole = HJ212StreamDecoder.decodeAll(bytes)
    var lastOffset = -1
    for event in whole {
        switch event {
        case .packet(let packet):
            precondition(packet.frame.offset > lastOffset && packet.frame.offset < max(size, 1))
            lastOffset = packet.frame.offset
            let items = packet.items
            _ = packet.jsonLine
            _ = (packet.qn, packet.st, packet.cn, packet.pw, packet.mn, packet.dataTime, packet.deviations.names)
            for pair in packet.pairs { _ = (packet.code(of: pair), packet.fieldName(of: pair), packet.number(of: pair)) }
            // Re-encode the fields and decode again.
            let message = HJ212Message(
                qn: packet.qn, st: packet.st ?? "32", cn: packet.cn, pw: packet.pw ?? "", mn: packet.mn, flag: packet.flag,
                items: [items.map { HJ212Message.Pair(($0.code.map { $0 + "-" } ?? "") + $0.field, $0.text) }]
            )
            _ = HJ212StreamDecoder.decodeAll(message.bytes)
            _ = HJ212Message.dataAcknowledgement(to: packet).bytes
        case .failure(let error):
            precondition(error.offset > lastOffset && error.offset < max(size, 1))
            lastOffset = error.offset
            _ = error.jsonLine
        }
    }
    // Split the stream at points derived from its first bytes: the events must not change.
    if size > 2 {
        var decoder = HJ212StreamDecoder()
        var events: [String] = []
        let expected = whole.map(signature)
        var index = 0
        var step = Int(bytes[0] % 61) + 1
        while index < size {
            let end = min(size, index + step)
            decoder.append(bytes[index..<end])
            while let event = decoder.next() { events.append(signature(event)) }
            index = end
            step = Int(bytes[index % size] % 97) + 1
        }
        decoder.finish()
        while let event = decoder.next() { events.append(signature(event)) }
        precondition(events == expected, "split stream decoded differently")
    }
    // Strict mode and a small maximum length must not trap either.
    _ = HJ212StreamDecoder.decodeAll(bytes, options: .init(framing: .init(maxDataLength: 200, acceptModbusCRC: true), strict: true))
    return 0
}

/// What must not depend on how the stream is split.
func signature(_ event: HJ212StreamDecoder.Event) -> String {
    switch event {
    case .packet(let packet): "ok \(packet.frame.offset) \(packet.frame.dataLength) \(packet.deviations.rawValue) \(packet.pairs.count)"
    case .failure(let error): "\(error.kind.name) \(error.offset) \(error.detail)"
    }
}
