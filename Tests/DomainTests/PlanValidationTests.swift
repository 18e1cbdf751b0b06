import Domain
import Foundation
import Testing

@Suite("Plan validation")
struct PlanValidationTests {
    func smallPlan() -> Plan {
        Plan(
            id: "test-2026-2030", name: "测试县规划", region: Region(county: "测试县", province: "测试省"),
            period: Period(startYear: 2026, endYear: 2030), baselineYear: 2025,
            indicators: [Indicator(number: 1, domain: "环境质量", name: "PM2.5", unit: "μg/m3", type: .binding,
                                   baseline: .parse("28", year: 2025), target: .parse("≤35", year: 2030))],
            projectCategories: [ProjectCategory(number: 1, name: "水", subtotal: 30), ProjectCategory(number: 2, name: "气", subtotal: 5.5)],
            projectsTotal: 35.5,
            projects: [
                Project(number: 1, category: "水", name: "甲", leadUnits: ["县生态环境局"], content: "", location: "县域内", years: "2026-2030",
                        investment: Investment(total: 10, fiscal: 10, social: 0, other: 0)),
                Project(number: 2, category: "水", name: "乙", leadUnits: ["县水利局"], content: "", location: "县域内", years: "2026-2030",
                        investment: Investment(total: 20, fiscal: nil, social: 20, other: 0)),
                Project(number: 3, category: "气", name: "丙", leadUnits: ["县生态环境局"], content: "", location: "县域内", years: "2026",
                        investment: Investment(total: 5.5, fiscal: 0.1, social: 0.2, other: 5.2)),
            ])
    }

    @Test("a consistent plan has no problems")
    func valid() {
        #expect(smallPlan().problems().isEmpty)
    }

    @Test("a category whose projects do not add up to its subtotal is named")
    func subtotal() {
        var plan = smallPlan()
        plan.projectCategories[0].subtotal = 31
        plan.projectsTotal = 36.5
        let problems = plan.problems()
        #expect(problems.count == 1)
        #expect(problems[0].location == "category 水")
        #expect(problems[0].message.contains("30"))
        #expect(problems[0].message.contains("31"))
    }

    @Test("subtotals that do not add up to the total are reported")
    func total() {
        var plan = smallPlan()
        plan.projectsTotal = 69080
        #expect(plan.problems().map(\.location) == ["projects_total"])
    }

    @Test("a project whose split does not add up to its total is named")
    func split() {
        var plan = smallPlan()
        plan.projects[0].investment.social = 1
        let locations = plan.problems().map(\.location)
        #expect(locations.contains("project 1"))
    }

    @Test("unknown categories, repeated numbers and bad ids are reported")
    func structure() {
        var plan = smallPlan()
        plan.id = "Bad ID"
        plan.projects[2].category = "土"
        plan.projects[1].number = 1
        let locations = plan.problems().map(\.location)
        #expect(locations.contains("id"))
        #expect(locations.contains("project 1"))
        #expect(locations.contains("project 3"))
    }

    @Test("decimal amounts are compared to the yuan, not in binary floating point")
    func decimals() {
        // 0.1 + 0.2 + 5.2 == 5.5 only when compared as exact decimals.
        #expect(smallPlan().problems().isEmpty)
    }

    @Test("a malformed file names the field")
    func malformed() throws {
        let json = #"{"format":"qingshan.plan/1","id":"x","name":"n","region":{"county":"c","province":"p"},"period":{"start_year":"2026","end_year":2030}}"#
        #expect {
            try PlanFile.decode(Data(json.utf8), file: "x.json")
        } throws: { error in
            let error = error as? PlanFileError
            return error?.codeName == "malformed" && error?.description.contains("period.start_year") == true
                && error?.description.hasPrefix("x.json") == true
        }
    }

    @Test("plan files survive encode and decode unchanged")
    func roundTrip() throws {
        let plan = smallPlan()
        #expect(try PlanFile.decode(PlanFile.encode(plan)) == plan)
    }
}
