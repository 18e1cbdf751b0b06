import Domain
import Foundation
@testable import Gateway
import Logging
import SQLKit
import Store
import Synchronization
import Testing
import TestSupport

@Suite("Group commit: concurrent submissions share transactions, complete in order, and a failed one stores nothing")
struct GroupCommitTests {
    static let silent = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func frame(_ n: Int, second: Int? = nil, mn: String = "GROUPCOMMIT0001") -> ArchivedFrame {
        var frame = ArchivedFrame(receivedAt: Date(timeIntervalSince1970: 1_795_900_000), peer: "127.0.0.1:5000", mn: mn, cn: "2011",
                                  qn: "QN\(n)", outcome: "ok", raw: "frame \(n)")
        if let second {
            frame.packet = ObservationPacket(
                observations: [Observation(siteCode: "OUT-1", mn: mn, cn: "2011", code: "w01018", field: "Rtd",
                                           dataTime: Date(timeIntervalSince1970: 1_795_900_000 + Double(second)),
                                           value: Double(n), valueText: "\(n)", flag: "N")],
                receivedAt: Date(timeIntervalSince1970: 1_795_900_000), frameID: nil)
        }
        return frame
    }

    @Test("200 connections submit at once while general writes run: every frame stored once",
          arguments: TestDatabase.available)
    func concurrentSubmissions(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let writer = IngestWriter(store: store, materializer: nil, logger: Self.silent)
            try await withThrowingTaskGroup(of: Void.self) { service in
                service.addTask { try await writer.run() }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in 0..<200 {
                        group.addTask {
                            if task % 20 == 0 {
                                // A general write between the ingest transactions: the write lock serves both in turn.
                                try await store.write { db in
                                    try await db.raw("UPDATE ingest_progress SET frame_id = frame_id WHERE consumer = 'none'").run()
                                }
                            }
                            try await writer.submit((0..<5).map { Self.frame(task * 5 + $0, second: task * 5 + $0) })
                        }
                    }
                    try await group.waitForAll()
                }
                service.cancelAll()
            }
            let frames = try await store.frames(mn: "GROUPCOMMIT0001", limit: 2_000)
            #expect(frames.count == 1_000 && Set(frames.map(\.raw)).count == 1_000)
            #expect(Set(frames.compactMap(\.id)).count == 1_000)
            #expect(try await store.observationCount() == 1_000)
        }
    }

    @Test("frame ids are ascending within a call and never given twice, across concurrent calls on the ingest connection",
          arguments: TestDatabase.available)
    func concurrentAppendIDs(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let results = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for task in 0..<100 {
                    group.addTask { try await store.appendFrames((0..<5).map { Self.frame(task * 5 + $0) }) }
                }
                var all: [[Int64]] = []
                for try await ids in group { all.append(ids) }
                return all
            }
            for ids in results { #expect(ids.count == 5 && ids == ids.sorted()) }
            #expect(Set(results.flatMap { $0 }).count == 500)
        }
    }

    @Test("a transaction that fails stores nothing of it, keeps what was stored before, and the next one commits",
          arguments: TestDatabase.available)
    func failedTransaction(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let first = try await store.appendFrames([Self.frame(1, second: 1)])
            #expect(first.count == 1)
            // Break the packet table: the next batch's packet insert fails after its frame insert ran.
            try await store.write { db in try await db.raw("ALTER TABLE observation_packets RENAME TO broken_packets").run() }
            await #expect(throws: (any Error).self) { try await store.appendFrames([Self.frame(2), Self.frame(3, second: 3)]) }
            try await store.write { db in try await db.raw("ALTER TABLE broken_packets RENAME TO observation_packets").run() }
            #expect(try await store.frames(mn: "GROUPCOMMIT0001").map(\.raw) == ["frame 1"])
            let next = try await store.appendFrames([Self.frame(4, second: 4)])
            #expect(next[0] > first[0])
            #expect(try await store.frames(mn: "GROUPCOMMIT0001").map(\.raw) == ["frame 4", "frame 1"])
            #expect(try await store.observationCount() == 2)
        }
    }

    @Test("PostgreSQL: a lost ingest connection fails what was sent on it, stores nothing of it, and the next batch reconnects",
          .enabled(if: TestDatabase.postgresURL != nil, "needs QINGSHAN_TEST_POSTGRES_URL"))
    func ingestReconnects() async throws {
        try await TestDatabase.postgres.withStore { store async throws in
            let first = try await store.appendFrames([Self.frame(1, second: 1)])
            // The server ends the ingest connection's backend, as a restart of PostgreSQL or a network fault would.
            let ended = try await store.reader.raw("""
                SELECT COUNT(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                           WHERE application_name = 'qingshan-ingest' AND datname = current_database()) t
                """).first()?.decode(column: "n", as: Int.self)
            #expect(ended == 1)
            // The batch sent on the dead connection may fail (nothing of it stored) or, if the loss was noticed first,
            // go over a new one; the one after it commits either way.
            let second = try? await store.appendFrames([Self.frame(2, second: 2)])
            let third = try await store.appendFrames([Self.frame(3, second: 3)])
            #expect(third[0] > first[0])
            let stored = try await store.frames(mn: "GROUPCOMMIT0001").map(\.raw)
            #expect(stored == (second == nil ? ["frame 3", "frame 1"] : ["frame 3", "frame 2", "frame 1"]))
            #expect(try await store.observationCount() == stored.count)
        }
    }

    @Test("the ingest writer calls back in submission order, an empty submission in its turn", arguments: TestDatabase.available)
    func orderedCompletions(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let writer = IngestWriter(store: store, materializer: nil, logger: Self.silent)
            let order = Mutex<[Int]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    let remaining = Atomic(100)
                    for n in 0..<100 {
                        let items = n % 7 == 3 ? [] : [Self.frame(n)]
                        writer.enqueue(items) { result in
                            if case .success = result { order.withLock { $0.append(n) } }
                            if remaining.subtract(1, ordering: .relaxed).newValue == 0 { done.resume() }
                        }
                    }
                }
                group.cancelAll()
            }
            #expect(order.withLock { $0 } == Array(0..<100))
            #expect(try await store.frames(mn: "GROUPCOMMIT0001", limit: 200).count == 100 - 14)
        }
    }

    @Test("the materialiser stores its position over real-time frames only, so a restart does not read them again",
          arguments: TestDatabase.available)
    func positionOverRealtimeFrames(database: TestDatabase) async throws {
        try await database.withStore { store async throws in
            let ids = try await store.appendFrames((0..<50).map { Self.frame($0, second: $0) })
            let registry = DeviceRegistry(store: store, logger: Self.silent)
            let materializer = ObservationMaterializer(store: store, registry: registry, logger: Self.silent)
            #expect(try await materializer.catchUp() == 50)
            #expect(try await store.materializedFrameID() == ids.last)
            #expect(try await store.waitForMaterializedObservations(timeout: .zero))
        }
    }

    @Test("a connection's commit window holds reading while full and drains")
    func commitWindow() async throws {
        let window = CommitWindow(limit: 10)
        await window.acquire(6)
        await window.acquire(4)
        let resumed = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await window.acquire(3)
                resumed.value.store(true, ordering: .relaxed)
            }
            try await Task.sleep(for: .milliseconds(50))
            let whileFull = resumed.value.load(ordering: .relaxed)
            #expect(whileFull == false)
            window.release(2)
            try await Task.sleep(for: .milliseconds(50))
            let stillShort = resumed.value.load(ordering: .relaxed)
            #expect(stillShort == false)
            window.release(4)
            try await group.waitForAll()
            let afterRoom = resumed.value.load(ordering: .relaxed)
            #expect(afterRoom)
        }
        // A run larger than the whole window fits once the window is empty.
        window.release(4 + 3)
        await window.acquire(25)
        window.release(25)
        await window.drain()
    }
}

/// A flag shared with a child task.
private final class Flag: Sendable {
    let value = Atomic(false)
}
