/// The percentile of HJ 663 附录A (A.2).
public enum HJ663Percentile {
    /// The p-th percentile of n values: sort ascending X(1) ≤ … ≤ X(n); k = 1 + (n − 1)·p/100; s = ⌊k⌋;
    /// m_p = X(s) + (X(s+1) − X(s))·(k − s), or X(k) when k is an integer (HJ 663-2013 附录A, A.2). This equals
    /// Excel PERCENTILE.INC and numpy's "linear" method; it is neither nearest-rank nor (n+1)p. Computed exactly.
    /// - Parameters:
    ///   - values: the values (any order).
    ///   - p: the percentile, 0…100.
    /// - Returns: the exact percentile, or `nil` for no values.
    public static func percentile(_ values: [ExactNumber], p: Int) -> ExactNumber? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let t = (sorted.count - 1) * p
        let s = 1 + t / 100
        let fraction = t % 100
        if fraction == 0 { return sorted[s - 1] }
        let low = sorted[s - 1], high = sorted[s]
        return (low + (high - low) * ExactNumber(Int128(fraction), over: 100)).reduced
    }

    /// The same on reported values that share one number of decimals (the fast path of the annual evaluation).
    /// - Parameters:
    ///   - units: the scaled values (any order).
    ///   - decimals: their decimals.
    ///   - p: the percentile.
    /// - Returns: the exact percentile, or `nil` for no values.
    public static func percentile(units: [Int64], decimals: Int, p: Int) -> ExactNumber? {
        guard !units.isEmpty else { return nil }
        let sorted = units.sorted()
        let t = (sorted.count - 1) * p
        let s = 1 + t / 100
        let fraction = t % 100
        let scale = Int128(ScaledDecimal.powerOfTen(decimals))
        let low = Int128(sorted[s - 1])
        if fraction == 0 { return ExactNumber(low, over: scale) }
        let high = Int128(sorted[s])
        return ExactNumber(low * 100 + (high - low) * Int128(fraction), over: scale * 100)
    }
}
