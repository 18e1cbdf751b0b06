public import Foundation
import HJ212
import NIOCore
import Synchronization

/// One device connection as the command flows see it: a way to send bytes down it, and to close it.
final class ConnectionHandle: Sendable {
    let channel: any Channel
    private let writer = Mutex<NIOAsyncChannelOutboundWriter<ByteBuffer>?>(nil)

    init(channel: any Channel) { self.channel = channel }

    var outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>? {
        get { writer.withLock { $0 } }
        set { writer.withLock { $0 = newValue } }
    }

    func send(_ buffer: ByteBuffer) async throws {
        guard let outbound else { throw GatewayCommandError(message: "the connection is not ready") }
        try await outbound.write(buffer)
    }
}

/// A platform-to-device command that could not be carried out.
public struct GatewayCommandError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// The devices connected now, by MN, and the answers the command flows wait for.
public final class LiveConnections: Sendable {
    struct Waiter {
        var qn: String
        var mn: String
        var cn: String
        var onPacket: @Sendable (HJ212Packet) -> Bool
    }

    private struct State {
        var byMN: [String: ConnectionHandle] = [:]
        var lastHeard: [String: (Date, String)] = [:]
        var systemCodes: [String: String] = [:]
        var waiters: [UUID: Waiter] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    func register(mn: String, handle: ConnectionHandle) {
        state.withLock { $0.byMN[mn] = handle }
    }

    func unregister(mn: String, handle: ConnectionHandle) {
        state.withLock { state in
            if state.byMN[mn] === handle { state.byMN[mn] = nil }
        }
    }

    func heard(_ mns: Set<String>, peer: String) {
        let now = Date()
        state.withLock { state in
            for mn in mns { state.lastHeard[mn] = (now, peer) }
        }
    }

    /// The MNs connected now.
    public var connectedMNs: [String] { state.withLock { Array($0.byMN.keys).sorted() } }

    /// When each device was last heard from since the gateway started, and from where.
    public var lastHeard: [String: (at: Date, peer: String)] {
        state.withLock { state in state.lastHeard.mapValues { (at: $0.0, peer: $0.1) } }
    }

    func noteSystemCode(_ st: String, of mn: String) {
        state.withLock { $0.systemCodes[mn] = st }
    }

    /// The system code (ST) a device last used, for requests sent to it.
    func systemCode(of mn: String) -> String? { state.withLock { $0.systemCodes[mn] } }

    func handle(for mn: String) -> ConnectionHandle? { state.withLock { $0.byMN[mn] } }

    /// Passes a device's packet to the command flow waiting for it; returns whether one took it.
    @discardableResult
    func deliver(_ packet: HJ212Packet) -> Bool {
        // Called for every data packet: no copy unless a flow waits for this device.
        let waiters = state.withLock { state in
            state.waiters.isEmpty ? [] : state.waiters.values.filter { $0.mn == packet.mn }
        }
        var taken = false
        for waiter in waiters {
            if waiter.onPacket(packet) { taken = true }
        }
        return taken
    }

    func addWaiter(_ waiter: Waiter) -> UUID {
        let id = UUID()
        state.withLock { $0.waiters[id] = waiter }
        return id
    }

    func removeWaiter(_ id: UUID) {
        _ = state.withLock { $0.waiters.removeValue(forKey: id) }
    }

    /// Closes every device connection (at shutdown).
    public func closeAll() {
        let handles = state.withLock { Array($0.byMN.values) }
        for handle in handles { handle.channel.close(promise: nil) }
    }
}
