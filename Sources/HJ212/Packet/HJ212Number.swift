/// Decimal numbers of the data area (HJ 212-2017 6.3.3.2.2: `N14.2` = sign, up to 14 integer and 2 decimal digits).
///
/// Accepted leniently: an optional `+`/`-`, digits with at most one `.` (`.5` and `5.` included), an optional
/// exponent. Parsed straight from the bytes; exact for up to 15 significant digits.
enum HJ212Number {
    static let powers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Whether `p[start..<end]` is a decimal number.
    @inline(__always)
    static func isNumber(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var i = start
        if i < end && (p[i] == 0x2D || p[i] == 0x2B) { i += 1 }
        var digits = 0
        var dot = false
        while i < end {
            let c = p[i]
            if ASCII.isDigit(c) {
                digits += 1
            } else if c == 0x2E && !dot {
                dot = true
            } else {
                break
            }
            i += 1
        }
        if digits == 0 { return false }
        if i == end { return true }
        guard p[i] == 0x65 || p[i] == 0x45 else { return false }
        i += 1
        if i < end && (p[i] == 0x2D || p[i] == 0x2B) { i += 1 }
        var exponentDigits = 0
        while i < end && ASCII.isDigit(p[i]) {
            exponentDigits += 1
            i += 1
        }
        return exponentDigits > 0 && i == end
    }

    /// Parses a decimal number (nil when `isNumber` is false).
    static func parse(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
        guard isNumber(p, start, end) else { return nil }
        var i = start
        var negative = false
        if p[i] == 0x2D || p[i] == 0x2B {
            negative = p[i] == 0x2D
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var fraction = 0
        var dot = false
        var simple = true
        while i < end {
            let c = p[i]
            if c == 0x2E {
                dot = true
            } else if ASCII.isDigit(c) {
                if mantissa != 0 || c != 0x30 { significant += 1 }
                if significant > 15 {
                    simple = false
                    break
                }
                mantissa = mantissa * 10 + UInt64(c &- 0x30)
                if dot { fraction += 1 }
            } else {
                simple = false  // exponent
                break
            }
            i += 1
        }
        if simple && fraction <= 22 {
            let value = Double(mantissa) / powers[fraction]
            return negative ? -value : value
        }
        var text = String(decoding: UnsafeRawBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
        if text.hasPrefix("+") { text.removeFirst() }
        if text.hasPrefix(".") { text = "0" + text } else if text.hasPrefix("-.") { text = "-0" + text.dropFirst() }
        if text.hasSuffix(".") { text.removeLast() }
        return Double(text)
    }

    /// Writes the number as a valid JSON number, keeping its digits (`0.0000` stays `0.0000`): drops a leading `+`
    /// and leading zeros, adds `0` before a leading `.`, drops a trailing `.`.
    static func writeJSON(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int, into out: inout [UInt8]) {
        var i = start
        if p[i] == 0x2B {
            i += 1
        } else if p[i] == 0x2D {
            out.append(0x2D)
            i += 1
        }
        // Integer part.
        var integerStart = i
        while i < end && ASCII.isDigit(p[i]) { i += 1 }
        let integerEnd = i
        while integerStart < integerEnd - 1 && p[integerStart] == 0x30 { integerStart += 1 }
        if integerStart == integerEnd {
            out.append(0x30)
        } else {
            for k in integerStart..<integerEnd { out.append(p[k]) }
        }
        if i < end && p[i] == 0x2E {
            i += 1
            let fractionStart = i
            while i < end && ASCII.isDigit(p[i]) { i += 1 }
            if i > fractionStart {
                out.append(0x2E)
                for k in fractionStart..<i { out.append(p[k]) }
            }
        }
        if i < end {  // exponent: e, sign, digits
            out.append(0x65)
            i += 1
            if p[i] == 0x2D || p[i] == 0x2B {
                out.append(p[i])
                i += 1
            }
            for k in i..<end { out.append(p[k]) }
        }
    }
}
