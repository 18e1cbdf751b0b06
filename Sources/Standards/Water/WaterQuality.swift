/// The class of a water sample, 1…6 (I–V and 劣V) with its words (环办〔2011〕22号 表1).
public struct WaterClass: Sendable, Hashable, Comparable, Codable {
    /// 1…5 for classes I–V, 6 for 劣V.
    public let value: Int

    /// Creates a class 1…6.
    /// - Parameter value: the class number.
    public init(_ value: Int) {
        precondition((1...6).contains(value), "water classes are 1...6")
        self.value = value
    }

    /// `I`, `II`, `III`, `IV`, `V`, `劣V`.
    public var name: String { ["I", "II", "III", "IV", "V", "劣V"][value - 1] }
    /// 水质状况: I–II 优, III 良好, IV 轻度污染, V 中度污染, 劣V 重度污染.
    public var status: String { ["优", "优", "良好", "轻度污染", "中度污染", "重度污染"][value - 1] }
    /// The colour of the status: 蓝, 蓝, 绿, 黄, 橙, 红.
    public var colour: String { ["#0000FF", "#0000FF", "#00FF00", "#FFFF00", "#FF8000", "#FF0000"][value - 1] }

    /// Reads `I`…`V` (also `Ⅰ`…`Ⅴ` or `1`…`5`); `劣V` as 6.
    /// - Parameter text: the text.
    public init?(name text: String) {
        switch text.uppercased() {
        case "1", "I", "Ⅰ": self.init(1)
        case "2", "II", "Ⅱ": self.init(2)
        case "3", "III", "Ⅲ": self.init(3)
        case "4", "IV", "Ⅳ": self.init(4)
        case "5", "V", "Ⅴ": self.init(5)
        case "劣V", "劣Ⅴ", "6": self.init(6)
        default: return nil
        }
    }

    public static func < (lhs: WaterClass, rhs: WaterClass) -> Bool { lhs.value < rhs.value }
}

/// A main pollutant (主要污染指标) of a sample and its exceedance multiple over class III.
public struct WaterMainPollutant: Sendable, Hashable {
    /// The item.
    public var item: WaterItem
    /// 超标倍数 (C − C_III)/C_III to 0.01 (GB/T 8170); `nil` for pH and DO, for which no multiple is computed.
    public var multiple: ScaledDecimal?
    /// The class of the item.
    public var itemClass: WaterClass
}

/// The single-factor evaluation of one sample (GB 3838-2002; 环办〔2011〕22号).
public struct WaterSampleEvaluation: Sendable, Hashable {
    /// The class (worst of the evaluated items), or `nil` when no evaluated item was measured.
    public var waterClass: WaterClass?
    /// The class of each evaluated item present.
    public var itemClasses: [WaterItem: WaterClass]
    /// The main pollutants: items worse than class III, by exceedance multiple (largest first; pH and DO after),
    /// at most three.
    public var mainPollutants: [WaterMainPollutant]
    /// Compliance with a target class (section class no worse than the target), or `nil` without a target.
    public var compliant: Bool?
}

/// The water-quality rules of GB 3838-2002 and the evaluation method 环办〔2011〕22号.
public enum WaterQuality {
    /// The class of one item (GB 3838-2002 表1): for "≤" items the best class whose limit the value does not exceed
    /// (a value exactly at a limit belongs to that class), 劣V beyond class V; DO is a lower bound (≥ 7.5 I, ≥ 6 II,
    /// ≥ 5 III, ≥ 3 IV, ≥ 2 V, else 劣V); pH within 6–9 meets every class, outside it 劣V.
    /// - Parameters:
    ///   - item: the item.
    ///   - value: the measured value.
    ///   - waterType: river or lake/reservoir.
    /// - Returns: the class, or `nil` for items without class limits (water temperature, 表2 items).
    public static func itemClass(_ item: WaterItem, _ value: ScaledDecimal, waterType: WaterType) -> WaterClass? {
        switch item {
        case .ph:
            return value >= ScaledDecimal(6) && value <= ScaledDecimal(9) ? WaterClass(1) : WaterClass(6)
        case .dissolvedOxygen:
            let index = WaterItem.dissolvedOxygenBounds.firstIndex { value >= $0 }
            return WaterClass((index ?? 5) + 1)
        default:
            guard let limits = item.upperLimits(waterType) else { return nil }
            let index = limits.firstIndex { value <= $0 }
            return WaterClass((index ?? 5) + 1)
        }
    }

