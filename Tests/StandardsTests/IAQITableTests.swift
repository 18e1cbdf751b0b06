import Standards
import Testing

@Suite("IAQI breakpoints of HJ 633-2012 表1 and HJ 633-2026 表3")
struct IAQITableTests {
    static let cases: [(IAQITable, AirRuleSet)] = IAQITable.allCases.flatMap { table in AirRuleSet.allCases.map { (table, $0) } }

    @Test("every breakpoint of every column of both versions gives its IAQI row", arguments: cases)
    func breakpoints(table: IAQITable, ruleSet: AirRuleSet) {
        let points = table.breakpoints(ruleSet)
        for (row, point) in points.enumerated() {
            let value = table.iaqi(ExactNumber(point), ruleSet)
            #expect(value.value == IAQITable.indexRows[row], "\(table) \(ruleSet) at \(point)")
            #expect(!value.beyondTable)
        }
    }

    @Test("just above each breakpoint the IAQI rounds up to the next integer", arguments: cases)
    func justAbove(table: IAQITable, ruleSet: AirRuleSet) {
        let points = table.breakpoints(ruleSet)
        for row in 0..<(points.count - 1) {
            let value = table.iaqi(ExactNumber(points[row]) + ExactNumber(1, over: 1000), ruleSet)
            #expect(value.value == IAQITable.indexRows[row] + 1, "\(table) \(ruleSet) above \(points[row])")
        }
    }

    @Test("the midpoint of each segment is the midpoint IAQI", arguments: cases)
    func midpoints(table: IAQITable, ruleSet: AirRuleSet) {
        let points = table.breakpoints(ruleSet)
        for row in 1..<points.count {
            let middle = ExactNumber(Int128(points[row - 1] + points[row]), over: 2)
            let expected = (IAQITable.indexRows[row - 1] + IAQITable.indexRows[row]) / 2
            #expect(table.iaqi(middle, ruleSet).value == expected, "\(table) \(ruleSet) at \(middle)")
        }
    }

    @Test("the tables differ between versions only for PM at IAQI 100")
    func versionDifferences() {
        for table in IAQITable.allCases {
            let old = table.breakpoints(.v2012), new = table.breakpoints(.v2026)
            switch table {
            case .pm10_24h:
                #expect(old[2] == 150 && new[2] == 120)
                #expect(Array(old.prefix(2)) == Array(new.prefix(2)) && Array(old.dropFirst(3)) == Array(new.dropFirst(3)))
            case .pm25_24h:
                #expect(old[2] == 75 && new[2] == 60)
                #expect(Array(old.prefix(2)) == Array(new.prefix(2)) && Array(old.dropFirst(3)) == Array(new.dropFirst(3)))
            default:
                #expect(old == new, "\(table)")
            }
        }
    }

    @Test("the floating-point traps of the digest are exact here")
    func traps() {
        // (100−50)/(4−2)×(2.2−2)+50 = 55 exactly (binary doubles give 55.00000000000001 → 56).
        #expect(IAQITable.co_24h.iaqi(exact("2.2"), .v2012).value == 55)
        #expect(IAQITable.co_24h.iaqi(exact("2.2"), .v2026).value == 55)
        // CO 1-h 65.4: (300−200)/(90−60)×5.4+200 = 218 exactly.
        #expect(IAQITable.co_1h.iaqi(exact("65.4"), .v2012).value == 218)
        // PM2.5 35.4 without the 2026 rounding: 50.5 → 51.
        #expect(IAQITable.pm25_24h.iaqi(exact("35.4"), .v2012).value == 51)
        // SO2 24-h 475 is IAQI 150 (the 24-h table, not the 1-h one).
        #expect(IAQITable.so2_24h.iaqi(ExactNumber(475), .v2012).value == 150)
        #expect(IAQITable.so2_24h.iaqi(ExactNumber(150), .v2012).value == 100)
        // Worked values.
        #expect(IAQITable.pm25_24h.iaqi(ExactNumber(168), .v2012).value == 218)
        #expect(IAQITable.pm25_24h.iaqi(ExactNumber(80), .v2026).value == 119)   // 100 + 50/55×20 = 118.2
        #expect(IAQITable.pm25_24h.iaqi(ExactNumber(80), .v2012).value == 107)
        #expect(IAQITable.pm10_24h.iaqi(ExactNumber(130), .v2026).value == 104)   // 100 + 50/130×10 = 103.8
        #expect(IAQITable.pm10_24h.iaqi(ExactNumber(130), .v2012).value == 90)
        #expect(IAQITable.o3_8h.iaqi(ExactNumber(161), .v2012).value == 101)
    }

    @Test("above the last breakpoint the IAQI is capped and marked", arguments: [
        (IAQITable.pm25_24h, 501, 500), (.pm10_24h, 601, 500), (.co_24h, 61, 500), (.o3_1h, 1201, 500),
        (.no2_1h, 3841, 500), (.so2_24h, 2621, 500), (.so2_1h, 801, 200), (.o3_8h, 801, 300),
    ])
    func beyond(table: IAQITable, concentration: Int, expected: Int) {
        for ruleSet in AirRuleSet.allCases {
            let value = table.iaqi(ExactNumber(concentration), ruleSet)
            #expect(value.value == expected)
            #expect(value.beyondTable)
        }
    }

    @Test("levels, categories and colours of 表2 / 表1 at every boundary", arguments: [
        (0, 1), (50, 1), (51, 2), (100, 2), (101, 3), (150, 3), (151, 4), (200, 4), (201, 5), (300, 5), (301, 6), (500, 6),
    ])
    func levels(aqi: Int, level: Int) {
        #expect(AQILevel(aqi: aqi).rawValue == level)
    }

    @Test("level names")
    func levelNames() {
        #expect(AQILevel.one.category == "优" && AQILevel.one.colour == "#00E400")
        #expect(AQILevel.two.category == "良" && AQILevel.two.colour == "#FFFF00")
        #expect(AQILevel.three.category == "轻度污染" && AQILevel.three.colour == "#FF7E00")
        #expect(AQILevel.four.category == "中度污染" && AQILevel.four.colour == "#FF0000")
        #expect(AQILevel.five.category == "重度污染" && AQILevel.five.colour == "#99004C")
        #expect(AQILevel.six.category == "严重污染" && AQILevel.six.colour == "#7E0023" && AQILevel.six.name == "六级")
    }
}
