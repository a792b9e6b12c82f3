import ArgumentParser
import Foundation
import LogbookBench

/// `logbook bench query`: the speed of reports and run queries on a large store (`QueryBenchmark`), as JSON lines.
struct BenchQuery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Measure report building and filtered run listing on a large store (JSON lines).")

    @Option(help: "Trials of the synthetic sweep.")
    var trials: Int = 100
    @Option(help: "Iterations per trial.")
    var steps: Int = 100_000
    @Option(help: "Runs in the store for the runs query.")
    var runs: Int = 10_000
    @Option(help: "Timed repetitions (the median is reported).")
    var `repeat`: Int = 5
    @OptionGroup var directory: BenchDirectoryOption
    @Option(help: "Keep the synthetic sweep database at this path (e.g. to try `logbook report` on it).")
    var keep: String?

    func validate() throws {
        guard self.repeat >= 1 else { throw ValidationError("invalid --repeat \(self.repeat): must be at least 1") }
        guard trials >= 10, trials % 10 == 0 else { throw ValidationError("invalid --trials \(trials): must be a multiple of 10") }
        guard steps >= 10, steps % 10 == 0 else { throw ValidationError("invalid --steps \(steps): must be a multiple of 10 (10 epochs)") }
        guard runs >= 100, runs % 100 == 0 else { throw ValidationError("invalid --runs \(runs): must be a multiple of 100") }
    }

    func run() throws {
        try measure { Console.line($0) }
    }

    /// Runs the measurements, handing each JSON line to `emitLine` as soon as it is known. The runs query goes
    /// through the `runs` command itself, from parsing its arguments to the rendered table.
    func measure(_ emitLine: (String) -> Void) throws {
        try QueryBenchmark.run(
            trials: trials, steps: steps, runs: runs, repeats: self.repeat, directory: directory.path,
            keepPath: keep,
            runsCommand: { arguments in
                guard let command = try Logbook.parseAsRoot(arguments) as? Runs else {
                    throw ValidationError("bench: '\(arguments.joined(separator: " "))' is not a runs command")
                }
                return try command.output(colour: false)
            },
            emit: { emitLine($0.text) })
    }
}
