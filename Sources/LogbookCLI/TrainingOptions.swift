import ArgumentParser
import Engine

/// Every training option, shared by `train` and `gradcheck`-style commands. Defaults are
/// `TrainingConfiguration`'s, so the help text and the engine never disagree.
struct TrainingOptions: ParsableArguments {
    private static let defaults = TrainingConfiguration()

    // Data
    @Option(
        help: ArgumentHelp(
            "Dataset: digits, iris, wine, breast-cancer, spirals, moons, blobs, xor, sine, csv:PATH, idx:IMAGES,LABELS or mnist:DIR.",
            valueName: "source"))
    var data: String = defaults.data
    @Option(name: .customLong("test-data"), help: ArgumentHelp("A separate test set (same forms as --data).", valueName: "source"))
    var testData: String?
    @Option(name: .customLong("label-column"), help: "CSV label column, by name or zero-based index (default: the last).")
    var labelColumn: String?
    @Option(help: "classification or regression (default: inferred from the labels).")
    var task: String?
    @Option(name: .customLong("samples"), help: "Sample count of a synthetic dataset.")
    var syntheticSamples: Int = defaults.syntheticSamples
    @Option(name: .customLong("validation-fraction"), help: "Fraction of the data held out for validation.")
    var validationFraction: Double = defaults.validationFraction
    @Option(name: .customLong("test-fraction"), help: "Fraction of the data held out for the test evaluation.")
    var testFraction: Double = defaults.testFraction
    @Flag(name: .customLong("no-stratify"), help: "Split without keeping class proportions.")
    var noStratify = false
    @Option(help: "Feature scaling fitted on the training split: none, standardize or minmax.")
    var scaling: String = defaults.scaling

    // Model
    @Option(help: ArgumentHelp("Layer widths, input to output; 0 at either end takes the width from the data.", valueName: "widths"))
    var layers: String = defaults.layerText
    @Option(help: "Hidden activation: relu, leaky-relu, sigmoid, tanh or gelu.")
    var activation: String = defaults.activation
    @Flag(name: .customLong("batch-norm"), help: "Batch normalization after every hidden dense layer.")
    var batchNorm = false
    @Option(name: .customLong("bn-momentum"), help: "Batch-norm running-statistics momentum.")
    var batchNormMomentum: Double = defaults.batchNormMomentum
    @Option(name: .customLong("bn-epsilon"), help: "Batch-norm ε.")
    var batchNormEpsilon: Double = defaults.batchNormEpsilon
    @Option(help: "Dropout probability after every hidden activation.")
    var dropout: Double = defaults.dropout
    @Option(
        name: .customLong("init"),
        help: ArgumentHelp(
            "Weight initializer: zeros, constant:V, uniform:A, normal:S, xavier-uniform, xavier-normal, he-uniform, he-normal, lecun-uniform, lecun-normal, orthogonal, file:PATH (safetensors) or run:ID.",
            valueName: "initializer"))
    var initializer: String = defaults.initializer
    @Option(name: .customLong("bias-init"), help: "Bias initializer: zeros, constant:V, uniform:A or normal:S.")
    var biasInitializer: String = defaults.biasInitializer

    // Objective and optimisation
    @Option(help: "Loss: cross-entropy, mse or bce (default: cross-entropy for classes, mse for regression).")
    var loss: String?
    @Option(help: "Optimizer: sgd, momentum, nesterov, adam or adamw.")
    var optimizer: String = defaults.optimizer
    @Option(name: [.customLong("lr"), .customLong("learning-rate")], help: "Learning rate.")
    var learningRate: Double = defaults.learningRate
    @Option(help: "Momentum μ for sgd (momentum and nesterov default to 0.9).")
    var momentum: Double = defaults.momentum
    @Option(help: "Adam β₁.")
    var beta1: Double = defaults.beta1
    @Option(help: "Adam β₂.")
    var beta2: Double = defaults.beta2
    @Option(name: .customLong("adam-epsilon"), help: "Adam ε.")
    var adamEpsilon: Double = defaults.adamEpsilon
    @Option(name: .customLong("weight-decay"), help: "Weight decay λ (decoupled for adamw).")
    var weightDecay: Double = defaults.weightDecay
    @Option(help: "Learning-rate schedule: constant, step, exponential or cosine.")
    var schedule: String = defaults.schedule
    @Option(help: "Decay factor γ of the step and exponential schedules.")
    var gamma: Double = defaults.scheduleGamma
    @Option(name: .customLong("step-size"), help: "Epochs between decays of the step schedule.")
    var stepSize: Int = defaults.scheduleStepSize
    @Option(help: "Linear warm-up over this many iterations.")
    var warmup: Int = defaults.warmupSteps
    @Option(name: .customLong("clip"), help: "Clip gradients to this global L2 norm (0 = off).")
    var gradientClip: Double = defaults.gradientClip

