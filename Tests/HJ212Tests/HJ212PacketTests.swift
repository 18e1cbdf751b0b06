import HJ212
import Testing

/// The data segment: header fields in any order, the data-area grammar, typed values, dialects and each deviation.
struct HJ212PacketTests {
    static let header2017 = "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"

    func packet(_ data: String) throws -> HJ212Packet { try Wire.packet(Wire.frame(data)) }

    func deviations(_ data: String) throws -> HJ212Deviations { try packet(data).deviations }

    @Test func headerFields() throws {
        let p = try packet(Self.header2017 + "CP=&&DataTime=20160801085857;w01018-Rtd=40.1,w01018-Flag=N&&")
        #expect(p.qn == "20160801085857223")
        #expect(p.st == "32")
        #expect(p.cn == "2011")
        #expect(p.commandCode == 2011)
        #expect(p.pw == "123456")
        #expect(p.mn == "010000A8900016F000169DC0")
        #expect(p.flag == 5)
        #expect(p.needsAcknowledgement)
        #expect(!p.isSegmented)
        #expect(p.versionBits == 1)
        #expect(p.dataTimeText == "20160801085857")
        #expect(p.dataTime == HJ212Timestamp(year: 2016, month: 8, day: 1, hour: 8, minute: 58, second: 57))
        #expect(p.deviations.isEmpty)
    }

    @Test func typedValues() throws {
        let p = try packet(
            "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
                + "CP=&&DataTime=20160801080000;a21026-Cou=63.0,a21026-Min=16.4,a21026-Avg=17.5,a21026-Max=20.1,a21026-ZsMin=1,a21026-ZsAvg=2,a21026-ZsMax=3,a21026-Flag=N,a21026-EFlag=A01;w01018-Rtd=-0.5,w01018-SampleTime=20160801075500,w01018-Flag=D;SB1-RS=1;SB1-RT=23.5;a34004-Avg=,a34004-Flag=F&&"
        )
        let items = p.items
        #expect(items.map(\.field) == ["Cou", "Min", "Avg", "Max", "ZsMin", "ZsAvg", "ZsMax", "Rtd", "RS", "RT", "Avg"])
        #expect(items[0].value == 63.0 && items[0].text == "63.0" && items[0].flag == "N" && items[0].eFlag == "A01")
        #expect(items[4].fieldKind == .zsMin)
        #expect(items[7].value == -0.5 && items[7].flag == "D" && items[7].sampleTime == "20160801075500")
        #expect(items[8].code == "SB1" && items[8].value == 1)
        #expect(items[10].valueKind == .empty && items[10].value == nil && items[10].flag == "F")
        #expect(p.deviations == .valueFormat)  // the empty a34004-Avg
        #expect(p.jsonLine.contains(#"{"code":"a34004","code_2017":"a34004","field":"Avg","value":null,"flag":"F"}"#))
        #expect(p.jsonLine.contains(#""eflag":"A01""#))
        #expect(p.jsonLine.contains(#""sample_time":"20160801075500""#))
    }

    @Test func manyPairsOverflowTheStackScratch() throws {
        // 300 pairs: more than the 73 pairs of on-stack scratch, so the data area is scanned again with room for all.
        let items = (0..<150).map { "a\(String(100_000 + $0).dropFirst())-Rtd=\($0).5,a\(String(100_000 + $0).dropFirst())-Flag=N" }
        let p = try packet(Self.header2017 + "CP=&&DataTime=20160801085857;" + items.joined(separator: ";") + ";&&")
        #expect(p.pairs.count == 300)
        #expect(p.items.count == 150)
        #expect(p.items.last?.code == "a00149" && p.items.last?.value == 149.5 && p.items.last?.flag == "N")
        #expect(p.dataTimeText == "20160801085857")
        #expect(p.deviations == [.trailingSemicolon, .oversize])  // 4.5 kB: over the 1024 bytes of 表2
    }

    @Test(arguments: [
        "DataTime=20160801085857;a01001-Rtd=1.5,a01001-Flag=N&&",
        "DataTime=20160801085857,a01001-Rtd=1.5,;a01001-Flag=N;&&",
        "DataTime=20160801085857&&",
        "DataTime=20160801085857;&&",
        "DataTime=2016080108585;a01001-Rtd=x,a01001-Flag=N,&&",
        "DataTime=20160801085857;a01001-Rtd=-1.5,a01001-rtd=2,a-b-Rtd=3;a01001-SampleTime=20160801085857&&",
        "a01001-Rtd=1.5;DataTime=20160801085857;DataTime=20160801085858;a01001-Avg=2&&",
        "DataTime=//20160801085857//;a01001-Rtd=//1//,a01001-Info=//x;y//&&",
    ])
    func commonPairsDecodeAsWithSpaces(_ area: String) throws {
        // A space anywhere in the segment sends every pair through the general walk: same pairs, same deviations
        // (besides the one for the unknown header field that carries the space).
        let fast = try packet(Self.header2017 + "CP=&&" + area)
        let general = try packet(Self.header2017 + "X= 1;CP=&&" + area)
        func described(_ p: HJ212Packet) -> [String] {
            p.pairs.map { "\(p.code(of: $0) ?? "-") \(p.fieldName(of: $0)) \(p.valueText(of: $0)) \($0.field) \($0.isNumeric)" }
        }
        #expect(described(fast) == described(general))
        #expect(fast.items == general.items)
        #expect(fast.dataTimeText == general.dataTimeText)
        #expect(fast.deviations.union(.unknownHeaderField) == general.deviations)
    }

