import Engine
import Foundation
import Store

/// A recorded-looking sweep written straight into a store, for tests, benchmarks and demos of the query commands
/// and reports when no real training is wanted. One completed run per combination of the grid.
///
/// Per run (deterministic given the seed): iteration `t` (1-based) has loss
/// `L(t) = floor + (L₀ − floor)·exp(−t·k) + ε`, with `L₀ = ln(classes)`, `k = 6·√(lr/0.1)·(16/B)^¼ / totalSteps`,
/// `floor = 0.05 + 0.02·ln(B/16)`, and noise `ε ~ N(0, (0.25·L(t)) / √B)` (Box–Muller over SplitMix64) — so a
/// smaller batch gives a noisier curve. The `zeros` initializer does not learn: `L(t) = L₀ + ε` and chance accuracy.
/// Epoch rows hold the mean iteration loss; accuracies follow `acc = 1 − 0.9·(L / L₀)` clipped to [chance, 0.99],
/// test accuracy a little below train accuracy (gap `0.02·ln(B)/ln(16)`); a confusion matrix spreads the errors.
public struct SyntheticSweep: Sendable {
    public var name = "synthetic"
    public var batchSizes = [16, 64]
    public var learningRates = [0.01, 0.1]
    public var initializers: [Initializer] = [.heUniform, .zeros]
    public var seeds: [UInt64] = [1, 2]
    public var epochs = 3
    /// Training samples; steps per epoch = ⌈trainSize / batch⌉ unless `stepsPerEpoch` is set.
    public var trainSize = 320
    public var stepsPerEpoch: Int?
    public var testSize = 100
    public var classCount = 10
    /// Rows per multi-row INSERT of iterations.
    public var insertChunk = 128

    public init() {}

    public var trialCount: Int { batchSizes.count * learningRates.count * initializers.count * seeds.count }

    /// The grid, in trial order (batch size outermost, seed innermost).
    public func configurations() -> [TrainingConfiguration] {
        var result: [TrainingConfiguration] = []
        for batchSize in batchSizes {
            for learningRate in learningRates {
                for initializer in initializers {
                    for seed in seeds {
                        var configuration = TrainingConfiguration()
                        configuration.data = "digits"
                        configuration.layers = [64, 32, classCount]
                        configuration.batchSize = batchSize
                        configuration.learningRate = learningRate
                        configuration.initializer = initializer
                        configuration.seed = seed
                        configuration.epochs = epochs
                        result.append(configuration)
                    }
                }
            }
        }
        return result
    }

    /// The specification as JSON, as a sweep would store it.
    public func specJSON() -> String {
        let batch = batchSizes.map(String.init).joined(separator: ", ")
        let rates = learningRates.map { "\($0)" }.joined(separator: ", ")
        let inits = initializers.map { "\"\($0)\"" }.joined(separator: ", ")
        let seedList = seeds.map(String.init).joined(separator: ", ")
        return """
            {"name": "\(name)", "method": "grid", "metric": {"name": "test_accuracy", "goal": "maximize"}, \
            "parameters": {"batch_size": [\(batch)], "learning_rate": [\(rates)], "initializer": [\(inits)], \
            "seed": [\(seedList)]}, "base": {"data": "digits", "layers": [64, 32, \(classCount)], "epochs": \(epochs)}}
            """
    }

    /// Writes the sweep and all its runs, iterations, epochs and test evaluations; returns the sweep id.
    @discardableResult
    public func record(into store: LogbookStore) throws -> Int64 {
        let configurations = configurations()
        let sweepID = try store.createSweep(
            name: name, method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: specJSON(),
            trials: configurations)
        let runIDs: [Int64] = try store.read { connection in
            var ids: [Int64] = []
            try connection.forEachRow("SELECT id FROM runs WHERE sweep_id = ? ORDER BY trial_index", [.integer(sweepID)]) {
                ids.append($0.int64(0))
            }
            return ids
        }
        try store.write { connection in
            let start = 1_700_000_000.0
            for (index, (runID, configuration)) in zip(runIDs, configurations).enumerated() {
                try writeRun(runID, configuration, startedAt: start + Double(index) * 100, connection: connection)
            }
        }
        return sweepID
    }
}
