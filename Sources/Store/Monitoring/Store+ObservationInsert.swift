import Domain
public import Foundation
import SQLKit
import Synchronization

/// One multi-row `INSERT INTO observations … ON CONFLICT (mn, cn, code, field, data_time) DO NOTHING` (with
/// `RETURNING id` on PostgreSQL),
/// written straight into the SQL text instead of through `SQLInsertBuilder`.
///
/// Placeholders are the dialect's numbered ones (`?1` on SQLite, `$1` on PostgreSQL, from
/// `SQLDialect.bindPlaceholder(at:)`), and both databases let a statement name one parameter several times
/// (<https://sqlite.org/lang_expr.html#varparam>). The texts repeated from row to row (site, MN, CN, kind, pollutant
/// code, field, flag) and the received-at time are bound once per statement; the data time, value and value text of
/// each row get their own parameters, and absent values are written as `NULL`. A batch of hourly data so needs about
/// three parameters a row instead of thirteen.
///
/// Only values first seen early in a statement (``reusableParameters``) are reused: SQLite's parser looks a reused
/// `?NNN` up in a list of the parameters so far (`sqlite3VListNumToName`, a linear scan), which is cheap for the low
/// numbers of the repeated texts and quadratic for values bound late, such as a data time shared by the pollutants of
/// one hour or the MN of the 900th device in a gateway batch.
struct ObservationInsertStatement: SQLExpression {
    /// The most parameters in one statement: under SQLite's default limit (32 766 since 3.32) and PostgreSQL's (65 535).
    static let maximumParameters = 30_000
    /// The most rows in one statement.
    static let maximumRows = 4_000
    /// Only parameters numbered up to this are named again by later rows. SQLite resolves each repeated `?NNN` by a
    /// linear scan of the parameters before it (`sqlite3ExprAssignVarNumber` → `sqlite3VListNumToName`), so reusing a
    /// value first bound late in a long statement costs as much as binding it again many times over: with 1,000
    /// devices' MNs and receive times in one gateway batch the scan took 38 % of the server's CPU.
    static let reusableParameters = 64

    private(set) var sql = ""
    private(set) var binds: [any Encodable & Sendable] = []
    private(set) var rows = 0
    private var texts: [String: Int] = [:]
    private var integers: [Int64: Int] = [:]

    /// The dialect's placeholder without its number (`?` or `$`).
    private let placeholderPrefix: String
    /// Whether the new rows are counted by the ids the statement returns (PostgreSQL) rather than by SQLite's
    /// `changes()` afterwards, which saves building a row per inserted value.
    let returnsIDs: Bool

    /// An empty statement for `database`'s dialect.
    init(database: any SQLDatabase) {
        var serializer = SQLSerializer(database: database)
        database.dialect.bindPlaceholder(at: 1).serialize(to: &serializer)
        precondition(serializer.sql.hasSuffix("1"), "the dialect's placeholders must be numbered (?1, $1)")
        placeholderPrefix = String(serializer.sql.dropLast())
        returnsIDs = database.dialect.name != "sqlite"
        sql.reserveCapacity(64 * 1024)
        sql += "INSERT INTO observations (site_code, mn, cn, kind, code, original_code, field, data_time, value, value_text, flag, "
            + "received_at, frame_id) VALUES "
    }

    /// Whether another row (at most 13 new parameters) still fits.
    var hasRoom: Bool { rows < Self.maximumRows && binds.count + 13 <= Self.maximumParameters }

    /// Appends one row.
    mutating func append(_ o: Observation, receivedAt: Int64, frameID: Int64?) {
        sql += rows == 0 ? "(" : ", ("
        text(o.siteCode)
        sql += ","
        text(o.mn)
        sql += ","
        text(o.cn)
        sql += ","
        text(o.kind.rawValue)
        sql += ","
        text(o.code)
        sql += ","
        text(o.originalCode)
        sql += ","
        text(o.field)
        sql += ","
        placeholder(new: Int64(o.dataTime.timeIntervalSince1970))
        sql += ","
        if let value = o.value, value.isFinite {
            placeholder(new: value)
        } else {
            sql += "NULL"
        }
        sql += ","
        placeholder(new: o.valueText)
        sql += ","
        text(o.flag)
        sql += ","
        integer(receivedAt)
        sql += ","
        if let frameID { placeholder(new: frameID) } else { sql += "NULL" }
        sql += ")"
        rows += 1
    }

    private mutating func text(_ value: String?) {
        guard let value else { sql += "NULL"; return }
        if let index = texts[value] {
            sql += placeholderPrefix
            sql += String(index)
        } else {
            let index = placeholder(new: value)
            if index <= Self.reusableParameters { texts[value] = index }
        }
    }

    private mutating func integer(_ value: Int64?) {
        guard let value else { sql += "NULL"; return }
        if let index = integers[value] {
            sql += placeholderPrefix
            sql += String(index)
        } else {
            let index = placeholder(new: value)
            if index <= Self.reusableParameters { integers[value] = index }
        }
    }

    @discardableResult
    private mutating func placeholder(new value: any Encodable & Sendable) -> Int {
        binds.append(value)
        sql += placeholderPrefix
        sql += String(binds.count)
        return binds.count
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.write(" ON CONFLICT (mn, cn, code, field, data_time) DO NOTHING")
        if returnsIDs { serializer.write(" RETURNING id") }
        serializer.binds = binds
    }
}

extension SQLDatabase {
    /// Runs an observation insert and returns how many rows were new: the ids `RETURNING` gives back on
    /// PostgreSQL; on SQLite, whose writes all go through one connection, `changes()` right after the statement
    /// (<https://sqlite.org/lang_corefunc.html#changes>: rows inserted by the last INSERT, conflicts left out).
    func execute(counting statement: ObservationInsertStatement) async throws -> Int {
        let counter = RowCounter()
        try await execute(sql: statement) { _ in counter.increment() }
        guard !statement.returnsIDs else { return counter.value }
        return try await raw("SELECT changes() AS n").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

/// Counts rows handed to a `@Sendable` row callback.
private final class RowCounter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

extension Store {
    /// The data times of the first and last observation of a device, or nil when it has none.
    /// - Parameter mn: the device.
    /// - Returns: the earliest and latest data time.
    public func observationTimeRange(mn: String) async throws -> (first: Date, last: Date)? {
        guard let row = try await reader.select()
            .column(SQLFunction("MIN", args: SQLIdentifier("data_time")), as: "first")
            .column(SQLFunction("MAX", args: SQLIdentifier("data_time")), as: "last")
            .from("observations").where("mn", .equal, mn).first(),
            let first = try row.decode(column: "first", as: Int64?.self),
            let last = try row.decode(column: "last", as: Int64?.self) else { return nil }
        return (Date(timeIntervalSince1970: Double(first)), Date(timeIntervalSince1970: Double(last)))
    }
}
