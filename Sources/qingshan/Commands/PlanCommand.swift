import ArgumentParser
import Domain
import Foundation
import Store

/// `qingshan plan`: plan files in and out.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Import, export, list and check plan files (format qingshan.plan/1, see docs/plan-format.md).",
        subcommands: [Import.self, Export.self, List.self, Validate.self]
    )

    /// `qingshan plan import FILE`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a plan file and store it. If any rule is broken nothing is stored and every problem is listed.")

        @Argument(help: "The plan file (JSON).") var file: String
        @Flag(name: .long, help: "Replace a stored plan with the same id.") var replace = false
        @Option(name: .long, help: "Who is importing, for the audit trail.") var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let plan: Plan
            do {
                plan = try PlanFile.decode(try readFile(file), file: file)
            } catch {
                printError("qingshan plan import: refused, nothing stored.\n\(error)")
                throw ExitCode(2)
            }
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            do {
                try await store.importPlan(plan, actor: "cli:\(actor)", replace: replace)
            } catch let error as StoreError where error.isConflict {
                try? await store.close()
                printError("qingshan plan import: \(error.message)")
                throw ExitCode(2)
            } catch {
                try? await store.close()
                printError("qingshan plan import: \(error)")
                throw ExitCode.failure
            }
            try await store.close()
            print("imported \(plan.id): \(plan.name) — \(plan.indicators.count) indicators, \(plan.projects.count) projects, \(plan.policies.count) policies, \(plan.highlights.count) highlights")
        }
    }

    /// `qingshan plan export ID`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a stored plan as a plan file (to standard output, or --output FILE).")

        @Argument(help: "The plan's id, e.g. wuxi-2021-2025.") var id: String
        @Option(name: [.short, .long], help: "Write to this file instead of standard output.") var output: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            let plan = try await store.plan(id)
            try await store.close()
            guard let plan else {
                printError("qingshan plan export: no plan with id \(id)")
                throw ExitCode(2)
            }
            let data = PlanFile.encode(plan)
            if let output {
                try data.write(to: URL(fileURLWithPath: output))
            } else {
                FileHandle.standardOutput.write(data)
                FileHandle.standardOutput.write(Data("\n".utf8))
            }
        }
    }

    /// `qingshan plan list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the stored plans.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            let plans = try await store.planSummaries()
            try await store.close()
            for plan in plans {
                print("\(plan.id)\t\(plan.startYear)-\(plan.endYear)\t\(plan.indicatorCount) indicators\t\(plan.projectCount) projects\t\(plan.name)")
            }
        }
    }

    /// `qingshan plan validate FILE`.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a plan file without storing it.")
        @Argument(help: "The plan file (JSON).") var file: String

        func run() async throws {
            do {
                let plan = try PlanFile.decode(try readFile(file), file: file)
                print("\(file): valid — \(plan.id), \(plan.indicators.count) indicators, \(plan.projects.count) projects")
            } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        }
    }
}

/// Reads a file, or standard input for `-`, turning failures into a plan-file error naming the file.
func readFile(_ path: String) throws(PlanFileError) -> Data {
    if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw PlanFileError.unreadable(file: path, reason: "cannot read the file (\((error as NSError).localizedDescription))")
    }
}
