import Foundation

/// A small, seedable pseudo-random generator for the demo data: SplitMix64 (Steele, Lea and Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014; the constants of Vigna's reference `splitmix64.c`).
///
/// Foundation's generators cannot be seeded, and the demo data must be the same for the same seed on every machine
/// and every run. Streams are derived from the seed and a list of keys (a site, a day, a purpose), so that the values
/// of one day of one site depend on nothing else: generating a sub-range gives exactly the values of the full range.
public struct DemoRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator started at `seed`.
    /// - Parameter seed: any 64-bit value.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one stream: the seed mixed with each key in turn.
    /// - Parameters:
    ///   - seed: the data set's seed.
    ///   - keys: what the stream is for (site hash, day number, purpose …).
    public init(seed: UInt64, keys: [UInt64]) {
        var mixed = DemoRandom.mix(seed)
        for key in keys { mixed = DemoRandom.mix(mixed ^ DemoRandom.mix(key &+ 0x9E37_79B9_7F4A_7C15)) }
        state = mixed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return DemoRandom.mix(state)
    }

    /// A uniform value in [0, 1), from the top 53 bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform value in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A standard normal value (Box-Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 0x1.0p-53)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `true` with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// An integer in `range`.
    public mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// The SplitMix64 finaliser: a bijective mix of 64 bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stable 64-bit hash of a text (FNV-1a over its UTF-8 bytes): Swift's `Hasher` is seeded per process, so it
    /// cannot name a stream.
    /// - Parameter text: the text (a site code, a purpose).
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// One standard normal value of a stream at an integer position, without state: the same arguments give the same
    /// value.
    static func normal(seed: UInt64, keys: [UInt64]) -> Double {
        var random = DemoRandom(seed: seed, keys: keys)
        return random.normal()
    }

    /// Smooth noise over days (value noise): standard normal values at knots every `period` days, joined by cosine
    /// interpolation, so that consecutive days are correlated the way weather is. Stateless: any day can be asked
    /// for alone.
    /// - Parameters:
    ///   - seed: the data set's seed.
    ///   - stream: what the noise is for.
    ///   - day: the day number.
    ///   - period: days between knots.
    /// - Returns: a value of mean 0 and standard deviation somewhat under 1.
    static func smooth(seed: UInt64, stream: UInt64, day: Int, period: Int) -> Double {
        let knot = day >= 0 ? day / period : (day - period + 1) / period
        let t = Double(day - knot * period) / Double(period)
        let a = normal(seed: seed, keys: [stream, UInt64(bitPattern: Int64(knot))])
        let b = normal(seed: seed, keys: [stream, UInt64(bitPattern: Int64(knot + 1))])
        let w = (1 - cos(Double.pi * t)) / 2
        // Rescaled so that the variance between knots stays close to that at the knots.
        return (a * (1 - w) + b * w) / ((1 - w) * (1 - w) + w * w).squareRoot()
    }
}
