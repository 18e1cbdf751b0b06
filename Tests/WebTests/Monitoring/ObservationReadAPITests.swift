import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import TestSupport

@Suite("GET /api/v1/observations through the real router: every matching value, however many; limit when asked")
struct ObservationReadAPITests {
    static let start = LocalTime.date(year: 2026, month: 11, day: 29, hour: 8)!

    /// A minute of one logger at 100 packets/s would be 36,000 values: here 4,000 packets of three values, two of each
    /// data time (other pollutants), more than the 10,000 rows a page reads.
    static func packets() -> [ObservationPacket] {
        (0..<4_000).map { index in
            let time = start.addingTimeInterval(Double(index / 2))
            let codes = index % 2 == 0 ? ["a21026", "a21002", "a34013"] : ["a19001", "a01012", "a01011"]
            let observations = codes.map { code in
                Observation(siteCode: nil, mn: "LOAD-1", cn: "2011", code: code, field: "Rtd", dataTime: time,
                            value: Double(index), valueText: String(index), flag: "N")
            }
            return ObservationPacket(observations: observations, receivedAt: time, frameID: nil)!
        }
    }

    @Test("12,000 values of one device come back whole, in time order, each once; ?limit= cuts", arguments: TestDatabase.available)
    func everyValue(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store async throws in
            let packets = Self.packets()
            #expect(try await store.storeObservationPackets(packets) == 12_000)
            let range = "from=2026-11-29T08:00:00&to=2026-11-29T09:00:00"
            try await client.execute(uri: "/api/v1/observations?mn=LOAD-1&cn=2011&\(range)", method: .get) { response async throws in
                #expect(response.status == .ok)
                let rows = try #require(try response.json() as? [[String: Any]])
                #expect(rows.count == 12_000)
                let keys = rows.map { "\($0["code"] as? String ?? "")|\($0["data_time"] as? String ?? "")" }
                #expect(Set(keys).count == 12_000)
                let times = rows.compactMap { $0["data_time"] as? String }
                #expect(times == times.sorted() && times.first == "2026-11-29T08:00:00" && times.last == "2026-11-29T08:33:19")
                #expect(rows.allSatisfy { $0["mn"] as? String == "LOAD-1" && $0["field"] as? String == "Rtd" && $0["flag"] as? String == "N" })
            }
            try await client.execute(uri: "/api/v1/observations?mn=LOAD-1&limit=25", method: .get) { response async throws in
                let rows = try #require(try response.json() as? [[String: Any]])
                #expect(rows.count == 25)
            }
            // A limit beyond one page: the first 11,000 by data time, across pages.
            try await client.execute(uri: "/api/v1/observations?mn=LOAD-1&limit=11000", method: .get) { response async throws in
                let rows = try #require(try response.json() as? [[String: Any]])
                let times = rows.compactMap { $0["data_time"] as? String }
                #expect(rows.count == 11_000 && times == times.sorted() && times.last == "2026-11-29T08:30:33")
            }
            try await client.execute(uri: "/api/v1/observations?mn=NOBODY", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "[]")
            }
            try await client.execute(uri: "/api/v1/observations?mn=LOAD-1&limit=many", method: .get) { response async throws in
                #expect(response.status == .badRequest)
            }
        }
    }
}

@Suite("GET /api/v1/hj212/frames through the real router: newest first, any limit, paging with before=, passwords masked")
struct FrameArchiveAPITests {
    static func frame(_ index: Int, mn: String) -> ArchivedFrame {
        let raw = "##0000QN=2026112908000\(String(format: "%04d", index));ST=22;CN=2011;PW=SECRET;MN=\(mn);Flag=5;CP=&&DataTime=20261129080000;a34004-Rtd=\(index)&&0000\\r\\n"
        return ArchivedFrame(receivedAt: ObservationReadAPITests.start.addingTimeInterval(Double(index)), peer: "10.0.0.9:4000", mn: mn,
                             cn: "2011", qn: nil, outcome: "ok", raw: raw)
    }

    @Test("12,000 frames of one device in pages of 5,000; limit, before, masking; bad numbers are a 400", arguments: TestDatabase.available)
    func frames(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, store async throws in
            let ids = try await store.appendFrames((0..<12_000).map { Self.frame($0, mn: $0 % 10 == 9 ? "OTHER" : "AIR-1") })
            #expect(ids.count == 12_000)
            try await client.execute(uri: "/api/v1/hj212/frames?mn=AIR-1", method: .get) { response async throws in
                let rows = try #require(try response.json() as? [[String: Any]])
                #expect(rows.count == 100)
                #expect(rows.first?["id"] as? Int64 == ids[11_998])
                #expect(rows.allSatisfy { ($0["raw"] as? String)?.contains("PW=******;") == true && $0["mn"] as? String == "AIR-1" })
            }
            try await client.execute(uri: "/api/v1/hj212/frames?mn=AIR-1&limit=20000", method: .get) { response async throws in
                let rows = try #require(try response.json() as? [[String: Any]])
                let got = rows.compactMap { $0["id"] as? Int64 }
                let expected = zip(0..., ids).filter { $0.0 % 10 != 9 }.map(\.1).reversed()
                #expect(got == Array(expected))
            }
            try await client.execute(uri: "/api/v1/hj212/frames?limit=3&before=\(ids[5])", method: .get) { response async throws in
                let rows = try #require(try response.json() as? [[String: Any]])
                #expect(rows.compactMap { $0["id"] as? Int64 } == [ids[4], ids[3], ids[2]])
                #expect(rows.first?["received_at"] as? String == "2026-11-29T08:00:04" && rows.first?["peer"] as? String == "10.0.0.9:4000")
            }
            for bad in ["limit=0", "limit=x", "before=-1"] {
                try await client.execute(uri: "/api/v1/hj212/frames?\(bad)", method: .get) { response async throws in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
        }
    }
}
