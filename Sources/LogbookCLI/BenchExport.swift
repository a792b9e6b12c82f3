import ArgumentParser
import Foundation
import LogbookBench

/// `logbook bench export`: the speed of the TensorBoard and MLflow exports (`ExportBenchmark`), as JSON lines.
struct BenchExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Measure the TensorBoard export and, with --tracking-uri, the MLflow export of a large sweep (JSON lines).")

    @Option(help: "Trials of the synthetic sweep (a multiple of 50).")
    var trials: Int = 100
    @Option(help: "Iterations per trial (a multiple of 10: 10 epochs).")
    var steps: Int = 10_000
    @Option(help: ArgumentHelp("An MLflow tracking server to export to as well, e.g. http://127.0.0.1:5000.", valueName: "url"))
    var trackingURI: String?
    @OptionGroup var directory: BenchDirectoryOption

    func validate() throws {
        guard trials >= 50, trials % 50 == 0 else { throw ValidationError("invalid --trials \(trials): must be a multiple of 50") }
        guard steps >= 10, steps % 10 == 0 else { throw ValidationError("invalid --steps \(steps): must be a multiple of 10 (10 epochs)") }
        if let trackingURI, URL(string: trackingURI)?.host == nil {
            throw ValidationError("invalid --tracking-uri '\(trackingURI)': must be http://HOST:PORT")
        }
    }

    func run() throws {
        try ExportBenchmark.run(
            trials: trials, steps: steps, directory: directory.path, trackingURI: trackingURI,
            emit: { Console.line($0.text) })
    }
}
