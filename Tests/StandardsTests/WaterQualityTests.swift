import Standards
import Testing

@Suite("Surface water (GB 3838-2002, 环办〔2011〕22号)")
struct WaterQualityTests {
    @Test("every class limit of every '≤' item belongs to its class; just above goes to the next distinct class",
          arguments: WaterItem.allCases.filter { $0.upperLimits(.river) != nil })
    func classBoundaries(item: WaterItem) {
        for type in WaterType.allCases {
            let limits = item.upperLimits(type)!
            for (index, limit) in limits.enumerated() {
                // At the limit: the best class whose limit is ≥ the value.
                let best = limits.firstIndex { limit <= $0 }! + 1
                #expect(WaterQuality.itemClass(item, limit, waterType: type)?.value == best, "\(item) \(type) at \(limit)")
                #expect(best <= index + 1)
                let above = ScaledDecimal(units: limit.units * 10 + 1, decimals: limit.decimals + 1)
                let next = (limits.firstIndex { above <= $0 } ?? 5) + 1
                #expect(WaterQuality.itemClass(item, above, waterType: type)?.value == next, "\(item) \(type) above \(limit)")
                #expect(next > index + 1)
            }
        }
    }

    @Test("worked boundaries", arguments: [
        (WaterItem.nh3n, "0.15", 1), (.nh3n, "0.151", 2), (.nh3n, "1.0", 3), (.nh3n, "2.0", 5), (.nh3n, "2.01", 6),
        (.cod, "15", 1), (.cod, "15.1", 3), (.cod, "40", 5), (.cod, "40.1", 6), (.codmn, "6", 3), (.codmn, "6.01", 4),
        (.hg, "0.00005", 1), (.hg, "0.00006", 3), (.hg, "0.0001", 3), (.hg, "0.0002", 4), (.cd, "0.001", 1), (.cd, "0.0011", 2),
        (.tp, "0.2", 3), (.tp, "0.21", 4), (.fecalColiform, "10000", 3), (.petroleum, "0.05", 1), (.petroleum, "0.06", 4),
    ])
    func worked(item: WaterItem, value: String, expected: Int) {
        #expect(WaterQuality.itemClass(item, decimal(value), waterType: .river)?.value == expected)
    }

    @Test("DO is a lower bound", arguments: [
        ("7.5", 1), ("7.49", 2), ("6", 2), ("5.99", 3), ("5", 3), ("4.9", 4), ("3", 4), ("2.99", 5), ("2", 5), ("1.99", 6), ("0", 6), ("12", 1),
    ])
    func dissolvedOxygen(value: String, expected: Int) {
        #expect(WaterQuality.itemClass(.dissolvedOxygen, decimal(value), waterType: .river)?.value == expected)
    }

    @Test("pH within 6-9 meets every class, outside it is 劣V", arguments: [("6", 1), ("9", 1), ("7.5", 1), ("5.99", 6), ("9.01", 6)])
    func ph(value: String, expected: Int) {
        #expect(WaterQuality.itemClass(.ph, decimal(value), waterType: .lake)?.value == expected)
    }

    @Test("TP uses the lake and reservoir column for lakes")
    func phosphorusLakes() {
        #expect(WaterQuality.itemClass(.tp, decimal("0.05"), waterType: .river)?.value == 2)
        #expect(WaterQuality.itemClass(.tp, decimal("0.05"), waterType: .lake)?.value == 3)
        #expect(WaterQuality.itemClass(.tp, decimal("0.025"), waterType: .lake)?.value == 2)
        #expect(WaterQuality.itemClass(.tp, decimal("0.3"), waterType: .lake)?.value == 6)
    }

    @Test("the class is the worst of the 21 items; temperature, TN and faecal coliforms do not count")
    func singleFactor() {
        let sample: [WaterItem: ScaledDecimal] = [
            .ph: decimal("7.2"), .dissolvedOxygen: decimal("6.5"), .codmn: decimal("3.5"), .nh3n: decimal("0.6"),
            .tp: decimal("0.15"), .tn: decimal("5"), .fecalColiform: decimal("90000"), .temperature: decimal("25"),
        ]
        let result = WaterQuality.evaluate(sample, waterType: .river, targetClass: WaterClass(3))
        #expect(result.waterClass?.value == 3 && result.waterClass?.name == "III" && result.waterClass?.status == "良好")
        #expect(result.mainPollutants.isEmpty && result.compliant == true)
        #expect(WaterQuality.evaluate(sample, waterType: .river, targetClass: WaterClass(2)).compliant == false)
        #expect(WaterQuality.evaluate([:], waterType: .river).waterClass == nil)
    }

