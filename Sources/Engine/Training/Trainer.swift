/// The classic training procedure: initialize → (feedforward → loss → backpropagation → update) over mini-batches,
/// epoch after epoch, until a stopping criterion is met. Emits `TrainingEvent`s to its observers.
///
/// An epoch has ⌈N/B⌉ iterations (⌊N/B⌋ with `dropLast`), so 4,000 samples at batch 500 make 8 steps and 3 epochs
/// make 24. Training is deterministic: same configuration and seed ⇒ bit-identical losses, in any process.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let data: PreparedData
    public let model: Sequential
    public let lossFunction: LossFunction
    public let optimizer: Optimizer
    public let schedule: LearningRateSchedule
    public let stepsPerEpoch: Int
    /// Resolved widths, input and output filled in from the data.
    public let widths: [Int]
    public var observers: [TrainingObserver] = []
    /// Polled between steps; returning true ends the run with reason `interrupted`.
    public var shouldStop: (() -> Bool)?
    /// What loading pretrained weights had to say (e.g. that batch norm started fresh because the file has no
    /// batch-norm tensors): one line each, for the user. Empty for drawn initializers.
    public private(set) var initializationNotes: [String] = []

    /// Prepares the data (unless given), validates the configuration against it and builds and initializes the
    /// model. `pretrainedWeights` supplies the tensors for `initializer = run:ID`.
    public init(
        configuration: TrainingConfiguration, pretrainedWeights: [NamedTensor]? = nil, data: PreparedData? = nil
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        let data = try data ?? DataPipeline.prepare(configuration.dataSettings)
        self.data = data
        let train = data.train
        let outputWidth = train.outputWidth
        var widths = configuration.layers
        try Trainer.resolve(&widths, featureCount: train.featureCount, outputWidth: outputWidth, configuration)
        self.widths = widths
        guard train.sampleCount > 0 else { throw EngineError.invalid("data", configuration.data, "the training split is empty") }
        try configuration.checkBatchSize(trainingSamples: train.sampleCount)
        let lossKind = configuration.loss ?? (train.isClassification ? .crossEntropy : .meanSquaredError)
        if lossKind == .crossEntropy && !train.isClassification {
            throw EngineError.invalid("loss", lossKind.rawValue, "needs class labels, but \(configuration.data) is a regression set")
        }
        if lossKind == .crossEntropy && outputWidth < 2 {
            throw EngineError.invalid("loss", lossKind.rawValue, "needs at least 2 classes")
        }
        var resolved = configuration
        resolved.loss = lossKind
        try Hyperparameter.labelSmoothing.validate(resolved)  // smoothing needs cross-entropy, the inferred loss too
        let samples = train.sampleCount
        let batches = configuration.dropLast ? samples / configuration.batchSize
            : (samples + configuration.batchSize - 1) / configuration.batchSize
        stepsPerEpoch = batches
        schedule = LearningRateSchedule(configuration.scheduleSettings, plannedSteps: batches * configuration.epochs)
        optimizer = Optimizer(configuration.optimizerSettings)
        lossFunction = LossFunction(kind: lossKind, width: outputWidth, labelSmoothing: Float(configuration.labelSmoothing))
        model = Sequential(
            widths: widths, activation: configuration.activation,
            batchNorm: configuration.batchNorm, batchNormMomentum: Float(configuration.batchNormMomentum),
            batchNormEpsilon: Float(configuration.batchNormEpsilon), dropout: Float(configuration.dropout),
            seed: configuration.seed)
        try initializeWeights(pretrainedWeights)
    }

    private static func resolve(
        _ widths: inout [Int], featureCount: Int, outputWidth: Int, _ configuration: TrainingConfiguration
    ) throws {
        let text = configuration.layerText
        if widths[0] == 0 { widths[0] = featureCount }
        if widths[widths.count - 1] == 0 { widths[widths.count - 1] = outputWidth }
        guard widths[0] == featureCount else {
            throw EngineError.invalid(
                "layers", text, "the input layer has \(widths[0]) units but \(configuration.data) has \(featureCount) features")
        }
        guard widths[widths.count - 1] == outputWidth else {
            let what = outputWidth == 1 ? "1 target" : "\(outputWidth) \(configuration.task == .regression ? "targets" : "classes")"
            throw EngineError.invalid(
                "layers", text, "the output layer has \(widths[widths.count - 1]) units but \(configuration.data) has \(what)")
        }
    }

    private func initializeWeights(_ pretrained: [NamedTensor]?) throws {
        let initializer = configuration.initializer
        switch initializer {
        case .run:
            guard let pretrained else {
                throw EngineError.invalid("initializer", initializer.description, "the run's weights were not supplied")
            }
            initializationNotes = try model.load(pretrained, source: initializer.description)
        case .file(let path):
            initializationNotes = try model.load(try Safetensors.read(path: path), source: initializer.description)
        default:
            var generator = Xoshiro256StarStar(seed: configuration.seed, stream: "init")
            model.initialize(
                weights: initializer, biases: configuration.biasInitializer, using: &generator)
        }
    }

    private func emit(_ event: TrainingEvent) throws {
        for observer in observers { try observer.handle(event) }
    }

    /// The run's start event (also what a recorder needs to describe the run before its first step).
    public var runStart: RunStart {
        RunStart(
            configuration: configuration, dataset: data.summary, layers: widths,
            modelDescription: Sequential.describe(
                widths: widths, activation: configuration.activation.rawValue, batchNorm: configuration.batchNorm,
                dropout: configuration.dropout),
            parameterCount: model.parameterCount, stepsPerEpoch: stepsPerEpoch,
            plannedSteps: stepsPerEpoch * configuration.epochs)
    }

    /// Trains until a stopping criterion is met and returns every iteration's loss and the final evaluation.
    public func run() throws -> TrainingResult {
        BLAS.useSingleThread()
        let clock = MonotonicClock()
        var loop = TrainingLoop(trainer: self)
        try emit(.started(runStart))
        try emit(.weights(WeightsSnapshot(kind: .initial, tensors: model.namedTensors())))
        var result = TrainingResult()
        var stopReason = StopReason.maxEpochs
        var detail: String?
        var early = EarlyStopping(metric: configuration.earlyStoppingMetric, patience: configuration.patience)
        epochs: for epoch in 1...configuration.epochs {
            let epochStart = clock.seconds
            let outcome = try loop.runEpoch(epoch, result: &result, emit: emit)
            if let stop = outcome.stop {
                stopReason = stop.reason
                detail = stop.detail
                break epochs
            }
            let seconds = clock.seconds - epochStart
            let validation = try data.validation.map { try evaluate(on: $0, split: "validation", epoch: epoch) }
            let ended = EpochEnded(
                epoch: epoch, step: result.losses.count, trainLoss: outcome.meanLoss, trainAccuracy: outcome.accuracy,
                validationLoss: validation?.loss, validationAccuracy: validation?.accuracy,
                learningRate: outcome.lastLearningRate, seconds: seconds,
                samplesPerSecond: Double(outcome.samples) / max(seconds, 1e-9))
            result.epochs.append(ended)
            try emit(.epoch(ended))
            if configuration.targetLoss > 0 && outcome.meanLoss <= configuration.targetLoss {
                stopReason = .targetLoss
                detail = "train loss \(outcome.meanLoss) ≤ \(configuration.targetLoss) after epoch \(epoch)"
                break
            }
            if early.shouldStop(after: ended) {
                stopReason = .earlyStopping
                detail = "no improvement in \(configuration.earlyStoppingMetric.rawValue) for \(configuration.patience) epochs"
                break
            }
        }
        if stopReason != .diverged, stopReason != .interrupted, let test = data.test {
            let evaluation = try evaluate(on: test, split: "test", epoch: result.epochs.count)
            result.test = evaluation
            try emit(.evaluation(evaluation))
        }
        try emit(.weights(WeightsSnapshot(kind: .final, tensors: model.namedTensors())))
        let finished = RunFinished(
            reason: stopReason, epochsCompleted: result.epochs.count, stepsCompleted: result.losses.count,
            seconds: clock.seconds, detail: detail)
        result.finished = finished
        try emit(.finished(finished))
        return result
    }

    /// Loss, accuracy and confusion matrix (classification) or MSE/MAE/R² (regression) of the current model on
    /// `dataset`, in evaluation mode (running batch-norm statistics, no dropout).
    public func evaluate(on dataset: Dataset, split: String, epoch: Int) throws -> Evaluation {
        Evaluator(model: model, lossFunction: lossFunction).evaluate(dataset, split: split, epoch: epoch)
    }
}

