import ArgumentParser
import Domain
import Foundation
import Store
#if canImport(Glibc)
import Glibc
#endif

/// `qingshan user`: accounts.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the accounts of bureau staff and other users.",
        subcommands: [Add.self, List.self]
    )

    /// `qingshan user add NAME --role ROLE`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account. The password is read from standard input, or asked for at the terminal; never pass it as an argument.",
            discussion: """
            Roles: admin (everything, manages users), staff (bureau staff: writes and approves official records), \
            department and township (a unit's officers: enter and see only their unit's records; give --organisation), \
            viewer (reads).
            """)

        @Argument(help: "The login name.") var name: String
        @Option(name: .long, help: "admin, staff, department, township or viewer.") var role: String
        @Option(name: .long, help: "The name shown on pages.") var displayName: String?
        @Option(name: .long, help: "The department or township the user belongs to.") var organisation: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let role = Role(rawValue: role.lowercased()) else {
                printError("qingshan user add: unknown role \"\(role)\"; use admin, staff, department, township or viewer")
                throw ExitCode(2)
            }
            guard let password = readPassword(prompt: "Password for \(name): ") else {
                printError("qingshan user add: no password given (type it at the prompt or pipe it on standard input)")
                throw ExitCode(2)
            }
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            do {
                let user = try await store.addUser(name: name, displayName: displayName, role: role, password: password,
                                                   organisation: organisation, actor: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "cli")")
                try await store.close()
                print("added user \(user.name) (\(user.role.rawValue))")
            } catch let error as AccountError {
                try? await store.close()
                printError("qingshan user add: \(error.message)")
                throw ExitCode(2)
            }
        }
    }

    /// `qingshan user list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            let users = try await store.users()
            try await store.close()
            for user in users {
                print("\(user.name)\t\(user.role.rawValue)\t\(user.displayName)\(user.disabled ? "\tdisabled" : "")")
            }
        }
    }
}

/// Reads a password: at a terminal, prompts with echo off (and asks twice); otherwise reads the first line of
/// standard input. Returns nil when nothing was given.
func readPassword(prompt: String) -> String? {
    if isatty(STDIN_FILENO) != 0 {
        func ask(_ text: String) -> String? {
            FileHandle.standardError.write(Data(text.utf8))
            var old = termios()
            tcgetattr(STDIN_FILENO, &old)
            var silent = old
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &silent)
            defer {
                tcsetattr(STDIN_FILENO, TCSANOW, &old)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            return readLine(strippingNewline: true)
        }
        guard let first = ask(prompt), !first.isEmpty else { return nil }
        guard let second = ask("Again: "), second == first else {
            printError("the two passwords differ")
            return nil
        }
        return first
    }
    guard let line = readLine(strippingNewline: true), !line.isEmpty else { return nil }
    return line
}
