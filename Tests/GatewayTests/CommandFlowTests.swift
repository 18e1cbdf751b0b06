import Gateway
import Testing

@Suite("HJ 212 request flow (pure state machine)")
struct CommandFlowTests {
    @Test("request, 9011 QnRtn=1, data, 9012 ExeRtn=1")
    func success() {
        var flow = CommandFlow(timeout: 10, retries: 3, executionTimeout: 60)
        #expect(flow.start(now: 0) == [.send(attempt: 1)])
        #expect(flow.answer(qnRtn: 1, now: 1).isEmpty)
        #expect(flow.data(now: 2).isEmpty)
        #expect(flow.data(now: 3).isEmpty)
        #expect(flow.result(exeRtn: 1, now: 4) == [.finish(.succeeded)])
        #expect(flow.dataPackets == 2)
        #expect(flow.isFinished)
    }

    @Test("an unanswered request is resent after each timeout, then given up")
    func retries() {
        var flow = CommandFlow(timeout: 10, retries: 3, executionTimeout: 60)
        _ = flow.start(now: 0)
        #expect(flow.tick(now: 9.9).isEmpty)
        #expect(flow.tick(now: 10) == [.send(attempt: 2)])
        #expect(flow.tick(now: 20) == [.send(attempt: 3)])
        #expect(flow.tick(now: 30) == [.send(attempt: 4)])
        #expect(flow.tick(now: 40) == [.finish(.timedOut(stage: "answer"))])
        #expect(flow.tick(now: 50).isEmpty)
    }

    @Test("refusals, failures and an execution timeout extended by each data packet")
    func endings() {
        var refused = CommandFlow()
        _ = refused.start(now: 0)
        #expect(refused.answer(qnRtn: 3, now: 1) == [.finish(.refused(qnRtn: 3))])

        var failed = CommandFlow()
        _ = failed.start(now: 0)
        _ = failed.answer(qnRtn: 1, now: 1)
        #expect(failed.result(exeRtn: 100, now: 2) == [.finish(.failed(exeRtn: 100))])

        var slow = CommandFlow(timeout: 10, retries: 3, executionTimeout: 60)
        _ = slow.start(now: 0)
        _ = slow.answer(qnRtn: 1, now: 1)
        _ = slow.data(now: 50)
        #expect(slow.tick(now: 100).isEmpty)
        #expect(slow.tick(now: 110) == [.finish(.timedOut(stage: "execution"))])
    }
}
