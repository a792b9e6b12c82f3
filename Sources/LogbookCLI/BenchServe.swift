import ArgumentParser
import Foundation
import LogbookBench

/// `logbook bench serve`: the dashboard's speed on a large store (`ServeBenchmark`), as JSON lines: the runs page,
/// a downsampled curve, a sweep's parallel coordinates, and concurrent clients, against the server started in-process
/// on a free loopback port.
struct BenchServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Measure the dashboard (logbook serve) on a large store over loopback (JSON lines).",
        discussion: """
            Records a store of --runs runs (one of them a --curve-steps curve, one sweep of --sweep-trials trials, \
            the others --steps-per-run steps each), starts the dashboard's server in this process on a free port of \
            127.0.0.1 and times, from a client over loopback, the runs page and /api/runs (first 100, filtered and \
            sorted), a curve downsampled to 1,000 points, the sweep's parallel coordinates (medians of --repeat \
            rounds after a warm-up), then --clients concurrent clients for --seconds.

            --keep PATH|URL keeps the store (a SQLite file, or a PostgreSQL database: empty, or one this command \
            filled with the same sizes) and reuses it on the next run.

            Example: logbook bench serve --keep /tmp/serve-bench.sqlite
            """)

    @OptionGroup(title: "The store") var shape: ServeStoreShape
    @Option(help: "Concurrent loopback clients of the load test.")
    var clients: Int = 50
    @Option(help: "Seconds of the load test.")
    var seconds: Double = 30
    @Option(help: "Timed rounds of each request (the median is reported).")
    var `repeat`: Int = 10
    @OptionGroup var directory: BenchDirectoryOption
    @Option(help: "Keep the store at this path or postgresql:// URL, and reuse it when it holds one (no rebuild).")
    var keep: String?

    func validate() throws {
        guard self.repeat >= 1 else { throw ValidationError("invalid --repeat \(self.repeat): must be at least 1") }
        guard clients >= 1 else { throw ValidationError("invalid --clients \(clients): must be at least 1") }
        guard seconds > 0 else { throw ValidationError("invalid --seconds \(seconds): must be positive") }
    }

    func run() throws {
        try measure { Console.line($0) }
    }

    /// Runs the measurements, handing each JSON line to `emitLine` as soon as it is known.
    func measure(_ emitLine: (String) -> Void) throws {
        var options = ServeBenchmark.Options()
        (options.runs, options.stepsPerRun, options.sweepTrials, options.curveSteps) =
            (shape.runs, shape.stepsPerRun, shape.sweepTrials, shape.curveSteps)
        (options.clients, options.seconds, options.repeats, options.keepPath) = (clients, seconds, self.repeat, keep)
        try ServeBenchmark.run(options: options, directory: directory.path) { emitLine($0.text) }
    }
}

/// The store `bench serve` records (and `--keep` must match): its runs, the long curve, the sweep.
struct ServeStoreShape: ParsableArguments {
    @Option(help: "Runs in the store (at least --sweep-trials + 1).")
    var runs: Int = 100_000
    @Option(help: "Iterations of every run but the long curve.")
    var stepsPerRun: Int = 100
    @Option(help: "Trials of the parallel-coordinates sweep (a multiple of 100).")
    var sweepTrials: Int = 10_000
    @Option(help: "Iterations of the long curve (a multiple of 10, at least 1,000).")
    var curveSteps: Int = 100_000

    func validate() throws {
        guard sweepTrials >= 100, sweepTrials % 100 == 0 else {
            throw ValidationError("invalid --sweep-trials \(sweepTrials): must be a multiple of 100")
        }
        guard runs > sweepTrials else { throw ValidationError("invalid --runs \(runs): must be at least --sweep-trials + 1") }
        guard stepsPerRun >= 1 else { throw ValidationError("invalid --steps-per-run \(stepsPerRun): must be at least 1") }
        guard curveSteps >= 1000, curveSteps % 10 == 0 else {
            throw ValidationError("invalid --curve-steps \(curveSteps): must be a multiple of 10, at least 1000")
        }
    }
}
