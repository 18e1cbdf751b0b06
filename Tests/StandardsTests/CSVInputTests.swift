import Standards
import Testing

@Suite("CSV input: typed rows and errors naming line and column")
struct CSVInputTests {
    static let header = "time,so2,no2,co,o3,pm10,pm25"

    func airError(_ text: String) -> AssessInputError? {
        do {
            _ = try AirCSV(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("columns in any order, empty cells missing, CRLF and BOM tolerated")
    func reads() throws {
        let text = "\u{FEFF}pm25,time,so2,no2,co,o3,pm10\r\n35,2016-01-01 01:00,5,,0.4,60,70\r\n,2016-01-01 02:00,5,20,0.4,60,70\r\n"
        let file = try AirCSV(text)
        #expect(file.rows.count == 2 && file.rows[0].line == 2)
        let first = LocalHour(date: date("2016-01-01"), hour: 0)
        #expect(file.series.value(.pm25, at: first) == ExactNumber(35))
        #expect(file.series.value(.no2, at: first) == nil)
        #expect(file.series.value(.co, at: first) == exact("0.4"))
        #expect(file.series.value(.pm25, at: LocalHour(date: date("2016-01-01"), hour: 1)) == nil)
    }

    @Test("end labels: 00:00 closes the previous day; start labels: it opens the day")
    func labels() throws {
        let text = "\(Self.header)\n2016-01-02 00:00,1,1,1,1,1,1\n"
        #expect(try AirCSV(text, hourLabel: .end).rows[0].hour.date == date("2016-01-01"))
        #expect(try AirCSV(text, hourLabel: .start).rows[0].hour.date == date("2016-01-02"))
        #expect(try AirCSV(text, hourLabel: .end).rows[0].label == "2016-01-02 00:00")
    }

    @Test("bad input names the line and the column", arguments: [
        ("time,so2,no2,co,o3,pm10\n2016-01-01 01:00,1,1,1,1,1", 1, nil as Int?, "pm25"),
        ("time,so2,no2,co,o3,pm10,pm25,nox\n2016-01-01 01:00,1,1,1,1,1,1,1", 1, 8, "nox"),
        ("time,so2,no2,co,o3,pm10,pm25\n2016-01-01 01:00,1,1,1,1,1,1\n2016-01-01 02:00,1,abc,1,1,1,1", 3, 3, "no2"),
        ("time,so2,no2,co,o3,pm10,pm25\n2016-01-01 01:00,1,1,1,1,-999,1", 2, 6, "pm10"),
        ("time,so2,no2,co,o3,pm10,pm25\n2016-01-01 01:00,1,1,1,1,1,1\n2016-01-01 01:00,1,1,1,1,1,1", 3, 1, "time"),
        ("time,so2,no2,co,o3,pm10,pm25\n2016-01-01 1:00,1,1,1,1,1,1", 2, 1, "time"),
        ("time,so2,no2,co,o3,pm10,pm25\n2016-02-30 01:00,1,1,1,1,1,1", 2, 1, "time"),
        ("time,so2,no2,co,o3,pm10,pm25\n2016-01-01 01:00,1,1,1,1,1", 2, nil, nil),
        ("time,so2,no2,co,o3,pm10,pm25,so2\n", 1, 8, "so2"),
    ] as [(String, Int, Int?, String?)])
    func errors(text: String, line: Int, column: Int?, name: String?) {
        let error = airError(text)
        #expect(error != nil)
        #expect(error?.line == line)
        #expect(error?.columnNumber == column)
        #expect(error?.column == name)
        #expect(error?.description.hasPrefix("line \(line)") == true)
    }

    @Test("24:00 and 00:00 of the next day are the same hour: a duplicate")
    func duplicateMidnight() {
        let error = airError("\(Self.header)\n2016-01-01 24:00,1,1,1,1,1,1\n2016-01-02 00:00,1,1,1,1,1,1")
        #expect(error?.line == 3 && error?.column == "time" && error?.message.contains("line 2") == true)
    }

    @Test("water: names, codes, target classes and errors")
    func water() throws {
        let file = try WaterCSV("site,time,target_class,w01001,DO,nh3n\nS1,2024-05-01,III,7.1,6.2,0.4\nS2,,II,,5.1,")
        #expect(file.samples.count == 2 && file.samples[0].values[.ph] == decimal("7.1"))
        #expect(file.samples[0].targetClass == WaterClass(3) && file.samples[1].time == nil)
        #expect(file.samples[1].values[.nh3n] == nil)
        func error(_ text: String) -> AssessInputError? {
            do { _ = try WaterCSV(text); return nil } catch { return error }
        }
        #expect(error("time,ph\n2024-05-01,7")?.column == "site")
        #expect(error("site,ph,chlorophyll\nS1,7,3")?.columnNumber == 3)
        #expect(error("site,ph\nS1,7\nS2,x")?.line == 3)
        #expect(error("site,cod\nS1,-999")?.message.contains("negative") == true)
        #expect(error("site,target_class,cod\nS1,VI,3")?.column == "target_class")
        #expect(error("site,time,cod\nS1,2024-05-01,3\nS1,2024-05-01,4")?.line == 3)
        #expect(error("site,time,cod\nS1,May 1st,3")?.column == "time")
    }

    @Test("noise: errors")
    func noise() {
        func error(_ text: String) -> AssessInputError? {
            do { _ = try NoiseCSV(text); return nil } catch { return error }
        }
        #expect(error("point,zone,time\nA,1,2024-05-01 00:00")?.column == "leq")
        #expect(error("point,zone,time,leq\nA,5,2024-05-01 00:00,50")?.column == "zone")
        #expect(error("point,zone,time,leq\nA,1,2024-05-01 00:00,50\nA,1,2024-05-01 00:00,51")?.line == 3)
        #expect(error("point,zone,time,leq\nA,1,2024-05-01 00:00,-1")?.column == "leq")
        #expect(error("point,zone,time,leq\nA,1,2024-05-01 00:00,50\nA,2,2024-05-01 01:00,51")?.line == 3)
    }
}
