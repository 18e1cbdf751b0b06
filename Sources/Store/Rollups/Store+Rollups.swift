public import Domain
import Foundation
import SQLKit
import Standards

/// The statistics columns of `air_days`, in ``DailyAirStatistics`` order.
private let airColumns = ["so2", "no2", "co", "pm10", "pm25", "o3_8h", "o3_1h"]

extension Store {
    /// Rolls up waiting (site, day) pairs: air days, water months, noise days and emission days are recomputed from
    /// the stored, reviewed values, in one transaction with taking the pairs off the queue.
    /// - Parameter limit: at most this many pairs.
    /// - Returns: the pairs processed (0 when nothing waits).
    @discardableResult
    public func processPendingRollups(limit: Int = 200) async throws -> [RollupKey] {
        try await write { db in
            let rows = try await db.select().columns("site_code", "day").from("rollup_pending")
                .orderBy("marked_at").orderBy("site_code").orderBy("day").limit(limit).all()
            let keys = try rows.map { RollupKey(siteCode: try $0.decode(column: "site_code", as: String.self),
                                                day: try $0.decode(column: "day", as: String.self)) }
            guard !keys.isEmpty else { return [] }
            for key in keys {
                try await db.delete(from: "rollup_pending").where("site_code", .equal, key.siteCode).where("day", .equal, key.day).run()
            }
            try await Store.rollUp(keys, on: db)
            return keys
        }
    }

