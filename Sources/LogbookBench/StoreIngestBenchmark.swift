import Foundation
import Store

/// `logbook bench store --db PATH|URL`: iteration rows/s into the given store — a SQLite file or a PostgreSQL URL —
/// through its recorder (`makeRecorder`: buffer, writer thread, batched writes, a commit per epoch of 1,000 steps),
/// from the first `handle` to the end of `close()`; the median of `repeats` runs, each into a new run of that store.
/// Only the store's public API: the same path a training run takes.
public enum StoreIngestBenchmark {
    /// Emits one `store.ingest` line; `target_rows_per_s` is 500,000 for PostgreSQL (issue 9), 1,000,000 for SQLite.
    public static func run(location: String, repeats: Int, rows: Int, emit: (JSONLine) -> Void) throws {
        let store = try StoreLocation.open(location, mode: .readWrite)
        var seconds: [Double] = []
        for _ in 0..<repeats {
            let runID = try store.createRun(StoreBenchmark.benchConfiguration(), status: .running)
            seconds.append(try StoreBenchmark.ingest(store: store, runID: runID, rows: rows))
            try store.setFinalStatus(runID, status: .completed, stopReason: nil, error: nil)
        }
        let median = BenchStatistics.median(seconds)
        let postgreSQL = StoreLocation.isPostgreSQL(location)
        let target = postgreSQL ? 500_000 : 1_000_000
        emit(JSONLine([
            "bench": "store.ingest", "store": postgreSQL ? "postgresql" : "sqlite", "rows": rows,
            "seconds": BenchStatistics.rounded(median, places: 4), "rows_per_s": Int(Double(rows) / median),
            "target_rows_per_s": target, "pass": Double(rows) / median >= Double(target), "repeats": repeats,
        ]))
    }
}
