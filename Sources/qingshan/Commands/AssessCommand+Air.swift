import ArgumentParser
import Standards

extension AssessCommand {
    /// `qingshan assess air --csv FILE --level hour|day|year`.
    struct Air: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "air",
            abstract: "Air quality: hourly AQI, daily AQI and statistics, or the annual evaluation of one station.",
            discussion: """
            The CSV file has a header and the columns time,so2,no2,co,o3,pm10,pm25 in any order: SO2, NO2, O3, PM10 and \
            PM2.5 in µg/m³, CO in mg/m³, time as YYYY-MM-DD HH:MM local time. An empty cell is a missing value.

            Rules: HJ 633-2012, GB 3095-2012 and HJ 663-2013 before 2026-03-01; HJ 633-2026, GB 3095-2026 and \
            HJ 663-2026 from that day (--standard auto). Every result says which rule set and limits it used.
            """
        )

        @Option(name: .long, help: "The CSV file of hourly values.")
        var csv: String

        @Option(name: .long, help: "What to compute: hour (real-time AQI of every row), day (daily values and AQI), year (annual evaluation).")
        var level: String

        @Option(name: .long, help: "The rule set: auto (by date: 2012 rules before 2026-03-01, 2026 rules from it), 2012 or 2026.")
        var standard: String = "auto"

        @Option(name: .long, help: "How the file labels hours: end (01:00 is the hour 00:00-01:00, 00:00 closes the previous day; the HJ 663 convention) or start (00:00 is the hour 00:00-01:00).")
        var hourLabel: String = "end"

        @Option(name: .long, help: "The area class of GB 3095: 1 (nature reserves, scenic areas, national parks) or 2 (all other areas).")
        var areaClass: Int = 2

        @Option(name: .long, help: "2012 rules only: judge hourly PM10 and PM2.5 on the 24-hour moving average (24h, the letter of HJ 633-2012) or on the 1-hour value (1h, the common practice).")
        var pmHourly: String = "24h"

        @Option(name: .long, help: "The year of --level year, when the file covers several years.")
        var year: Int?

        func run() throws {
            let options: AirAssessmentOptions
            do {
                options = try makeOptions()
            } catch let error as AssessInputError {
                AssessCommand.fail("qingshan assess air: \(error.message)")
                throw ExitCode(2)
            }
            let text = try AssessCommand.read(csv, command: "air")
            let report: AirAssessmentReport
            do {
                report = try AirAssessment.run(csv: text, options: options)
            } catch {
                throw AssessCommand.reject(error, file: csv, command: "air")
            }
            try AssessCommand.write(report)
        }

        func makeOptions() throws -> AirAssessmentOptions {
            guard let level = AirReportLevel(rawValue: level) else {
                throw AssessInputError.badOption("--level", level, allowed: "hour, day, year")
            }
            guard let standard = AirStandardChoice(standard) else {
                throw AssessInputError.badOption("--standard", standard, allowed: "auto, 2012, 2026")
            }
            guard let hourLabel = HourLabel(rawValue: hourLabel) else {
                throw AssessInputError.badOption("--hour-label", hourLabel, allowed: "start, end")
            }
            guard let areaClass = AreaClass(rawValue: areaClass) else {
                throw AssessInputError.badOption("--area-class", String(areaClass), allowed: "1, 2")
            }
            guard let pmHourly = PMHourlyRule(rawValue: pmHourly) else {
                throw AssessInputError.badOption("--pm-hourly", pmHourly, allowed: "24h, 1h")
            }
            if let year, !(1...9999).contains(year) {
                throw AssessInputError.badOption("--year", String(year), allowed: "a year such as 2026")
            }
            return AirAssessmentOptions(level: level, standard: standard, hourLabel: hourLabel, areaClass: areaClass,
                                        pmHourly: pmHourly, year: year)
        }
    }
}
