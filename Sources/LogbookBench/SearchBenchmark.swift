import Engine
import Foundation
import Store
import Sweep

/// `logbook bench search`: random search, TPE and TPE + ASHA on the search space of
/// `../shared/peers/search_stack.py` (Optuna TPE + successive halving driving PyTorch), over several search seeds.
///
/// The space: MNIST (the 60,000 training images scaled to [0, 1]; the peer's own stratified 10 % validation split —
/// the same 5,999 images, `PeerSplit` — chooses; the 10,000 t10k images are the test set, evaluated once per trial and never used to choose),
/// 784-H-10 ReLU, SGD with momentum; learning rate log-uniform 1e-3–1, batch size {16, 32, 64, 128, 256}, momentum
/// uniform 0–0.99, initializer {xavier-uniform, he-uniform, lecun-normal}, H ∈ {64, 128, 256}; `epochs` epochs,
/// `runCap` trials, `workers` worker processes. TPE is multivariate (the joint model), as the peer's Optuna 5.0
/// `TPESampler` is by default for one objective; TPE + ASHA prunes at rungs 1, 3, 9 (min 1 epoch, η = 3).
/// Per method and seed: the best validation accuracy of a completed trial, that trial's test accuracy, the epochs
/// trained by all trials and the wall time; one line per method with the medians over the seeds; with a peer, its
/// lines, its medians and the comparison with TPE + ASHA.
public struct SearchBenchmark: Sendable {
    public enum Method: String, Sendable, CaseIterable { case random, tpe, tpeASHA = "tpe+asha" }

    let mnistDirectory: String
    let seeds: [UInt64]
    let runCap: Int
    let epochs: Int
    let workers: Int
    let methods: [Method]
    /// The peer run beside each seed (nil: none).
    let peer: SearchPeer?

    /// `peerPython` and `peerScript` given: after each seed's searches, the peer script on the same seed.
    public static func run(
        mnistDirectory: String, seeds: [UInt64], runCap: Int, epochs: Int, workers: Int, methods: [Method],
        peerPython: String?, peerScript: String, emit: (JSONLine) -> Void
    ) throws {
        try SearchBenchmark(
            mnistDirectory: mnistDirectory, seeds: seeds, runCap: runCap, epochs: epochs, workers: workers, methods: methods,
            peer: peerPython.map { SearchPeer(python: $0, script: peerScript) }
        ).measure(emit: emit)
    }

