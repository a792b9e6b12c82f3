import ArgumentParser
import Foundation
import LogbookBench
import Store

/// `logbook bench queue`: the trial queue's claims/s, duplicates and deadlocks (`QueueBenchmark`), one JSON line.
struct BenchQueue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Measure the trial queue: N workers claim, heartbeat and finish every trial of one sweep (JSON line).",
        discussion: "Creates a sweep named bench-queue in the store: use a scratch database or schema.")

    @Option(
        name: .customLong("db"),
        help: ArgumentHelp("The store to measure: a SQLite file or a postgresql:// URL.", valueName: "path"))
    var location: String
    @Option(help: "Worker threads, each with its own connection.")
    var workers: Int = 16
    @Option(help: "Trials in the sweep.")
    var trials: Int = 10_000

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("invalid --workers \(workers): must be at least 1") }
        guard trials >= 1 else { throw ValidationError("invalid --trials \(trials): must be at least 1") }
    }

    func run() throws {
        try QueueBenchmark.run(location: location, workers: workers, trials: trials) { Console.line($0.text) }
    }
}
