/// The typed settings each part of the engine takes, cut from the configuration (each part sees only its own).
extension TrainingConfiguration {
    public var dataSettings: DataSettings {
        DataSettings(
            data: data, testData: testData, labelColumn: labelColumn, task: task, syntheticSamples: syntheticSamples,
            validationFraction: validationFraction, testFraction: testFraction, stratify: stratify, scaling: scaling,
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
