/// The table of every hyperparameter of `TrainingConfiguration`, in the order of `parameterValues()` and of the
/// `train` flags. Adding a hyperparameter is one entry here (and in `all`), its field in `TrainingConfiguration`,
/// and its use in the engine; validation, sweeps, the store's `params` rows and suggestions follow from the table.
extension Hyperparameter {
    public static let all: [Hyperparameter] = [
        data, testData, labelColumn, task, syntheticSamples, validationFraction, validationIndices, testFraction, stratify, scaling,
        layers, activation, batchNorm, batchNormMomentum, batchNormEpsilon, dropout, initializer, biasInitializer,
        loss, labelSmoothing, optimizer, learningRate, momentum, beta1, beta2, adamEpsilon, weightDecay, schedule, scheduleGamma,
        scheduleStepSize, warmupSteps, gradientClip, batchSize, epochs, shuffle, dropLast, seed, targetLoss, patience,
        earlyStoppingMetric, divergenceFactor,
    ]

    /// The names of the boolean hyperparameters (`batch_norm`, `shuffle`, …).
    public static let flagNames = Set(all.filter { $0.valueType == .flag }.map(\.name))

    // Data
    public static let data = source(
        "data", \.data, help: "Dataset: \(or(DataPipeline.bundledNames + DataPipeline.syntheticNames + DataPipeline.sourceForms)).")
    public static let testData = optionalSource(
        "test_data", \.testData, help: "A separate test set (same forms as --data).")
    public static let labelColumn = optionalText(
        "label_column", \.labelColumn, help: "CSV label column, by name or zero-based index (default: the last).")
    public static let task = optionalChoice(
        "task", \.task, help: "\(LabelTask.nameList) (default: inferred from the labels).")
    public static let syntheticSamples = integer(
        "synthetic_samples", \.syntheticSamples, atLeast: 1, help: "Sample count of a synthetic dataset.")
    public static let validationFraction = number(
        "validation_fraction", \.validationFraction, .fraction, help: "Fraction of the data held out for validation.")
    public static let validationIndices = optionalText(
        "validation_indices", \.validationIndices,
        help: "A file of the zero-based indices of the samples held out for validation (instead of validation_fraction).",
        requires: { configuration in
            guard configuration.validationIndices != nil else { return nil }
            return ValidationIndices.conflict(validationFraction: configuration.validationFraction)
        })
    public static let testFraction = number(
        "test_fraction", \.testFraction, .fraction, help: "Fraction of the data held out for the test evaluation.")
    public static let stratify = flag(
        "stratify", \.stratify, help: "Keep class proportions in every split (classification only).")
    public static let scaling = choice(
        "scaling", \.scaling, help: "Feature scaling fitted on the training split: \(Scaler.Method.nameList).")

    // Model
    public static let layers = widths(
        "layers", \.layers, help: "Layer widths, input to output; 0 at either end takes the width from the data.")
    public static let activation = choice(
        "activation", \.activation, help: "Hidden activation: \(ActivationKind.nameList).")
    public static let batchNorm = flag(
        "batch_norm", \.batchNorm, help: "Batch normalization after every hidden dense layer.")
    public static let batchNormMomentum = number(
        "batch_norm_momentum", \.batchNormMomentum, .unitInterval, help: "Batch-norm running-statistics momentum.")
    public static let batchNormEpsilon = number(
        "batch_norm_epsilon", \.batchNormEpsilon, .positive, help: "Batch-norm ε.")
    public static let dropout = number(
        "dropout", \.dropout, .fraction, help: "Dropout probability after every hidden activation.")
    public static let initializer = weightInitializer(
        "initializer", \.initializer, pretrained: true,
        help: "Weight initializer: zeros, constant:V, uniform:A, normal:S, xavier-uniform, xavier-normal, he-uniform, "
            + "he-normal, lecun-uniform, lecun-normal, orthogonal, file:PATH (safetensors) or run:ID.")
    public static let biasInitializer = weightInitializer(
        "bias_initializer", \.biasInitializer, pretrained: false,
        help: "Bias initializer: zeros, constant:V, uniform:A or normal:S.")

