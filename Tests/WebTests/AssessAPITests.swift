import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport
import Web

@Suite("The standards engine over HTTP: /api/v1/assess/* and the calculator page")
struct AssessAPITests {
    func post(_ client: any TestClientProtocol, _ path: String, _ json: String,
              _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: json)) { response async throws in try await check(response) }
    }

    @Test("AQI of a day under both rule sets, exactly", arguments: [TestDatabase.sqlite])
    func aqi(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, _ async throws in
            try await post(client, "/api/v1/assess/aqi", #"{"report":"day","standard":"2026","concentrations":{"so2":8,"no2":31,"co":2.2,"o3_8h":120,"pm10":66,"pm25":"35.4"}}"#) { response in
                #expect(response.status == .ok)
                let object = try #require(try response.json() as? [String: Any])
                let iaqi = try #require(object["iaqi"] as? [String: Any])
                #expect(iaqi["co"] as? Int == 55)     // exact: not 56
                #expect(iaqi["pm25"] as? Int == 50)   // 35.4 → 35 (GB/T 8170) → 50
                // O3 8-h 120: 50 + 50/60×20 = 66.7 → 67, the largest.
                #expect(object["aqi"] as? Int == 67 && object["standard"] as? String == "2026")
                #expect(object["primary"] as? [String] == ["O3"])
            }
            try await post(client, "/api/v1/assess/aqi", #"{"report":"day","date":"2026-02-28","concentrations":{"so2":8,"no2":31,"co":"0.7","o3_8h":120,"o3_1h":150,"pm10":66,"pm25":70}}"#) { response in
                let object = try #require(try response.json() as? [String: Any])
                #expect(object["standard"] as? String == "2012" && object["aqi"] as? Int == 94)
            }
            try await post(client, "/api/v1/assess/aqi", #"{"concentrations":{"nox":1}}"#) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("air, water and noise files give the command's JSON; bad rows are 422 naming line and column", arguments: [TestDatabase.sqlite])
    func files(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, _ async throws in
            let csv = "time,so2,no2,co,o3,pm10,pm25\\n2026-03-01 01:00,10,30,0.5,90,120,70"
            try await post(client, "/api/v1/assess/air", #"{"level":"hour","csv":"\#(csv)"}"#) { response in
                #expect(response.status == .ok)
                let object = try #require(try response.json() as? [String: Any])
                let hours = try #require(object["hours"] as? [[String: Any]])
                #expect(hours.first?["aqi"] as? Int == 110 && object["standard"] as? String == "2026")
            }
            try await post(client, "/api/v1/assess/air", #"{"level":"day","rows":[{"time":"2026-03-01 01:00","so2":10,"no2":30,"co":0.5,"o3":90,"pm10":120,"pm25":null}]}"#) { response in
                #expect(response.status == .ok)
                let object = try #require(try response.json() as? [String: Any])
                #expect((object["days"] as? [Any])?.count == 1)
            }
            try await post(client, "/api/v1/assess/air", #"{"level":"hour","csv":"time,so2,no2,co,o3,pm10,pm25\n2026-03-01 01:00,10,-999,0.5,90,120,70"}"#) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("line 2, column 3 (no2)"))
            }
            try await post(client, "/api/v1/assess/water", #"{"csv":"site,target_class,ph,do,nh3n\nA,III,7,6.5,2.5"}"#) { response in
                let object = try #require(try response.json() as? [String: Any])
                let sample = try #require((object["samples"] as? [[String: Any]])?.first)
                #expect(sample["class_name"] as? String == "劣V" && sample["compliant"] as? Bool == false)
            }
            try await post(client, "/api/v1/assess/noise", #"{"csv":"point,zone,time,leq\nP,1,2024-05-01 10:00,54.9"}"#) { response in
                let object = try #require(try response.json() as? [String: Any])
                let session = try #require((object["sessions"] as? [[String: Any]])?.first)
                #expect(session["ld"] as? Double == 54.9 && session["day_ok"] as? Bool == true)
            }
        }
    }

    @Test("the calculator page computes on the server", arguments: [TestDatabase.sqlite])
    func page(database: TestDatabase) async throws {
        try await withApp(database, loadWuxi: false) { client, _ async throws in
            try await client.execute(uri: "/assess?form=aqi&report=day&standard=2012&co=2.2&so2=5&no2=5&pm10=5&pm25=5&o3=5&o3_8h=5", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("AQI 55"))
                #expect(response.text.contains("HJ 633-2012"))
            }
            try await client.execute(uri: "/assess?form=water&water_type=lake&tp=0.05&target_class=II&lang=en", method: .get) { response async throws in
                #expect(response.text.contains("<b>III</b>"))
                #expect(response.text.contains("misses the target"))
            }
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response async throws in
                let document = try #require(try response.json() as? [String: Any])
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                for path in ["/api/v1/assess/aqi", "/api/v1/assess/air", "/api/v1/assess/water", "/api/v1/assess/noise"] {
                    #expect(paths[path]?["post"] != nil, "\(path) undocumented")
                }
            }
        }
    }
}
