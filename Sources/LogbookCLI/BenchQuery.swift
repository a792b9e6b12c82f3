import ArgumentParser
import Foundation
import Report
import Store

/// `logbook bench query`: the speed of reports and run queries on a large store, as JSON lines (medians).
///
/// - `query.build`: writing a synthetic sweep (`--trials` runs × `--steps` iterations, default 100 × 100,000 =
///   10,000,000 iteration rows) in one transaction with multi-row INSERTs (informative);
/// - `query.report`: building the sweep's HTML report, from opening the store to the finished HTML text
///   (target ≤ 2 s); `query.all_curves_downsampled`: for scale, every run's whole curve downsampled (informative);
/// - `query.runs`: `logbook runs --where "batch_size >= 64 and initializer = 'he-uniform' and test_accuracy > 0.5"
///   --sort -test_accuracy,run_id --limit 50` over `--runs` runs (default 10,000), from opening the store to the
///   rendered table (target ≤ 50 ms); `query.runs_params_key`: the same with a `params`-only key in the filter.
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
    @Option(help: "Directory for the temporary databases (default: the system's temporary directory).")
    var directory: String?
    @Option(help: "Keep the synthetic sweep database at this path (e.g. to try `logbook report` on it).")
    var keep: String?

    func validate() throws {
        guard self.repeat >= 1 else { throw ValidationError("invalid --repeat \(self.repeat): must be at least 1") }
        guard trials >= 10, trials % 10 == 0 else { throw ValidationError("invalid --trials \(trials): must be a multiple of 10") }
        guard steps >= 10, steps % 10 == 0 else { throw ValidationError("invalid --steps \(steps): must be a multiple of 10 (10 epochs)") }
        guard runs >= 100, runs % 100 == 0 else { throw ValidationError("invalid --runs \(runs): must be a multiple of 100") }
    }

    func run() throws {
        try measure { line in
            print(line)
            fflush(nil)
        }
    }

    /// Runs the measurements, handing each JSON line to `emitLine` as soon as it is known.
    func measure(_ emitLine: (String) -> Void) throws {
        func emit(_ fields: [String: Any]) { emitLine(BenchQuery.jsonLine(fields)) }
        let base = URL(fileURLWithPath: directory ?? NSTemporaryDirectory())
            .appendingPathComponent("logbook-bench-query-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }

        // The report sweep: 5 batch sizes × 2 learning rates × 2 initializers × (trials / 20) seeds.
        let sweepPath = keep ?? base.appendingPathComponent("sweep.sqlite").path
        var sweep = SyntheticSweep()
        sweep.name = "bench-query"
        sweep.batchSizes = [16, 32, 64, 128, 256]
        sweep.learningRates = [0.03, 0.1]
        sweep.initializers = [.heUniform, .zeros]
        sweep.seeds = (1...UInt64(max(1, trials / 20))).map { $0 }
        sweep.epochs = 10
        sweep.stepsPerEpoch = steps / 10
        sweep.insertChunk = 256
        sweep.testSize = 1000
        let buildStart = Date()
        let sweepID = try sweep.record(into: LogbookStore(path: sweepPath))
        let buildSeconds = Date().timeIntervalSince(buildStart)
        let rows = sweep.trialCount * steps
        emit(["bench": "query.build", "trials": sweep.trialCount, "iteration_rows": rows, "seconds": round(buildSeconds),
              "rows_per_s": Int(Double(rows) / buildSeconds)])

        var reportTimes: [Double] = []
        var reportBytes = 0
        for _ in 0..<self.repeat {
            let start = Date()
            let store = try LogbookStore(path: sweepPath, mode: .readOnly)
            let html = try SweepReport().build(sweepID: sweepID, store: store).html()
            reportTimes.append(Date().timeIntervalSince(start))
            reportBytes = html.utf8.count
        }
        let report = median(reportTimes)
        emit(["bench": "query.report", "trials": sweep.trialCount, "iteration_rows": rows, "seconds_median": round(report),
              "seconds_min": round(reportTimes.min()!), "html_bytes": reportBytes, "target_seconds": 2, "pass": report <= 2,
              "repeats": self.repeat])

        // For scale: downsampling every run's whole curve (all iteration rows read once), which the report avoids by
        // reading only the curves it draws.
        let allCurvesStart = Date()
        let reader = try LogbookStore(path: sweepPath, mode: .readOnly)
        var buckets = 0
        for runID in try reader.table("SELECT id FROM runs WHERE sweep_id = ?", [.integer(sweepID)]).rows.compactMap({ $0[0].double }) {
            buckets += try reader.downsampledLosses(run: Int64(runID), points: 200).count
        }
        let allCurves = Date().timeIntervalSince(allCurvesStart)
        emit(["bench": "query.all_curves_downsampled", "iteration_rows": rows, "buckets": buckets, "seconds": round(allCurves),
              "rows_per_s": Int(Double(rows) / allCurves)])

        // The runs query: `runs` runs (one iteration each) in their own store.
        let runsPath = base.appendingPathComponent("runs.sqlite").path
        var many = SyntheticSweep()
        many.name = "bench-runs"
        many.batchSizes = [16, 32, 64, 128, 256]
        many.learningRates = [0.01, 0.03, 0.1, 0.3]
        many.initializers = [.heUniform, .xavierUniform, .lecunNormal, .orthogonal, .zeros]
        many.seeds = (1...UInt64(runs / 100)).map { $0 }
        many.epochs = 1
        many.stepsPerEpoch = 1
        try many.record(into: LogbookStore(path: runsPath))
        let arguments = [
            "runs", "--db", runsPath, "--where", "batch_size >= 64 and initializer = 'he-uniform' and test_accuracy > 0.5",
            "--sort", "-test_accuracy,run_id", "--limit", "50",
        ]
        var queryTimes: [Double] = []
        var lines = 0
        for _ in 0..<max(5, self.repeat) {
            let start = Date()
            guard let command = try Logbook.parseAsRoot(arguments) as? Runs else { throw ValidationError("bench: runs did not parse") }
            let output = try command.output(colour: false)
            queryTimes.append(Date().timeIntervalSince(start))
            lines = output.split(separator: "\n").count - 2
        }
        let query = median(queryTimes)
        emit(["bench": "query.runs", "runs": many.trialCount, "rows_shown": lines, "milliseconds_median": round(query * 1000),
              "milliseconds_min": round(queryTimes.min()! * 1000), "target_milliseconds": 50, "pass": query <= 0.05,
              "repeats": queryTimes.count])
        // The same with a hyperparameter that is only in `params` (a correlated subquery per run).
        let parameterArguments = [
            "runs", "--db", runsPath, "--where", "warmup_steps = 0 and batch_size >= 64 and initializer = 'he-uniform'",
            "--sort", "-test_accuracy,run_id", "--limit", "50", "--columns", "run_id,batch_size,warmup_steps,test_accuracy",
        ]
        var parameterTimes: [Double] = []
        for _ in 0..<max(5, self.repeat) {
            let start = Date()
            guard let command = try Logbook.parseAsRoot(parameterArguments) as? Runs else { throw ValidationError("bench: runs did not parse") }
            _ = try command.output(colour: false)
            parameterTimes.append(Date().timeIntervalSince(start))
        }
        emit(["bench": "query.runs_params_key", "runs": many.trialCount, "milliseconds_median": round(median(parameterTimes) * 1000),
              "target_milliseconds": 50, "pass": median(parameterTimes) <= 0.05, "repeats": parameterTimes.count])
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    /// `{"bench": …, other keys sorted}`.
    static func jsonLine(_ fields: [String: Any]) -> String {
        let order = ["bench"] + fields.keys.filter { $0 != "bench" }.sorted()
        let parts = order.map { key -> String in
            let value = fields[key]!
            switch value {
            case let text as String: return "\"\(key)\": \(JSONWriter.quote(text))"
            case let flag as Bool: return "\"\(key)\": \(flag)"
            default: return "\"\(key)\": \(value)"
            }
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
