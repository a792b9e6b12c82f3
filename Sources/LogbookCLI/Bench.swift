import ArgumentParser

/// `logbook bench …`: measurements of the engine, the store, sweeps and queries, as JSON lines.
/// Run them from a release build: `swift run -c release logbook bench engine`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Logbook's speed (JSON lines; use a release build).",
        subcommands: [
            BenchEngine.self,
            BenchStore.self,
            BenchSweep.self,
            BenchQuery.self,
            BenchSearch.self,
            BenchQueue.self,
            BenchExport.self,
            BenchServe.self,
        ]
    )
}
