import SQLKit

extension Migrations {
    /// 0005: incremental rollups of the observations — the (site, day) pairs waiting to be rolled up, and the daily
    /// air statistics (HJ 663), monthly water classes (GB 3838), daily noise levels (GB 3096) and daily emission
    /// totals they produce. Every aggregate row keeps its period `[from, to)` and the number of values it used.
    @Sendable static func v0005(_ db: any SQLDatabase) async throws {
        // The rollups read one site's values over a day or a month, whatever the pollutant.
        try await db.create(index: "observations_site_time").on("observations").column("site_code").column("data_time").run()

        try await db.create(table: "rollup_pending")
            .column("site_code", type: .text, .notNull)
            .column("day", type: .text, .notNull)
            .column("marked_at", type: .bigint, .notNull)
            .primaryKey("site_code", "day")
            .run()

        let air = db.create(table: "air_days")
            .column("site_code", type: .text, .notNull)
            .column("day", type: .text, .notNull)
        for statistic in ["so2", "no2", "co", "pm10", "pm25", "o3_8h", "o3_1h"] {
            air.column(statistic, type: .text)
                .column("\(statistic)_n", type: .int, .notNull, .default(0))
                .column("\(statistic)_ok", type: .custom(SQLRaw("BOOLEAN")), .notNull, .default(false))
        }
        try await air
            // The seven statistics again in one text (`value/count/valid;…`, in the order above): what the
            // evaluations read, one column instead of twenty-one.
            .column("statistics", type: .text, .notNull)
            .column("aqi", type: .int)
            .column("level", type: .int)
            .column("primary_pollutants", type: .text, .notNull)
            .column("rule_set", type: .text, .notNull)
            .column("limit_phase", type: .text, .notNull)
            .column("hours", type: .int, .notNull)
            .column("period_from", type: .bigint, .notNull)
            .column("period_to", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .primaryKey("site_code", "day")
            .run()

        try await db.create(table: "water_months")
            .column("site_code", type: .text, .notNull)
            .column("month", type: .text, .notNull)
            .column("samples", type: .int, .notNull)
            .column("item_values", type: .text, .notNull)
            .column("water_class", type: .int)
            .column("target_class", type: .int)
            .column("compliant", type: .custom(SQLRaw("BOOLEAN")))
            .column("main_pollutants", type: .text, .notNull)
            .column("period_from", type: .bigint, .notNull)
            .column("period_to", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .primaryKey("site_code", "month")
            .run()

        try await db.create(table: "noise_days")
            .column("site_code", type: .text, .notNull)
            .column("day", type: .text, .notNull)
            .column("zone", type: .text, .notNull)
            .column("ld", type: .text)
            .column("ln", type: .text)
            .column("day_hours", type: .int, .notNull)
            .column("night_hours", type: .int, .notNull)
            .column("day_compliant", type: .custom(SQLRaw("BOOLEAN")))
            .column("night_compliant", type: .custom(SQLRaw("BOOLEAN")))
            .column("period_from", type: .bigint, .notNull)
            .column("period_to", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .primaryKey("site_code", "day")
            .run()

        try await db.create(table: "emission_days")
            .column("site_code", type: .text, .notNull)
            .column("code", type: .text, .notNull)
            .column("day", type: .text, .notNull)
            .column("total", type: ColumnType.double, .notNull)
            .column("value_count", type: .int, .notNull)
            .column("period_from", type: .bigint, .notNull)
            .column("period_to", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .primaryKey("site_code", "code", "day")
            .run()
    }
}
