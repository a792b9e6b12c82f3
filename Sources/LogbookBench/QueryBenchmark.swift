import Foundation
import LogbookFixtures
import Report
import Store

/// The speed of reports and run queries on a large store, medians (`logbook bench query`):
///
/// - `query.build`: recording a fixture sweep (`trials` runs × `steps` iterations, default 100 × 100,000 =
///   10,000,000 iteration rows) through the trial queue and the recorder (informative);
/// - `query.report`: building the sweep's HTML report, from opening the store to the finished HTML text
///   (target ≤ 2 s); `query.all_curves_downsampled`: for scale, every run's whole curve downsampled (informative);
/// - `query.runs`: `logbook runs --where "batch_size >= 64 and initializer = 'he-uniform' and test_accuracy > 0.5"
///   --sort -test_accuracy,run_id --limit 50` over `runs` runs (default 10,000), from opening the store to the
///   rendered table (target ≤ 50 ms); `query.runs_params_key`: the same with a `params`-only key in the filter.
public struct QueryBenchmark {
    /// Trials of the report sweep (a multiple of 20: 5 batch sizes × 2 learning rates × 2 initializers × seeds),
    /// iterations per trial (10 epochs), runs in the store of the runs query (a multiple of 100), timed repetitions.
    let trials: Int, steps: Int, runs: Int, repeats: Int
    /// Where to keep the report sweep's database instead of the temporary folder (nil: nowhere).
    let keepPath: String?
    /// Runs `logbook ARGUMENTS` (a `runs` command) and returns what it prints: the query is measured as the CLI
    /// runs it.
    let runsCommand: ([String]) throws -> String

    /// Runs the measurements, handing each line to `emit` as soon as it is known.
    public static func run(
        trials: Int, steps: Int, runs: Int, repeats: Int, directory: String, keepPath: String?,
        runsCommand: @escaping ([String]) throws -> String, emit: (JSONLine) -> Void
    ) throws {
        try BenchDirectory.withTemporary("query", in: directory) { base in
            try QueryBenchmark(
                trials: trials, steps: steps, runs: runs, repeats: repeats, keepPath: keepPath, runsCommand: runsCommand
            ).measureAll(in: base, emit: emit)
        }
    }

    /// The report sweep: 5 batch sizes × 2 learning rates × 2 initializers × (trials / 20) seeds, 10 epochs.
    var reportFixture: FixtureSweep {
        var fixture = FixtureSweep()
        fixture.name = "bench-query"
        fixture.batchSizes = [16, 32, 64, 128, 256]
        fixture.learningRates = [0.03, 0.1]
        fixture.initializers = [.heUniform, .zeros]
        fixture.seeds = max(1, trials / 20)
        fixture.epochs = 10
        fixture.training.stepsPerEpoch = steps / 10
        fixture.training.testSize = 1000
        return fixture
    }

    /// The runs store: 5 batch sizes × 4 learning rates × 5 initializers × (runs / 100) seeds, one step each.
    var runsFixture: FixtureSweep {
        .bench(
            "bench-runs", learningRates: [0.01, 0.03, 0.1, 0.3],
            initializers: [.heUniform, .xavierUniform, .lecunNormal, .orthogonal, .zeros], seeds: runs / 100, epochs: 1,
            stepsPerEpoch: 1)
    }

