public import Domain

/// A small plan shaped like Wuxi's: one indicator of each target kind, projects of two categories.
public enum ImplementationSample {
    public static func plan(id: String = "sample-2021-2025") -> Plan {
        Plan(
            id: id, name: "示例县“十四五”生态环境保护规划", region: Region(county: "巫溪县", province: "重庆市"),
            period: Period(startYear: 2021, endYear: 2025), baselineYear: 2020, visionYear: 2035,
            indicators: [
                Indicator(number: 1, domain: "生态保护修复", name: "生态保护红线面积占比", unit: "%", type: .binding,
                          baseline: .parse("52.34", year: 2020), target: .parse("—", year: 2025)),
                Indicator(number: 3, domain: "生态保护修复", name: "森林覆盖率", unit: "%", type: .binding,
                          baseline: .parse("69.7", year: 2020), target: .parse("72", year: 2025)),
                Indicator(number: 5, domain: "绿色发展", name: "单位 GDP 二氧化碳排放量下降率", unit: "%", type: .binding,
                          baseline: .parse("[16]", year: 2020), target: .parse("[16.5]", year: 2025)),
                Indicator(number: 8, domain: "环境质量改善", name: "环境空气质量优良天数", unit: "天", type: .binding,
                          baseline: .parse("347", year: 2020), target: .parse("≧330", year: 2025)),
                Indicator(number: 9, domain: "环境质量改善", name: "细颗粒物（PM2.5）年平均浓度", unit: "μg/m3", type: .binding,
                          baseline: .parse("28", year: 2020), target: .parse("≤35", year: 2025)),
                Indicator(number: 13, domain: "污染物排放总量减少", name: "氮氧化物排放量下降率", unit: "%", type: .binding,
                          baseline: .parse("完成市级下达减排目标", year: 2020), target: .parse("完成市级下达减排目标", year: 2025)),
            ],
            projectCategories: [ProjectCategory(number: 1, name: "水污染防治工程", subtotal: 1700),
                                ProjectCategory(number: 2, name: "生态环境保护与修复", subtotal: 3000)],
            projectsTotal: 4700,
            projects: [
                Project(number: 1, category: "水污染防治工程", name: "城镇雨污管网建设工程", leadUnits: ["县住房城乡建委", "县生态环境局"],
                        content: "完善城镇雨污管网", location: "县域内", years: "2021-2025", startYear: 2021, endYear: 2025,
                        investment: Investment(total: 1000, fiscal: 1000, social: 0, other: 0)),
                Project(number: 2, category: "水污染防治工程", name: "红池坝镇污水处理站", leadUnits: ["县生态环境局"],
                        content: "新建污水处理站", location: "红池坝镇", years: "2022-2023", startYear: 2022, endYear: 2023,
                        investment: Investment(total: 700, fiscal: 500, social: 200, other: 0)),
                Project(number: 3, category: "生态环境保护与修复", name: "国土绿化提升", leadUnits: ["县林业局"],
                        content: "森林质量提升", location: "县域内", years: "2021-2025", startYear: 2021, endYear: 2025,
                        investment: Investment(total: 3000, fiscal: 2000, social: 500, other: 500)),
            ])
    }
}