    /// How many (site, day) pairs wait to be rolled up.
    public func pendingRollupCount() async throws -> Int {
        try await reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("rollup_pending").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// Recomputes the rollups of the given pairs.
    static func rollUp(_ keys: [RollupKey], on db: any SQLDatabase) async throws {
        var sites: [String: Site?] = [:]
        var waterMonths = Set<String>()
        let now = Int64(Date.now.timeIntervalSince1970)
        for key in keys {
            guard let day = CivilDate.parse(Substring(key.day)) else { continue }
            if sites[key.siteCode] == nil { sites[key.siteCode] = try await site(key.siteCode, on: db) }
            guard let site = sites[key.siteCode] ?? nil else { continue }
            switch site.kind {
            case .air:
                let from = LocalTime.start(of: day)
                let values = try await reviewedValues(siteCode: site.code, from: from, to: from.addingTimeInterval(86_400), on: db)
                let rollup = AirDayRollup.compute(siteCode: site.code, day: day, values: values,
                                                  areaClass: site.areaClass == 1 ? .one : .two)
                try await saveAirDay(rollup, now: now, on: db)
            case .water, .drinkingWater:
                let month = String(key.day.prefix(7))
                guard waterMonths.insert("\(site.code) \(month)").inserted else { continue }
                let first = CivilDate(year: day.year, month: day.month, day: 1)!
                let next = first.firstOfNextMonth
                let values = try await reviewedValues(siteCode: site.code, from: LocalTime.start(of: first), to: LocalTime.start(of: next), on: db)
                let rollup = WaterMonthRollup.compute(
                    siteCode: site.code, year: day.year, month: day.month, values: values,
                    waterType: site.waterType == "lake" ? .lake : .river, targetClass: site.targetClass.map { WaterClass($0) },
                    drinkingSource: site.kind == .drinkingWater)
                try await saveWaterMonth(rollup, now: now, on: db)
            case .noise:
                guard let zone = site.zone.flatMap(NoiseZone.init(rawValue:)) else { continue }
                let from = LocalTime.start(of: day)
                let values = try await reviewedValues(siteCode: site.code, from: from, to: from.addingTimeInterval(86_400), on: db)
                try await saveNoiseDay(NoiseDayRollup.compute(siteCode: site.code, day: day, zone: zone, values: values), now: now, on: db)
            case .outlet:
                let from = LocalTime.start(of: day)
                let values = try await reviewedValues(siteCode: site.code, from: from, to: from.addingTimeInterval(86_400), on: db)
                try await saveEmissionDay(EmissionDayRollup.compute(siteCode: site.code, day: day, values: values), now: now, on: db)
            }
        }
    }

    /// The stored values of a site in `[from, to)` with their review, as the rollups read them.
    static func reviewedValues(siteCode: String, from: Date, to: Date, on db: any SQLDatabase) async throws -> [ReviewedValue] {
        try await db.select()
            .columns("code", "field", "kind", "data_time", "value", "value_text", "flag", "review_status", "reviewed_value")
            .from("observations")
            .where("site_code", .equal, siteCode)
            .where("data_time", .greaterThanOrEqual, Int64(from.timeIntervalSince1970))
            .where("data_time", .lessThan, Int64(to.timeIntervalSince1970))
            .all().map { row in
                ReviewedValue(
                    code: try row.decode(column: "code", as: String.self),
                    field: try row.decode(column: "field", as: String.self),
                    kind: DataKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                    time: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "data_time", as: Int64.self))),
                    value: try row.decode(column: "value", as: Double?.self),
                    valueText: try row.decode(column: "value_text", as: String.self),
                    flag: try row.decode(column: "flag", as: String?.self),
                    review: try row.decode(column: "review_status", as: String?.self).flatMap(ReviewStatus.init(rawValue:)),
                    reviewedValue: try row.decode(column: "reviewed_value", as: Double?.self))
            }
    }

    static func saveAirDay(_ rollup: AirDayRollup, now: Int64, on db: any SQLDatabase) async throws {
        let statistics = rollup.report.statistics
        let parts = [statistics.so2, statistics.no2, statistics.co, statistics.pm10, statistics.pm25,
                     statistics.o3MaximumDaily8h, statistics.o3MaximumDaily1h]
        var columns = ["site_code", "day"]
        var values: [any SQLExpression] = [SQLBind(rollup.siteCode), SQLBind(rollup.report.date.description)]
        for (name, statistic) in zip(airColumns, parts) {
            columns += [name, "\(name)_n", "\(name)_ok"]
            values += [SQLBind(statistic.value?.description), SQLBind(statistic.count), SQLBind(statistic.isValid)]
        }
        columns.append("statistics")
        values.append(SQLBind(AirDayStatisticsText.encode(parts)))
        let aqi = rollup.report.aqi
        columns += ["aqi", "level", "primary_pollutants", "rule_set", "limit_phase", "hours", "period_from", "period_to", "updated_at"]
        values += [SQLBind(aqi.aqi), SQLBind(aqi.level?.rawValue), SQLBind((aqi.primary ?? []).map(\.rawValue).joined(separator: ",")),
                   SQLBind(rollup.report.ruleSet.rawValue), SQLBind(rollup.report.limitPhase.rawValue), SQLBind(rollup.hours),
                   SQLBind(Int64(rollup.from.timeIntervalSince1970)), SQLBind(Int64(rollup.to.timeIntervalSince1970)), SQLBind(now)]
        try await upsert(into: "air_days", columns: columns, values: values, keyColumns: 2, on: db)
    }

    static func saveWaterMonth(_ rollup: WaterMonthRollup, now: Int64, on db: any SQLDatabase) async throws {
        var items: [String: [String: String]] = [:]
        for (item, mean) in rollup.items { items[item.rawValue] = ["mean": mean.mean.description, "n": String(mean.count)] }
        let main = (rollup.evaluation?.mainPollutants ?? []).map(\.item.rawValue)
        let columns = ["site_code", "month", "samples", "item_values", "water_class", "target_class", "compliant", "main_pollutants",
                       "period_from", "period_to", "updated_at"]
        let month = "\(rollup.year)-\(rollup.month < 10 ? "0" : "")\(rollup.month)"
        try await upsert(into: "water_months", columns: columns, values: [
            SQLBind(rollup.siteCode), SQLBind(month), SQLBind(rollup.samples), SQLBind(json(items)),
            SQLBind(rollup.evaluation?.waterClass?.value), SQLBind(rollup.targetClass?.value), SQLBind(rollup.compliant),
            SQLBind(main.joined(separator: ",")), SQLBind(Int64(rollup.from.timeIntervalSince1970)),
            SQLBind(Int64(rollup.to.timeIntervalSince1970)), SQLBind(now),
        ], keyColumns: 2, on: db)
    }

    static func saveNoiseDay(_ rollup: NoiseDayRollup, now: Int64, on db: any SQLDatabase) async throws {
        let s = rollup.session
        let columns = ["site_code", "day", "zone", "ld", "ln", "day_hours", "night_hours", "day_compliant", "night_compliant",
                       "period_from", "period_to", "updated_at"]
        try await upsert(into: "noise_days", columns: columns, values: [
            SQLBind(rollup.siteCode), SQLBind(s.date.description), SQLBind(s.zone.rawValue), SQLBind(s.ld?.description),
            SQLBind(s.ln?.description), SQLBind(s.dayHours), SQLBind(s.nightHours), SQLBind(s.dayCompliant), SQLBind(s.nightCompliant),
            SQLBind(Int64(rollup.from.timeIntervalSince1970)), SQLBind(Int64(rollup.to.timeIntervalSince1970)), SQLBind(now),
        ], keyColumns: 2, on: db)
    }

    /// Inserts a row, or replaces every non-key column of the row with the same key (the first `keyColumns` columns).
    static func upsert(into table: String, columns: [String], values: [any SQLExpression], keyColumns: Int,
                       on db: any SQLDatabase) async throws {
        try await db.insert(into: table).columns(columns).values(values)
            .onConflict(with: Array(columns.prefix(keyColumns))) { update in
                var update = update
                for column in columns.dropFirst(keyColumns) { update = update.set(excludedValueOf: column) }
                return update
            }.run()
    }

    static func saveEmissionDay(_ rollup: EmissionDayRollup, now: Int64, on db: any SQLDatabase) async throws {
        try await db.delete(from: "emission_days").where("site_code", .equal, rollup.siteCode)
            .where("day", .equal, rollup.day.description).run()
        guard !rollup.totals.isEmpty else { return }
        var insert = db.insert(into: "emission_days")
            .columns("site_code", "code", "day", "total", "value_count", "period_from", "period_to", "updated_at")
        for total in rollup.totals {
            insert = insert.values(SQLBind(rollup.siteCode), SQLBind(total.code), SQLBind(rollup.day.description), SQLBind(total.total),
                                   SQLBind(total.count), SQLBind(Int64(rollup.from.timeIntervalSince1970)),
                                   SQLBind(Int64(rollup.to.timeIntervalSince1970)), SQLBind(now))
        }
        try await insert.run()
    }
}

