import Synchronization

/// Counts open connections per IP address and in total, and refuses those over the limits, so that no peer can
/// exhaust the gateway.
final class ConnectionLimiter: Sendable {
    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
    }

    private let state = Mutex(State())
    let maxTotal: Int
    let maxPerAddress: Int

    init(maxTotal: Int, maxPerAddress: Int) {
        self.maxTotal = maxTotal
        self.maxPerAddress = maxPerAddress
    }

    /// Admits a connection from `address`, or returns false when a limit is reached.
    func admit(_ address: String) -> Bool {
        state.withLock { state in
            guard state.total < maxTotal, state.perAddress[address, default: 0] < maxPerAddress else { return false }
            state.total += 1
            state.perAddress[address, default: 0] += 1
            return true
        }
    }

    /// Releases an admitted connection.
    func release(_ address: String) {
        state.withLock { state in
            state.total -= 1
            let remaining = state.perAddress[address, default: 1] - 1
            state.perAddress[address] = remaining > 0 ? remaining : nil
        }
    }

    /// How many connections are open.
    var open: Int { state.withLock { $0.total } }
}
