extension HJ212Packet {
    /// The packet as one line of JSON, as `qingshan hj212 decode` prints it (no trailing newline):
    ///
    /// `{"ok": true, "dialect": "2017", "qn", "st", "cn", "mn", "flag", "pnum", "pno", "data_time",
    ///   "items": [{"code", "code_2017", "field", "value", "flag"}], "deviations": [...], "offset"}`
    ///
    /// Header values are strings exactly as sent (`flag`, `pnum`, `pno` are integers); absent ones are `null`.
    /// `data_time` is DataTime as sent (14 or 17 digits). An item's `value` is a JSON number when the value is a
    /// decimal number (written with its own digits: `0.0000` stays `0.0000`; only a leading `+`, leading zeros and a
    /// bare `.` are normalised), a string for text and times (`//text//` without the slashes), `null` when empty.
    /// Items with `-EFlag` or `-SampleTime` also have `"eflag"` / `"sample_time"`. `deviations` lists
    /// ``HJ212Deviations/names``.
    public var jsonLine: String {
        var writer = HJ212JSONWriter(capacity: 128 + frame.dataLength * 3)
        writer.beginObject()
        writer.field("ok", true)
        writer.field("dialect", dialect.rawValue)
        writer.field("qn", qn)
        writer.field("st", st)
        writer.field("cn", cn)
        writer.field("mn", mn)
        writer.field("flag", flag)
        writer.field("pnum", pnum)
        writer.field("pno", pno)
        writer.field("data_time", dataTimeText)
        writer.beginArray("items")
        let items = self.items
        for item in items {
            writer.beginObject()
            writer.field("code", item.code)
            writer.field("code_2017", item.code2017)
            writer.field("field", item.field)
            switch item.valueKind {
            case .number:
                var raw: [UInt8] = []
                let utf8 = Array(item.text.utf8)
                utf8.withUnsafeBytes { HJ212Number.writeJSON($0, 0, $0.count, into: &raw) }
                writer.field("value", raw: raw)
            case .empty:
                writer.field("value", nil as String?)
            case .text, .time:
                writer.field("value", item.text)
            }
            writer.field("flag", item.flag)
            if let eFlag = item.eFlag { writer.field("eflag", eFlag) }
            if let sampleTime = item.sampleTime { writer.field("sample_time", sampleTime) }
            writer.endObject()
        }
        writer.endArray()
        writer.beginArray("deviations")
        for name in deviations.names { writer.element(name) }
        writer.endArray()
        writer.field("offset", frame.offset)
        writer.endObject()
        return writer.string
    }
}

extension HJ212DecodingError {
    /// The error as one line of JSON, as `qingshan hj212 decode` prints it (no trailing newline):
    /// `{"ok": false, "error": "bad_crc", "offset": 0, "detail": "…"}`.
    public var jsonLine: String {
        var writer = HJ212JSONWriter(capacity: 64 + detail.utf8.count)
        writer.beginObject()
        writer.field("ok", false)
        writer.field("error", kind.name)
        writer.field("offset", offset)
        writer.field("detail", detail)
        writer.endObject()
        return writer.string
    }
}
