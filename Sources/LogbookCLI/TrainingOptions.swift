import ArgumentParser
import Engine

/// Every training option, shared by `train` and `gradcheck`-style commands. Help texts and defaults come from the
/// parameter registry (`Hyperparameter`), and the options become a configuration through it (`configuration()`),
/// so the help, the engine and the sweep never disagree and a bad value gets the one message of its rule.
struct TrainingOptions: ParsableArguments {

    // Data
    @Option(
        parsing: .unconditional, help: ArgumentHelp(Hyperparameter.data.help, valueName: "source"))
    var data: String = text(.data)
    @Option(name: .customLong("test-data"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.testData.help, valueName: "source"))
    var testData: String?
    @Option(name: .customLong("label-column"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.labelColumn.help))
    var labelColumn: String?
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.task.help))
    var task: String?
    @Option(name: .customLong("samples"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.syntheticSamples.help))
    var syntheticSamples: Int = integer(.syntheticSamples)
    @Option(name: .customLong("validation-fraction"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.validationFraction.help))
    var validationFraction: Double = number(.validationFraction)
    @Option(
        name: .customLong("validation-indices"), parsing: .unconditional,
        help: ArgumentHelp(Hyperparameter.validationIndices.help, valueName: "file"))
    var validationIndices: String?
    @Option(name: .customLong("test-fraction"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.testFraction.help))
    var testFraction: Double = number(.testFraction)
    @Flag(name: .customLong("no-stratify"), help: "Split without keeping class proportions.")
    var noStratify = false
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.scaling.help))
    var scaling: String = text(.scaling)

    // Model
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.layers.help, valueName: "widths"))
    var layers: String = text(.layers)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.activation.help))
    var activation: String = text(.activation)
    @Flag(name: .customLong("batch-norm"), help: ArgumentHelp(Hyperparameter.batchNorm.help))
    var batchNorm = false
    @Option(name: .customLong("bn-momentum"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.batchNormMomentum.help))
    var batchNormMomentum: Double = number(.batchNormMomentum)
    @Option(name: .customLong("bn-epsilon"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.batchNormEpsilon.help))
    var batchNormEpsilon: Double = number(.batchNormEpsilon)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.dropout.help))
    var dropout: Double = number(.dropout)
    @Option(
        name: .customLong("init"),
        parsing: .unconditional, help: ArgumentHelp(Hyperparameter.initializer.help, valueName: "initializer"))
    var initializer: String = text(.initializer)
    @Option(name: .customLong("bias-init"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.biasInitializer.help))
    var biasInitializer: String = text(.biasInitializer)

    // Objective and optimisation
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.loss.help))
    var loss: String?
    @Option(name: .customLong("label-smoothing"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.labelSmoothing.help))
    var labelSmoothing: Double = number(.labelSmoothing)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.optimizer.help))
    var optimizer: String = text(.optimizer)
    @Option(name: [.customLong("lr"), .customLong("learning-rate")], parsing: .unconditional, help: ArgumentHelp(Hyperparameter.learningRate.help))
    var learningRate: Double = number(.learningRate)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.momentum.help))
    var momentum: Double = number(.momentum)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.beta1.help))
    var beta1: Double = number(.beta1)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.beta2.help))
    var beta2: Double = number(.beta2)
    @Option(name: .customLong("adam-epsilon"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.adamEpsilon.help))
    var adamEpsilon: Double = number(.adamEpsilon)
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.weightDecay.help))
    var weightDecay: Double = number(.weightDecay)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.schedule.help))
    var schedule: String = text(.schedule)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.scheduleGamma.help))
    var gamma: Double = number(.scheduleGamma)
    @Option(name: .customLong("step-size"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.scheduleStepSize.help))
    var stepSize: Int = integer(.scheduleStepSize)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.warmupSteps.help))
    var warmup: Int = integer(.warmupSteps)
    @Option(name: .customLong("clip"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.gradientClip.help))
    var gradientClip: Double = number(.gradientClip)

    // Loop and stopping
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.batchSize.help))
    var batchSize: Int = integer(.batchSize)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.epochs.help))
    var epochs: Int = integer(.epochs)
    @Flag(name: .customLong("no-shuffle"), help: "Keep the training order fixed instead of a seeded shuffle per epoch.")
    var noShuffle = false
    @Flag(name: .customLong("drop-last"), help: ArgumentHelp(Hyperparameter.dropLast.help))
    var dropLast = false
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.seed.help))
    var seed: UInt64 = UInt64(integer(.seed))
    @Option(name: .customLong("target-loss"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.targetLoss.help))
    var targetLoss: Double = number(.targetLoss)
    @Option(parsing: .unconditional, help: ArgumentHelp(Hyperparameter.patience.help))
    var patience: Int = integer(.patience)
    @Option(name: .customLong("early-stopping-metric"), parsing: .unconditional, help: ArgumentHelp(Hyperparameter.earlyStoppingMetric.help))
    var earlyStoppingMetric: String = text(.earlyStoppingMetric)
    @Option(
        name: .customLong("divergence-factor"),
        parsing: .unconditional, help: ArgumentHelp(Hyperparameter.divergenceFactor.help))
    var divergenceFactor: Double = number(.divergenceFactor)

    /// The options as (parameter, value) pairs, applied by the registry; nil leaves the default.
    var assignments: [(Hyperparameter, ParameterValue?)] {
        [
            (.data, .string(data)), (.testData, testData.map(ParameterValue.string)),
            (.labelColumn, labelColumn.map(ParameterValue.string)), (.task, task.map(ParameterValue.string)),
            (.syntheticSamples, .int(syntheticSamples)), (.validationFraction, .double(validationFraction)),
            (.validationIndices, validationIndices.map(ParameterValue.string)),
            (.testFraction, .double(testFraction)), (.stratify, .bool(!noStratify)), (.scaling, .string(scaling)),
            (.layers, .string(layers)), (.activation, .string(activation)), (.batchNorm, .bool(batchNorm)),
            (.batchNormMomentum, .double(batchNormMomentum)), (.batchNormEpsilon, .double(batchNormEpsilon)),
            (.dropout, .double(dropout)), (.initializer, .string(initializer)), (.biasInitializer, .string(biasInitializer)),
            (.loss, loss.map(ParameterValue.string)), (.labelSmoothing, .double(labelSmoothing)),
            (.optimizer, .string(optimizer)),
            (.learningRate, .double(learningRate)), (.momentum, .double(momentum)), (.beta1, .double(beta1)),
            (.beta2, .double(beta2)), (.adamEpsilon, .double(adamEpsilon)), (.weightDecay, .double(weightDecay)),
            (.schedule, .string(schedule)), (.scheduleGamma, .double(gamma)), (.scheduleStepSize, .int(stepSize)),
            (.warmupSteps, .int(warmup)), (.gradientClip, .double(gradientClip)), (.batchSize, .int(batchSize)),
            (.epochs, .int(epochs)), (.shuffle, .bool(!noShuffle)), (.dropLast, .bool(dropLast)),
            (.seed, .string(String(seed))), (.targetLoss, .double(targetLoss)), (.patience, .int(patience)),
            (.earlyStoppingMetric, .string(earlyStoppingMetric)), (.divergenceFactor, .double(divergenceFactor)),
        ]
    }

    /// The configuration these options describe, validated (one-line errors naming the field and value).
    func configuration() throws -> TrainingConfiguration {
        try TrainingConfiguration(assigning: assignments)
    }

    func validate() throws {
        do {
            _ = try configuration()
        } catch let error as EngineError {
            throw ValidationError(error.message)
        }
    }

    // Defaults, from the registry.
    private static func number(_ entry: Hyperparameter) -> Double { entry.defaultValue?.number ?? 0 }
    private static func integer(_ entry: Hyperparameter) -> Int { Int(entry.defaultValue?.number ?? 0) }
    private static func text(_ entry: Hyperparameter) -> String { entry.defaultValue?.description ?? "" }
}
