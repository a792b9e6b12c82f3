import Export
import Foundation
import LogbookFixtures
import Store

/// The speed of the exports (`logbook bench export`), over a fixture sweep of `trials` runs × `steps` iterations
/// (default 100 × 10,000 = 1,000,000 iteration rows; 10 epochs; no weights, so that the figures are the series'):
///
/// - `export.build`: recording the sweep (informative);
/// - `export.tensorboard`: `TensorBoardExport` of the whole sweep into a temporary folder, from opening the store to
///   the last file renamed into place: scalars/s (every scalar summary written) and iteration rows/s;
/// - `export.mlflow` (with a tracking URI): `MLflowExport` of the sweep into a fresh experiment of that server:
///   metric values/s and iteration rows/s, each `runs/log-batch` carrying 1000 metrics.
///   `scripts/bench-mlflow-client.py` measures MLflow's own Python client (`MlflowClient.log_batch`, 1000 metrics a
///   call) the same way, against the same server.
public struct ExportBenchmark {
    let trials: Int, steps: Int
    let trackingURI: String?

    public static func run(
        trials: Int, steps: Int, directory: String, trackingURI: String?, emit: (JSONLine) -> Void
    ) throws {
        try BenchDirectory.withTemporary("export", in: directory) { base in
            try ExportBenchmark(trials: trials, steps: steps, trackingURI: trackingURI).measureAll(in: base, emit: emit)
        }
    }

    /// 5 batch sizes × 5 learning rates × 2 initializers × (trials / 50) seeds, 10 epochs of `steps / 10`.
    var fixture: FixtureSweep {
        .bench(
            "bench-export", learningRates: [0.01, 0.03, 0.1, 0.3, 1.0], initializers: [.heUniform, .xavierUniform],
            seeds: max(1, trials / 50), epochs: 10, stepsPerEpoch: steps / 10)
    }

    private func measureAll(in base: URL, emit: (JSONLine) -> Void) throws {
        func round4(_ value: Double) -> Double { BenchStatistics.rounded(value, places: 4) }

        let path = base.appendingPathComponent("sweep.sqlite").path
        let fixture = self.fixture
        var sweepID: Int64 = 0
        let buildSeconds = try BenchStatistics.seconds { sweepID = try fixture.record(into: LogbookStore(path: path)) }
        let rows = fixture.trialCount * steps
        emit(JSONLine([
            "bench": "export.build", "iteration_rows": rows, "seconds": round4(buildSeconds), "trials": fixture.trialCount,
        ]))

        var summary: TensorBoardExport.Summary?
        let out = base.appendingPathComponent("tensorboard").path
        let tensorBoardSeconds = try BenchStatistics.seconds {
            let store = try LogbookStore(path: path, mode: .readOnly)
            summary = try TensorBoardExport(store: store, notes: { _ in }).export(.sweep(sweepID), to: out)
        }
        emit(JSONLine([
            "bench": "export.tensorboard", "iteration_rows": rows, "iteration_rows_per_s": Int(Double(rows) / tensorBoardSeconds),
            "runs": summary?.runs ?? 0, "scalars": summary?.scalars ?? 0,
            "scalars_per_s": Int(Double(summary?.scalars ?? 0) / tensorBoardSeconds),
            "seconds": round4(tensorBoardSeconds),
        ]))

        guard let trackingURI else { return }
        var sent: MLflowExport.Summary?
        let experiment = "logbook-bench-export-\(Int(Date().timeIntervalSince1970))"
        let mlflowSeconds = try BenchStatistics.seconds {
            let store = try LogbookStore(path: path, mode: .readOnly)
            sent = try MLflowExport(store: store, trackingURI: trackingURI, experiment: experiment, notes: { _ in })
                .export(.sweep(sweepID))
        }
        emit(JSONLine([
            "bench": "export.mlflow", "experiment": experiment, "iteration_rows": rows,
            "iteration_rows_per_s": Int(Double(rows) / mlflowSeconds), "metrics": sent?.metrics ?? 0,
            "metrics_per_s": Int(Double(sent?.metrics ?? 0) / mlflowSeconds), "runs": sent?.created ?? 0, "seconds": round4(mlflowSeconds),
        ]))
    }
}
