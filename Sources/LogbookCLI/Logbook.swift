import ArgumentParser

/// The `logbook` command: train, sweep, record, query and report.
public struct Logbook: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "logbook",
        abstract: "Train neural networks and keep a queryable record of every experiment in one SQLite file.",
        version: version,
        subcommands: [
            Train.self,
        ]
    )

    public init() {}
}
