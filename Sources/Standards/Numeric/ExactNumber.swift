/// An exact rational number `numerator / denominator` (denominator > 0).
///
/// Concentrations, means and interpolations are computed with it so that a breakpoint or a rounding tie is
/// decided on the exact value: with binary doubles CO = 2.2 mg/m³ gives an IAQI of 55.00000000000001, which
/// rounds up to 56 instead of 55 (see the digest of HJ 633 §1.2). The fraction is not reduced; the values the
/// standards need stay far inside `Int128`.
public struct ExactNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The numerator.
    public let numerator: Int128
    /// The denominator, always positive.
    public let denominator: Int128

    /// Creates `numerator / denominator`.
    /// - Parameters:
    ///   - numerator: the numerator.
    ///   - denominator: the denominator; must not be zero (a negative one flips both signs).
    public init(_ numerator: Int128, over denominator: Int128) {
        precondition(denominator != 0, "ExactNumber with a zero denominator")
        if denominator < 0 {
            self.numerator = -numerator
            self.denominator = -denominator
        } else {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// Creates an integer value.
    /// - Parameter value: the integer.
    public init(_ value: Int) {
        numerator = Int128(value)
        denominator = 1
    }

    /// Zero.
    public static let zero = ExactNumber(0)

    /// `true` when the value is an integer.
    public var isInteger: Bool { numerator % denominator == 0 }

    /// The largest integer not above the value.
    public var floor: Int128 {
        if let (n, d) = small { return Int128(n >= 0 ? n / d : (n % d == 0 ? n / d : n / d - 1)) }
        let quotient = numerator / denominator
        return (numerator % denominator != 0 && numerator < 0) ? quotient - 1 : quotient
    }

    /// The smallest integer not below the value ("进位取整", HJ 633 §6.2 / §4.2.6).
    public var ceiling: Int128 {
        if let (n, d) = small { return Int128(n <= 0 ? n / d : (n % d == 0 ? n / d : n / d + 1)) }
        let quotient = numerator / denominator
        return (numerator % denominator != 0 && numerator > 0) ? quotient + 1 : quotient
    }

    /// The value rounded to `decimals` decimal places by GB/T 8170 (round half to even on the exact value).
    /// - Parameter decimals: the number of decimal places kept (0 or more).
    /// - Returns: the rounded value.
    public func rounded(decimals: Int) -> ScaledDecimal {
        if let (n, d) = small, n >= 0, decimals <= 6, n <= Int64.max / 1_000_000 {
            // Fast path in 64-bit arithmetic (same rule).
            let scaled = n * ScaledDecimal.powerOfTen(decimals)
            var quotient = scaled / d
            let twiceRemainder = (scaled % d) * 2
            if twiceRemainder > d || (twiceRemainder == d && quotient % 2 == 1) { quotient += 1 }
            return ScaledDecimal(units: quotient, decimals: decimals)
        }
        let scale = Int128(ScaledDecimal.powerOfTen(decimals))
        let scaledNumerator = numerator * scale
        let negative = scaledNumerator < 0
        let magnitude = negative ? -scaledNumerator : scaledNumerator
        var quotient = magnitude / denominator
        let twiceRemainder = (magnitude % denominator) * 2
        // GB/T 8170 3.3: above half → up; below → down; exactly half → to the even neighbour.
        if twiceRemainder > denominator || (twiceRemainder == denominator && quotient % 2 == 1) {
            quotient += 1
        }
        return ScaledDecimal(units: Int64(negative ? -quotient : quotient), decimals: decimals)
    }

    /// The numerator and denominator as 64-bit integers when both fit with room to spare (the common case).
    @inline(__always) var small: (Int64, Int64)? {
        let limit = Int128(Int64.max / 4)
        guard numerator > -limit, numerator < limit, denominator < limit else { return nil }
        return (Int64(numerator), Int64(denominator))
    }

    /// The nearest `Double`, for display only (never for a decision).
    public var doubleValue: Double {
        // Split so that large numerators keep their precision.
        let whole = numerator / denominator
        let remainder = numerator % denominator
        return Double(whole) + Double(remainder) / Double(denominator)
    }

    /// A plain decimal rendering with up to 6 decimals, for messages.
    public var description: String { rounded(decimals: 6).description }

    public static func < (lhs: ExactNumber, rhs: ExactNumber) -> Bool {
        if let a = lhs.tiny, let b = rhs.tiny { return a.0 * b.1 < b.0 * a.1 }
        return lhs.numerator * rhs.denominator < rhs.numerator * lhs.denominator
    }

    /// Numerator and denominator below 2³¹ in magnitude, so that cross products fit in 64 bits.
    @inline(__always) var tiny: (Int64, Int64)? {
        let limit: Int128 = 1 << 31
        guard numerator > -limit, numerator < limit, denominator < limit else { return nil }
        return (Int64(numerator), Int64(denominator))
    }

    public static func == (lhs: ExactNumber, rhs: ExactNumber) -> Bool {
        lhs.numerator * rhs.denominator == rhs.numerator * lhs.denominator
    }

    public func hash(into hasher: inout Hasher) {
        // Equal values hash alike: reduce first.
        let divisor = ExactNumber.gcd(numerator < 0 ? -numerator : numerator, denominator)
        hasher.combine(numerator / divisor)
        hasher.combine(denominator / divisor)
    }

    /// The sum.
    public static func + (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        if lhs.denominator == rhs.denominator { return ExactNumber(lhs.numerator + rhs.numerator, over: lhs.denominator) }
        return ExactNumber(lhs.numerator * rhs.denominator + rhs.numerator * lhs.denominator, over: lhs.denominator * rhs.denominator)
    }

    /// The difference.
    public static func - (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        if lhs.denominator == rhs.denominator { return ExactNumber(lhs.numerator - rhs.numerator, over: lhs.denominator) }
        return ExactNumber(lhs.numerator * rhs.denominator - rhs.numerator * lhs.denominator, over: lhs.denominator * rhs.denominator)
    }

    /// The product.
    public static func * (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        ExactNumber(lhs.numerator * rhs.numerator, over: lhs.denominator * rhs.denominator)
    }

    /// The quotient; `rhs` must not be zero.
    public static func / (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        ExactNumber(lhs.numerator * rhs.denominator, over: lhs.denominator * rhs.numerator)
    }

    /// The value reduced to lowest terms (keeps intermediate products small).
    public var reduced: ExactNumber {
        let divisor = ExactNumber.gcd(numerator < 0 ? -numerator : numerator, denominator)
        return divisor > 1 ? ExactNumber(numerator / divisor, over: denominator / divisor) : self
    }

    static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }
}
