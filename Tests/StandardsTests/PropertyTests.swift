import Standards
import Testing

@Suite("Properties: monotone AQI, monotone water class")
struct PropertyTests {
    /// A small deterministic generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func value(upTo maximum: Int, decimals: Int) -> ExactNumber {
            var scale = 1
            for _ in 0..<decimals { scale *= 10 }
            return ExactNumber(Int128(Int(next() % UInt64(maximum * scale + 1))), over: Int128(scale))
        }
    }

    /// Physically consistent days: the O3 1-hour maximum is never below the 8-hour maximum. (With that, the 2012 rule
    /// "O3 8-h above 800 → judged by the 1-h IAQI" keeps the AQI monotone: the 1-h IAQI is then at least 300.)
    @Test("raising one concentration never lowers the daily AQI", arguments: AirRuleSet.allCases)
    func dailyMonotone(ruleSet: AirRuleSet) {
        var random = Generator(state: ruleSet == .v2012 ? 1 : 2)
        for _ in 0..<2000 {
            var day = DailyConcentrations(so2: random.value(upTo: 2700, decimals: 1), no2: random.value(upTo: 1000, decimals: 1),
                                          co: random.value(upTo: 65, decimals: 2), pm10: random.value(upTo: 650, decimals: 1),
                                          pm25: random.value(upTo: 550, decimals: 1), o3MaximumDaily8h: random.value(upTo: 900, decimals: 1),
                                          o3MaximumDaily1h: random.value(upTo: 1300, decimals: 1))
            day.o3MaximumDaily1h = max(day.o3MaximumDaily1h!, day.o3MaximumDaily8h!)
            let before = AirQualityIndex.daily(day, ruleSet: ruleSet).aqi!
            let bump = random.value(upTo: 200, decimals: 1)
            switch random.next() % 7 {
            case 0: day.so2 = day.so2! + bump
            case 1: day.no2 = day.no2! + bump
            case 2: day.co = day.co! + bump / ExactNumber(10)
            case 3: day.pm10 = day.pm10! + bump
            case 4: day.pm25 = day.pm25! + bump
            case 5: day.o3MaximumDaily8h = day.o3MaximumDaily8h! + bump
            default: day.o3MaximumDaily1h = day.o3MaximumDaily1h! + bump
            }
            day.o3MaximumDaily1h = max(day.o3MaximumDaily1h!, day.o3MaximumDaily8h!)
            let after = AirQualityIndex.daily(day, ruleSet: ruleSet).aqi!
            #expect(after >= before, "\(day)")
            if after < before { return }
        }
    }

    /// HJ 633-2012 itself is not monotone where SO2 1-h or the O3 8-h moving average crosses 800 µg/m³ (the IAQI then
    /// comes from another average, which may be lower); those crossings are left out under the 2012 rules.
    @Test("raising one concentration never lowers the real-time AQI", arguments: AirRuleSet.allCases)
    func hourlyMonotone(ruleSet: AirRuleSet) {
        var random = Generator(state: ruleSet == .v2012 ? 3 : 4)
        for _ in 0..<2000 {
            var hour = RealTimeConcentrations(
                so2: random.value(upTo: 900, decimals: 1), no2: random.value(upTo: 4000, decimals: 1), co: random.value(upTo: 160, decimals: 2),
                o3: random.value(upTo: 1300, decimals: 1), pm10: random.value(upTo: 650, decimals: 1), pm25: random.value(upTo: 550, decimals: 1),
                o3MovingAverage8h: random.value(upTo: 900, decimals: 1), pm10MovingAverage24h: random.value(upTo: 650, decimals: 1),
                pm25MovingAverage24h: random.value(upTo: 550, decimals: 1), so2MovingAverage24h: random.value(upTo: 900, decimals: 1))
            let pm: PMHourlyRule = random.next() % 2 == 0 ? .movingAverage24h : .hourly1h
            let before = AirQualityIndex.realTime(hour, ruleSet: ruleSet, pmHourly: pm).aqi!
            let bump = random.value(upTo: 300, decimals: 1)
            switch random.next() % 8 {
            case 0 where hour.so2! > ExactNumber(800) || hour.so2! + bump <= ExactNumber(800) || ruleSet == .v2026:
                hour.so2 = hour.so2! + bump
            case 1: hour.no2 = hour.no2! + bump
            case 2: hour.co = hour.co! + bump / ExactNumber(10)
            case 3: hour.o3 = hour.o3! + bump
            case 4: hour.pm10 = hour.pm10! + bump; hour.pm10MovingAverage24h = hour.pm10MovingAverage24h! + bump
            case 5: hour.pm25 = hour.pm25! + bump; hour.pm25MovingAverage24h = hour.pm25MovingAverage24h! + bump
            case 6 where hour.o3MovingAverage8h! > ExactNumber(800) || hour.o3MovingAverage8h! + bump <= ExactNumber(800) || ruleSet == .v2026:
                hour.o3MovingAverage8h = hour.o3MovingAverage8h! + bump
            default: hour.so2MovingAverage24h = hour.so2MovingAverage24h! + bump
            }
            let after = AirQualityIndex.realTime(hour, ruleSet: ruleSet, pmHourly: pm).aqi!
            #expect(after >= before, "\(hour)")
            if after < before { return }
        }
    }

    @Test("the class of a sample never improves when one item worsens")
    func waterMonotone() {
        var random = Generator(state: 5)
        for _ in 0..<3000 {
            var values: [WaterItem: ScaledDecimal] = [:]
            for item in WaterItem.evaluated where random.next() % 3 != 0 {
                switch item {
                case .ph: values[item] = ScaledDecimal(units: Int64(random.next() % 140), decimals: 1)
                case .dissolvedOxygen: values[item] = ScaledDecimal(units: Int64(random.next() % 100), decimals: 1)
                default:
                    let limit = item.upperLimits(.river)![4]
                    values[item] = ScaledDecimal(units: Int64(random.next() % UInt64(limit.units * 2 + 1)), decimals: limit.decimals)
                }
            }
            let type: WaterType = random.next() % 2 == 0 ? .river : .lake
            guard let item = values.keys.randomElement(using: &random) else { continue }
            let before = WaterQuality.evaluate(values, waterType: type).waterClass!
            let value = values[item]!
            let step = ScaledDecimal(units: Int64(random.next() % 50 + 1), decimals: value.decimals)
            switch item {
            case .ph: continue   // pH is not monotone (a range)
            case .dissolvedOxygen:
                values[item] = ScaledDecimal(units: max(0, value.units - step.units), decimals: value.decimals)
            default:
                values[item] = ScaledDecimal(units: value.units + step.units, decimals: value.decimals)
            }
            let after = WaterQuality.evaluate(values, waterType: type).waterClass!
            #expect(after >= before, "\(item) \(value) → \(values[item]!)")
        }
    }
}

extension PropertyTests.Generator: RandomNumberGenerator {}
