import ArgumentParser
import Foundation
import LogbookBench

/// `logbook bench store`: the store's speed and size (`StoreBenchmark`), one JSON line per measurement.
struct BenchStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Measure recording, size on disk and reads of the SQLite store (JSON lines).",
        discussion: "With --db, only the ingest through the recorder into that store (new runs are created in it: use a scratch database).")

    @Option(help: "Timed repetitions (the median is reported).")
    var `repeat`: Int = 3
    @Option(help: "Iteration rows ingested per repetition.")
    var rows: Int = 1_000_000
    @Option(name: .customLong("db"), help: ArgumentHelp("Measure ingest into this store only: a SQLite path or a postgresql:// URL.", valueName: "path|url"))
    var location: String?
    @OptionGroup var directory: BenchDirectoryOption

    func validate() throws {
        guard self.repeat >= 1 else { throw ValidationError("invalid --repeat \(self.repeat): must be at least 1") }
        guard rows >= 1000 else { throw ValidationError("invalid --rows \(rows): must be at least 1000") }
    }

    func run() throws {
        if let location {
            try StoreIngestBenchmark.run(location: location, repeats: self.repeat, rows: rows) { Console.line($0.text) }
            return
        }
        try StoreBenchmark.run(repeats: self.repeat, rows: rows, directory: directory.path) {
            Console.line($0.text)
        }
    }
}
