import Domain
import Foundation
import Testing

@Suite("Packed values: one row per real-time packet")
struct PackedValuesTests {
    static let time = Date(timeIntervalSince1970: 1_790_000_000)

    static func value(_ code: String, _ field: String, _ text: String, value: Double?? = .none, flag: String? = "N",
                      original: String? = nil) -> Observation {
        let number: Double? = switch value {
        case .none: Double(text)
        case .some(let given): given
        }
        return Observation(siteCode: "S", mn: "MN", cn: "2011", code: code, originalCode: original, field: field, dataTime: time,
                           value: number, valueText: text, flag: flag)
    }

    @Test("pack then unpack gives back every field: codes as sent, texts exactly, absent flags and numbers, escapes")
    func roundTrip() throws {
        let observations = [
            Self.value("a21026", "Rtd", "12.50"),
            Self.value("a21026", "ZsRtd", "1.2E3"),
            Self.value("a34013", "Rtd", "", value: .some(nil), flag: nil),
            Self.value("a01012", "Rtd", "inf", value: .some(.infinity)),
            Self.value("a21002", "Rtd", "-0", flag: "D", original: "B02"),
            Self.value("x\\y", "Rtd", "tab\there\nline\\", value: .some(nil), flag: "\t"),
            Self.value("a01011", "Rtd", "7", value: .some(7.25)),
        ]
        let (text, signature) = PackedValues.pack(observations)
        #expect(signature == PackedValues.signature(of: observations))
        #expect(!text.contains("\n\n"))
        let unpacked = try PackedValues.unpack(text)
        #expect(unpacked.count == observations.count)
        for (value, observation) in zip(unpacked, observations) {
            #expect(value.code == observation.code)
            #expect(value.originalCode == observation.originalCode)
            #expect(value.field == observation.field)
            #expect(value.valueText == observation.valueText)
            #expect(value.flag == observation.flag)
            #expect(value.value == observation.value || (value.value?.isNaN == true && observation.value?.isNaN == true))
        }
        #expect(try PackedValues.unpack("") == [])
    }

    @Test("the signature depends on the codes and fields, not on the values: a resend matches, another piece does not")
    func signature() {
        let first = [Self.value("a21026", "Rtd", "12.5"), Self.value("a21004", "Rtd", "30")]
        let resent = [Self.value("a21026", "Rtd", "12.6"), Self.value("a21004", "Rtd", "31")]
        let otherPiece = [Self.value("a34013", "Rtd", "3.1")]
        #expect(PackedValues.signature(of: first) == PackedValues.signature(of: resent))
        #expect(PackedValues.signature(of: first) != PackedValues.signature(of: otherPiece))
        #expect(PackedValues.signature(of: [Self.value("ab", "Rtd", "1")]) != PackedValues.signature(of: [Self.value("a", "bRtd", "1")]))
        // FNV-1a is fixed, the same in every process and on every machine (it is part of the stored key): the value
        // computed independently (Python) for a21026, Rtd, a21004, Rtd.
        #expect(PackedValues.signature(of: first) == 260_254_144_074_223_125)
    }

    @Test("a damaged packed text is refused with the line named")
    func damaged() {
        #expect(throws: PackedValuesError(line: 2, detail: "expected 5 or 6 tab-separated fields, found 2")) {
            try PackedValues.unpack("a21026\t\tRtd\t1\tN\na21004\tRtd")
        }
        #expect(throws: PackedValuesError.self) { try PackedValues.unpack("a21026\t\tRtd\t1\tN\tone") }
        #expect(PackedValues.isPacked(.realtime) && !PackedValues.isPacked(.hour))
    }
}
