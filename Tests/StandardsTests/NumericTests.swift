import Standards
import Testing

@Suite("GB/T 8170 rounding and exact numbers")
struct NumericTests {
    @Test("round half to even on the exact decimal", arguments: [
        ("35.5", 0, "36"), ("34.5", 0, "34"), ("34.50001", 0, "35"), ("34.49999", 0, "34"), ("0.5", 0, "0"),
        ("1.5", 0, "2"), ("2.25", 1, "2.2"), ("2.35", 1, "2.4"), ("2.251", 1, "2.3"), ("0.125", 2, "0.12"),
        ("0.135", 2, "0.14"), ("35.4", 0, "35"), ("35.6", 0, "36"), ("160.5", 0, "160"), ("161.5", 0, "162"),
    ])
    func rounding(text: String, decimals: Int, expected: String) {
        #expect(exact(text).rounded(decimals: decimals).description == expected)
    }

    @Test("rational values round exactly: 1/3, 2/3, 71/2")
    func rationals() {
        #expect(ExactNumber(1, over: 3).rounded(decimals: 0).description == "0")
        #expect(ExactNumber(2, over: 3).rounded(decimals: 1).description == "0.7")
        #expect(ExactNumber(71, over: 2).rounded(decimals: 0).description == "36")
        #expect(ExactNumber(69, over: 2).rounded(decimals: 0).description == "34")
        #expect(ExactNumber(7, over: 2).ceiling == 4)
        #expect(ExactNumber(8, over: 2).ceiling == 4)
        #expect(ExactNumber(7, over: 2).floor == 3)
    }

    @Test("decimal text is read exactly", arguments: [
        ("35", "35"), ("0.3", "0.3"), ("+2.50", "2.50"), (".5", "0.5"), ("1e3", "1000"), ("2.5E-1", "0.25"),
        ("007", "7"), ("1.0000000004", "1.000000000"), ("1.0000000005", "1.000000000"), ("1.0000000015", "1.000000002"),
    ])
    func parsing(text: String, expected: String) {
        #expect(ScaledDecimal.parse(Substring(text))?.description == expected)
    }

    @Test("non-numbers are refused", arguments: ["", "abc", "1.2.3", "NA", "1,5", "--1", "1e", "e5", "0x10", " "])
    func refused(text: String) {
        #expect(ScaledDecimal.parse(Substring(text)) == nil)
    }

    @Test("reported values become doubles that print in shortest form")
    func doubles() {
        #expect(decimal("35").doubleValue == 35)
        #expect(decimal("1.2").doubleValue == 1.2)
        #expect(exact("1.15").rounded(decimals: 1).doubleValue == 1.2)
        #expect("\(decimal("0.1").doubleValue)" == "0.1")
    }

    @Test("calendar: day numbers, leap years, labels")
    func calendar() {
        #expect(date("1970-01-01").dayNumber == 0)
        #expect(date("2026-03-01").dayNumber - date("2026-02-28").dayNumber == 1)
        #expect(date("2024-03-01").dayNumber - date("2024-02-28").dayNumber == 2)
        #expect(CivilDate(dayNumber: date("2016-12-31").dayNumber) == date("2016-12-31"))
        #expect(CivilDate(year: 2015, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2016, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        // End labels: 01:00 is 00:00-01:00; 00:00 closes the previous day; 24:00 closes the day.
        let (d1, h1) = HourLabel.parseLabel("2016-01-02 00:00")!
        #expect(HourLabel.end.interval(date: d1, hour: h1) == LocalHour(date: date("2016-01-01"), hour: 23))
        #expect(HourLabel.start.interval(date: d1, hour: h1) == LocalHour(date: date("2016-01-02"), hour: 0))
        let (d2, h2) = HourLabel.parseLabel("2016-01-01 24:00")!
        #expect(HourLabel.end.interval(date: d2, hour: h2) == LocalHour(date: date("2016-01-01"), hour: 23))
        #expect(HourLabel.end.label(for: LocalHour(date: date("2016-01-01"), hour: 23)) == "2016-01-02 00:00")
        for bad in ["2016-01-01", "2016-01-01 01:30", "2016-13-01 00:00", "2016-01-01 25:00", "2016/01/01 00:00", "yesterday"] {
            #expect(HourLabel.parseLabel(Substring(bad)) == nil, "\(bad)")
        }
    }
}
