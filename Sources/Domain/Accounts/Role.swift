/// What a user may do. Reading the plan is public; writing needs staff; managing users needs admin.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Reads everything a signed-in user may read, changes nothing.
    case viewer
    /// Bureau staff: imports plans, records and approves data.
    case staff
    /// Administrator: everything staff may do, and manages users.
    case admin
    /// A department's officer (e.g. 县林业局): sees and edits only the implementation records assigned to the department.
    case department
    /// A township's or street's officer (乡镇/街道): sees and edits only the implementation records assigned to it.
    case township

    /// Whether this role may write official records (plans, values, reviews).
    public var canWrite: Bool { self >= .staff }
    /// Whether this role may manage users.
    public var canAdminister: Bool { self == .admin }
    /// Whether this role is bound to one organisation (department or township) and limited to its records.
    public var isUnitRole: Bool { self == .department || self == .township }

    /// The role's name in Chinese.
    public var chineseName: String {
        switch self {
        case .viewer: "只读用户"
        case .staff: "业务人员"
        case .admin: "系统管理员"
        case .department: "部门用户"
        case .township: "乡镇（街道）用户"
        }
    }

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .department, .township: 1
        case .staff: 2
        case .admin: 3
        }
    }

    /// Orders roles by what they may do.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// A person who signs in.
public struct User: Codable, Sendable, Equatable {
    /// The user's id.
    public var id: Int64
    /// The login name.
    public var name: String
    /// The name shown on pages.
    public var displayName: String
    /// What the user may do.
    public var role: Role
    /// The organisation (department or township) the user belongs to, when set.
    public var organisation: String?
    /// Whether the account is disabled.
    public var disabled: Bool

    enum CodingKeys: String, CodingKey { case id, name, displayName = "display_name", role, organisation, disabled }

    /// Creates a user value.
    public init(id: Int64, name: String, displayName: String, role: Role, organisation: String? = nil, disabled: Bool = false) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.role = role
        self.organisation = organisation
        self.disabled = disabled
    }
}