/// The compact text of a day's seven statistics in `air_days.statistics`: `value/count/valid` per statistic (value
/// empty when there is none, valid `1` or `0`), separated by `;`, in ``DailyAirStatistics`` order (SO2, NO2, CO, PM10,
/// PM2.5, O3 max 8-h, O3 max 1-h).
enum AirDayStatisticsText {
    static func encode(_ statistics: [DailyStatistic]) -> String {
        statistics.map { "\($0.value?.description ?? "")/\($0.count)/\($0.isValid ? 1 : 0)" }.joined(separator: ";")
    }
}

extension AirDayStatisticsText {
    /// Reads the days folded by the database (`day|hours|statistics` per line) in one pass over the bytes: the
    /// annual evaluation of many stations spends its time here, not in SQL.
    /// - Returns: the days, or `nil` when the text is not in this format.
    static func parseDays(_ text: String) -> [(statistics: DailyAirStatistics, hours: Int)]? {
        var text = text
        return text.withUTF8 { bytes -> [(statistics: DailyAirStatistics, hours: Int)]? in
            var result: [(statistics: DailyAirStatistics, hours: Int)] = []
            var i = 0
            let n = bytes.count
            func integer(until terminator: UInt8) -> Int? {
                var value = 0, digits = 0
                while i < n, bytes[i] != terminator {
                    let d = Int(bytes[i]) - 48
                    guard d >= 0, d <= 9 else { return nil }
                    value = value * 10 + d
                    digits += 1
                    i += 1
                }
                guard digits > 0, i < n || terminator == 10 else { return nil }
                i += 1
                return value
            }
            func decimal(until terminator: UInt8) -> (ScaledDecimal?, Bool) {
                if i < n, bytes[i] == terminator { i += 1; return (nil, true) }
                var units: Int64 = 0, decimals = 0, seenPoint = false, digits = 0
                while i < n, bytes[i] != terminator {
                    let b = bytes[i]
                    if b == 46, !seenPoint {
                        seenPoint = true
                    } else {
                        let d = Int64(b) - 48
                        guard d >= 0, d <= 9, digits < 18 else { return (nil, false) }
                        units = units * 10 + d
                        digits += 1
                        if seenPoint { decimals += 1 }
                    }
                    i += 1
                }
                guard digits > 0, i < n else { return (nil, false) }
                i += 1
                return (ScaledDecimal(units: units, decimals: decimals), true)
            }
            while i < n {
                guard let year = integer(until: 45), let month = integer(until: 45), let dayOfMonth = integer(until: 124),
                      let date = CivilDate(year: year, month: month, day: dayOfMonth), let hours = integer(until: 124) else { return nil }
                var statistics: [DailyStatistic] = []
                statistics.reserveCapacity(7)
                for slot in 0..<7 {
                    let (value, ok) = decimal(until: 47)
                    guard ok, let count = integer(until: 47), i < n else { return nil }
                    let valid = bytes[i] == 49
                    i += 1
                    guard i == n || bytes[i] == (slot == 6 ? 10 : 59) else { return nil }
                    i += 1
                    statistics.append(DailyStatistic(count: count, value: value, isValid: valid))
                }
                result.append((DailyAirStatistics(date: date, so2: statistics[0], no2: statistics[1], co: statistics[2], pm10: statistics[3],
                                                  pm25: statistics[4], o3MaximumDaily8h: statistics[5], o3MaximumDaily1h: statistics[6]),
                               hours))
            }
            return result
        }
    }
}
