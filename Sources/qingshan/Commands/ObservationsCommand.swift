import ArgumentParser
import Domain
import Foundation
import Store

/// `qingshan observations`: observations from files.
struct ObservationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observations",
        abstract: "Import observations from CSV or JSON files.",
        subcommands: [Import.self]
    )

    /// `qingshan observations import FILE`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a CSV or JSON file of observations and store it; if any row is bad, nothing is stored.",
            discussion: """
            CSV: a header site,code,field,kind,time,value,flag (any order; field defaults to Avg, flag may be empty, an \
            optional mn column names the device), then one value a row; time is YYYY-MM-DD HH:MM[:SS] China time or \
            ISO 8601 with an offset. JSON: {"observations": [{"site", "code", "field", "kind", "time", "value", "flag"}]}. \
            Bad rows are reported as FILE:LINE:COLUMN: problem (exit status 2). Importing the same file again adds nothing.
            """
        )

        @Argument(help: "The file (.json is read as JSON, anything else as CSV).") var file: String
        @Option(name: .long, help: "csv or json (default: by the file's extension).") var format: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                printError("qingshan observations import: cannot read \(file): \((error as NSError).localizedDescription)")
                throw ExitCode(2)
            }
            let json: Bool
            switch format?.lowercased() {
            case nil: json = file.lowercased().hasSuffix(".json")
            case "json": json = true
            case "csv": json = false
            default:
                printError("qingshan observations import: --format must be csv or json")
                throw ExitCode(2)
            }
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            do {
                let sites = Dictionary(try await store.sites().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
                let observations: [Observation]
                do {
                    observations = json
                        ? try ObservationImport.parseJSON(data, source: file, sites: sites)
                        : try ObservationImport.parseCSV(String(decoding: data, as: UTF8.self), source: file, sites: sites)
                } catch {
                    try? await store.close()
                    printError("qingshan observations import: refused, nothing stored.\n\(error)")
                    throw ExitCode(2)
                }
                let result = try await store.importObservations(
                    observations, source: file, actor: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "cli")")
                try await store.close()
                print("imported \(file): \(result.received) values, \(result.new) new, \(result.alreadyStored) already stored")
            } catch let exit as ExitCode {
                throw exit
            } catch {
                try? await store.close()
                printError("qingshan observations import: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
