import ArgumentParser

/// `qingshan hj212`: tools for the HJ 212 data-transmission protocol (HJ/T 212-2005, HJ 212-2017, HJ 212-2025).
struct HJ212Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hj212",
        abstract: "Tools for the HJ 212 protocol spoken by the monitoring devices' data loggers.",
        subcommands: [Decode.self]
    )
}
