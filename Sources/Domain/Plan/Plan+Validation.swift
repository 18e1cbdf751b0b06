/// A rule a plan file broke, with where it broke it.
public struct PlanProblem: Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is, in terms a plan author recognises: `category 水污染防治工程`, `project 13`,
    /// `indicators[4] (number 5)`.
    public var location: String
    /// What is wrong.
    public var message: String

    /// Creates a problem.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    /// `location: message`.
    public var description: String { "\(location): \(message)" }
}

extension Plan {
    /// Amounts are compared to the yuan: 万元 figures scaled by 10,000 and rounded, so 0.1 + 0.2 equals 0.3.
    static func yuan(_ wan: Double) -> Int64 { Int64((wan * 10_000).rounded()) }

    /// Checks the rules every plan must satisfy before it is stored.
    ///
    /// - the format tag, id (`[a-z0-9-]+`), name and period are sensible;
    /// - indicator, project, policy and highlight numbers are unique;
    /// - every project names an existing category, and its total equals fiscal + social + other (blank counts as 0);
    /// - each category's projects sum to the category's printed subtotal;
    /// - the subtotals sum to the printed grand total.
    /// - Returns: every problem found, in file order; empty when the plan is valid.
    public func problems() -> [PlanProblem] {
        var problems: [PlanProblem] = []
        func add(_ location: String, _ message: String) { problems.append(PlanProblem(location: location, message: message)) }

        if format != Plan.formatTag { add("format", "expected \"\(Plan.formatTag)\", found \"\(format)\"") }
        if id.isEmpty || !id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
            add("id", "\"\(id)\" must be lower-case letters, digits and dashes")
        }
        if name.trimmingPlanWhitespace().isEmpty { add("name", "must not be empty") }
        if region.county.trimmingPlanWhitespace().isEmpty { add("region.county", "must not be empty") }
        if period.endYear < period.startYear || period.startYear < 1900 || period.endYear > 2200 {
            add("period", "\(period.startYear)-\(period.endYear) is not a valid span of years")
        }
        if baselineYear > period.startYear { add("baseline_year", "\(baselineYear) is after the first year \(period.startYear)") }
        if let visionYear, visionYear < period.endYear { add("vision_year", "\(visionYear) is before the last year \(period.endYear)") }

        duplicates(indicators.map(\.number)).forEach { add("indicator \($0)", "number used more than once") }
        for (index, indicator) in indicators.enumerated() {
            let here = "indicators[\(index)] (number \(indicator.number))"
            if indicator.name.trimmingPlanWhitespace().isEmpty { add(here, "name must not be empty") }
            for (field, value) in [("baseline", indicator.baseline), ("target", indicator.target)] {
                if value.kind == .number && value.value == nil { add("\(here).\(field)", "kind is number but value is missing") }
                if value.kind != .number && value.value != nil { add("\(here).\(field)", "kind is \(value.kind.rawValue) but a value is given") }
            }
        }
        if let review {
            duplicates(review.indicators.map(\.number)).forEach { add("review indicator \($0)", "number used more than once") }
        }

        duplicates(projectCategories.map(\.name)).forEach { add("category \($0)", "category listed more than once") }
        duplicates(projects.map(\.number)).forEach { add("project \($0)", "number used more than once") }
        duplicates(policies.map(\.number)).forEach { add("policy \($0)", "number used more than once") }
        duplicates(highlights.map(\.number)).forEach { add("highlight \($0)", "number used more than once") }

        let categoryNames = Set(projectCategories.map(\.name))
        var sums: [String: Int64] = [:]
        for project in projects {
            let here = "project \(project.number)"
            if !categoryNames.contains(project.category) {
                add(here, "category \"\(project.category)\" is not among project_categories")
            }
            let inv = project.investment
            for (field, amount) in [("total", Optional(inv.total)), ("fiscal", inv.fiscal), ("social", inv.social), ("other", inv.other)] {
                if let amount, amount < 0 { add("\(here).investment.\(field)", "must not be negative (\(format(amount)))") }
            }
            let parts = Plan.yuan(inv.fiscal ?? 0) + Plan.yuan(inv.social ?? 0) + Plan.yuan(inv.other ?? 0)
            if parts != Plan.yuan(inv.total) {
                add(here, "total \(format(inv.total)) 万元 is not fiscal + social + other = \(format(Double(parts) / 10_000)) 万元")
            }
            if let start = project.startYear, let end = project.endYear, end < start {
                add(here, "end_year \(end) is before start_year \(start)")
            }
            sums[project.category, default: 0] += Plan.yuan(inv.total)
        }
        var subtotalSum: Int64 = 0
        for category in projectCategories {
            subtotalSum += Plan.yuan(category.subtotal)
            let sum = sums[category.name] ?? 0
            if sum != Plan.yuan(category.subtotal) {
                add("category \(category.name)",
                    "projects sum to \(format(Double(sum) / 10_000)) 万元 but the printed subtotal is \(format(category.subtotal)) 万元")
            }
        }
        if subtotalSum != Plan.yuan(projectsTotal) {
            add("projects_total", "category subtotals sum to \(format(Double(subtotalSum) / 10_000)) 万元 but the printed total is \(format(projectsTotal)) 万元")
        }
        return problems
    }

    /// Throws when ``problems()`` finds anything.
    /// - Throws: ``PlanFileError`` with code `invalid` listing every problem.
    public func validate() throws(PlanFileError) {
        let found = problems()
        if !found.isEmpty { throw PlanFileError.invalid(file: nil, problems: found) }
    }

    private func duplicates<T: Hashable>(_ values: [T]) -> [T] {
        var seen = Set<T>(), repeated: [T] = []
        for value in values where !seen.insert(value).inserted && !repeated.contains(value) { repeated.append(value) }
        return repeated
    }

    private func format(_ amount: Double) -> String {
        amount == amount.rounded() && abs(amount) < 1e15 ? String(Int64(amount)) : String(amount)
    }
}
