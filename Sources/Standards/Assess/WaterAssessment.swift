/// The JSON of `qingshan assess water`: `{"samples": [{"site", "time", "class", "class_name", "status",
/// "main_pollutants": [{"item", "multiple"}], "compliant"}], "summary": {"samples", "share_class_1_to_3", "status"}}`.
public struct WaterReport: Encodable, Sendable {
    /// One evaluated sample.
    public struct Sample: Encodable, Sendable {
        /// The sample as read.
        public var sample: WaterCSV.Sample
        /// The evaluation.
        public var evaluation: WaterSampleEvaluation
        /// Drinking-water source compliance, when asked for.
        public var sourceCompliant: Bool??

        enum CodingKeys: String, CodingKey {
            case site, time, `class`, className = "class_name", status, mainPollutants = "main_pollutants", compliant
            case targetClass = "target_class", sourceCompliant = "source_compliant"
        }

        enum PollutantKeys: String, CodingKey {
            case item, multiple, `class`
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sample.site, forKey: .site)
            try container.encodeOrNull(sample.time, forKey: .time)
            try container.encodeOrNull(evaluation.waterClass?.value, forKey: .class)
            try container.encodeOrNull(evaluation.waterClass?.name, forKey: .className)
            try container.encodeOrNull(evaluation.waterClass?.status, forKey: .status)
            var list = container.nestedUnkeyedContainer(forKey: .mainPollutants)
            for pollutant in evaluation.mainPollutants {
                var entry = list.nestedContainer(keyedBy: PollutantKeys.self)
                try entry.encode(pollutant.item.rawValue, forKey: .item)
                try entry.encodeDecimal(pollutant.multiple, forKey: .multiple)
                try entry.encode(pollutant.itemClass.value, forKey: .class)
            }
            try container.encodeOrNull(evaluation.compliant, forKey: .compliant)
            try container.encodeOrNull(sample.targetClass?.name, forKey: .targetClass)
            if let sourceCompliant { try container.encodeOrNull(sourceCompliant, forKey: .sourceCompliant) }
        }
    }

    /// The samples in file order.
    public var samples: [Sample]
    /// The number of samples with a class.
    public var classified: Int
    /// The share of samples in classes I–III, percent to 0.1 (GB/T 8170).
    public var shareClass1To3: ScaledDecimal?
    /// The share of samples in class 劣V, percent to 0.1.
    public var shareWorseThanV: ScaledDecimal?
    /// The status of the set (环办〔2011〕22号 二(二)2).
    public var status: String?
    /// The water type.
    public var waterType: WaterType

    enum CodingKeys: String, CodingKey {
        case samples, summary, waterType = "water_type"
    }

    enum SummaryKeys: String, CodingKey {
        case samples, shareClass1To3 = "share_class_1_to_3", status, classified, shareWorseThanV = "share_worse_than_v"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(samples, forKey: .samples)
        var summary = container.nestedContainer(keyedBy: SummaryKeys.self, forKey: .summary)
        try summary.encode(samples.count, forKey: .samples)
        try summary.encodeDecimal(shareClass1To3, forKey: .shareClass1To3)
        try summary.encodeOrNull(status, forKey: .status)
        try summary.encode(classified, forKey: .classified)
        try summary.encodeDecimal(shareWorseThanV, forKey: .shareWorseThanV)
        try container.encode(waterType, forKey: .waterType)
    }
}

/// Surface-water assessments of a sample file.
public enum WaterAssessment {
    /// Reads a CSV text and evaluates each sample and the set.
    ///
    /// The summary treats each sample as a section: with five or more the status follows the class proportions,
    /// with fewer the class of the mean concentrations (环办〔2011〕22号 二(二)2).
    /// - Parameters:
    ///   - text: the CSV text.
    ///   - waterType: river or lake/reservoir (TP column).
    ///   - drinkingSource: also judge each sample as a drinking-water source (class III and 表2 items).
    /// - Returns: the report.
    /// - Throws: ``AssessInputError`` for bad input.
    public static func run(csv text: String, waterType: WaterType = .river, drinkingSource: Bool = false) throws(AssessInputError) -> WaterReport {
        let file = try WaterCSV(text)
        return evaluate(file.samples, waterType: waterType, drinkingSource: drinkingSource)
    }

    /// Evaluates samples.
    /// - Parameters:
    ///   - samples: the samples.
    ///   - waterType: river or lake/reservoir.
    ///   - drinkingSource: also judge drinking-water source compliance.
    /// - Returns: the report.
    public static func evaluate(_ samples: [WaterCSV.Sample], waterType: WaterType, drinkingSource: Bool = false) -> WaterReport {
        let evaluated = samples.map { sample in
            WaterReport.Sample(
                sample: sample,
                evaluation: WaterQuality.evaluate(sample.values, waterType: waterType, targetClass: sample.targetClass),
                sourceCompliant: drinkingSource ? .some(WaterQuality.drinkingSourceCompliant(sample.values, waterType: waterType)) : nil)
        }
        let classes = evaluated.compactMap(\.evaluation.waterClass)
        let n = classes.count
        func share(_ count: Int) -> ScaledDecimal? {
            n == 0 ? nil : ExactNumber(Int128(count) * 100, over: Int128(n)).rounded(decimals: 1)
        }
        let status: String? = n >= 5
            ? WaterQuality.statusByProportions(classes)
            : WaterQuality.statusOfFewSections(samples.map(\.values), waterType: waterType)?.status
        return WaterReport(samples: evaluated, classified: n, shareClass1To3: share(classes.filter { $0.value <= 3 }.count),
                           shareWorseThanV: share(classes.filter { $0.value == 6 }.count), status: status, waterType: waterType)
    }
}
