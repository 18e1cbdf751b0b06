import Domain
import Foundation
import SQLKit
import Store
import Testing
import TestSupport

@Suite("Real-time values stored one row per packet, read like single values")
struct ObservationPacketTests {
    static let start = LocalTime.date(year: 2026, month: 11, day: 29, hour: 8)!

    static func realtime(mn: String = "MN-RT", site: String? = "OUT-1", second: Int, codes: [String] = ["w01018", "w21003"],
                         base: Double = 10) -> [Observation] {
        codes.enumerated().map { index, code in
            let value = base + Double(index) + Double(second) / 100
            return Observation(siteCode: site, mn: mn, cn: "2011", code: code, field: "Rtd",
                               dataTime: start.addingTimeInterval(Double(second)), value: value, valueText: String(value), flag: "N")
        }
    }

    static func packet(_ observations: [Observation], frame: Int64? = nil) -> ObservationPacket {
        ObservationPacket(observations: observations, receivedAt: start.addingTimeInterval(3600), frameID: frame)!
    }

    @Test("a resent packet stores nothing; another piece of the same time is kept; the values come back in order",
          arguments: TestDatabase.available)
    func idempotentAndRead(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let packets = (0..<300).map { Self.packet(Self.realtime(second: $0 * 30), frame: Int64($0 + 1)) }
            #expect(try await store.storeObservationPackets(packets) == 600)
            // The same uploads again, with other values (a logger resending after a lost 9014): nothing new.
            let resent = (0..<300).map { Self.packet(Self.realtime(second: $0 * 30, base: 99)) }
            #expect(try await store.storeObservationPackets(resent) == 0)
            // Another pollutant group at an already stored time (split uploads): kept.
            #expect(try await store.storeObservationPackets([Self.packet(Self.realtime(second: 0, codes: ["w00000"]))]) == 1)
            #expect(try await store.observationCount() == 601)

            let all = try await store.observations(mn: "MN-RT", cn: "2011")
            #expect(all.count == 601)
            #expect(all.map(\.observation.dataTime) == all.map(\.observation.dataTime).sorted())
            let first = all.prefix(3).map { "\($0.observation.code)=\($0.observation.valueText)" }
            #expect(first == ["w00000=10.0", "w01018=10.0", "w21003=11.0"])
            #expect(all.allSatisfy { $0.id == nil && $0.observation.kind == .realtime && $0.observation.flag == "N" })
            #expect(all.first { $0.observation.code == "w01018" }?.frameID == 1)

            let window = try await store.observations(mn: "MN-RT", code: "w21003", from: Self.start.addingTimeInterval(60),
                                                      to: Self.start.addingTimeInterval(150))
            #expect(window.map(\.observation.value) == [11.6, 11.9, 12.2, 12.5])
            #expect(try await store.observations(mn: "MN-RT", cn: "2061").isEmpty)
            #expect(try await store.observations(mn: "MN-RT", limit: 5).count == 5)
            #expect(try await store.observations(mn: nil, siteCode: "OUT-1", from: Self.start, to: Self.start).count == 3)
        }
    }

    @Test("a value stored on its own wins over the same key in a packet; alarm inputs read both, once",
          arguments: TestDatabase.available)
    func mergedWithSingles(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            var single = Self.realtime(second: 0, codes: ["w01018"])
            single[0].value = 42
            single[0].valueText = "42"
            try await store.storeObservations(single)
            try await store.storeObservationPackets([Self.packet(Self.realtime(second: 0)), Self.packet(Self.realtime(second: 30))])
            let values = try await store.observations(mn: "MN-RT")
            #expect(values.count == 4)
            #expect(values.first { $0.observation.code == "w01018" && $0.observation.dataTime == Self.start }?.observation.value == 42)

            let inputs = try await store.alarmInputs(siteCode: "OUT-1", from: Self.start, to: Self.start.addingTimeInterval(3600))
            #expect(inputs.count == 4)
            #expect(inputs.map(\.time) == inputs.map(\.time).sorted())
            #expect(inputs.first { $0.code == "w01018" && $0.time == Self.start }?.value == 42)
            #expect(inputs.allSatisfy { $0.kind == .realtime })

            let arrivals = try await store.observationPacketArrivals(after: 0, limit: 10)
            #expect(arrivals.rows == 2)
            #expect(arrivals.times["OUT-1"] == [Self.start])   // the hour both packets fall in
            #expect(try await store.observationPacketArrivals(after: arrivals.lastID, limit: 10).rows == 0)
        }
    }

    @Test("pages of a long read: whole data times, each value once, in order; a data time larger than a page read whole",
          arguments: TestDatabase.available)
    func pages(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            // 200 packets of two values, 5 s apart, a value stored on its own at some of the same times, and one data
            // time with 12 values (six devices) in the middle.
            try await store.storeObservationPackets((0..<200).map { Self.packet(Self.realtime(second: $0 * 5), frame: Int64($0 + 1)) })
            try await store.storeObservations((0..<40).map { Self.realtime(second: $0 * 25, codes: ["w00000"])[0] })
            try await store.storeObservationPackets((1...5).map { Self.packet(Self.realtime(mn: "MN-\($0)", second: 500)) })
            let whole = try await store.observations(mn: nil, siteCode: "OUT-1", limit: 100_000)
            #expect(whole.count == 400 + 40 + 10)

            for pageSize in [1, 7, 64, 1_000] {
                var read: [StoredObservation] = []
                var start: Date? = nil
                var pages = 0
                while true {
                    let page = try await store.observationPage(mn: nil, siteCode: "OUT-1", from: start, to: nil, pageSize: pageSize)
                    if let last = page.rows.last, let next = page.next { #expect(last.observation.dataTime < next) }
                    read += page.rows
                    pages += 1
                    guard let next = page.next else { break }
                    start = next
                }
                let key = { (o: StoredObservation) in "\(o.observation.mn)|\(o.observation.code)|\(o.observation.dataTime.timeIntervalSince1970)" }
                #expect(read.count == whole.count, "page size \(pageSize)")
                #expect(Set(read.map(key)) == Set(whole.map(key)), "page size \(pageSize)")
                #expect(read.map(\.observation.dataTime) == whole.map(\.observation.dataTime), "page size \(pageSize)")
                #expect(pageSize >= 1_000 ? pages == 1 : pages > 1)
            }
            // A bounded range ends where it says.
            let to = Self.start.addingTimeInterval(500)
            let page = try await store.observationPage(mn: nil, siteCode: "OUT-1", from: to, to: to, pageSize: 3)
            #expect(page.rows.count == 12 + 1 && page.next == nil)
        }
    }
}
