/// A decimal number held exactly as `units / 10^decimals`: a value as written in a file, or a value rounded to
/// the precision a standard reports (µg/m³ as integers, CO to 0.1 mg/m³, indices to 0.01, dB to 0.1).
public struct ScaledDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in units of `10^-decimals`.
    public let units: Int64
    /// The number of decimal places.
    public let decimals: Int

    /// Creates `units / 10^decimals`.
    /// - Parameters:
    ///   - units: the scaled integer.
    ///   - decimals: the number of decimal places (0…18).
    public init(units: Int64, decimals: Int) {
        precondition(decimals >= 0 && decimals <= 18, "ScaledDecimal supports 0...18 decimals")
        self.units = units
        self.decimals = decimals
    }

    /// An integer value.
    /// - Parameter integer: the value.
    public init(_ integer: Int) {
        self.init(units: Int64(integer), decimals: 0)
    }

    /// The exact value.
    public var exact: ExactNumber { ExactNumber(Int128(units), over: Int128(ScaledDecimal.powerOfTen(decimals))) }

    /// The nearest `Double`: the correctly rounded quotient, so it prints in its shortest form (`35`, `1.2`).
    public var doubleValue: Double { Double(units) / Double(ScaledDecimal.powerOfTen(decimals)) }

    /// The value rounded again to fewer decimals by GB/T 8170.
    /// - Parameter decimals: the decimals kept.
    /// - Returns: the rounded value (unchanged when it already has that many decimals or fewer).
    public func rounded(decimals: Int) -> ScaledDecimal {
        decimals >= self.decimals ? self : exact.rounded(decimals: decimals)
    }

    /// The value with its decimals written out (`35`, `1.2`, `0.05`).
    public var description: String {
        if decimals == 0 { return String(units) }
        let negative = units < 0
        let magnitude = negative ? 0 &- units.magnitude : units.magnitude
        let scale = UInt64(ScaledDecimal.powerOfTen(decimals))
        let whole = magnitude / scale
        var fraction = String(magnitude % scale)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        return (negative ? "-" : "") + "\(whole).\(fraction)"
    }

    public static func < (lhs: ScaledDecimal, rhs: ScaledDecimal) -> Bool { lhs.exact < rhs.exact }
    public static func == (lhs: ScaledDecimal, rhs: ScaledDecimal) -> Bool { lhs.exact == rhs.exact }
    public func hash(into hasher: inout Hasher) { hasher.combine(exact) }

    /// 10^n for n in 0…18.
    static func powerOfTen(_ n: Int) -> Int64 {
        powersOfTen[n]
    }

    static let powersOfTen: [Int64] = {
        var result: [Int64] = [1]
        for _ in 1...18 { result.append(result[result.count - 1] * 10) }
        return result
    }()

    /// Reads a plain decimal number: digits with an optional sign, decimal point and exponent (`35`, `0.3`,
    /// `+2.5`, `.5`, `1e3`). Digits beyond `maximumDecimals` are rounded by GB/T 8170.
    /// - Parameters:
    ///   - text: the text, without surrounding spaces.
    ///   - maximumDecimals: the most decimals kept (at most 18).
    /// - Returns: the value, or `nil` when the text is not such a number or is too large for 18 digits.
    public static func parse(_ text: Substring, maximumDecimals: Int = 9) -> ScaledDecimal? {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var exponent = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                let rest = bytes[(index + 1)...]
                guard !digits.isEmpty, let value = Int(String(decoding: rest, as: UTF8.self)), abs(value) <= 30 else { return nil }
                exponent = value
                index = bytes.endIndex
                break
            } else {
                return nil
            }
            index += 1
        }
        guard !digits.isEmpty else { return nil }
        var numerator: Int128 = 0
        for digit in digits {
            guard numerator < Int128(10).power(36) else { return nil }
            numerator = numerator * 10 + Int128(digit)
        }
        var scale = fractionDigits - exponent
        if scale < 0 {
            guard -scale <= 18 else { return nil }
            numerator *= Int128(powerOfTen(-scale))
            scale = 0
        }
        let keep = min(maximumDecimals, 18)
        let value: ScaledDecimal
        if scale <= keep {
            guard numerator <= Int128(Int64.max) else { return nil }
            value = ScaledDecimal(units: Int64(numerator), decimals: scale)
        } else {
            guard scale - keep <= 36 else { return nil }
            let rounded = ExactNumber(numerator, over: Int128(10).power(scale - keep)).rounded(decimals: 0)
            value = ScaledDecimal(units: rounded.units, decimals: keep)
        }
        return negative ? ScaledDecimal(units: -value.units, decimals: value.decimals) : value
    }
}

extension Int128 {
    /// `self` raised to a small non-negative power.
    func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= self }
        return result
    }
}
