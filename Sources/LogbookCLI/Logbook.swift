import ArgumentParser
import Store

/// The `logbook` command: train, sweep, record, query and report.
public struct Logbook: ParsableCommand {
    public static let version = Provenance.logbookVersion

    public static let configuration = CommandConfiguration(
        commandName: "logbook",
        abstract: "Train neural networks and keep a queryable record of every experiment, in SQLite or PostgreSQL.",
        version: version,
        subcommands: [
            Train.self,
            Gradcheck.self,
            Bench.self,
            Db.self,
            Weights.self,
            Rerun.self,
            Runs.self,
            Sql.self,
            SweepCommand.self,
            Sweeps.self,
            Worker.self,
            Show.self,
            Compare.self,
            Best.self,
            Metrics.self,
            Export.self,
            ReportCommand.self,
            Serve.self,
        ]
    )

    public init() {}
}
