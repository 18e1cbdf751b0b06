import Foundation
import Standards
import Testing

@Suite("JSON reports: the assess contract")
struct ReportJSONTests {
    func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static let csv = """
    time,so2,no2,co,o3,pm10,pm25
    2026-02-28 01:00,10,30,2.25,90,120,70
    2026-03-01 01:00,10,30,2.25,90,120,70
    """

    @Test("hour: keys, nulls and the rule set of each hour")
    func hour() throws {
        let report = try AirAssessment.run(csv: Self.csv, options: AirAssessmentOptions(level: .hour, pmHourly: .hourly1h))
        let object = try json(report)
        #expect(object["standard"] as? String == "2012+2026")
        let hours = object["hours"] as! [[String: Any]]
        #expect(hours.count == 2)
        // 2012 1-h practice: PM2.5 70 → 94; 2026: PM2.5 70 → 110, PM10 120 → 100.
        // 2012: the O3 8-hour moving average is missing in the first hour and the rest gives ≤ 100: no AQI (§5.3 logic).
        #expect(hours[0]["aqi"] is NSNull && hours[0]["aqi_of_available"] as? Int == 94 && hours[0]["standard"] as? String == "2012")
        #expect(hours[1]["aqi"] as? Int == 110 && hours[1]["standard"] as? String == "2026")
        #expect(hours[1]["primary"] as? [String] == ["PM2.5"] && hours[1]["category"] as? String == "轻度污染" && hours[1]["level"] as? Int == 3)
        let iaqi = hours[0]["iaqi"] as! [String: Any]
        #expect(Set(iaqi.keys) == ["so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25"])
        #expect(iaqi["o3_8h"] is NSNull)   // one hour cannot make an 8-hour average
        #expect(try text(report).contains("\"o3_8h\":null"))
        let strict = try json(AirAssessment.run(csv: Self.csv, options: AirAssessmentOptions(level: .hour)))
        let first = (strict["hours"] as! [[String: Any]])[0]
        #expect(first["aqi"] is NSNull && first["primary"] is NSNull)   // PM 24-h moving average missing, AQI ≤ 100
    }

    @Test("day: indicators with value, n, valid, iaqi; CO with one decimal")
    func day() throws {
        let report = try AirAssessment.run(csv: Self.csv, options: AirAssessmentOptions(level: .day, hourLabel: .start))
        let object = try json(report)
        let days = object["days"] as! [[String: Any]]
        #expect(days.map { $0["date"] as! String } == ["2026-02-28", "2026-03-01"])
        let indicators = days[0]["indicators"] as! [String: [String: Any]]
        #expect(Set(indicators.keys) == ["so2", "no2", "co", "pm10", "pm25", "o3_8h", "o3_1h"])
        #expect(indicators["co"]?["value"] as? Double == 2.2 && indicators["co"]?["n"] as? Int == 1)
        #expect(indicators["co"]?["valid"] as? Bool == false && indicators["co"]?["iaqi"] is NSNull)
        #expect(days[0]["valid"] as? Bool == false && days[0]["aqi"] is NSNull)
        #expect(Set((days[1]["indicators"] as! [String: Any]).keys) == ["so2", "no2", "co", "pm10", "pm25", "o3_8h"])
        #expect(try text(report).contains("\"value\":2.2"))
    }

