import Domain
import Foundation
import Gateway
import HJ212
import Logging
import NIOCore
import SQLKit
import Store
import Testing
import TestSupport

@Suite("Ingest log: values stored from the archived frames behind the acknowledgement")
struct IngestLogTests {
    static let mn = "010000A8900016F000169DC0"
    static let silent = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// The bytes of an hourly upload as a logger sends them (CR LF included).
    static func upload(hour: Int, cod: String, nh3n: String = "1.25") -> [UInt8] {
        let segment = "QN=2026112810000000\(hour % 10);ST=32;CN=2061;PW=123456;MN=\(mn);Flag=5;CP=&&DataTime=202611281\(hour)0000;"
            + "w01018-Avg=\(cod),w01018-Flag=N;w21003-Avg=\(nh3n),w21003-Flag=D&&"
        return Array(RawClient.frame(segment).readableBytesView)
    }

    @Test("escape and unescape of archived frames are inverse for any bytes")
    func escapeRoundTrip() {
        var random = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 17, 400, 1_100] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(ArchivedFrame.unescape(ArchivedFrame.escape(bytes)) == bytes)
        }
        let plain = Array("##0010QN=1;CN=2061\r\n".utf8)
        #expect(ArchivedFrame.escape(plain) == "##0010QN=1;CN=2061\\r\\n")
        #expect(ArchivedFrame.escape([0x5C, 0x00, 0xE6]) == "\\\\\\x00\\xE6")
        #expect(ArchivedFrame.unescape("\\q") == nil)
    }

    @Test("frames committed but not yet materialised (a crash between the 9014 and the values) are stored by catch-up, once",
          arguments: TestDatabase.available)
    func catchUpAfterCrash(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            try await store.saveSites([Site(code: "OUT-1", kind: .outlet, name: "排口")], actor: "test")
            try await store.saveDevice(Device(mn: Self.mn, password: "123456", siteCode: "OUT-1"), actor: "test")
            let received = Date(timeIntervalSince1970: 1_795_900_000)
            let frames = [
                ArchivedFrame(receivedAt: received, peer: "127.0.0.1:5000", mn: Self.mn, cn: "2061", qn: nil, outcome: "ok",
                              raw: ArchivedFrame.escape(Self.upload(hour: 0, cod: "31.5"))),
                ArchivedFrame(receivedAt: received, peer: "127.0.0.1:5000", mn: nil, cn: nil, qn: nil, outcome: "bad_crc",
                              raw: "offset 0: CRC sent 1C81, computed 1C80"),
                ArchivedFrame(receivedAt: received, peer: "127.0.0.1:5000", mn: Self.mn, cn: "9014", qn: nil, outcome: "ok",
                              raw: ArchivedFrame.escape(Array("##0000\r\n".utf8))),
                ArchivedFrame(receivedAt: received, peer: "127.0.0.1:5000", mn: Self.mn, cn: "2061", qn: nil, outcome: "ok",
                              raw: ArchivedFrame.escape(Self.upload(hour: 1, cod: "28.0"))),
                // A resend of the first hour with another value: the first stored value stays.
                ArchivedFrame(receivedAt: received, peer: "127.0.0.1:5000", mn: Self.mn, cn: "2061", qn: nil, outcome: "ok",
                              raw: ArchivedFrame.escape(Self.upload(hour: 0, cod: "99.9"))),
            ]
            try await store.appendFrames(frames)
            let before = try await store.materializedFrameID()
            #expect(try await store.observationCount() == 0)
            // Retention may not drop frames whose values are not stored yet.
            #expect(try await store.pruneFrames(before: .now) == 0)

            let registry = DeviceRegistry(store: store, logger: Self.silent)
            let materializer = ObservationMaterializer(store: store, registry: registry, batch: 2, logger: Self.silent)
            #expect(try await materializer.catchUp() == 5)
            #expect(try await store.materializedFrameID() == before + 5)
            #expect(try await store.waitForMaterializedObservations(timeout: .zero))

            let stored = try await store.observations(mn: Self.mn)
            #expect(stored.count == 4)   // 2 hours × (COD, NH3-N)
            let cod = stored.filter { $0.observation.code == "w01018" }.sorted { $0.observation.dataTime < $1.observation.dataTime }
            #expect(cod.map(\.observation.valueText) == ["31.5", "28.0"])
            #expect(cod.allSatisfy { $0.observation.siteCode == "OUT-1" && $0.observation.field == "Avg" })
            #expect(stored.first { $0.observation.code == "w21003" }?.observation.flag == "D")
            #expect(stored.allSatisfy { ($0.frameID ?? 0) > before })
            #expect(stored.allSatisfy { $0.receivedAt == received })

            // Done again (a second restart): nothing new, nothing doubled.
            #expect(try await materializer.catchUp() == 0)
            #expect(try await store.observationCount() == 4)
            // Rolled up like any stored value.
            #expect(try await store.pendingRollupCount() == 1)
            // Now retention may drop them.
            #expect(try await store.pruneFrames(before: .now) == 5)
        }
    }

    @Test("real-time frames: packets committed with the frame; those archived before packets existed are stored by catch-up; ids never reused after retention",
          arguments: TestDatabase.available)
    func realtimeAtIngest(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            try await store.saveDevice(Device(mn: Self.mn, password: "123456", siteCode: "OUT-1"), actor: "test")
            let received = Date(timeIntervalSince1970: 1_795_900_000)
            func realtime(_ second: Int) -> ArchivedFrame {
                let segment = "QN=202611281000000\(second % 10);ST=32;CN=2011;PW=123456;MN=\(Self.mn);Flag=5;CP=&&DataTime=2026112810000\(second);"
                    + "w01018-Rtd=3\(second).5,w01018-Flag=N&&"
                return ArchivedFrame(receivedAt: received, peer: "127.0.0.1:5000", mn: Self.mn, cn: "2011", qn: nil, outcome: "ok",
                                     raw: ArchivedFrame.escape(Array(RawClient.frame(segment).readableBytesView)))
            }
            // A frame archived by a version before packets (its values were to be materialised): the boundary covers it.
            let old = try await store.appendFrames([realtime(1)])
            try await store.write { db in
                try await db.update("ingest_progress").set("frame_id", to: old[0]).where("consumer", .equal, "packets_at_ingest").run()
            }
            // A frame of now, with its packet in the same transaction.
            var current = realtime(2)
            current.packet = ObservationPacket(
                observations: [Observation(siteCode: "OUT-1", mn: Self.mn, cn: "2011", code: "w01018", field: "Rtd",
                                           dataTime: LocalTime.date(year: 2026, month: 11, day: 28, hour: 10, minute: 0, second: 2)!,
                                           value: 32.5, valueText: "32.5", flag: "N")],
                receivedAt: received, frameID: nil)
            let ids = try await store.appendFrames([current])
            #expect(ids == [old[0] + 1])
            #expect(try await store.observations(mn: Self.mn).map(\.observation.valueText) == ["32.5"])
            #expect(try await store.observations(mn: Self.mn).first?.frameID == ids[0])
            #expect(try await store.waitForMaterializedObservations(timeout: .zero) == false)

            let registry = DeviceRegistry(store: store, logger: Self.silent)
            let materializer = ObservationMaterializer(store: store, registry: registry, logger: Self.silent)
            #expect(try await materializer.catchUp() == 2)
            let values = try await store.observations(mn: Self.mn)
            #expect(values.map(\.observation.valueText) == ["31.5", "32.5"])
            #expect(values.map(\.frameID) == [old[0], ids[0]])
            #expect(try await store.waitForMaterializedObservations(timeout: .zero))

            // Retention empties the archive; the next frame still gets a new id (never one the materialiser passed).
            #expect(try await store.pruneFrames(before: .now) == 2)
            let next = try await store.appendFrames([realtime(3)])
            #expect(next[0] > ids[0])
        }
    }
}