    @Test("main pollutants: items worse than III by multiple over III, pH and DO after, three at most")
    func mainPollutants() {
        let sample: [WaterItem: ScaledDecimal] = [
            .ph: decimal("9.5"), .dissolvedOxygen: decimal("1.5"), .cod: decimal("25"), .nh3n: decimal("2.5"),
            .tp: decimal("0.35"), .bod5: decimal("4"),
        ]
        let result = WaterQuality.evaluate(sample, waterType: .river)
        #expect(result.waterClass?.name == "劣V" && result.waterClass?.status == "重度污染")
        // NH3-N (2.5−1)/1 = 1.5; TP (0.35−0.2)/0.2 = 0.75; COD (25−20)/20 = 0.25; then pH, DO.
        #expect(result.mainPollutants.map(\.item) == [.nh3n, .tp, .cod])
        #expect(result.mainPollutants.map(\.multiple) == [decimal("1.5"), decimal("0.75"), decimal("0.25")])
        let only = WaterQuality.evaluate([.ph: decimal("5"), .dissolvedOxygen: decimal("2.5"), .cod: decimal("21")], waterType: .river)
        #expect(only.mainPollutants.map(\.item) == [.cod, .ph, .dissolvedOxygen])
        #expect(only.mainPollutants[1].multiple == nil)
        // Multiples round half to even at 0.01: Hg 0.0001125 → 0.125 → 0.12.
        let hg = WaterQuality.evaluate([.hg: decimal("0.0001125")], waterType: .river)
        #expect(hg.mainPollutants.first?.multiple == decimal("0.12"))
    }

    @Test("river status by class proportions, with the 60-75 % gap falling back to 中度污染")
    func proportions() {
        func classes(_ counts: [Int: Int]) -> [WaterClass] { counts.flatMap { Array(repeating: WaterClass($0.key), count: $0.value) } }
        #expect(WaterQuality.statusByProportions(classes([2: 9, 4: 1])) == "优")          // 90 %
        #expect(WaterQuality.statusByProportions(classes([2: 89, 4: 11])) == "良好")      // 89 %
        #expect(WaterQuality.statusByProportions(classes([3: 3, 4: 1])) == "良好")        // 75 %
        #expect(WaterQuality.statusByProportions(classes([3: 74, 4: 7, 6: 19])) == "轻度污染")
        #expect(WaterQuality.statusByProportions(classes([3: 74, 4: 6, 6: 20])) == "中度污染")
        #expect(WaterQuality.statusByProportions(classes([3: 59, 6: 41])) == "重度污染")
        #expect(WaterQuality.statusByProportions(classes([3: 60, 6: 40])) == "中度污染")  // the gap
        #expect(WaterQuality.statusByProportions(classes([3: 65, 6: 35])) == "中度污染")
        #expect(WaterQuality.statusByProportions([]) == nil)
    }

    @Test("drinking-water sources: class III and the supplementary items")
    func drinkingSource() {
        #expect(WaterQuality.drinkingSourceCompliant([.nh3n: decimal("0.8"), .iron: decimal("0.3")], waterType: .river) == true)
        #expect(WaterQuality.drinkingSourceCompliant([.nh3n: decimal("0.8"), .iron: decimal("0.31")], waterType: .river) == false)
        #expect(WaterQuality.drinkingSourceCompliant([.nh3n: decimal("1.1")], waterType: .river) == false)
        #expect(WaterQuality.drinkingSourceCompliant([.manganese: decimal("0.1"), .sulfate: decimal("250")], waterType: .river) == true)
        #expect(WaterQuality.drinkingSourceCompliant([:], waterType: .river) == nil)
    }

    @Test("column names and HJ 212 codes")
    func names() {
        #expect(WaterItem(column: "DO") == .dissolvedOxygen)
        #expect(WaterItem(column: "w01009") == .dissolvedOxygen)
        #expect(WaterItem(column: "w21003") == .nh3n)
        #expect(WaterItem(column: "W01001") == .ph)
        #expect(WaterItem(column: "as") == .arsenic && WaterItem(column: "w20119") == .arsenic)
        #expect(WaterItem(column: "chlorophyll") == nil)
        #expect(WaterItem.evaluated.count == 21)
    }
}
