/// The title and notes of a plan's target-indicator table (e.g. 专栏2 with its 注 1-4).
public struct IndicatorTable: Codable, Sendable, Equatable {
    /// The table's title as printed.
    public var title: String
    /// The notes printed under the table, in order.
    public var notes: [String]

    /// Creates a table description.
    public init(title: String = "", notes: [String] = []) {
        self.title = title
        self.notes = notes
    }
}

/// Whether an indicator binds the government or states an expectation.
public enum IndicatorType: String, Codable, Sendable, CaseIterable {
    /// 约束性: a binding indicator, assessed.
    case binding
    /// 预期性: an expected (anticipatory) indicator.
    case expected
    /// 参考性: a reference indicator (used in older plans' reviews).
    case reference

    /// The Chinese term as printed in plans.
    public var chineseName: String {
        switch self {
        case .binding: "约束性"
        case .expected: "预期性"
        case .reference: "参考性"
        }
    }
}

/// A target indicator of a plan (a row of 专栏2).
public struct Indicator: Codable, Sendable, Equatable {
    /// The row number as printed (1-based).
    public var number: Int
    /// The domain (领域) the indicator belongs to, e.g. 生态保护修复.
    public var domain: String
    /// The indicator's name.
    public var name: String
    /// The unit as printed (`%`, `天`, `μg/m3`).
    public var unit: String
    /// Binding or expected.
    public var type: IndicatorType
    /// The type as printed (约束性 / 预期性), when given.
    public var typeText: String?
    /// The baseline value (e.g. 2020 现状值).
    public var baseline: PlanValue
    /// The target value (e.g. 2025 目标值).
    public var target: PlanValue
    /// Fields whose printed cell was blank because the table merged it with the row above; their value was carried down.
    public var carriedDown: [String]

    enum CodingKeys: String, CodingKey {
        case number, domain, name, unit, type, typeText = "type_text", baseline, target, carriedDown = "carried_down"
    }

    /// Creates an indicator.
    public init(
        number: Int, domain: String, name: String, unit: String, type: IndicatorType, typeText: String? = nil,
        baseline: PlanValue, target: PlanValue, carriedDown: [String] = []
    ) {
        self.number = number
        self.domain = domain
        self.name = name
        self.unit = unit
        self.type = type
        self.typeText = typeText
        self.baseline = baseline
        self.target = target
        self.carriedDown = carriedDown
    }

    /// Decodes an indicator; `carried_down` and `type_text` may be omitted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        number = try c.decode(Int.self, forKey: .number)
        domain = try c.decode(String.self, forKey: .domain)
        name = try c.decode(String.self, forKey: .name)
        unit = try c.decode(String.self, forKey: .unit)
        type = try c.decode(IndicatorType.self, forKey: .type)
        typeText = try c.decodeIfPresent(String.self, forKey: .typeText)
        baseline = try c.decode(PlanValue.self, forKey: .baseline)
        target = try c.decode(PlanValue.self, forKey: .target)
        carriedDown = try c.decodeIfPresent([String].self, forKey: .carriedDown) ?? []
    }
}

/// The review of the previous plan's indicators (专栏1).
public struct Review: Codable, Sendable, Equatable {
    /// The table's title as printed.
    public var title: String
    /// The year of the base values (e.g. 2015).
    public var baseYear: Int
    /// The year of the targets and results (e.g. 2020).
    public var targetYear: Int
    /// The reviewed indicators.
    public var indicators: [ReviewIndicator]

    enum CodingKeys: String, CodingKey { case title, baseYear = "base_year", targetYear = "target_year", indicators }

    /// Creates a review.
    public init(title: String, baseYear: Int, targetYear: Int, indicators: [ReviewIndicator]) {
        self.title = title
        self.baseYear = baseYear
        self.targetYear = targetYear
        self.indicators = indicators
    }
}

