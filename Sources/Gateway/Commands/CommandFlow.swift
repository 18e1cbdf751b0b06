/// The request flow of HJ 212-2017 6.5.1 as a pure state machine: the platform sends a request (Flag A=1); the device
/// answers 9011 with `QnRtn`; it may upload data; it ends with 9012 and `ExeRtn`. An unanswered request is sent again
/// after the timeout, up to the retry count (HJ 212-2017 表1: 10 s, 3 retries on mobile links). No clock inside:
/// every event carries `now` (seconds on any monotonic scale).
public struct CommandFlow: Sendable, Equatable {
    /// Where the flow is.
    public enum State: Sendable, Equatable {
        /// Not sent yet.
        case idle
        /// Sent (attempt 1, 2, …), waiting for 9011 until the deadline.
        case awaitingAnswer(attempt: Int, deadline: Double)
        /// 9011 QnRtn=1 received: executing, waiting for 9012 until the deadline.
        case executing(deadline: Double)
        /// Finished.
        case finished(Outcome)
    }

    /// How the flow ended.
    public enum Outcome: Sendable, Equatable {
        /// 9012 with ExeRtn=1.
        case succeeded
        /// 9011 with a QnRtn other than 1 (2 rejected, 3 PW error, 4 MN error …).
        case refused(qnRtn: Int)
        /// 9012 with an ExeRtn other than 1 (2 failed, 100 no data …).
        case failed(exeRtn: Int)
        /// No answer after every retry, or no result before the execution deadline.
        case timedOut(stage: String)
    }

    /// What the edge must do.
    public enum Action: Sendable, Equatable {
        /// Send the request (again).
        case send(attempt: Int)
        /// The flow is over.
        case finish(Outcome)
    }

    /// The current state.
    public private(set) var state: State = .idle
    /// Seconds to wait for each answer.
    public let timeout: Double
    /// How many times to resend an unanswered request.
    public let retries: Int
    /// Seconds to wait for the execution result after 9011.
    public let executionTimeout: Double
    /// Data packets received for the request.
    public private(set) var dataPackets = 0

    /// Creates a flow.
    public init(timeout: Double = 10, retries: Int = 3, executionTimeout: Double = 60) {
        self.timeout = timeout
        self.retries = retries
        self.executionTimeout = executionTimeout
    }

    /// Starts the flow.
    public mutating func start(now: Double) -> [Action] {
        guard state == .idle else { return [] }
        state = .awaitingAnswer(attempt: 1, deadline: now + timeout)
        return [.send(attempt: 1)]
    }

    /// A 9011 request answer arrived.
    public mutating func answer(qnRtn: Int, now: Double) -> [Action] {
        guard case .awaitingAnswer = state else { return [] }
        if qnRtn == 1 {
            state = .executing(deadline: now + executionTimeout)
            return []
        }
        return finish(.refused(qnRtn: qnRtn))
    }

    /// A data upload for the request arrived (it also extends the execution deadline, per HJ 212-2017 6.5: the
    /// execution timeout applies after the 9011 and after each sub-packet).
    public mutating func data(now: Double) -> [Action] {
        switch state {
        case .executing, .awaitingAnswer:
            dataPackets += 1
            state = .executing(deadline: now + executionTimeout)
        default: break
        }
        return []
    }

    /// A 9012 execution result arrived.
    public mutating func result(exeRtn: Int, now: Double) -> [Action] {
        switch state {
        case .executing, .awaitingAnswer:
            return finish(exeRtn == 1 ? .succeeded : .failed(exeRtn: exeRtn))
        default:
            return []
        }
    }

    /// Time passed: resend or give up when a deadline is over.
    public mutating func tick(now: Double) -> [Action] {
        switch state {
        case .awaitingAnswer(let attempt, let deadline) where now >= deadline:
            if attempt > retries { return finish(.timedOut(stage: "answer")) }
            state = .awaitingAnswer(attempt: attempt + 1, deadline: now + timeout)
            return [.send(attempt: attempt + 1)]
        case .executing(let deadline) where now >= deadline:
            return finish(.timedOut(stage: "execution"))
        default:
            return []
        }
    }

    private mutating func finish(_ outcome: Outcome) -> [Action] {
        state = .finished(outcome)
        return [.finish(outcome)]
    }

    /// Whether the flow is over.
    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }
}