    /// `validationIndices`: the file of the peer's validation images (`PeerSplit`).
    func spec(_ method: Method, seed: UInt64, validationIndices: String) -> SweepSpec {
        var spec = SweepSpec(
            name: "bench-search-\(method.rawValue)-\(seed)", method: method == .random ? .random : .tpe,
            metric: .init(name: "validation_accuracy"),
            parameters: [
                .init(name: "data", domain: .fixed(.string("mnist:\(mnistDirectory)"))),
                .init(name: "scaling", domain: .fixed(.string("none"))),
                .init(name: "validation_indices", domain: .fixed(.string(validationIndices))),
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
        // The peer's `TPESampler(n_startup_trials=10, constant_liar=True)` is Optuna 5.0's multivariate TPE (its
        // default for a single objective): the same joint model here.
        if method != .random { spec.tpe.multivariate = true }
        if method == .tpeASHA { spec.earlyTermination = .asha(minEpochs: 1, eta: 3) }
        return spec
    }

    /// The searches, seed by seed: every method on a seed, then the peer on it (when given), so that the machine's
    /// load falls alike on all of them; then one median line per method, the peer's, and the comparison of TPE + ASHA
    /// with the peer (`wall_time_ratio` = the peer's median seconds ÷ TPE + ASHA's; target ≥ 2.5, with at least the
    /// peer's median best validation accuracy and no more epochs trained).
    private func measure(emit: (JSONLine) -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-search-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let validationIndices = directory.appendingPathComponent("validation-indices.txt")
        let validationSize = try PeerSplit.write(mnistDirectory: mnistDirectory, to: validationIndices)
        var outcomes: [Method: [SearchOutcome]] = [:]
        var peerOutcomes: [SearchOutcome] = [], peerName = "peer"
        for seed in seeds {
            for method in methods {
                let outcome = try search(method, seed: seed, validationIndices: validationIndices.path, in: directory)
                outcomes[method, default: []].append(outcome)
                var line = JSONLine(["bench": "search", "method": method.rawValue, "search_seed": Int(seed)])
                outcome.appendFields(to: &line)
                emit(line)
            }
            if let peer {
                let (outcome, name) = try peer.run(seed: seed, mnist: mnistDirectory, runCap: runCap, epochs: epochs, workers: workers)
                peerOutcomes.append(outcome)
                peerName = name
                var line = JSONLine(["bench": "search", "method": "peer", "peer": name, "search_seed": Int(seed)])
                outcome.appendFields(to: &line)
                emit(line)
            }
        }
        for method in methods {
            var line = JSONLine([
                "bench": "search", "method": method.rawValue, "metric": "median", "seeds": seeds.count, "run_cap": runCap,
                "epochs": epochs, "workers": workers,
            ])
            SearchOutcome.appendMedians(of: outcomes[method] ?? [], to: &line)
            emit(line)
        }
        guard !peerOutcomes.isEmpty else { return }
        var line = JSONLine(["bench": "search", "method": "peer", "peer": peerName, "metric": "median", "seeds": seeds.count])
        SearchOutcome.appendMedians(of: peerOutcomes, to: &line)
        emit(line)
        if let ours = outcomes[.tpeASHA] { emit(Self.comparison(ours, peerOutcomes, validationSize: validationSize)) }
    }

    /// TPE + ASHA against the peer, medians over the same seeds. Accuracies are compared as counts of the
    /// `validationSize` validation images (round(accuracy · size)): the peer reports a float32 mean, Logbook a
    /// double, so the same count can differ in the eighth decimal.
    static func comparison(_ ours: [SearchOutcome], _ peer: [SearchOutcome], validationSize: Int) -> JSONLine {
        func median(_ outcomes: [SearchOutcome], _ value: (SearchOutcome) -> Double) -> Double {
            BenchStatistics.median(outcomes.map(value))
        }
        func images(_ outcome: SearchOutcome) -> Double { (outcome.bestValidationAccuracy * Double(validationSize)).rounded() }
        let ourBest = median(ours, \.bestValidationAccuracy), peerBest = median(peer, \.bestValidationAccuracy)
        let imageDifference = median(ours, images) - median(peer, images)
        let ourEpochs = median(ours) { Double($0.epochsTrained) }, peerEpochs = median(peer) { Double($0.epochsTrained) }
        let ratio = median(peer, \.seconds) / median(ours, \.seconds)
        return JSONLine([
            "bench": "search", "metric": "tpe+asha_vs_peer", "best_validation_accuracy_difference": ourBest - peerBest,
            "best_validation_images_difference": imageDifference, "validation_images": validationSize,
            "epochs_trained_ratio": ourEpochs / peerEpochs, "wall_time_ratio": ratio, "target_wall_time_ratio": 2.5,
            "meets_target": imageDifference >= 0 && ourEpochs <= peerEpochs && ratio >= 2.5,
        ])
    }

    /// One search: a fresh store, the sweep run by `workers` worker processes, the best completed trial by
    /// validation accuracy.
    private func search(_ method: Method, seed: UInt64, validationIndices: String, in directory: URL) throws -> SearchOutcome {
        let plan = try SweepPlan(spec: spec(method, seed: seed, validationIndices: validationIndices))
        let store = try LogbookStore(path: directory.appendingPathComponent("\(method.rawValue)-\(seed).sqlite").path)
        let sweepID = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
        let result = try SweepExecution(store: store, sweepID: sweepID, workerCount: workers).execute()
        guard result.sweep.finishedTrials == runCap else {
            throw BenchError("bench search: \(method.rawValue) seed \(seed) finished \(result.sweep.finishedTrials) of \(runCap) trials")
        }
        let runs = try store.runs(sweepID: sweepID)
        let chosen = runs.filter { $0.status == .completed }.max { ($0.finalValidationAccuracy ?? 0) < ($1.finalValidationAccuracy ?? 0) }
        let best: Double = chosen?.finalValidationAccuracy ?? .nan
        let test: Double = chosen?.testAccuracy ?? .nan
        let epochsTrained: Int = runs.map { $0.epochsCompleted ?? 0 }.reduce(0, +)
        return SearchOutcome(
            bestValidationAccuracy: best, testAccuracy: test, epochsTrained: epochsTrained, seconds: result.seconds,
            completed: result.sweep.count(.completed), pruned: result.sweep.count(.pruned))
    }
}
