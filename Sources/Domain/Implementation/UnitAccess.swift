/// Who may read and change implementation records, as a pure rule.
///
/// The rule in one sentence: bureau staff and administrators see and change everything and alone approve; viewers
/// read everything and change nothing; a department or township user reads and changes only records assigned to
/// their own unit (or a unit below it in the tree), and a unit user without a unit sees nothing.
public struct UnitAccess: Sendable, Equatable {
    /// The user's role.
    public var role: Role
    /// The ids of the units the user acts for (their unit and its descendants); empty for bureau-wide roles.
    public var units: Set<Int64>

    /// Creates the access of a user.
    /// - Parameters:
    ///   - role: the user's role.
    ///   - units: the user's unit with its subtree (only used for unit roles).
    public init(role: Role, units: Set<Int64>) {
        self.role = role
        self.units = units
    }

    /// Whether the user sees every unit's records.
    public var seesEverything: Bool { !role.isUnitRole }

    /// Whether the user may read a record assigned to these units.
    /// - Parameter assigned: the units the record is assigned to (empty: unassigned, bureau-only).
    public func canRead(assignedTo assigned: Set<Int64>) -> Bool {
        if seesEverything { return true }
        return !units.isDisjoint(with: assigned)
    }

    /// Whether the user may enter or change a record assigned to these units (values, progress, reports).
    /// - Parameter assigned: the units the record is assigned to.
    public func canEdit(assignedTo assigned: Set<Int64>) -> Bool {
        if role.canWrite { return true }
        if role.isUnitRole { return !units.isDisjoint(with: assigned) }
        return false
    }

    /// Whether the user may approve, return, reopen, assign and manage (bureau staff and administrators).
    public var canReview: Bool { role.canWrite }
}
