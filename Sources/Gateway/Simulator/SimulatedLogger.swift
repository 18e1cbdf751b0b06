import Foundation
import HJ212

/// What a virtual data logger measures.
public enum SimulatedSource: String, Sendable, CaseIterable {
    /// A flue-gas stack (CEMS): SO2, NOx, dust, O2, flow, with converted values.
    case stack
    /// A waste-water outfall: COD, NH3-N, TP, TN, pH, flow with cumulative amounts.
    case outfall
    /// A surface-water station: pH, DO, CODMn, NH3-N, TP.
    case water
    /// An ambient air station: SO2, NO2, CO, O3, PM10, PM2.5.
    case air

    /// The HJ 212 system code (ST).
    var systemCode: String {
        switch self {
        case .stack: "31"
        case .outfall: "32"
        case .water: "21"
        case .air: "22"
        }
    }
}

/// A pollutant a virtual logger reports: a base level, a diurnal swing, noise, and rare exceedances.
struct SimulatedFactor {
    var code: String
    var code2005: String?
    var base: Double
    var swing: Double
    var noise: Double
    var decimals: Int
    var cumulative: Bool = false
    var converted: Bool = false
}

/// Deterministic pseudo-random numbers (SplitMix64), so a simulation can be repeated exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// Produces the packets of one virtual data logger: hourly data (CN 2061) with diurnal cycles, noise, occasional
/// exceedances and flagged values, in the dialect asked for.
struct SimulatedLogger {
    let mn: String
    let password: String
    let source: SimulatedSource
    let dialect: HJ212Packet.Dialect
    var random: SeededRandom
    private var sequence = 0

    init(index: Int, source: SimulatedSource, dialect: HJ212Packet.Dialect, password: String, seed: UInt64) {
        self.source = source
        self.dialect = dialect
        self.password = password
        self.random = SeededRandom(seed: seed &+ UInt64(index) &* 7919)
        // 2017/2025: 24 hex characters (EPC-96 style); 2005: 14 characters.
        if dialect == .v2005 {
            mn = String(format: "QS%012d", index)
        } else {
            mn = String(format: "0100%08X00%010X", 0x51_4E_47 + source.rawValue.count, index)
        }
    }

    var factors: [SimulatedFactor] {
        switch source {
        case .stack:
            [SimulatedFactor(code: "a21026", code2005: "02", base: 60, swing: 15, noise: 6, decimals: 2, converted: true),
             SimulatedFactor(code: "a21002", code2005: "03", base: 120, swing: 30, noise: 10, decimals: 2, converted: true),
             SimulatedFactor(code: "a34013", code2005: "01", base: 8, swing: 2, noise: 1.5, decimals: 2, converted: true),
             SimulatedFactor(code: "a19001", code2005: "S01", base: 11, swing: 0.5, noise: 0.3, decimals: 1),
             SimulatedFactor(code: "a00000", code2005: "B02", base: 45, swing: 10, noise: 3, decimals: 1, cumulative: true)]
        case .outfall:
            [SimulatedFactor(code: "w01018", code2005: "011", base: 28, swing: 6, noise: 3, decimals: 1),
             SimulatedFactor(code: "w21003", code2005: "060", base: 1.8, swing: 0.6, noise: 0.3, decimals: 3),
             SimulatedFactor(code: "w21011", code2005: "101", base: 0.25, swing: 0.05, noise: 0.03, decimals: 3),
             SimulatedFactor(code: "w21001", code2005: "065", base: 9, swing: 2, noise: 0.8, decimals: 2),
             SimulatedFactor(code: "w01001", code2005: "001", base: 7.2, swing: 0.2, noise: 0.1, decimals: 2),
             SimulatedFactor(code: "w00000", code2005: "B01", base: 120, swing: 40, noise: 8, decimals: 2, cumulative: true)]
        case .water:
            [SimulatedFactor(code: "w01001", base: 7.8, swing: 0.3, noise: 0.1, decimals: 2),
             SimulatedFactor(code: "w01009", base: 8.2, swing: 1.2, noise: 0.3, decimals: 2),
             SimulatedFactor(code: "w01019", base: 2.1, swing: 0.4, noise: 0.2, decimals: 2),
             SimulatedFactor(code: "w21003", base: 0.18, swing: 0.05, noise: 0.03, decimals: 3),
             SimulatedFactor(code: "w21011", base: 0.05, swing: 0.01, noise: 0.01, decimals: 3)]
        case .air:
            [SimulatedFactor(code: "a21026", base: 8, swing: 3, noise: 2, decimals: 0),
             SimulatedFactor(code: "a21004", base: 22, swing: 10, noise: 5, decimals: 0),
             SimulatedFactor(code: "a21005", base: 0.6, swing: 0.2, noise: 0.1, decimals: 1),
             SimulatedFactor(code: "a05024", base: 70, swing: 45, noise: 10, decimals: 0),
             SimulatedFactor(code: "a34002", base: 48, swing: 15, noise: 8, decimals: 0),
             SimulatedFactor(code: "a34004", base: 28, swing: 10, noise: 6, decimals: 0)]
        }
    }