    private func measureAll(in base: URL, emit: (JSONLine) -> Void) throws {
        func round4(_ value: Double) -> Double { BenchStatistics.rounded(value, places: 4) }

        let sweepPath = keepPath ?? base.appendingPathComponent("sweep.sqlite").path
        let fixture = reportFixture
        var sweepID: Int64 = 0
        let buildSeconds = try BenchStatistics.seconds { sweepID = try fixture.record(into: LogbookStore(path: sweepPath)) }
        let rows = fixture.trialCount * steps
        emit(JSONLine([
            "bench": "query.build", "iteration_rows": rows, "rows_per_s": Int(Double(rows) / buildSeconds),
            "seconds": round4(buildSeconds), "trials": fixture.trialCount,
        ]))

        var reportTimes: [Double] = []
        var reportBytes = 0
        for _ in 0..<repeats {
            reportTimes.append(try BenchStatistics.seconds {
                let store = try LogbookStore(path: sweepPath, mode: .readOnly)
                reportBytes = try SweepReport().build(sweepID: sweepID, store: store).html().utf8.count
            })
        }
        let report = BenchStatistics.median(reportTimes)
        emit(JSONLine([
            "bench": "query.report", "html_bytes": reportBytes, "iteration_rows": rows, "pass": report <= 2,
            "repeats": repeats, "seconds_median": round4(report), "seconds_min": round4(reportTimes.min() ?? .nan),
            "target_seconds": 2, "trials": fixture.trialCount,
        ]))

        // For scale: downsampling every run's whole curve (all iteration rows read once), which the report avoids by
        // reading only the curves it draws.
        var buckets = 0
        let allCurves = try BenchStatistics.seconds {
            let reader = try LogbookStore(path: sweepPath, mode: .readOnly)
            for run in try reader.runs(sweepID: sweepID) {
                buckets += try reader.downsampledLosses(run: run.id, points: 200).count
            }
        }
        emit(JSONLine([
            "bench": "query.all_curves_downsampled", "buckets": buckets, "iteration_rows": rows,
            "rows_per_s": Int(Double(rows) / allCurves), "seconds": round4(allCurves),
        ]))
        try measureRuns(directory: base, emit: emit)
    }

    /// `query.runs` and `query.runs_params_key`, over a store of `runs` runs of their own.
    private func measureRuns(directory: URL, emit: (JSONLine) -> Void) throws {
        func round4(_ value: Double) -> Double { BenchStatistics.rounded(value, places: 4) }
        let runsPath = directory.appendingPathComponent("runs.sqlite").path
        let fixture = runsFixture
        try fixture.record(into: LogbookStore(path: runsPath))
        let arguments = [
            "runs", "--db", runsPath, "--where", "batch_size >= 64 and initializer = 'he-uniform' and test_accuracy > 0.5",
            "--sort", "-test_accuracy,run_id", "--limit", "50",
        ]
        var queryTimes: [Double] = []
        var lines = 0
        for _ in 0..<max(5, repeats) {
            queryTimes.append(try BenchStatistics.seconds {
                lines = try runsCommand(arguments).split(separator: "\n").count - 2
            })
        }
        let query = BenchStatistics.median(queryTimes)
        emit(JSONLine([
            "bench": "query.runs", "milliseconds_median": round4(query * 1000),
            "milliseconds_min": round4((queryTimes.min() ?? .nan) * 1000), "pass": query <= 0.05,
            "repeats": queryTimes.count, "rows_shown": lines, "runs": fixture.trialCount, "target_milliseconds": 50,
        ]))
        // The same with a hyperparameter that is only in `params` (a correlated subquery per run).
        let parameterArguments = [
            "runs", "--db", runsPath, "--where", "warmup_steps = 0 and batch_size >= 64 and initializer = 'he-uniform'",
            "--sort", "-test_accuracy,run_id", "--limit", "50", "--columns", "run_id,batch_size,warmup_steps,test_accuracy",
        ]
        let parameterTimes = try (0..<max(5, repeats)).map { _ in
            try BenchStatistics.seconds { _ = try runsCommand(parameterArguments) }
        }
        let parameterQuery = BenchStatistics.median(parameterTimes)
        emit(JSONLine([
            "bench": "query.runs_params_key", "milliseconds_median": round4(parameterQuery * 1000),
            "pass": parameterQuery <= 0.05, "repeats": parameterTimes.count, "runs": fixture.trialCount,
            "target_milliseconds": 50,
        ]))
    }
}
