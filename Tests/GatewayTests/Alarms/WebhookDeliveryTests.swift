import Domain
import Foundation
import NIOCore
import Gateway
import Logging
import Store
import Testing
import TestSupport

@Suite("Webhook delivery to a real local HTTP server")
struct WebhookDeliveryTests {
    @Test("a notification answered 500 is retried after the back-off and then delivered; every attempt is in the delivery log",
          arguments: TestDatabase.available)
    func retryAfterServerError(database: TestDatabase) async throws {
        try await database.withStore { store in
            let receiver = try await WebhookReceiver(statuses: [500])
            let broken = try await WebhookReceiver(statuses: [503, 503, 503, 503])
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await receiver.run() }
                tasks.addTask { try await broken.run() }
                let hook = try await store.addWebhook(url: "http://127.0.0.1:\(receiver.port)/alarms", description: "值班推送", secret: "s3cret",
                                                      actor: "admin1")
                // A webhook that keeps failing: given up after the maximum number of attempts.
                let dead = try await store.addWebhook(url: "http://127.0.0.1:\(broken.port)/broken", actor: "admin1")
                let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
                let change = try await store.raiseAlarm(AlarmRaise(
                    ruleID: "offline", siteCode: "OUT-1", mn: "MN0001", subject: "MN0001", title: "数采仪 MN0001 超过60分钟无数据",
                    severity: .warning, since: clock.now, heldAt: clock.now, escalateAfter: nil, dedupKey: "offline:MN0001"), now: clock.now)
                guard case .raised(let alarm) = change else { Issue.record("no alarm raised: \(change)"); return }

                let service = WebhookDeliveryService(
                    store: store, configuration: .init(firstRetryDelay: 10, backoffFactor: 3, maxAttempts: 3, timeout: .seconds(10)),
                    now: clock.function, logger: silentLogger)
                #expect(service.configuration.delay(afterAttempt: 1) == 10)
                #expect(service.configuration.delay(afterAttempt: 2) == 30)
                #expect(service.configuration.delay(afterAttempt: 3) == 90)

                #expect(try await service.deliverDue() == 2)      // 500 from the receiver, 503 from the broken one
                #expect(receiver.received.count == 1)
                #expect(try await service.deliverDue() == 0)      // not due before the back-off
                clock.advance(11)
                #expect(try await service.deliverDue() == 2)      // 200 now; the broken one fails again
                #expect(receiver.received.count == 2)
                clock.advance(31)
                #expect(try await service.deliverDue() == 1)      // only the broken one: third and last attempt
                clock.advance(1000)
                #expect(try await service.deliverDue() == 0)

                let deliveries = try await store.webhookDeliveries(webhookID: hook.id)
                try #require(deliveries.count == 1)
                let delivery = deliveries[0]
                #expect(delivery.delivered && delivery.attempts == 2 && delivery.statusCode == 200 && delivery.nextAttemptAt == nil)
                #expect(delivery.attemptLog.map(\.statusCode) == [500, 200])
                #expect(delivery.attemptLog[0].error?.contains("500") == true)
                #expect(delivery.alarmID == alarm.id && delivery.reason == "raised")

                let failed = try await store.webhookDeliveries(webhookID: dead.id)
                #expect(failed.first?.gaveUp == true && failed.first?.attempts == 3)
                #expect(failed.first?.attemptLog.map(\.statusCode) == [503, 503, 503])
                #expect(broken.received.count == 3)

                // What the receiver got: the same JSON body twice, signed with the secret.
                let request = receiver.received[1]
                #expect(request.head.hasPrefix("POST /alarms HTTP/1.1"))
                #expect(request.body == receiver.received[0].body)
                #expect(request.header("X-Qingshan-Signature") == Store.webhookSignature(body: request.body, secret: "s3cret"))
                let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
                #expect(body["alarm_id"] as? Int == Int(alarm.id))
                #expect(body["rule_id"] as? String == "offline" && body["rule_name"] as? String == "设备离线")
                #expect(body["site_code"] as? String == "OUT-1" && body["mn"] as? String == "MN0001")
                #expect(body["state"] as? String == "open" && body["reason"] as? String == "raised" && body["severity"] as? String == "warning")
                #expect(body["raised_at"] as? String == "2026-09-21T14:13:20Z")

                // A person's event is notified too, to every enabled webhook.
                try await store.applyAlarmEvent(.acknowledge(by: "wang", note: "已电话联系企业"), to: alarm.id, actor: "wang", now: clock.now)
                #expect(try await service.deliverDue() == 2)
                #expect(receiver.received.count == 3)
                #expect(receiver.received.last.map { $0.body.contains("\"reason\":\"acknowledged\"") && $0.body.contains("\"state\":\"acknowledged\"") } == true)

                try await receiver.server.channel.close()
                try await broken.server.channel.close()
                tasks.cancelAll()
            }
        }
    }
}
