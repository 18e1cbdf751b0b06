import ArgumentParser
import Foundation
import Standards

/// `qingshan assess`: official figures from a CSV export, computed by the rules of the national standards.
struct AssessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Compute official air, water and noise figures from a CSV file, exactly as the national standards say.",
        discussion: """
        Reads the CSV file named by --csv and writes the result as JSON on standard output. Bad input (a missing or \
        unknown column, a value that is not a number or is negative such as -999, a malformed or duplicated time) stops \
        the command with a message naming the line and column, and exit status 2.
        """,
        subcommands: [Air.self, Water.self, Noise.self]
    )

    /// Reads the whole file as UTF-8 text.
    static func read(_ path: String, command: String) throws -> String {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return String(decoding: data, as: UTF8.self)
        } catch {
            fail("qingshan assess \(command): cannot read \(path): \((error as NSError).localizedDescription)")
            throw ExitCode(2)
        }
    }

    /// Writes a report as JSON on standard output.
    static func write(_ report: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(report)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }

    /// Prints a message on standard error.
    static func fail(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Reports bad input (naming the file, line and column) and exits with status 2.
    static func reject(_ error: AssessInputError, file: String, command: String) -> ExitCode {
        fail("qingshan assess \(command): \(file): \(error)")
        return ExitCode(2)
    }
}