    /// The next request number: the data time's digits plus a counter, 17 digits, unique per logger.
    mutating func nextQN(at time: HJ212Timestamp) -> String {
        sequence += 1
        return Self.digits(time.year, 4) + Self.digits(time.month, 2) + Self.digits(time.day, 2) + Self.digits(time.hour, 2)
            + Self.digits(time.minute, 2) + Self.digits(time.second, 2) + Self.digits(sequence % 1000, 3)
    }

    /// `value` zero-padded to `width` digits (`String(format: "%0*d")` without Foundation's formatter, which took a
    /// third of the simulator's CPU under load).
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// `value` with `decimals` digits after the point, rounded half away from zero (`String(format: "%.*f")` for the
    /// non-negative values the simulator produces).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(scaled) }
        let unit = Int64(scale)
        let fraction = String(scaled % unit)
        return sign + String(scaled / unit) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// The items (`code-Field=value,code-Flag=F`) of one hour's data, one group per pollutant.
    mutating func hourItems(hourOfDay: Int, exceedanceChance: Double, flagChance: Double) -> [[HJ212Message.Pair]] {
        var groups: [[HJ212Message.Pair]] = []
        for factor in factors {
            let phase = sin(Double(hourOfDay - 8) / 24 * 2 * .pi)
            var value = factor.base + factor.swing * phase + factor.noise * random.normal()
            if random.unit() < exceedanceChance { value *= 2.5 + random.unit() }
            value = max(value, 0)
            let code = dialect == .v2005 ? (factor.code2005 ?? factor.code) : factor.code
            let decimals = factor.decimals
            var group = [HJ212Message.Pair]()
            if factor.cumulative {
                group.append(.init("\(code)-Cou", Self.fixed(value * 3.6, decimals)))
            }
            group.append(.init("\(code)-Min", Self.fixed(value * 0.8, decimals)))
            group.append(.init("\(code)-Avg", Self.fixed(value, decimals)))
            group.append(.init("\(code)-Max", Self.fixed(value * 1.2, decimals)))
            if factor.converted && dialect != .v2005 {
                group.append(.init("\(code)-ZsAvg", Self.fixed(value * 1.1, decimals)))
            }
            let roll = random.unit()
            let flag = roll < flagChance ? (["D", "M", "C", "F"][Int(random.unit() * 4) % 4]) : "N"
            group.append(.init("\(code)-Flag", flag))
            groups.append(group)
        }
        return groups
    }

    /// An hourly upload (CN 2061) asking for an answer (Flag A=1), or its pieces when split.
    mutating func hourlyPackets(at time: HJ212Timestamp, pieces: Int, exceedanceChance: Double, flagChance: Double) -> [HJ212Message] {
        let dataTime = [HJ212Message.Pair("DataTime", Self.digits(time.year, 4) + Self.digits(time.month, 2) + Self.digits(time.day, 2)
                                          + Self.digits(time.hour, 2) + "0000")]
        let groups = hourItems(hourOfDay: time.hour, exceedanceChance: exceedanceChance, flagChance: flagChance)
        let flagBase = dialect == .v2005 ? 0 : dialect.replyFlag
        if pieces <= 1 {
            return [HJ212Message(qn: nextQN(at: time), st: source.systemCode, cn: "2061", pw: password, mn: mn, flag: flagBase + 1,
                                 items: [dataTime] + groups)]
        }
        let perPiece = (groups.count + pieces - 1) / pieces
        var messages: [HJ212Message] = []
        for number in 0..<pieces {
            let slice = Array(groups.dropFirst(number * perPiece).prefix(perPiece))
            var message = HJ212Message(qn: nextQN(at: time), st: source.systemCode, cn: "2061", pw: password, mn: mn,
                                       flag: flagBase + 3, items: [dataTime] + slice)
            message.segment = (count: pieces, number: number + 1)
            messages.append(message)
        }
        return messages
    }
}
