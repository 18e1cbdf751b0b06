import Domain
import Foundation
import Testing

@Suite("China time at the edges")
struct LocalTimeTests {
    @Test("parse and format are UTC+8 and inverse; malformed times are refused")
    func roundTrip() throws {
        let date = try #require(LocalTime.parse("2026-03-01T00:00:00"))
        #expect(date.timeIntervalSince1970 == 1_772_294_400)   // 2026-02-28T16:00:00Z
        #expect(LocalTime.format(date) == "2026-03-01T00:00:00")
        #expect(LocalTime.parse("2026-03-01 08:30") == LocalTime.date(year: 2026, month: 3, day: 1, hour: 8, minute: 30))
        #expect(LocalTime.parse("2024-02-29T23:59:59") != nil)
        for bad in ["2026-02-29T00:00:00", "2026-13-01", "2026-01-01T24:00:00", "20260101", "2026-01-01T10"] {
            #expect(LocalTime.parse(bad) == nil, "\(bad)")
        }
        let c = LocalTime.components(Date(timeIntervalSince1970: 0))
        #expect(c.year == 1970 && c.month == 1 && c.day == 1 && c.hour == 8)
    }
}
