import Engine
import Foundation
import LogbookFixtures
import Store

/// The store's speed and size, one line per measurement, medians over `repeats` runs (`logbook bench store`):
///
/// - `store.ingest`: `rows` iteration rows (an epoch event every 1,000 steps) through `RunRecorder`, from the first
///   `handle` to the end of `close()` (target ≥ 1,000,000 rows/s);
/// - `store.bytes_per_iteration`: the `iterations` table's pages on disk (`storedBytes(of:)`, SQLite's cell and
///   page overhead included) ÷ rows (target ≤ 24);
/// - `store.loss_curve`: `lossCurve(run:)` of a 100,000-step run (target ≤ 20 ms);
/// - `store.run_summary_top10`: `runSummaries` of every `run_summary` column, by test accuracy descending, limit
///   10, over 10,000 recorded runs (target ≤ 20 ms);
/// - `store.run_fixed_cost`: the per-run cost on the training thread (see `StoreBenchmark+FixedCost.swift`).
public struct StoreBenchmark: Sendable {
    let repeats: Int
    /// Iteration rows ingested per repetition.
    let rows: Int
    /// Where the temporary databases go.
    let directory: String

    /// Runs every measurement, handing each line to `emit` as soon as it is measured.
    public static func run(repeats: Int, rows: Int, directory: String, emit: (JSONLine) -> Void) throws {
        try StoreBenchmark(repeats: repeats, rows: rows, directory: directory).measureAll(emit: emit)
    }

    /// The runs behind `store.run_summary_top10`.
    static let summaryRuns = 10_000

    private func measureAll(emit: (JSONLine) -> Void) throws {
        try BenchDirectory.withTemporary("store", in: directory) { base in
            try measureIngest(directory: base, emit: emit)
            try measureReads(directory: base, emit: emit)
            emit(try measureFixedCost(directory: base))
        }
    }

    private func measureIngest(directory: URL, emit: (JSONLine) -> Void) throws {
        var ingestSeconds: [Double] = []
        var bytesPerRow = 0.0
        for repetition in 0..<repeats {
            let path = directory.appendingPathComponent("ingest-\(repetition).sqlite").path
            let store = try LogbookStore(path: path)
            let runID = try store.createRun(StoreBenchmark.benchConfiguration(), status: .running)
            ingestSeconds.append(try StoreBenchmark.ingest(store: store, runID: runID, rows: rows))
            bytesPerRow = Double(try store.storedBytes(of: "iterations")) / Double(rows)
            try? FileManager.default.removeItem(atPath: path)
        }
        let ingest = BenchStatistics.median(ingestSeconds)
        emit(JSONLine([
            "bench": "store.ingest", "rows": rows, "seconds": BenchStatistics.rounded(ingest, places: 4),
            "rows_per_s": Int(Double(rows) / ingest), "target_rows_per_s": 1_000_000,
            "pass": Double(rows) / ingest >= 1_000_000, "repeats": repeats,
        ]))
        emit(JSONLine([
            "bench": "store.bytes_per_iteration", "rows": rows, "bytes_per_row": BenchStatistics.rounded(bytesPerRow, places: 2),
            "target": 24, "pass": bytesPerRow <= 24,
        ]))
    }

    private func measureReads(directory: URL, emit: (JSONLine) -> Void) throws {
        let store = try LogbookStore(path: directory.appendingPathComponent("reads.sqlite").path)
        let curveRun = try store.createRun(StoreBenchmark.benchConfiguration(), status: .running)
        _ = try StoreBenchmark.ingest(store: store, runID: curveRun, rows: 100_000)
        try StoreBenchmark.summaryFixture.record(into: store)
        let timings = max(5, repeats)
        let curveTimes = try (0..<timings).map { _ in
            try BenchStatistics.seconds {
                let curve = try store.lossCurve(run: curveRun)
                guard curve.count == 100_000 else { throw BenchError("bench store: the loss curve has \(curve.count) points") }
            }
        }
        let curve = BenchStatistics.median(curveTimes)
        emit(JSONLine([
            "bench": "store.loss_curve", "steps": 100_000, "milliseconds": BenchStatistics.rounded(curve * 1000, places: 3),
            "target_ms": 20, "pass": curve <= 0.020,
        ]))
        let topTen = RunQuery(
            sort: [SortKey(field: "test_accuracy", descending: true)], limit: 10, columns: FilterFields.runSummaryColumns)
        let summaryTimes = try (0..<timings).map { _ in
            try BenchStatistics.seconds {
                let table = try store.runSummaries(topTen)
                guard table.rows.count == 10 else { throw BenchError("bench store: the top 10 has \(table.rows.count) rows") }
            }
        }
        let summary = BenchStatistics.median(summaryTimes)
        emit(JSONLine([
            "bench": "store.run_summary_top10", "runs": StoreBenchmark.summaryRuns + 1,
            "milliseconds": BenchStatistics.rounded(summary * 1000, places: 3), "target_ms": 20, "pass": summary <= 0.020,
        ]))
    }

    /// 10,000 completed runs of one epoch of one step each, recorded through the trial queue and the recorder
    /// (4 batch sizes × 2,500 seeds), their test accuracies spread by the synthetic curve.
    static var summaryFixture: FixtureSweep {
        var fixture = FixtureSweep()
        fixture.name = "bench-store"
        fixture.batchSizes = [16, 32, 64, 128]
        fixture.learningRates = [0.05]
        fixture.initializers = [.heUniform]
        fixture.seeds = summaryRuns / 4
        fixture.epochs = 1
        fixture.training.stepsPerEpoch = 1
        fixture.training.testSize = 1000
        fixture.training.recordsWeights = false
        fixture.workers = 2
        return fixture
    }

    static func benchConfiguration() -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.learningRate = 0.05
        return configuration
    }

    /// Seconds to push `rows` iterations through a recorder and close it (everything committed).
    static func ingest(store: any RunStore, runID: Int64, rows: Int) throws -> Double {
        let recorder = try store.makeRecorder(for: runID)
        let start = MonotonicClock.now()
        for step in 1...rows {
            let epoch = (step - 1) / 1000 + 1
            try recorder.handle(
                .iteration(
                    IterationEnded(
                        step: step, epoch: epoch, batchIndex: (step - 1) % 1000, loss: 2.5 / Float(step).squareRoot(),
                        learningRate: 0.05)))
            if step % 1000 == 0 {
                try recorder.handle(
                    .epoch(
                        EpochEnded(
                            epoch: epoch, step: step, trainLoss: 0.1, trainAccuracy: 0.9, validationLoss: nil,
                            validationAccuracy: nil, learningRate: 0.05, seconds: 0.01, samplesPerSecond: 1e6)))
            }
        }
        try recorder.close()
        return MonotonicClock.now() - start
    }
}