    /// Evaluates a sample by the single-factor method over the 21 evaluated items (环办〔2011〕22号 二(一)):
    /// the class is the worst class of its items; main pollutants are the items worse than class III ranked by
    /// 超标倍数 = (C − C_III)/C_III (pH and DO get no multiple and rank after the others), top three; compliance is
    /// the class being no worse than the target class.
    /// - Parameters:
    ///   - values: the measured values (items not measured are absent; non-evaluated items are ignored).
    ///   - waterType: river or lake/reservoir.
    ///   - targetClass: the section's target class, if any.
    /// - Returns: the evaluation.
    public static func evaluate(_ values: [WaterItem: ScaledDecimal], waterType: WaterType,
                                targetClass: WaterClass? = nil) -> WaterSampleEvaluation {
        var classes: [WaterItem: WaterClass] = [:]
        var worst: WaterClass?
        var candidates: [(order: Int, multiple: ExactNumber?, pollutant: WaterMainPollutant)] = []
        for (order, item) in WaterItem.evaluated.enumerated() {
            guard let value = values[item], let itemClass = itemClass(item, value, waterType: waterType) else { continue }
            classes[item] = itemClass
            worst = max(worst ?? itemClass, itemClass)
            guard itemClass.value > 3 else { continue }
            var multiple: ExactNumber?
            if let limits = item.upperLimits(waterType) {
                let limit = limits[2].exact
                multiple = (value.exact - limit) / limit
            }
            candidates.append((order, multiple, WaterMainPollutant(item: item, multiple: multiple?.rounded(decimals: 2),
                                                                   itemClass: itemClass)))
        }
        candidates.sort { a, b in
            switch (a.multiple, b.multiple) {
            case let (x?, y?): x != y ? x > y : a.order < b.order
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.order < b.order
            }
        }
        let compliant: Bool? = targetClass.flatMap { target in worst.map { $0 <= target } }
        return WaterSampleEvaluation(waterClass: worst, itemClasses: classes,
                                     mainPollutants: candidates.prefix(3).map(\.pollutant), compliant: compliant)
    }

    /// The status of a river, basin or set of sections (环办〔2011〕22号 二(二)2).
    ///
    /// With 5 sections or more, by the shares of classes: I–III ≥ 90 % 优; 75 % ≤ I–III < 90 % 良好; I–III < 75 % and
    /// 劣V < 20 % 轻度污染; I–III < 75 % and 20 % ≤ 劣V < 40 % 中度污染; I–III < 60 % and 劣V ≥ 40 % 重度污染 (the gap
    /// I–III in [60 %, 75 %) with 劣V ≥ 40 % falls back to 中度污染, digest §6 #12). With fewer sections the item
    /// concentrations are averaged over the sections first and the class of the means decides (see
    /// ``statusOfFewSections(_:waterType:)``).
    /// - Parameter classes: the class of each section.
    /// - Returns: the status word, or `nil` for no sections.
    public static func statusByProportions(_ classes: [WaterClass]) -> String? {
        let n = classes.count
        guard n > 0 else { return nil }
        let good = classes.filter { $0.value <= 3 }.count
        let worst = classes.filter { $0.value == 6 }.count
        // Exact comparisons: good/n ≥ 0.90 ⇔ 100·good ≥ 90·n.
        if 100 * good >= 90 * n { return "优" }
        if 100 * good >= 75 * n { return "良好" }
        if 100 * worst < 20 * n { return "轻度污染" }
        if 100 * worst < 40 * n { return "中度污染" }
        if 100 * good < 60 * n { return "重度污染" }
        return "中度污染"
    }

    /// The class of fewer than five sections: the arithmetic mean of each item over the sections, then the
    /// single-factor class (环办〔2011〕22号 二(二)2).
    /// - Parameters:
    ///   - samples: the sections' values.
    ///   - waterType: river or lake/reservoir.
    /// - Returns: the class of the means, or `nil` when nothing was measured.
    public static func statusOfFewSections(_ samples: [[WaterItem: ScaledDecimal]], waterType: WaterType) -> WaterClass? {
        var means: [WaterItem: ScaledDecimal] = [:]
        for item in WaterItem.evaluated {
            let values = samples.compactMap { $0[item] }
            guard !values.isEmpty else { continue }
            let sum = values.reduce(ExactNumber.zero) { ($0 + $1.exact).reduced }
            // The class needs exact comparisons: keep 12 decimals of the mean (far below any limit's precision).
            means[item] = (sum / ExactNumber(values.count)).rounded(decimals: 12)
        }
        return evaluate(means, waterType: waterType).waterClass
    }

    /// Compliance of a centralised surface drinking-water source (GB 3838-2002 §4.2, 表1 class III and 表2): every
    /// evaluated 表1 item within class III and every 表2 item measured within its limit.
    /// - Parameters:
    ///   - values: the measured values.
    ///   - waterType: river or lake/reservoir.
    /// - Returns: `true` when compliant, `false` when not, `nil` when no item was measured.
    public static func drinkingSourceCompliant(_ values: [WaterItem: ScaledDecimal], waterType: WaterType) -> Bool? {
        let evaluation = evaluate(values, waterType: waterType, targetClass: WaterClass(3))
        var measured = evaluation.waterClass != nil
        var ok = evaluation.compliant ?? true
        for item in WaterItem.supplementary {
            guard let value = values[item], let limit = item.supplementaryLimit else { continue }
            measured = true
            if value > limit { ok = false }
        }
        return measured ? ok : nil
    }
}
