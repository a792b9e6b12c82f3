import ArgumentParser
import Engine
import Foundation
import Store

/// `logbook bench store`: the store's speed and size, one JSON line per measurement, medians over `--repeat` runs.
///
/// - `store.ingest`: 1,000,000 iteration rows (an epoch event every 1,000 steps) through `RunRecorder`, from the
///   first `handle` to the end of `close()` (target ≥ 1,000,000 rows/s);
/// - `store.bytes_per_iteration`: pages of the `iterations` table (dbstat, SQLite's cell and page overhead
///   included) ÷ rows (target ≤ 24);
/// - `store.loss_curve`: `lossCurve(run:)` of a 100,000-step run (target ≤ 20 ms);
/// - `store.run_summary_top10`: `SELECT * FROM run_summary ORDER BY test_accuracy DESC LIMIT 10` over 10,000 runs
///   (target ≤ 20 ms);
/// - `store.run_fixed_cost`: the per-run cost on the training thread (create the run, open the recorder, hand it a
///   digits-mlp-sized event stream, close it); the cost of recording relative to training is `bench engine`'s;
/// - with `--layouts`: raw inserts of 1,000,000 rows per statement size (1, 10, 100, 250 rows per INSERT) into the
///   WITHOUT ROWID layout and a rowid-table layout, with their bytes per row — the measurements behind the design.
struct BenchStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Measure recording, size on disk and reads of the SQLite store (JSON lines).")

    @Option(help: "Timed repetitions (the median is reported).")
    var `repeat`: Int = 3
    @Option(help: "Iteration rows ingested per repetition.")
    var rows: Int = 1_000_000
    @Flag(help: "Also compare insert strategies and table layouts on raw SQLite.")
    var layouts = false
    @Option(help: "Directory for the temporary databases (default: the system's temporary directory).")
    var directory: String?

    func validate() throws {
        guard self.repeat >= 1 else { throw ValidationError("invalid --repeat \(self.repeat): must be at least 1") }
        guard rows >= 1000 else { throw ValidationError("invalid --rows \(rows): must be at least 1000") }
    }

    func run() throws {
        let base = URL(fileURLWithPath: directory ?? NSTemporaryDirectory())
            .appendingPathComponent("logbook-bench-store-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }

        var ingestSeconds: [Double] = []
        var bytesPerRow = 0.0
        for repetition in 0..<self.repeat {
            let path = base.appendingPathComponent("ingest-\(repetition).sqlite").path
            let store = try LogbookStore(path: path)
            let runID = try store.createRun(BenchStore.benchConfiguration(), status: .running)
            ingestSeconds.append(try BenchStore.ingest(store: store, runID: runID, rows: rows))
            bytesPerRow = try store.read { connection in
                try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                let bytes = try connection.scalarDouble("SELECT sum(pgsize) FROM dbstat WHERE name = 'iterations'") ?? 0
                return bytes / Double(rows)
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        let ingest = median(ingestSeconds)
        emit("store.ingest", [
            ("rows", rows), ("seconds", round(ingest, 4)), ("rows_per_s", Int(Double(rows) / ingest)),
            ("target_rows_per_s", 1_000_000), ("pass", Double(rows) / ingest >= 1_000_000), ("repeats", self.repeat),
        ])
        emit("store.bytes_per_iteration", [
            ("rows", rows), ("bytes_per_row", round(bytesPerRow, 2)), ("target", 24), ("pass", bytesPerRow <= 24),
        ])

        let path = base.appendingPathComponent("reads.sqlite").path
        let store = try LogbookStore(path: path)
        let curveRun = try store.createRun(BenchStore.benchConfiguration(), status: .running)
        _ = try BenchStore.ingest(store: store, runID: curveRun, rows: 100_000)
        try BenchStore.insertRuns(store: store, count: 10_000)
        let curveTimes = try (0..<max(5, self.repeat)).map { _ in
            try timed { let curve = try store.lossCurve(run: curveRun); precondition(curve.count == 100_000) }
        }
        emit("store.loss_curve", [
            ("steps", 100_000), ("milliseconds", round(median(curveTimes) * 1000, 3)), ("target_ms", 20),
            ("pass", median(curveTimes) <= 0.020),
        ])
        let summaryTimes = try (0..<max(5, self.repeat)).map { _ in
            try timed {
                let table = try store.read { connection in
                    var rows: [[SQLValue]] = []
                    try connection.forEachRow("SELECT * FROM run_summary ORDER BY test_accuracy DESC LIMIT 10") { row in
                        rows.append((0..<row.columnCount).map { row.value($0) })
                    }
                    return rows
                }
                precondition(table.count == 10)
            }
        }
        emit("store.run_summary_top10", [
            ("runs", 10_001), ("milliseconds", round(median(summaryTimes) * 1000, 3)), ("target_ms", 20),
            ("pass", median(summaryTimes) <= 0.020),
        ])
        try measureFixedCost(directory: base)
        if layouts {
            for result in try InsertLayoutBenchmark.run(directory: base.path, rows: rows) {
                emit("store.insert_layout", [
                    ("layout", result.layout), ("rows_per_statement", result.rowsPerStatement),
                    ("rows_per_s", Int(result.rowsPerSecond)), ("bytes_per_row", round(result.bytesPerRow, 2)),
                ])
            }
        }
    }

    /// The per-run cost on the training thread for a digits-mlp-sized run (1,140 steps, 20 epochs, 64-32-10
    /// weights): `createRun`, `recorder(for:)`, the `handle` calls, and `close()` (which waits for the last commit).
    private func measureFixedCost(directory: URL) throws {
        let store = try LogbookStore(path: directory.appendingPathComponent("fixed.sqlite").path)
        var phases: [[Double]] = [[], [], [], []]
        let weights = [
            NamedTensor(name: "layers.0.weight", role: .parameter, shape: [32, 64], values: [Float](repeating: 0.01, count: 2048)),
            NamedTensor(name: "layers.0.bias", role: .parameter, shape: [32], values: [Float](repeating: 0, count: 32)),
            NamedTensor(name: "layers.2.weight", role: .parameter, shape: [10, 32], values: [Float](repeating: 0.01, count: 320)),
            NamedTensor(name: "layers.2.bias", role: .parameter, shape: [10], values: [Float](repeating: 0, count: 10)),
        ]
        let summary = DatasetSummary(
            name: "digits", contentHash: "0", featureCount: 64, classCount: 10, trainSize: 1797, validationSize: 0, testSize: 0)
        for _ in 0..<max(5, self.repeat) {
            var configuration = BenchStore.benchConfiguration()
            configuration.layers = [64, 32, 10]
            configuration.epochs = 20
            var start = MonotonicClock.now()
            let runID = try store.createRun(configuration, status: .running)
            phases[0].append(MonotonicClock.now() - start)
            start = MonotonicClock.now()
            let recorder = try store.recorder(for: runID)
            phases[1].append(MonotonicClock.now() - start)
            start = MonotonicClock.now()
            try recorder.handle(
                .started(RunStart(configuration: configuration, dataset: summary, layers: [64, 32, 10],
                    modelDescription: "64-32-10 relu", parameterCount: 2410, stepsPerEpoch: 57, plannedSteps: 1140)))
            try recorder.handle(.weights(WeightsSnapshot(kind: .initial, tensors: weights)))
            for step in 1...1140 {
                try recorder.handle(.iteration(IterationEnded(step: step, epoch: (step - 1) / 57 + 1, batchIndex: (step - 1) % 57, loss: 1, learningRate: 0.05)))
                if step % 57 == 0 {
                    try recorder.handle(.epoch(EpochEnded(epoch: step / 57, step: step, trainLoss: 1, trainAccuracy: 0.5,
                        validationLoss: nil, validationAccuracy: nil, learningRate: 0.05, seconds: 0.0005, samplesPerSecond: 1e6)))
                }
            }
            try recorder.handle(.weights(WeightsSnapshot(kind: .final, tensors: weights)))
            try recorder.handle(.finished(RunFinished(reason: .maxEpochs, epochsCompleted: 20, stepsCompleted: 1140, seconds: 0.01)))
            phases[2].append(MonotonicClock.now() - start)
            start = MonotonicClock.now()
            try recorder.close()
            phases[3].append(MonotonicClock.now() - start)
        }
        let micro = phases.map { round(median($0) * 1e6, 1) }
        emit("store.run_fixed_cost", [
            ("steps", 1140), ("epochs", 20), ("create_run_us", micro[0]), ("open_recorder_us", micro[1]),
            ("handle_events_us", micro[2]), ("close_us", micro[3]), ("total_us", round(micro.reduce(0, +), 1)),
        ])
    }

    static func benchConfiguration() -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.learningRate = 0.05
        return configuration
    }

    /// Seconds to push `rows` iterations through a recorder and close it (everything committed).
    static func ingest(store: LogbookStore, runID: Int64, rows: Int) throws -> Double {
        let recorder = try store.recorder(for: runID)
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

    /// 10,000 finished runs with random test accuracies, in one transaction.
    static func insertRuns(store: LogbookStore, count: Int) throws {
        var generator = SystemRandomNumberGenerator()
        try store.write { connection in
            for index in 0..<count {
                var configuration = BenchStore.benchConfiguration()
                configuration.batchSize = [16, 32, 64, 128][index % 4]
                configuration.seed = UInt64(index)
                let id = try LogbookStore.insertRun(
                    configuration, name: nil, sweepID: nil, trialIndex: nil, parentRunID: nil, status: .completed,
                    worker: nil, connection: connection)
                try connection.execute(
                    "UPDATE runs SET test_accuracy = ?, test_loss = ?, duration = 1 WHERE id = ?",
                    [.real(Double.random(in: 0..<1, using: &generator)), .real(0.5), .integer(id)])
            }
        }
    }

    private func timed(_ body: () throws -> Void) rethrows -> Double {
        let start = MonotonicClock.now()
        try body()
        return MonotonicClock.now() - start
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func round(_ value: Double, _ digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }

    /// One JSON line with keys in the given order.
    func emit(_ bench: String, _ fields: [(String, Any)]) {
        let body = ([("bench", bench as Any)] + fields).map { "\"\($0.0)\": \(JSONText.encode($0.1))" }
        Console.line("{" + body.joined(separator: ", ") + "}")
    }
}