    // Objective and optimisation
    public static let loss = optionalChoice(
        "loss", \.loss,
        help: "Loss: \(LossKind.nameList) (default: cross-entropy for classes, mse for regression).")
    public static let labelSmoothing = number(
        "label_smoothing", \.labelSmoothing, .fraction,
        help: "Label smoothing ε of cross-entropy: targets (1 − ε)·one-hot + ε/classes (0 = off).",
        requires: { configuration in
            guard configuration.labelSmoothing > 0, let loss = configuration.loss, loss != .crossEntropy else { return nil }
            return "applies to the cross-entropy loss only (the loss is \(loss.rawValue))"
        })
    public static let optimizer = choice(
        "optimizer", \.optimizer, help: "Optimizer: \(OptimizerKind.nameList).")
    public static let learningRate = number(
        "learning_rate", \.learningRate, .positive, help: "Learning rate.")
    public static let momentum = number(
        "momentum", \.momentum, .fraction, help: "Momentum μ for sgd (momentum and nesterov default to 0.9).")
    public static let beta1 = number("beta1", \.beta1, .fraction, help: "Adam β₁.")
    public static let beta2 = number("beta2", \.beta2, .fraction, help: "Adam β₂.")
    public static let adamEpsilon = number("adam_epsilon", \.adamEpsilon, .positive, help: "Adam ε.")
    public static let weightDecay = number(
        "weight_decay", \.weightDecay, .nonNegative, help: "Weight decay λ (decoupled for adamw).")
    public static let schedule = choice(
        "schedule", \.schedule, help: "Learning-rate schedule: \(ScheduleKind.nameList).")
    public static let scheduleGamma = number(
        "schedule_gamma", \.scheduleGamma, .positive, help: "Decay factor γ of the step and exponential schedules.")
    public static let scheduleStepSize = integer(
        "schedule_step_size", \.scheduleStepSize, atLeast: 1, help: "Epochs between decays of the step schedule.")
    public static let warmupSteps = integer(
        "warmup_steps", \.warmupSteps, atLeast: 0, help: "Linear warm-up over this many iterations.")
    public static let gradientClip = number(
        "gradient_clip", \.gradientClip, .nonNegative, help: "Clip gradients to this global L2 norm (0 = off).")

    // Loop and stopping
    public static let batchSize = integer(
        "batch_size", \.batchSize, atLeast: 1, help: "Mini-batch size; an epoch has ⌈N/B⌉ iterations.")
    public static let epochs = integer("epochs", \.epochs, atLeast: 1, help: "Maximum number of epochs.")
    public static let shuffle = flag(
        "shuffle", \.shuffle, help: "Shuffle the training order each epoch (seeded).")
    public static let dropLast = flag(
        "drop_last", \.dropLast, help: "Drop the last incomplete mini-batch of each epoch.")
    public static let seed = unsignedSeed("seed", \.seed, help: "Seed of weights, shuffles and splits.")
    public static let targetLoss = number(
        "target_loss", \.targetLoss, .nonNegative,
        help: "Stop once an epoch's training loss is at or below this (0 = off).")
    public static let patience = integer(
        "patience", \.patience, atLeast: 0,
        help: "Early stopping: epochs without improvement before stopping (0 = off).",
        requires: { configuration in
            let metric = configuration.earlyStoppingMetric
            guard configuration.patience > 0, metric.needsValidationSplit, !configuration.hasValidationSplit else {
                return nil
            }
            return "early stopping on \(metric.rawValue) needs a validation split (validation_fraction > 0 or validation_indices)"
        })
    public static let earlyStoppingMetric = choice(
        "early_stopping_metric", \.earlyStoppingMetric, help: "\(EarlyStoppingMetric.nameList).")
    public static let divergenceFactor = number(
        "divergence_factor", \.divergenceFactor, .nonNegative,
        help: "Stop as diverged when a loss exceeds this multiple of the first loss (0 = only NaN or ∞).")

    /// `a, b or c`.
    static func or(_ names: [String]) -> String {
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}
