import Standards
import Testing

@Suite("Noise (GB 3096-2008)")
struct NoiseTests {
    @Test("limits of every zone", arguments: [
        (NoiseZone.zone0, 50, 40), (.zone1, 55, 45), (.zone2, 60, 50), (.zone3, 65, 55), (.zone4a, 70, 55), (.zone4b, 70, 60),
    ])
    func limits(zone: NoiseZone, day: Int, night: Int) {
        #expect(zone.dayLimit == day && zone.nightLimit == night)
    }

    @Test("energy averages")
    func energy() {
        #expect(NoiseLevels.energyAverage([decimal("55.0"), decimal("55.0")]) == decimal("55.0"))
        #expect(NoiseLevels.energyAverage([decimal("55.05")]) == decimal("55.0"))        // exact half → even
        #expect(NoiseLevels.energyAverage([decimal("50"), decimal("60")]) == decimal("57.4"))   // 10·lg(550000)
        #expect(NoiseLevels.energyAverage([decimal("60"), decimal("60"), decimal("60"), decimal("30")]) == decimal("58.8"))
        #expect(NoiseLevels.energyAverage([decimal("70"), decimal("40")]) == decimal("67.0"))   // 66.99…
        #expect(NoiseLevels.energyAverage([]) == nil)
        // Energy, not arithmetic: above the arithmetic mean.
        let levels = (0..<16).map { decimal(String(50 + $0)) }
        #expect(NoiseLevels.energyAverage(levels)! > ScaledDecimal(58))
    }

    @Test("day is 06-22, night 22-06")
    func periods() {
        #expect(!NoiseLevels.isDay(5) && NoiseLevels.isDay(6) && NoiseLevels.isDay(21) && !NoiseLevels.isDay(22) && !NoiseLevels.isDay(0))
    }

    @Test("sessions, compliance on the reported value, and rates")
    func sessions() throws {
        var lines = ["point,zone,time,leq"]
        for hour in 0..<24 {
            let time = "2024-05-10 \(hour < 10 ? "0" : "")\(hour):00"
            let dayHour = NoiseLevels.isDay(hour)
            lines.append("A,1,\(time),\(dayHour ? "55.04" : "45.0")")     // Ld 55.0 (compliant), Ln 45.0 (compliant)
            lines.append("B,4a,\(time),\(dayHour ? "70.2" : "56")")       // Ld 70.2 (not), Ln 56 (not)
        }
        let report = try NoiseAssessment.run(csv: lines.joined(separator: "\n"))
        #expect(report.sessions.count == 2)
        let a = report.sessions[0]
        #expect(a.point == "A" && a.ld == decimal("55.0") && a.ln == decimal("45.0") && a.dayCompliant == true && a.nightCompliant == true)
        #expect(a.dayHours == 16 && a.nightHours == 8)
        let b = report.sessions[1]
        #expect(b.zone == .zone4a && b.dayCompliant == false && b.nightCompliant == false)
        let rates = NoiseComplianceRates(report.sessions)
        #expect(rates.dayRate == ScaledDecimal(50) && rates.nightRate == ScaledDecimal(50))
    }
}