    @Test func flagBeforeValueAndFlagOnlyCodes() throws {
        let p = try packet(Self.header2017 + "CP=&&DataTime=20160801085857;l01001-Flag=N,l01001-Rtd=119.90287;a01001-Flag=D;a01002-Rtd=3;a01002-Flag=M&&")
        #expect(p.items.map(\.field) == ["Rtd", "Flag", "Rtd"])
        #expect(p.items[0].flag == "N")
        #expect(p.items[1].code == "a01001" && p.items[1].flag == "D")
        #expect(p.items[2].flag == "M")  // flag in another ';' item of the same code
    }

    @Test func codesOf2005MappedWithOriginalKept() throws {
        let p = try packet("ST=31;CN=2011;PW=123456;MN=LD130102000027;CP=&&DataTime=20160823234241;02-Rtd=5.46,02-ZsRtd=5.55,02-Flag=N;S01-Rtd=6.2;B02-Rtd=244.23;01-Rtd=3.35;ZZ9-Rtd=1&&")
        #expect(p.dialect == .v2005)
        #expect(p.items.map(\.code2017) == ["a21026", "a21026", "a19001", "a00000", "a34013", "ZZ9"])
        #expect(p.items.map(\.code) == ["02", "02", "S01", "B02", "01", "ZZ9"])
    }

    @Test func logTextIsOpaque() throws {
        let p = try packet(Self.header2017 + "CP=&&DataTime=20160801085857;i11001-Info=//a;b,c=d&&e 清洗//;i12001-Info=0&&")
        #expect(p.items.first?.text == "a;b,c=d&&e 清洗")
        #expect(p.items.count == 2)
        #expect(p.deviations.isEmpty)
        #expect(p.jsonLine.contains(#""value":"a;b,c=d&&e 清洗""#))
    }

