import Domain
import Foundation
import Gateway
import Logging
import NIOCore
import NIOPosix
import Store
import Synchronization

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.now } }
}

let silentLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// Sends HJ 212 uploads over one TCP connection and waits for each 9014 data answer (the gateway answers after commit).
struct LoggerConnection {
    let client: RawClient
    let mn: String
    let password: String

    /// Sends each segment (`CN=…;…`) with the header filled in and waits for its answer.
    func upload(_ uploads: [(cn: String, dataTime: String, cp: String)]) async throws -> [String] {
        try await client.channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            var answers: [String] = []
            for (index, upload) in uploads.enumerated() {
                let qn = "20261129" + String(format: "%09d", index + 1)
                try await outbound.write(RawClient.frame(
                    "QN=\(qn);ST=32;CN=\(upload.cn);PW=\(password);MN=\(mn);Flag=5;CP=&&DataTime=\(upload.dataTime);\(upload.cp)&&"))
                var text = ""
                while !text.contains("CN=9014") {
                    guard let chunk = try await iterator.next() else { throw CancellationError() }
                    text += String(buffer: chunk)
                }
                answers.append(text)
            }
            return answers
        }
    }
}

/// HJ 212 DataTime (China time) of an instant.
func hj212Time(_ date: Date) -> String {
    LocalTime.format(date).filter(\.isNumber)
}

/// Polls until `condition` holds or the time runs out.
func eventually(_ timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// A tiny HTTP/1.1 server on a free loopback port: answers each request with the next scripted status (200 once the
/// script is used up) and keeps what it received.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var head: String
        var body: String
        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }
    }

    private let script: Mutex<[Int]>
    private let log = Mutex<[Received]>([])
    let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    var received: [Received] { log.withLock { $0 } }
    var port: Int { server.channel.localAddress?.port ?? 0 }

    init(statuses: [Int]) async throws {
        script = Mutex(statuses)
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
    }

    /// Serves until the server channel is closed.
    func run() async throws {
        try await server.executeThenClose { connections in
            for try await connection in connections {
                try? await serve(connection)
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var bytes: [UInt8] = []
            for try await chunk in inbound {
                bytes += chunk.readableBytesView
                guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { continue }
                let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
                let length = Received(head: head, body: "").header("Content-Length").flatMap { Int($0) } ?? 0
                guard bytes.count - end.upperBound >= length else { continue }
                let body = String(decoding: bytes[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
                log.withLock { $0.append(Received(head: head, body: body)) }
                let status = script.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
                try await outbound.write(ByteBuffer(string: "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"))
                return
            }
        }
    }
}
