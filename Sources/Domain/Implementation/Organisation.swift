/// What kind of unit an organisation is.
///
/// 第九章 强化组织领导: "各部门（单位）分工协作，各乡镇（街道）分级实施" — the plan is carried out by the county's departments
/// and its townships, under the ecology bureau.
public enum OrganisationKind: String, Codable, Sendable, CaseIterable {
    /// The county itself, the root of the tree (巫溪县).
    case county
    /// The ecology bureau (县生态环境局), which reviews and approves what units report.
    case bureau
    /// A county department or office (县林业局, 县水利局, 县委办公室 …).
    case department
    /// A township, town or street (乡/镇/街道).
    case township

    /// The kind's name in Chinese.
    public var chineseName: String {
        switch self {
        case .county: "县"
        case .bureau: "生态环境主管部门"
        case .department: "县级部门"
        case .township: "乡镇（街道）"
        }
    }

    /// The unit role a user of this kind of organisation gets, when the organisation is a reporting unit.
    public var unitRole: Role? {
        switch self {
        case .department: .department
        case .township: .township
        case .county, .bureau: nil
        }
    }
}

/// A department or township of the county, a node of the organisation tree.
public struct Organisation: Codable, Sendable, Equatable, Hashable {
    /// The organisation's id.
    public var id: Int64
    /// The name as the plan prints it (e.g. 县林业局, 红池坝镇).
    public var name: String
    /// What kind of unit it is.
    public var kind: OrganisationKind
    /// The parent in the tree; nil for the root.
    public var parentID: Int64?
    /// Whether the row is demonstration data not yet confirmed by the bureau.
    public var demo: Bool

    enum CodingKeys: String, CodingKey { case id, name, kind, parentID = "parent_id", demo }

    /// Creates an organisation value.
    public init(id: Int64, name: String, kind: OrganisationKind, parentID: Int64?, demo: Bool = false) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentID = parentID
        self.demo = demo
    }
}

/// An organisation to create, before it has an id.
public struct OrganisationSeed: Sendable, Equatable {
    /// The name.
    public var name: String
    /// The kind.
    public var kind: OrganisationKind
    /// The parent's name; nil for the root.
    public var parent: String?
    /// Whether the row is demonstration data (a name not confirmed by the plan text).
    public var demo: Bool

    /// Creates a seed.
    public init(name: String, kind: OrganisationKind, parent: String?, demo: Bool = false) {
        self.name = name
        self.kind = kind
        self.parent = parent
        self.demo = demo
    }
}

/// The organisation tree: lookups by id and name, children and descendants.
public struct OrganisationTree: Sendable {
    /// Every organisation, in the order given.
    public let all: [Organisation]
    private let byID: [Int64: Organisation]
    private let children: [Int64: [Organisation]]

    /// Builds the tree from a flat list.
    public init(_ organisations: [Organisation]) {
        all = organisations
        byID = Dictionary(organisations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var children: [Int64: [Organisation]] = [:]
        for organisation in organisations {
            if let parent = organisation.parentID { children[parent, default: []].append(organisation) }
        }
        self.children = children
    }

    /// The organisation with this id.
    public subscript(id: Int64) -> Organisation? { byID[id] }

    /// The organisation with exactly this name.
    public func named(_ name: String) -> Organisation? { all.first { $0.name == name } }

    /// The roots (organisations without a parent).
    public var roots: [Organisation] { all.filter { $0.parentID == nil || byID[$0.parentID!] == nil } }

    /// The direct children of an organisation.
    public func children(of id: Int64) -> [Organisation] { children[id] ?? [] }

    /// The ids of an organisation and everything below it.
    public func subtree(of id: Int64) -> Set<Int64> {
        var seen: Set<Int64> = [id]
        var queue = [id]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where !seen.contains(child.id) {
                seen.insert(child.id)
                queue.append(child.id)
            }
        }
        return seen
    }

    /// Organisations of one kind, by name.
    public func ofKind(_ kind: OrganisationKind) -> [Organisation] { all.filter { $0.kind == kind } }

