import ArgumentParser
import Domain
import Foundation
import Store

/// `qingshan device`: the registry of HJ 212 data loggers.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Register the HJ 212 data loggers (by MN) that may send data to the gateway.",
        subcommands: [Add.self, Import.self, List.self]
    )

    /// `qingshan device add MN --password PW`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a device, or update it if its MN is known.")

        @Argument(help: "The device's MN (unique station code).") var mn: String
        @Option(name: .long, help: "The access password (PW) the device sends.") var password: String
        @Option(name: .long, help: "The protocol dialect: 2005, 2017 or 2025.") var dialect: String = "2017"
        @Option(name: .long, help: "The code of the site the device's values belong to.") var site: String?
        @Flag(name: .long, help: "Register it disabled (its data is refused).") var disabled = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let device: Device
            do {
                device = try DeviceCSV.device(mn: mn, password: password, dialect: dialect, site: site, enabled: !disabled, location: "arguments")
            } catch {
                printError("qingshan device add: \(error)")
                throw ExitCode(2)
            }
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            do {
                try await store.saveDevice(device, actor: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "cli")")
            } catch {
                try? await store.close()
                printError("qingshan device add: \(error)")
                throw ExitCode.failure
            }
            try await store.close()
            print("registered \(device.mn) (dialect \(device.dialect.rawValue)\(device.siteCode.map { ", site \($0)" } ?? ""))")
        }
    }

    /// `qingshan device import FILE.csv`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register devices from a CSV file with the columns mn,password,dialect,site (all or none).")

        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let devices: [Device]
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                devices = try DeviceCSV.parse(String(decoding: data, as: UTF8.self), file: file)
            } catch let error as DeviceCSV.ParseError {
                printError("qingshan device import: refused, nothing stored.\n\(error)")
                throw ExitCode(2)
            } catch {
                printError("qingshan device import: cannot read \(file): \((error as NSError).localizedDescription)")
                throw ExitCode(2)
            }
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            do {
                try await store.saveDevices(devices, actor: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "cli")")
            } catch {
                try? await store.close()
                printError("qingshan device import: \(error)")
                throw ExitCode.failure
            }
            try await store.close()
            print("registered \(devices.count) devices from \(file)")
        }
    }

    /// `qingshan device list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered devices.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await database.openStore(logger: makeLogger("qingshan"))
            let devices = try await store.devices()
            try await store.close()
            for device in devices {
                print("\(device.mn)\t\(device.dialect.rawValue)\t\(device.siteCode ?? "-")\t\(device.enabled ? "enabled" : "disabled")")
            }
        }
    }
}

/// Reading the device CSV (`mn,password,dialect,site`).
enum DeviceCSV {
    /// A row of the file that cannot be taken, with where it is.
    struct ParseError: Error, CustomStringConvertible {
        var location: String
        var message: String
        var description: String { "\(location): \(message)" }
    }

    static func device(mn: String, password: String, dialect: String, site: String?, enabled: Bool, location: String) throws -> Device {
        let mn = mn.trimmingCharacters(in: .whitespaces)
        guard !mn.isEmpty, mn.count <= 64, mn.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ParseError(location: location, message: "mn \"\(mn)\" must be 1-64 letters or digits")
        }
        guard !password.isEmpty, !password.contains(";"), !password.contains("&") else {
            throw ParseError(location: location, message: "password must not be empty or contain ';' or '&'")
        }
        let trimmedDialect = dialect.trimmingCharacters(in: .whitespaces)
        guard let parsedDialect = HJ212Dialect(rawValue: trimmedDialect.isEmpty ? "2017" : trimmedDialect) else {
            throw ParseError(location: location, message: "dialect \"\(dialect)\" must be 2005, 2017 or 2025")
        }
        let site = site?.trimmingCharacters(in: .whitespaces)
        return Device(mn: mn, password: password, dialect: parsedDialect, siteCode: site?.isEmpty == false ? site : nil, enabled: enabled)
    }

    static func parse(_ text: String, file: String) throws -> [Device] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        guard let header = lines.first else { throw ParseError(location: "\(file):1", message: "the file is empty") }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["mn", "password"] where !columns.contains(required) {
            throw ParseError(location: "\(file):1", message: "missing column \"\(required)\" (columns: mn,password,dialect,site)")
        }
        var devices: [Device] = []
        var seen = Set<String>()
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let location = "\(file):\(index + 1)"
            guard cells.count == columns.count else {
                throw ParseError(location: location, message: "\(cells.count) cells, expected \(columns.count)")
            }
            func cell(_ name: String) -> String? { columns.firstIndex(of: name).map { cells[$0] } }
            let device = try device(mn: cell("mn") ?? "", password: cell("password") ?? "", dialect: cell("dialect") ?? "2017",
                                    site: cell("site"), enabled: true, location: location)
            guard seen.insert(device.mn).inserted else {
                throw ParseError(location: location, message: "mn \(device.mn) appears twice in the file")
            }
            devices.append(device)
        }
        return devices
    }
}
