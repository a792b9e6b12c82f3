import ArgumentParser
import Foundation
import LogbookBench
import Store

/// `logbook bench ingest --db URL`: iteration rows/s into PostgreSQL by COPY, by multi-row INSERT and through the
/// recorder (JSON lines).
struct BenchIngest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Measure iteration rows/s into a PostgreSQL store: COPY, multi-row INSERT, the recorder (JSON lines).",
        discussion: "Creates three runs in the store: use a scratch database or schema.")

    @Option(name: .customLong("db"), help: ArgumentHelp("A postgresql:// URL.", valueName: "url"))
    var location: String
    @Option(help: "Iteration rows per method.")
    var rows: Int = 1_000_000

    func validate() throws {
        guard StoreLocation.isPostgreSQL(location) else {
            throw ValidationError("--db must be a postgresql:// URL (SQLite ingest: logbook bench store)")
        }
        guard rows >= 1000 else { throw ValidationError("invalid --rows \(rows): must be at least 1000") }
    }

    func run() throws {
        for result in try PostgreSQLIngestBenchmark.run(url: location, rows: rows) {
            Console.line(
                JSONLine([
                    "name": "postgresql.ingest", "method": result.method, "rows": result.rows, "seconds": result.seconds,
                    "rows_per_second": result.rowsPerSecond,
                ]).text)
        }
    }
}
