import Store

/// One metric value of a run at a step: what both the TensorBoard and the MLflow exports write, so that the two
/// carry the same series under the same names.
public struct ScalarPoint: Sendable, Equatable {
    public var tag: String
    public var step: Int
    /// NaN where the stored loss was NaN.
    public var value: Double
    /// Seconds since 1970 (the run's start plus its share of the run's duration at this step).
    public var wallTime: Double
}

/// The series of a run, as tags and steps:
///
/// - `iteration/loss` at every global step (1-based); `iteration/learning_rate` at step 1 and wherever the effective
///   rate differs from the step before;
/// - `epoch/train_loss`, `epoch/train_accuracy`, `epoch/validation_loss`, `epoch/validation_accuracy`,
///   `epoch/learning_rate` at each epoch's last global step (a missing validation split writes none);
/// - `test/loss` and `test/accuracy` (classification) or `test/mean_squared_error`, `test/mean_absolute_error`,
///   `test/r_squared` (regression) at the run's last step.
///
/// Wall times interpolate the run's duration linearly over its steps: `t(s) = started + duration · s / steps`.
public enum RunScalars {
    public static func points(of history: RunHistory) -> [ScalarPoint] {
        let run = history.run
        let lastStep = max(run.stepsCompleted ?? 0, history.iterations.last?.step ?? 0, history.epochs.last?.step ?? 0)
        let start = run.startedAt ?? run.createdAt
        let duration = run.duration ?? ((run.endedAt ?? start) - start)
        func time(_ step: Int) -> Double { lastStep > 0 ? start + duration * Double(step) / Double(lastStep) : start }

        var points: [ScalarPoint] = []
        points.reserveCapacity(history.iterations.count + history.epochs.count * 5 + 5)
        var previousRate: Double?
        for iteration in history.iterations {
            let wallTime = time(iteration.step)
            points.append(ScalarPoint(tag: "iteration/loss", step: iteration.step, value: iteration.loss ?? .nan, wallTime: wallTime))
            if previousRate != iteration.learningRate {
                points.append(
                    ScalarPoint(tag: "iteration/learning_rate", step: iteration.step, value: iteration.learningRate, wallTime: wallTime))
                previousRate = iteration.learningRate
            }
        }
        for epoch in history.epochs {
            let wallTime = time(epoch.step)
            let values: [(String, Double?)] = [
                ("epoch/train_loss", epoch.trainLoss ?? .nan), ("epoch/train_accuracy", epoch.trainAccuracy),
                ("epoch/validation_loss", epoch.validationLoss), ("epoch/validation_accuracy", epoch.validationAccuracy),
                ("epoch/learning_rate", epoch.learningRate),
            ]
            for case (let tag, let value?) in values {
                points.append(ScalarPoint(tag: tag, step: epoch.step, value: value, wallTime: wallTime))
            }
        }
        if let test = history.test {
            let values: [(String, Double?)] = [
                ("test/loss", test.loss ?? .nan), ("test/accuracy", test.accuracy),
                ("test/mean_squared_error", test.meanSquaredError), ("test/mean_absolute_error", test.meanAbsoluteError),
                ("test/r_squared", test.rSquared),
            ]
            for case (let tag, let value?) in values {
                points.append(ScalarPoint(tag: tag, step: lastStep, value: value, wallTime: time(lastStep)))
            }
        }
        return points
    }
}
