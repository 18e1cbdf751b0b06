import Domain
import Testing

@Suite("Plan cells: printed text and meaning")
struct PlanValueTests {
    @Test("numbers, comparators, brackets, dashes and words", arguments: [
        ("52.34", PlanValue.Kind.number, 52.34 as Double?, nil as PlanValue.Comparator?, false),
        ("—", .none, nil, nil, false),
        ("-", .none, nil, nil, false),
        ("≥38", .number, 38, .atLeast, false),
        ("≧330", .number, 330, .atLeast, false),
        ("≤35", .number, 35, .atMost, false),
        ("[16]", .number, 16, nil, true),
        ("[16.5]", .number, 16.5, nil, true),
        ("完成市级下达减排目标", .text, nil, nil, false),
        ("", .blank, nil, nil, false),
        ("　", .blank, nil, nil, false),
        ("364（API）", .number, 364, nil, false),
        ("≥311（AQI）[3]", .number, 311, .atLeast, false),
        ("≥73.7", .number, 73.7, .atLeast, false),
    ])
    func parse(text: String, kind: PlanValue.Kind, value: Double?, comparator: PlanValue.Comparator?, cumulative: Bool) {
        let parsed = PlanValue.parse(text, year: 2025)
        #expect(parsed.text == text)
        #expect(parsed.kind == kind)
        #expect(parsed.value == value)
        #expect(parsed.comparator == comparator)
        #expect(parsed.cumulative == cumulative)
        #expect(parsed.year == 2025)
    }
}
