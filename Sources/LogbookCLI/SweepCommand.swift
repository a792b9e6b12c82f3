import ArgumentParser
import Foundation

/// `logbook sweep run|resume|status`.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a hyperparameter sweep (grid, random or TPE search, with early termination) with parallel, resumable workers.",
        subcommands: [SweepRun.self, SweepResume.self, SweepStatus.self])
}

/// Options of commands that run workers: `--workers`, `--quiet`.
struct SweepExecutionOptions: ParsableArguments {
    @Option(help: "Number of worker processes (each trains one trial at a time on one core).")
    var workers: Int = 2
    @Flag(help: "Plain progress lines instead of the live display (also the default when stdout is not a terminal).")
    var quiet = false

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("invalid --workers \(workers): must be at least 1") }
    }
}

/// Flushes standard output (block-buffered when piped) so that lines arrive in order with the workers' output.
func fflushStandardOutput() { fflush(nil) }
