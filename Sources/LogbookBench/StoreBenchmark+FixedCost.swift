import Engine
import Foundation
import Store

extension StoreBenchmark {
    /// `store.run_fixed_cost`: the per-run cost on the training thread for a digits-mlp-sized run (1,140 steps,
    /// 20 epochs, 64-32-10 weights): `createRun`, `recorder(for:)`, the `handle` calls, and `close()` (which waits
    /// for the last commit), medians in microseconds. The cost of recording relative to training is `bench engine`'s.
    func measureFixedCost(directory: URL) throws -> JSONLine {
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
        for _ in 0..<max(5, repeats) {
            var configuration = StoreBenchmark.benchConfiguration()
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
        let micro = phases.map { BenchStatistics.rounded(BenchStatistics.median($0) * 1e6, places: 1) }
        return JSONLine([
            "bench": "store.run_fixed_cost", "steps": 1140, "epochs": 20, "create_run_us": micro[0],
            "open_recorder_us": micro[1], "handle_events_us": micro[2], "close_us": micro[3],
            "total_us": BenchStatistics.rounded(micro.reduce(0, +), places: 1),
        ])
    }
}
