/// The typed settings each part of the engine takes, cut from the configuration (each part sees only its own).
extension TrainingConfiguration {
    /// Whether the data is split for validation: by a fraction or by a file of indices.
    public var hasValidationSplit: Bool { validationFraction > 0 || validationIndices != nil }

    public var dataSettings: DataSettings {
        DataSettings(
            data: data, testData: testData, labelColumn: labelColumn, task: task, syntheticSamples: syntheticSamples,
            validationFraction: validationFraction, validationIndices: validationIndices, testFraction: testFraction, stratify: stratify, scaling: scaling,
            seed: seed)
    }

    public var optimizerSettings: Optimizer.Settings {
        Optimizer.Settings(
            kind: optimizer, momentum: momentum, beta1: beta1, beta2: beta2, epsilon: adamEpsilon, weightDecay: weightDecay)
    }

    public var scheduleSettings: LearningRateSchedule.Settings {
        LearningRateSchedule.Settings(
            kind: schedule, baseRate: learningRate, gamma: scheduleGamma, stepSize: scheduleStepSize,
            warmupSteps: warmupSteps)
    }
}
