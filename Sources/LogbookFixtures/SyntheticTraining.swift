import Engine
import Foundation

/// The events a trainer emits for one configuration — started, initial weights, every iteration, every epoch, the
/// test evaluation, final weights, finished — with made-up figures instead of computed ones, for fixtures that must
/// look like a real sweep without the cost of training. No data is loaded; the events describe `trainSize`
/// training samples and `testSize` test samples of `classCount` classes.
///
/// Per run (deterministic given the configuration): iteration `t` (1-based) has loss
/// `L(t) = floor + (L₀ − floor)·exp(−t·k) + ε`, with `L₀ = ln(classes)`, `k = 6·√(lr/0.1)·(16/B)^¼ / totalSteps`,
/// `floor = 0.05 + 0.02·ln(B/16)`, and noise `ε ~ N(0, (0.25·L(t)) / √B)` (Engine's xoshiro256** generator, stream
/// `synthetic-losses`) — so a smaller batch gives a noisier curve. The `zeros` initializer does not learn:
/// `L(t) = L₀ + ε` and chance accuracy. Epoch rows hold the mean iteration loss; accuracies follow
/// `acc = 1 − 0.9·(L / L₀)` clipped to [chance, 0.99], test accuracy a little below train accuracy (gap
/// `0.02·ln(B)/ln(16)`); a confusion matrix spreads the errors over the next classes.
public struct SyntheticTraining: Sendable {
    /// Training samples; steps per epoch = ⌈trainSize / batch⌉ unless `stepsPerEpoch` is set (then the training
    /// split is `stepsPerEpoch × batch` samples).
    public var trainSize = 320
    public var stepsPerEpoch: Int?
    public var testSize = 100
    public var classCount = 10
    /// Whether to emit the initial and final weights (a trainer always does; large fixtures may skip them).
    public var recordsWeights = true

    public init() {}

    /// Emits the run's events to `observer` in the trainer's order; returns the finish event.
    @discardableResult
    public func emit(_ configuration: TrainingConfiguration, to observer: TrainingObserver) throws -> RunFinished {
        let curve = LossCurve(configuration: configuration, classCount: classCount)
        let batchSize = configuration.batchSize
        let steps = stepsPerEpoch ?? (trainSize + batchSize - 1) / batchSize
        let epochs = configuration.epochs
        let totalSteps = steps * epochs
        try observer.handle(.started(runStart(configuration, stepsPerEpoch: steps)))
        if recordsWeights {
            try observer.handle(.weights(WeightsSnapshot(kind: .initial, tensors: weights(configuration, kind: .initial))))
        }
        var random = Xoshiro256StarStar(seed: configuration.seed, stream: "synthetic-losses")
        let learningRate = Float(configuration.learningRate)
        let samplesPerSecond = 20_000 * (Double(batchSize) / 16).squareRoot()
        let secondsPerEpoch = Double(steps * batchSize) / samplesPerSecond
        var epochLoss = 0.0
        for step in 1...totalSteps {
            let epoch = (step - 1) / steps + 1
            let loss = Float(curve.loss(step: step, totalSteps: totalSteps, noise: random.normal()))
            try observer.handle(
                .iteration(IterationEnded(step: step, epoch: epoch, batchIndex: (step - 1) % steps, loss: loss, learningRate: learningRate)))
            epochLoss += Double(loss) / Double(steps)
            if step % steps == 0 {
                try observer.handle(
                    .epoch(
                        EpochEnded(
                            epoch: epoch, step: step, trainLoss: epochLoss, trainAccuracy: curve.accuracy(epochLoss),
                            validationLoss: nil, validationAccuracy: nil, learningRate: configuration.learningRate,
                            seconds: secondsPerEpoch, samplesPerSecond: samplesPerSecond)))
                if epoch < epochs { epochLoss = 0 }
            }
        }
        try observer.handle(.evaluation(curve.testEvaluation(finalLoss: epochLoss, epoch: epochs, testSize: testSize)))
        if recordsWeights {
            try observer.handle(.weights(WeightsSnapshot(kind: .final, tensors: weights(configuration, kind: .final))))
        }
        let finished = RunFinished(
            reason: .maxEpochs, epochsCompleted: epochs, stepsCompleted: totalSteps, seconds: secondsPerEpoch * Double(epochs))
        try observer.handle(.finished(finished))
        return finished
    }

    /// The start event of a `layers` MLP over `trainSize` (or `stepsPerEpoch × batch`) samples.
    func runStart(_ configuration: TrainingConfiguration, stepsPerEpoch steps: Int) -> RunStart {
        let layers = configuration.layers
        let dataset = DatasetSummary(
            name: configuration.data, contentHash: "synthetic", featureCount: layers[0], classCount: classCount,
            trainSize: stepsPerEpoch.map { $0 * configuration.batchSize } ?? trainSize, validationSize: 0,
            testSize: testSize)
        let parameterCount = zip(layers, layers.dropFirst()).map { $0 * $1 + $1 }.reduce(0, +)
        return RunStart(
            configuration: configuration, dataset: dataset, layers: layers,
            modelDescription: Sequential.describe(
                widths: layers, activation: configuration.activation.rawValue, batchNorm: configuration.batchNorm,
                dropout: configuration.dropout),
            parameterCount: parameterCount, stepsPerEpoch: steps, plannedSteps: steps * configuration.epochs)
    }

    /// Dense weights and biases named as `Sequential` names them (`layers.0.weight`, `layers.2.bias`, … — the
    /// activations in between take the odd indices): uniform in ±1/√fan-in (zeros for the `zeros` initializer),
    /// the final ones nudged away from the initial ones.
    func weights(_ configuration: TrainingConfiguration, kind: WeightsSnapshot.Kind) -> [NamedTensor] {
        var random = Xoshiro256StarStar(seed: configuration.seed, stream: "synthetic-weights-\(kind.rawValue)")
        let layers = configuration.layers
        let zeros = configuration.initializer == .zeros && kind == .initial
        return zip(layers, layers.dropFirst()).enumerated().flatMap { index, widths -> [NamedTensor] in
            let (fanIn, fanOut) = widths
            let bound = 1 / Double(fanIn).squareRoot()
            func values(_ count: Int) -> [Float] {
                zeros ? [Float](repeating: 0, count: count) : (0..<count).map { _ in Float(random.uniform(-bound, bound)) }
            }
            return [
                NamedTensor(name: "layers.\(2 * index).weight", role: .parameter, shape: [fanOut, fanIn], values: values(fanIn * fanOut)),
                NamedTensor(name: "layers.\(2 * index).bias", role: .parameter, shape: [fanOut], values: values(fanOut)),
            ]
        }
    }
}