    /// The organisations whose names a free text mentions (e.g. the townships in a project's 建设地址), in tree order.
    public func mentioned(in text: String, kinds: Set<OrganisationKind> = [.township]) -> [Organisation] {
        all.filter { kinds.contains($0.kind) && text.contains($0.name) }
    }
}

/// The organisations of Wuxi County (巫溪县) that Qingshan ships with.
public enum WuxiOrganisations {
    /// The county at the root.
    public static let county = "巫溪县"
    /// The ecology bureau.
    public static let bureau = "县生态环境局"

    /// Every lead unit the Wuxi plan names (项目、政策、亮点台账 and 第八章/第九章), besides the bureau.
    public static let departments = [
        "县发展改革委", "县经济信息委", "县规划自然资源局", "县住房城乡建委", "县城市管理局", "县水利局", "县农业农村委", "县林业局",
        "县文化旅游委", "县乡村振兴局", "县司法局", "县委组织部", "县委办公室", "县政府办公室",
    ]

    /// The streets, towns and townships (街道、镇、乡) of Wuxi County, with whether the plan text itself names them.
    /// Names the plan text does not mention are seeded as demonstration data until the bureau confirms them.
    public static let townships: [(name: String, confirmedByPlan: Bool)] = [
        ("柏杨街道", false), ("宁河街道", false), ("凤凰镇", true), ("宁厂镇", false), ("上磺镇", true), ("古路镇", true),
        ("文峰镇", true), ("徐家镇", true), ("白鹿镇", true), ("尖山镇", true), ("下堡镇", true), ("峰灵镇", false),
        ("塘坊镇", true), ("朝阳镇", true), ("田坝镇", true), ("城厢镇", false), ("通城镇", true), ("菱角镇", true),
        ("蒲莲镇", false), ("土城镇", true), ("红池坝镇", true), ("鱼鳞乡", true), ("乌龙乡", true), ("花台乡", true),
        ("兰英乡", false), ("双阳乡", false), ("中梁乡", true), ("天元乡", true), ("胜利乡", true), ("大河乡", true),
    ]

    /// The seeds in tree order: the county, the bureau, the departments, then the townships; `extraUnits` (e.g. lead
    /// units a loaded plan names that the list lacks) are added as departments.
    /// - Parameter extraUnits: further department names.
    /// - Returns: the organisations to create.
    public static func seeds(extraUnits: [String] = []) -> [OrganisationSeed] {
        var seeds = [OrganisationSeed(name: county, kind: .county, parent: nil),
                     OrganisationSeed(name: bureau, kind: .bureau, parent: county)]
        var names: Set<String> = [county, bureau]
        for name in departments + extraUnits where !names.contains(name) {
            let trimmed = name.trimmingPlanWhitespace()
            guard !trimmed.isEmpty, !names.contains(trimmed) else { continue }
            names.insert(trimmed)
            seeds.append(OrganisationSeed(name: trimmed, kind: .department, parent: county))
        }
        for township in townships where !names.contains(township.name) {
            names.insert(township.name)
            seeds.append(OrganisationSeed(name: township.name, kind: .township, parent: county, demo: !township.confirmedByPlan))
        }
        return seeds
    }

    /// The unit suggested as responsible for a target indicator, from the words of its name.
    ///
    /// The plan does not name a responsible unit per indicator; this is the bureau's usual split (forests and
    /// protected areas to forestry, red lines to natural resources, energy and carbon to development and reform, water
    /// use to water resources, urban greening to urban management, farmland to agriculture); everything else stays
    /// with the ecology bureau. Staff may change any assignment.
    /// - Parameter indicatorName: the indicator's name.
    /// - Returns: the suggested unit's name.
    public static func suggestedUnit(forIndicator indicatorName: String) -> String {
        let rules: [(String, String)] = [
            ("生态保护红线", "县规划自然资源局"), ("自然保护地", "县林业局"), ("森林", "县林业局"), ("湿地", "县林业局"),
            ("绿化覆盖率", "县城市管理局"), ("二氧化碳", "县发展改革委"), ("能耗", "县发展改革委"), ("水耗", "县水利局"),
            ("耕地", "县农业农村委"),
        ]
        for (word, unit) in rules where indicatorName.contains(word) { return unit }
        return bureau
    }
}