    @Test("year: the pollutant entries, indices and day counts")
    func year() throws {
        var lines = ["time,so2,no2,co,o3,pm10,pm25"]
        var day = date("2016-01-01")
        while day.year == 2016 {
            for hour in 0..<24 {
                lines.append("\(day) \(hour < 10 ? "0" : "")\(hour):00,10,30,0.8,90,60,\(day.month == 1 ? 80 : 30)")
            }
            day = day.next
        }
        let report = try AirAssessment.run(csv: lines.joined(separator: "\n"),
                                           options: AirAssessmentOptions(level: .year, standard: .fixed(.v2012), hourLabel: .start))
        let object = try json(report)
        #expect(object["year"] as? Int == 2016 && object["standard"] as? String == "2012")
        let pollutants = object["pollutants"] as! [String: [String: Any]]
        #expect(Set(pollutants.keys) == ["so2", "no2", "pm10", "pm25", "co", "o3_8h"])
        let pm25 = pollutants["pm25"]!
        #expect(pm25["valid_days"] as? Int == 366 && pm25["annual_valid"] as? Bool == true && pm25["p"] as? Int == 95)
        #expect(pm25["months_short"] as? [Int] == [] && pm25["days_over_daily_limit"] as? Int == 31)
        // (31×80 + 335×30)/366 = 34.2 → 34; P95: k = 1 + 365×0.95 = 347.75, X(336…366) = 80 → 80 > 75: not compliant.
        #expect(pm25["mean"] as? Double == 34 && pm25["percentile"] as? Double == 80 && pm25["compliant"] as? Bool == false)
        #expect(pollutants["co"]?["percentile"] as? Double == 0.8)
        let days = object["aqi_days"] as! [String: Any]
        #expect(days["valid_days"] as? Int == 366 && days["good_days"] as? Int == 335 && days["over_days"] as? Int == 31)
        #expect(days["good_ratio"] as? Double == 91.5)
        #expect((days["per_level"] as! [String: Int])["3"] == 31)
        #expect((days["primary_pollutant_days"] as! [String: Int])["PM2.5"] == 31)
        let single = object["single_index"] as! [String: Double]
        #expect(single["pm25"] == 0.97)   // 34/35
        #expect(object["comprehensive_index"] is Double)
    }

    @Test("a file spanning years needs --year; with it the year is evaluated")
    func years() throws {
        let text = "time,so2,no2,co,o3,pm10,pm25\n2015-06-01 01:00,1,1,1,1,1,1\n2016-06-01 01:00,1,1,1,1,1,1"
        #expect(throws: AssessInputError.self) {
            _ = try AirAssessment.run(csv: text, options: AirAssessmentOptions(level: .year))
        }
        let report = try AirAssessment.run(csv: text, options: AirAssessmentOptions(level: .year, year: 2016))
        let object = try json(report)
        #expect(object["year"] as? Int == 2016)
        let so2 = (object["pollutants"] as! [String: [String: Any]])["so2"]!
        #expect(so2["valid_days"] as? Int == 0 && so2["mean"] is NSNull && so2["compliant"] is NSNull)
        #expect((so2["months_short"] as? [Int])?.count == 12)
    }

    @Test("water and noise reports")
    func waterAndNoise() throws {
        let water = try json(WaterAssessment.run(csv: "site,target_class,ph,do,nh3n,cod\nA,III,7,6.5,2.5,25\nB,II,7,8,0.1,10"))
        let samples = water["samples"] as! [[String: Any]]
        #expect(samples[0]["class"] as? Int == 6 && samples[0]["class_name"] as? String == "劣V" && samples[0]["compliant"] as? Bool == false)
        #expect(samples[0]["time"] is NSNull)
        let main = samples[0]["main_pollutants"] as! [[String: Any]]
        #expect(main.map { $0["item"] as! String } == ["nh3n", "cod"] && main[0]["multiple"] as? Double == 1.5)
        #expect(samples[1]["class"] as? Int == 1 && samples[1]["status"] as? String == "优")
        let summary = water["summary"] as! [String: Any]
        #expect(summary["samples"] as? Int == 2 && summary["share_class_1_to_3"] as? Double == 50)
        // Fewer than five: the class of the means (NH3-N 1.3 → IV).
        #expect(summary["status"] as? String == "轻度污染")
        let noise = try json(NoiseAssessment.run(csv: "point,zone,time,leq\nP,2,2024-05-01 10:00,61\nP,2,2024-05-01 23:00,49"))
        let session = (noise["sessions"] as! [[String: Any]])[0]
        #expect(session["ld"] as? Double == 61 && session["day_ok"] as? Bool == false && session["night_ok"] as? Bool == true)
        #expect(session["day_limit"] as? Int == 60 && session["zone"] as? String == "2")
        let summaryNoise = noise["summary"] as! [String: Any]
        #expect(summaryNoise["day_rate"] as? Double == 0 && summaryNoise["night_rate"] as? Double == 100)
        #expect(((summaryNoise["by_zone"] as! [String: Any])["2"] as! [String: Any])["day_rate"] as? Double == 0)
    }
}