/// An indicator of the previous plan with its base value, target, attribute and result.
public struct ReviewIndicator: Codable, Sendable, Equatable {
    /// The row number as printed.
    public var number: Int
    /// The category (类别), e.g. 生态空间.
    public var category: String
    /// The indicator's name, without number and unit.
    public var name: String
    /// The unit, when printed.
    public var unit: String?
    /// The attribute (约束性 / 预期性 / 参考性).
    public var attribute: IndicatorType
    /// The attribute as printed.
    public var attributeText: String?
    /// The base-year value; nil where the indicator has sub-rows that carry it.
    public var base: PlanValue?
    /// The target; nil where sub-rows carry it.
    public var target: PlanValue?
    /// The result achieved; nil where sub-rows carry it.
    public var result: PlanValue?
    /// Sub-rows (e.g. 城市 / 乡镇, or the five pollutants), empty when none.
    public var subRows: [ReviewSubRow]

    enum CodingKeys: String, CodingKey {
        case number, category, name, unit, attribute, attributeText = "attribute_text", base, target, result, subRows = "sub_rows"
    }

    /// Creates a review indicator.
    public init(
        number: Int, category: String, name: String, unit: String?, attribute: IndicatorType, attributeText: String?,
        base: PlanValue?, target: PlanValue?, result: PlanValue?, subRows: [ReviewSubRow] = []
    ) {
        self.number = number
        self.category = category
        self.name = name
        self.unit = unit
        self.attribute = attribute
        self.attributeText = attributeText
        self.base = base
        self.target = target
        self.result = result
        self.subRows = subRows
    }

    /// Decodes a review indicator; optional parts may be omitted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        number = try c.decode(Int.self, forKey: .number)
        category = try c.decode(String.self, forKey: .category)
        name = try c.decode(String.self, forKey: .name)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        attribute = try c.decode(IndicatorType.self, forKey: .attribute)
        attributeText = try c.decodeIfPresent(String.self, forKey: .attributeText)
        base = try c.decodeIfPresent(PlanValue.self, forKey: .base)
        target = try c.decodeIfPresent(PlanValue.self, forKey: .target)
        result = try c.decodeIfPresent(PlanValue.self, forKey: .result)
        subRows = try c.decodeIfPresent([ReviewSubRow].self, forKey: .subRows) ?? []
    }

    /// Encodes every key, with `null` for absent values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(category, forKey: .category)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(attribute, forKey: .attribute)
        try c.encode(attributeText, forKey: .attributeText)
        try c.encode(base, forKey: .base)
        try c.encode(target, forKey: .target)
        try c.encode(result, forKey: .result)
        try c.encode(subRows, forKey: .subRows)
    }
}

/// A sub-row of a reviewed indicator (e.g. 城市 under 集中式饮用水源地水质达标率).
public struct ReviewSubRow: Codable, Sendable, Equatable {
    /// The sub-row's label.
    public var name: String
    /// The base-year value.
    public var base: PlanValue?
    /// The target.
    public var target: PlanValue?
    /// The attribute, when the row has its own.
    public var attribute: IndicatorType?
    /// The attribute as printed.
    public var attributeText: String?
    /// The result achieved.
    public var result: PlanValue?

    enum CodingKeys: String, CodingKey { case name, base, target, attribute, attributeText = "attribute_text", result }

    /// Creates a sub-row.
    public init(name: String, base: PlanValue?, target: PlanValue?, attribute: IndicatorType?, attributeText: String?, result: PlanValue?) {
        self.name = name
        self.base = base
        self.target = target
        self.attribute = attribute
        self.attributeText = attributeText
        self.result = result
    }

    /// Encodes every key, with `null` for absent values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(base, forKey: .base)
        try c.encode(target, forKey: .target)
        try c.encode(attribute, forKey: .attribute)
        try c.encode(attributeText, forKey: .attributeText)
        try c.encode(result, forKey: .result)
    }
}
