import ArgumentParser
import Engine

/// Every training option, shared by `train` and `gradcheck`-style commands. Defaults are
/// `TrainingConfiguration`'s, so the help text and the engine never disagree.
struct TrainingOptions: ParsableArguments {
    private static let defaults = TrainingConfiguration()

    // Data
    @Option(
        parsing: .unconditional, help: ArgumentHelp(
            "Dataset: digits, iris, wine, breast-cancer, spirals, moons, blobs, xor, sine, csv:PATH, idx:IMAGES,LABELS or mnist:DIR.",
            valueName: "source"))
    var data: String = defaults.data
    @Option(name: .customLong("test-data"), parsing: .unconditional, help: ArgumentHelp("A separate test set (same forms as --data).", valueName: "source"))
    var testData: String?
    @Option(name: .customLong("label-column"), parsing: .unconditional, help: "CSV label column, by name or zero-based index (default: the last).")
    var labelColumn: String?
    @Option(parsing: .unconditional, help: "classification or regression (default: inferred from the labels).")
    var task: String?
    @Option(name: .customLong("samples"), parsing: .unconditional, help: "Sample count of a synthetic dataset.")
    var syntheticSamples: Int = defaults.syntheticSamples
    @Option(name: .customLong("validation-fraction"), parsing: .unconditional, help: "Fraction of the data held out for validation.")
    var validationFraction: Double = defaults.validationFraction
    @Option(name: .customLong("test-fraction"), parsing: .unconditional, help: "Fraction of the data held out for the test evaluation.")
    var testFraction: Double = defaults.testFraction
    @Flag(name: .customLong("no-stratify"), help: "Split without keeping class proportions.")
    var noStratify = false
    @Option(parsing: .unconditional, help: "Feature scaling fitted on the training split: none, standardize or minmax.")
    var scaling: String = defaults.scaling

    // Model
    @Option(parsing: .unconditional, help: ArgumentHelp("Layer widths, input to output; 0 at either end takes the width from the data.", valueName: "widths"))
    var layers: String = defaults.layerText
    @Option(parsing: .unconditional, help: "Hidden activation: relu, leaky-relu, sigmoid, tanh or gelu.")
    var activation: String = defaults.activation
    @Flag(name: .customLong("batch-norm"), help: "Batch normalization after every hidden dense layer.")
    var batchNorm = false
    @Option(name: .customLong("bn-momentum"), parsing: .unconditional, help: "Batch-norm running-statistics momentum.")
    var batchNormMomentum: Double = defaults.batchNormMomentum
    @Option(name: .customLong("bn-epsilon"), parsing: .unconditional, help: "Batch-norm ε.")
    var batchNormEpsilon: Double = defaults.batchNormEpsilon
    @Option(parsing: .unconditional, help: "Dropout probability after every hidden activation.")
    var dropout: Double = defaults.dropout
    @Option(
        name: .customLong("init"),
        parsing: .unconditional, help: ArgumentHelp(
            "Weight initializer: zeros, constant:V, uniform:A, normal:S, xavier-uniform, xavier-normal, he-uniform, he-normal, lecun-uniform, lecun-normal, orthogonal, file:PATH (safetensors) or run:ID.",
            valueName: "initializer"))
    var initializer: String = defaults.initializer
    @Option(name: .customLong("bias-init"), parsing: .unconditional, help: "Bias initializer: zeros, constant:V, uniform:A or normal:S.")
    var biasInitializer: String = defaults.biasInitializer

    // Objective and optimisation
    @Option(parsing: .unconditional, help: "Loss: cross-entropy, mse or bce (default: cross-entropy for classes, mse for regression).")
    var loss: String?
    @Option(parsing: .unconditional, help: "Optimizer: sgd, momentum, nesterov, adam or adamw.")
    var optimizer: String = defaults.optimizer
    @Option(name: [.customLong("lr"), .customLong("learning-rate")], parsing: .unconditional, help: "Learning rate.")
    var learningRate: Double = defaults.learningRate
    @Option(parsing: .unconditional, help: "Momentum μ for sgd (momentum and nesterov default to 0.9).")
    var momentum: Double = defaults.momentum
    @Option(parsing: .unconditional, help: "Adam β₁.")
    var beta1: Double = defaults.beta1
    @Option(parsing: .unconditional, help: "Adam β₂.")
    var beta2: Double = defaults.beta2
    @Option(name: .customLong("adam-epsilon"), parsing: .unconditional, help: "Adam ε.")
    var adamEpsilon: Double = defaults.adamEpsilon
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: "Weight decay λ (decoupled for adamw).")
    var weightDecay: Double = defaults.weightDecay
    @Option(parsing: .unconditional, help: "Learning-rate schedule: constant, step, exponential or cosine.")
    var schedule: String = defaults.schedule
    @Option(parsing: .unconditional, help: "Decay factor γ of the step and exponential schedules.")
    var gamma: Double = defaults.scheduleGamma
    @Option(name: .customLong("step-size"), parsing: .unconditional, help: "Epochs between decays of the step schedule.")
    var stepSize: Int = defaults.scheduleStepSize
    @Option(parsing: .unconditional, help: "Linear warm-up over this many iterations.")
    var warmup: Int = defaults.warmupSteps
    @Option(name: .customLong("clip"), parsing: .unconditional, help: "Clip gradients to this global L2 norm (0 = off).")
    var gradientClip: Double = defaults.gradientClip

    // Loop and stopping
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Mini-batch size; an epoch has ⌈N/B⌉ iterations.")
    var batchSize: Int = defaults.batchSize
    @Option(parsing: .unconditional, help: "Maximum number of epochs.")
    var epochs: Int = defaults.epochs
    @Flag(name: .customLong("no-shuffle"), help: "Keep the training order fixed instead of a seeded shuffle per epoch.")
    var noShuffle = false
    @Flag(name: .customLong("drop-last"), help: "Drop the last incomplete mini-batch of each epoch.")
    var dropLast = false
    @Option(parsing: .unconditional, help: "Seed of weights, shuffles and splits.")
    var seed: UInt64 = defaults.seed
    @Option(name: .customLong("target-loss"), parsing: .unconditional, help: "Stop once an epoch's training loss is at or below this (0 = off).")
    var targetLoss: Double = defaults.targetLoss
    @Option(parsing: .unconditional, help: "Early stopping: epochs without improvement before stopping (0 = off).")
    var patience: Int = defaults.patience
    @Option(name: .customLong("early-stopping-metric"), parsing: .unconditional, help: "validation_loss, validation_accuracy or train_loss.")
    var earlyStoppingMetric: String = defaults.earlyStoppingMetric
    @Option(
        name: .customLong("divergence-factor"),
        parsing: .unconditional, help: "Stop as diverged when a loss exceeds this multiple of the first loss (0 = only NaN or ∞).")
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
