import ArgumentParser
import Standards

extension AssessCommand {
    /// `qingshan assess noise --csv FILE`.
    struct Noise: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "noise",
            abstract: "Noise: day and night levels of each point and date, and GB 3096-2008 functional-zone compliance.",
            discussion: """
            The CSV file has the columns point, zone (0, 1, 2, 3, 4a, 4b), time (the start of the hour, YYYY-MM-DD HH:MM) \
            and leq (the hourly equivalent level in dB(A)). For each point and date, the day level Ld is the energy average \
            of the hours 06:00-22:00 and the night level Ln that of the hours 00:00-06:00 and 22:00-24:00, both to 0.1 dB.
            """
        )

        @Option(name: .long, help: "The CSV file of hourly levels.")
        var csv: String

        func run() throws {
            let text = try AssessCommand.read(csv, command: "noise")
            let report: NoiseReport
            do {
                report = try NoiseAssessment.run(csv: text)
            } catch {
                throw AssessCommand.reject(error, file: csv, command: "noise")
            }
            try AssessCommand.write(report)
        }
    }
}
