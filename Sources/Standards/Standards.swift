/// The rules of the national eco-environment standards that Qingshan's official figures come from.
///
/// A pure module: no I/O and nothing beyond the Swift standard library. Every rule cites the clause of the
/// standard it implements:
///
/// - Air: HJ 633-2012 and HJ 633-2026 (AQI), GB 3095-2012 (with its 2018 amendment) and GB 3095-2026 (limits,
///   data validity), HJ 663-2013 and HJ 663-2026 (evaluation). Both rule sets are held; ``AirStandardChoice/auto``
///   picks the one in force on each date (the switch is 2026-03-01).
/// - Surface water: GB 3838-2002 and the evaluation method 环办〔2011〕22号.
/// - Noise: GB 3096-2008 with HJ 640-2012.
///
/// Numbers are exact: concentrations are decimal or rational values (``ExactNumber``, ``ScaledDecimal``), never
/// binary floating point, and every rounding follows GB/T 8170 (round half to even on the exact decimal).
public enum QingshanStandards {
    /// The version of this rule engine, reported beside results.
    public static let engineVersion = "1"
}
