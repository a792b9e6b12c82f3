import Engine
import Foundation
import Store
import Sweep

/// `logbook bench search`: random search, TPE and TPE + ASHA on the search space of
/// `../shared/peers/search_stack.py` (Optuna TPE + successive halving driving PyTorch), over several search seeds.
///
/// The space: MNIST (the 60,000 training images scaled to [0, 1], a stratified 10 % validation split with seed 0
/// that chooses; the 10,000 t10k images are the test set, evaluated once per trial and never used to choose),
/// 784-H-10 ReLU, SGD with momentum; learning rate log-uniform 1e-3–1, batch size {16, 32, 64, 128, 256}, momentum
/// uniform 0–0.99, initializer {xavier-uniform, he-uniform, lecun-normal}, H ∈ {64, 128, 256}; `epochs` epochs,
/// `runCap` trials, `workers` worker processes. TPE + ASHA prunes at rungs 1, 3, 9 (min 1 epoch, η = 3).
/// Per method and seed: the best validation accuracy of a completed trial, that trial's test accuracy, the epochs
/// trained by all trials and the wall time; one line per method with the medians over the seeds.
public struct SearchBenchmark: Sendable {
    public enum Method: String, Sendable, CaseIterable { case random, tpe, tpeASHA = "tpe+asha" }

    let mnistDirectory: String
    let seeds: [UInt64]
    let runCap: Int
    let epochs: Int
    let workers: Int
    let methods: [Method]

    public static func run(
        mnistDirectory: String, seeds: [UInt64], runCap: Int, epochs: Int, workers: Int, methods: [Method],
        emit: (JSONLine) -> Void
    ) throws {
        try SearchBenchmark(mnistDirectory: mnistDirectory, seeds: seeds, runCap: runCap, epochs: epochs, workers: workers, methods: methods)
            .measure(emit: emit)
    }

    func spec(_ method: Method, seed: UInt64) -> SweepSpec {
        var spec = SweepSpec(
            name: "bench-search-\(method.rawValue)-\(seed)", method: method == .random ? .random : .tpe,
            metric: .init(name: "validation_accuracy"),
            parameters: [
                .init(name: "data", domain: .fixed(.string("mnist:\(mnistDirectory)"))),
                .init(name: "scaling", domain: .fixed(.string("none"))),
                .init(name: "validation_fraction", domain: .fixed(.double(0.1))),
                .init(name: "seed", domain: .fixed(.int(0))),
                .init(name: "optimizer", domain: .fixed(.string("momentum"))),
                .init(name: "epochs", domain: .fixed(.int(epochs))),
                .init(name: "learning_rate", domain: .logUniform(min: 1e-3, max: 1)),
                .init(name: "batch_size", domain: .values([16, 32, 64, 128, 256].map { .int($0) })),
                .init(name: "momentum", domain: .uniform(min: 0, max: 0.99)),
                .init(name: "initializer", domain: .values(["xavier-uniform", "he-uniform", "lecun-normal"].map { .string($0) })),
                .init(name: "layers", domain: .values(["784-64-10", "784-128-10", "784-256-10"].map { .string($0) })),
            ], runCap: runCap, sweepSeed: seed)
        spec.metricIsExplicit = true
        if method == .tpeASHA { spec.earlyTermination = .asha(minEpochs: 1, eta: 3) }
        return spec
    }

    private func measure(emit: (JSONLine) -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-search-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for method in methods {
            var best: [Double] = [], test: [Double] = [], epochsTrained: [Double] = [], seconds: [Double] = []
            for seed in seeds {
                let plan = try SweepPlan(spec: spec(method, seed: seed))
                let store = try LogbookStore(path: directory.appendingPathComponent("\(method.rawValue)-\(seed).sqlite").path)
                let sweepID = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
                let result = try SweepExecution(store: store, sweepID: sweepID, workerCount: workers).execute()
                guard result.sweep.finishedTrials == runCap else {
                    throw BenchError("bench search: \(method.rawValue) seed \(seed) finished \(result.sweep.finishedTrials) of \(runCap) trials")
                }
                let runs = try store.runs(sweepID: sweepID)
                let chosen = runs.filter { $0.status == .completed }.max { ($0.finalValidationAccuracy ?? 0) < ($1.finalValidationAccuracy ?? 0) }
                let trained = runs.map { $0.epochsCompleted ?? 0 }.reduce(0, +)
                best.append(chosen?.finalValidationAccuracy ?? .nan)
                test.append(chosen?.testAccuracy ?? .nan)
                epochsTrained.append(Double(trained))
                seconds.append(result.seconds)
                emit(JSONLine([
                    "bench": "search", "method": method.rawValue, "search_seed": Int(seed),
                    "best_validation_accuracy": chosen?.finalValidationAccuracy ?? -1, "test_accuracy": chosen?.testAccuracy ?? -1,
                    "epochs_trained": trained, "seconds": result.seconds, "completed": result.sweep.count(.completed),
                    "pruned": result.sweep.count(.pruned),
                ]))
            }
            emit(JSONLine([
                "bench": "search", "method": method.rawValue, "metric": "median", "seeds": seeds.count, "run_cap": runCap,
                "epochs": epochs, "workers": workers,
                "median_best_validation_accuracy": BenchStatistics.median(best), "median_test_accuracy": BenchStatistics.median(test),
                "median_epochs_trained": BenchStatistics.median(epochsTrained), "median_seconds": BenchStatistics.median(seconds),
            ]))
        }
    }
}