    @Test func jsonEscaping() throws {
        let p = try packet(Self.header2017 + #"CP=&&DataTime=20160801085857;i11001-Info=//say "hi" \ there//&&"#)
        #expect(p.jsonLine.contains(#""value":"say \"hi\" \\ there""#))
    }

    @Test func numbersAreValidJSON() throws {
        let p = try packet(Self.header2017 + "CP=&&DataTime=20160801085857;a-Rtd=+5,b-Rtd=.5,c-Rtd=5.,d-Rtd=007.50,e-Rtd=-0.0000,f-Rtd=1e-3&&")
        #expect(p.jsonLine.contains(#""value":5,"#))
        #expect(p.jsonLine.contains(#""value":0.5,"#))
        #expect(p.jsonLine.contains(#""value":7.50,"#))
        #expect(p.jsonLine.contains(#""value":-0.0000,"#))
        #expect(p.jsonLine.contains(#""value":1e-3,"#))
        #expect(p.items.map(\.value) == [5, 0.5, 5, 7.5, 0, 0.001])
    }

    @Test func segmentation() throws {
        let p = try packet("QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Avg=1&&")
        #expect(p.pnum == 2 && p.pno == 1 && p.isSegmented && p.needsAcknowledgement)
        #expect(p.deviations.isEmpty)
        #expect(try deviations("QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;PNUM=2;PNO=1;CP=&&&&") == .splitMismatch)
        #expect(try deviations("QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;PNO=3;CP=&&&&") == .splitMismatch)
        #expect(try deviations("QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;CP=&&&&") == .splitMismatch)
    }

    /// Each deviation, alone, by name.
    @Test(arguments: [
        ("header_order", "ST=32;QN=20160801085857223;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("header_key_case", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;FLAG=5;CP=&&RtdInterval=30&&"),
        ("header_separator", "QN=20160801085857223,ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("header_separator", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5CP=&&RtdInterval=30&&"),
        ("unknown_header_field", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;XX=1;CP=&&RtdInterval=30&&"),
        ("duplicate_header_field", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;Flag=5;CP=&&RtdInterval=30&&"),
        ("missing_qn", "ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("missing_flag", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;CP=&&RtdInterval=30&&"),
        ("missing_st", "QN=20160801085857223;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("missing_pw", "QN=20160801085857223;ST=32;CN=1062;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("qn_format", "QN=2016080108585722;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("nonstandard_st", "QN=20160801085857223;ST=99;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("nonstandard_cn", "QN=20160801085857223;ST=32;CN=8013;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("unknown_version", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=13;CP=&&RtdInterval=30&&"),
        ("trailing_semicolon", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30;&&"),
        ("empty_item", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30;;MinInterval=10&&"),
        ("whitespace", "QN=20160801085857223;ST=23;CN=2011;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;LA -Rtd=50.1&&"),
        ("whitespace", "QN=20160801085857223;ST=91;CN=9014;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&& &&"),
        ("field_case", "QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;w01018-rtd=1&&"),
        ("time_17_digits", "QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857000;w01018-Rtd=1&&"),
        ("time_format", "QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=2016082410450;w01018-Rtd=1&&"),
        ("time_format", "QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20161301085857;w01018-Rtd=1&&"),
        ("value_format", "QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;w01018-Rtd=abc&&"),
        ("missing_data_time", "QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&w01018-Rtd=1&&"),
        ("duplicate_data_time", "QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;w01018-Rtd=1;DataTime=20160801085857&&"),
    ])
    func deviation(name: String, data: String) throws {
        let packet = try packet(data)
        #expect(packet.deviations.names == [name], "\(data)")
        #expect(packet.jsonLine.hasSuffix(#""deviations":["\#(name)"],"offset":0}"#))
        let strict = Wire.decode(Wire.frame(data), strict: true)
        #expect(strict.first?.error?.kind == HJ212Deviations.named(name)?.errorKind)
    }

    @Test func seventeenDigitTimesAreThe2005Convention() throws {
        let p = try packet("ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;011-Rtd=231.0,011-Flag=N&&")
        #expect(p.dialect == .v2005)
        #expect(p.deviations.isEmpty)
    }

    @Test(arguments: [
        ("bad_structure", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval&&"),
        ("bad_structure", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&a=1&&b=2&&"),
        ("bad_structure", "QN=20160801085857223;ST=32;CN=3020;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&i11001-Info=//open&&"),
        ("bad_structure", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&&"),
        ("bad_header", "QN=20160801085857223;ST=32;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("bad_header", "QN=20160801085857223;ST=32;CN=10A2;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("bad_header", "QN=20160801085857223;ST=32;CN=1062;PW=100000;Flag=5;CP=&&RtdInterval=30&&"),
        ("bad_header", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=x;CP=&&RtdInterval=30&&"),
        ("bad_header", "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=256;CP=&&RtdInterval=30&&"),
        ("bad_header", "QN=20160801085857223;ST=32;CN=1062;PW;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
        ("bad_encoding", "QN=20160801085857223;ST=\u{1};CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
    ])
    func rejected(kind: String, data: String) throws {
        #expect(try Wire.error(Wire.frame(data)).kind.name == kind, "\(data)")
    }

    @Test func invalidUTF8IsBadEncoding() throws {
        let gbk: [UInt8] = [0xC7, 0xE5, 0xCF, 0xB4]  // 清洗 in GBK
        let data = Array("QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&i11001-Info=//".utf8) + gbk + Array("//&&".utf8)
        let frame = Wire.frame(bytes: data)
        #expect(try Wire.error(frame).kind == .badEncoding)
    }

    @Test func dialectInferenceWithoutFlag() throws {
        #expect(try packet("QN=20160801085857223;ST=32;CN=2011;PW=1;MN=010000A8900016F000169DC0;CP=&&DataTime=20160801085857;w01018-Rtd=1&&").dialect == .v2017)
        #expect(try packet("ST=32;CN=2011;PW=1;MN=AB0000000001;CP=&&DataTime=20160801085857;w01018-Rtd=1&&").dialect == .v2017)
        #expect(try packet("ST=32;CN=2011;PW=1;MN=AB0000000001;CP=&&DataTime=20160801085857;011-Rtd=1;B01-Rtd=2&&").dialect == .v2005)
        #expect(try packet("ST=91;CN=9014;PW=1;MN=AB000000000001;CP=&&&&").dialect == .v2005)
    }
}

/// The codec reads decimal numbers from the bytes; the store relies on that reading being `Double(text)` exactly
/// (``Domain/PackedValues/Value/valueIsParsedText``).
@Suite("number items: the value read from the bytes is Double(text), bit for bit")
struct HJ212NumberReadingTests {
    @Test func numbersReadLikeDouble() throws {
        var generator = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "+5", ".5", "-.5", "5.", "007", "1e3", "-2.5E-2", "123456789012345", "1234567890123456789",
                     "0.000000000000000000000001", "99999999999999999999.9", "3.14159265358979323846", "1.7976931348623157e308"]
        for _ in 0..<3_000 {
            let digits = Int.random(in: 1...19, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            for index in 0..<digits {
                text.append(Character(String(Int.random(in: 0...9, using: &generator))))
                if index == digits / 2 && Bool.random(using: &generator) { text.append(".") }
            }
            if Int.random(in: 0..<10, using: &generator) == 0 { text += "e\(Int.random(in: -30...30, using: &generator))" }
            texts.append(text)
        }
        for text in texts {
            let packet = try Wire.packet(Wire.frame("QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;w01018-Rtd=\(text)&&"))
            let item = try #require(packet.items.first { $0.code == "w01018" })
            #expect(item.valueKind == .number, "\(text)")
            let expected = try #require(Double(text), "\(text)")
            #expect(item.value?.bitPattern == expected.bitPattern, "\(text): \(String(describing: item.value)) vs \(expected)")
        }
    }
}