/// What `Trainer.run` returns: every iteration's loss (in step order), the epochs, the test evaluation.
public struct TrainingResult: Sendable {
    public var losses: [Float] = []
    public var epochs: [EpochEnded] = []
    public var test: Evaluation?
    public var finished = RunFinished(reason: .maxEpochs, epochsCompleted: 0, stepsCompleted: 0, seconds: 0)
}

/// Early stopping: stop once `metric` has not improved for `patience` consecutive epochs (0 = never).
struct EarlyStopping {
    let metric: EarlyStoppingMetric
    let patience: Int
    private var best: Double?
    private var epochsWithoutImprovement = 0

    init(metric: EarlyStoppingMetric, patience: Int) {
        self.metric = metric
        self.patience = patience
    }

    mutating func shouldStop(after epoch: EpochEnded) -> Bool {
        guard patience > 0 else { return false }
        let value: Double?
        let higherIsBetter: Bool
        switch metric {
        case .validationAccuracy: (value, higherIsBetter) = (epoch.validationAccuracy, true)
        case .trainLoss: (value, higherIsBetter) = (epoch.trainLoss, false)
        case .validationLoss: (value, higherIsBetter) = (epoch.validationLoss, false)
        }
        guard let value else { return false }
        if let best, higherIsBetter ? value <= best : value >= best {
            epochsWithoutImprovement += 1
        } else {
            best = value
            epochsWithoutImprovement = 0
        }
        return epochsWithoutImprovement >= patience
    }
}
