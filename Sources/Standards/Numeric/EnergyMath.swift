/// Natural exponential and logarithm in pure Swift (the standard library has neither), accurate to a few units in
/// the last place: enough for energy averages of sound levels reported to 0.1 dB.
enum EnergyMath {
    static let ln2 = 0.693_147_180_559_945_309_417_232_121_458
    static let ln10 = 2.302_585_092_994_045_684_017_991_454_684

    /// e^x.
    static func exp(_ x: Double) -> Double {
        guard x.isFinite else { return x > 0 ? .infinity : 0 }
        // Nearest integer without libm (the standard library's rounding calls into libm).
        let quotient = x / ln2
        let k = Double(Int(quotient + (quotient >= 0 ? 0.5 : -0.5)))
        let r = x - k * ln2
        var term = 1.0
        var sum = 1.0
        for n in 1...30 {
            term *= r / Double(n)
            sum += term
            if abs(term) < 1e-18 * sum { break }
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }

    /// ln x for x > 0.
    static func log(_ x: Double) -> Double {
        precondition(x > 0)
        var m = x.significand           // [1, 2)
        var e = Int(x.exponent)
        if m > 1.414_213_562_373_095 {
            m /= 2
            e += 1
        }
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var term = z
        var sum = 0.0
        var n = 1.0
        while n < 80 {
            sum += term / n
            term *= z2
            n += 2
            if abs(term) < 1e-20 { break }
        }
        return 2 * sum + Double(e) * ln2
    }

    /// Rounds half to even at the integer, without libm (for the few Doubles the engine rounds).
    static func roundHalfEven(_ x: Double) -> Int64 {
        let truncated = Int64(x)
        let fraction = x - Double(truncated)
        if fraction > 0.5 || (fraction == 0.5 && truncated % 2 != 0) { return truncated + 1 }
        if fraction < -0.5 || (fraction == -0.5 && truncated % 2 != 0) { return truncated - 1 }
        return truncated
    }

    /// 10^x.
    static func pow10(_ x: Double) -> Double { exp(x * ln10) }

    /// log₁₀ x.
    static func log10(_ x: Double) -> Double { log(x) / ln10 }
}
