import Engine
import Foundation
import Store
import Sweep

/// The per-trial fixed cost of a sweep on MNIST (`logbook bench sweep --mnist DIR`): one worker, in this process,
/// trains `trials` one-epoch trials (784-H-10, batch 32, 10 % validation split, learning rates varied, one seed)
/// into a fresh store, once loading each trial's data afresh ("before") and once with the worker's dataset cache
/// ("after"). Per trial: wall = `ended_at − started_at` of its run (claim to finish: data, split, scaling, model,
/// weight snapshots, training, evaluation, run rows); training = the sum of its epochs' `seconds`; fixed cost =
/// wall − training. Lines: per mode the median fixed cost and training seconds, the part of the fixed cost spent
/// evaluating (validation and test passes, timed apart right after each trial ends, outside every trial's wall, so
/// that each trial's rest is its fixed cost minus an evaluation timed beside it: timed once after all the trials, a
/// drift of the machine made the rest negative in one round of three), the first trial's fixed cost and the fixed
/// share (median fixed ÷ median wall; target ≤ 5 %), and that share without the evaluation passes.
public enum SweepFixedCostBenchmark {
    public static func run(mnistDirectory: String, layers: String, trials: Int, emit: (JSONLine) -> Void) throws {
        let rates = (0..<trials).map { ParameterValue.double(0.01 * Double($0 + 1)) }
        let spec = SweepSpec(
            name: "bench-fixed-cost",
            parameters: [
                .init(name: "data", domain: .fixed(.string("mnist:\(mnistDirectory)"))),
                .init(name: "layers", domain: .fixed(.string(layers))), .init(name: "epochs", domain: .fixed(.int(1))),
                .init(name: "batch_size", domain: .fixed(.int(32))), .init(name: "validation_fraction", domain: .fixed(.double(0.1))),
                .init(name: "learning_rate", domain: trials == 1 ? .fixed(rates[0]) : .values(rates)),
            ])
        let plan = try SweepPlan(spec: spec)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-fixed-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (mode, cache) in [("fresh_load", nil), ("worker_cache", PreparedDataCache())] as [(String, PreparedDataCache?)] {
            let store = try LogbookStore(path: directory.appendingPathComponent("\(mode).sqlite").path)
            let sweepID = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
            let evaluation = try EvaluationTimer(plan.trials[0].configuration)
            let worker = SweepWorker(
                store: store, sweepID: sweepID, workerID: WorkerIdentity.make(label: "bench"),
                train: EngineTrialTraining.train(pruning: nil, dataCache: cache),
                onTrialEnd: { _, _ in evaluation.time() })
            let summary = try worker.run()
            guard summary.outcomes[.completed] == plan.count else {
                throw BenchError("bench sweep --mnist: only \(summary.outcomes[.completed] ?? 0) of \(plan.count) trials completed")
            }
            var walls: [Double] = [], training: [Double] = []
            for run in try store.runs(sweepID: sweepID, status: .completed).sorted(by: { $0.trialIndex ?? 0 < $1.trialIndex ?? 0 }) {
                guard let started = run.startedAt, let ended = run.endedAt else { continue }
                walls.append(ended - started)
                training.append(try store.epochs(run: run.id).map(\.seconds).reduce(0, +))
            }
            let fixed = zip(walls, training).map { $0 - $1 }
            let medianWall = BenchStatistics.median(walls)
            // One worker claims in trial order, so the i-th evaluation was timed right after the i-th trial.
            let evaluations = try evaluation.seconds()
            guard evaluations.count == fixed.count else {
                throw BenchError("bench sweep --mnist: \(evaluations.count) evaluation timings for \(fixed.count) trials")
            }
            let rest = zip(fixed, evaluations).map { $0 - $1 }
            emit(JSONLine([
                "bench": "sweep.fixed_cost", "mode": mode, "layers": layers, "trials": walls.count, "epochs": 1, "batch_size": 32,
                "median_fixed_seconds": BenchStatistics.median(fixed), "median_training_seconds": BenchStatistics.median(training),
                "evaluation_seconds": BenchStatistics.median(evaluations),
                "median_fixed_without_evaluation_seconds": BenchStatistics.median(rest),
                "first_trial_fixed_seconds": fixed.first ?? -1, "fixed_share": BenchStatistics.median(fixed) / medianWall,
                "fixed_share_without_evaluation": BenchStatistics.median(rest) / medianWall,
                "target_fixed_share": 0.05,
            ]))
        }
    }
}

/// The validation and the test evaluation of one trial's model (its epoch's validation pass and the final test pass,
/// both outside the epoch's `seconds`), timed on their own after each trial, warm (one untimed pass first): what a
/// trial's fixed cost spends evaluating. Used from the worker's thread only.
private final class EvaluationTimer: @unchecked Sendable {
    private let trainer: Trainer
    private var timings: [Double] = []
    private var failure: Error?

    init(_ configuration: TrainingConfiguration) throws {
        trainer = try Trainer(configuration: configuration, data: try DataPipeline.prepare(configuration.dataSettings))
        BLAS.useSingleThread()
        _ = try pass()
    }

    func time() {
        do { timings.append(try pass()) } catch { failure = error }
    }

    func seconds() throws -> [Double] {
        if let failure { throw failure }
        return timings
    }

    private func pass() throws -> Double {
        let clock = MonotonicClock()
        if let validation = trainer.data.validation { _ = try trainer.evaluate(on: validation, split: "validation", epoch: 1) }
        if let test = trainer.data.test { _ = try trainer.evaluate(on: test, split: "test", epoch: 1) }
        return clock.seconds
    }
}