    // Loop and stopping
    @Option(name: .customLong("batch-size"), help: "Mini-batch size; an epoch has ⌈N/B⌉ iterations.")
    var batchSize: Int = defaults.batchSize
    @Option(help: "Maximum number of epochs.")
    var epochs: Int = defaults.epochs
    @Flag(name: .customLong("no-shuffle"), help: "Keep the training order fixed instead of a seeded shuffle per epoch.")
    var noShuffle = false
    @Flag(name: .customLong("drop-last"), help: "Drop the last incomplete mini-batch of each epoch.")
    var dropLast = false
    @Option(help: "Seed of weights, shuffles and splits.")
    var seed: UInt64 = defaults.seed
    @Option(name: .customLong("target-loss"), help: "Stop once an epoch's training loss is at or below this (0 = off).")
    var targetLoss: Double = defaults.targetLoss
    @Option(help: "Early stopping: epochs without improvement before stopping (0 = off).")
    var patience: Int = defaults.patience
    @Option(name: .customLong("early-stopping-metric"), help: "validation_loss, validation_accuracy or train_loss.")
    var earlyStoppingMetric: String = defaults.earlyStoppingMetric
    @Option(
        name: .customLong("divergence-factor"),
        help: "Stop as diverged when a loss exceeds this multiple of the first loss (0 = only NaN or ∞).")
    var divergenceFactor: Double = defaults.divergenceFactor

    /// The configuration these options describe, validated (one-line errors naming the field and value).
    func configuration() throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = data
        configuration.testData = testData
        configuration.labelColumn = labelColumn
        configuration.task = task
        configuration.syntheticSamples = syntheticSamples
        configuration.validationFraction = validationFraction
        configuration.testFraction = testFraction
        configuration.stratify = !noStratify
        configuration.scaling = scaling
        configuration.layers = try TrainingConfiguration.parseLayers(layers)
        configuration.activation = activation
        configuration.batchNorm = batchNorm
        configuration.batchNormMomentum = batchNormMomentum
        configuration.batchNormEpsilon = batchNormEpsilon
        configuration.dropout = dropout
        configuration.initializer = initializer
        configuration.biasInitializer = biasInitializer
        configuration.loss = loss
        configuration.optimizer = optimizer
        configuration.learningRate = learningRate
        configuration.momentum = momentum
        configuration.beta1 = beta1
        configuration.beta2 = beta2
        configuration.adamEpsilon = adamEpsilon
        configuration.weightDecay = weightDecay
        configuration.schedule = schedule
        configuration.scheduleGamma = gamma
        configuration.scheduleStepSize = stepSize
        configuration.warmupSteps = warmup
        configuration.gradientClip = gradientClip
        configuration.batchSize = batchSize
        configuration.epochs = epochs
        configuration.shuffle = !noShuffle
        configuration.dropLast = dropLast
        configuration.seed = seed
        configuration.targetLoss = targetLoss
        configuration.patience = patience
        configuration.earlyStoppingMetric = earlyStoppingMetric
        configuration.divergenceFactor = divergenceFactor
        try configuration.validate()
        return configuration
    }

    func validate() throws {
        do {
            _ = try configuration()
        } catch let error as EngineError {
            throw ValidationError(error.message)
        }
    }
}
