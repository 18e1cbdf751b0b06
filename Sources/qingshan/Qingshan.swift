import ArgumentParser

/// The `qingshan` command: runs the platform and its tools.
@main
struct Qingshan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qingshan",
        abstract: "Qingshan (青山): eco-environment monitoring and governance platform for county ecology bureaus.",
        discussion: """
        Start the platform with `qingshan serve`. It keeps its data in qingshan.sqlite in the current directory unless \
        --db names another file or a postgres:// URL, and loads the built-in Wuxi County 2021-2025 plan on first start.
        """,
        subcommands: [
            ServeCommand.self,
            MigrateCommand.self,
            PlanCommand.self,
            UserCommand.self,
            DeviceCommand.self,
            DemoCommand.self,
            ObservationsCommand.self,
            SimulateCommand.self,
            AssessCommand.self,
            HJ212Command.self,
        ]
    )
}
