extension TrainingConfiguration {
    /// Checks everything that does not need the data: names, ranges and cross-field rules. Each error is one
    /// line naming the field and the value. The trainer adds the checks that need the data (layer widths,
    /// batch size versus training-set size).
    public func validate() throws {
        _ = try ActivationKind(name: activation)
        let weights = try Initializer(name: initializer)
        let biases = try Initializer(name: biasInitializer)
        if biases.isPretrained {
            throw EngineError.invalid("bias_initializer", biasInitializer, "biases are loaded with the weights")
        }
        _ = weights
        if let loss { _ = try LossKind(name: loss) }
        _ = try OptimizerKind(name: optimizer)
        _ = try LearningRateSchedule(configuration: self, plannedSteps: 1)
        if let task, task != "classification" && task != "regression" {
            throw EngineError.invalid("task", task, "expected classification or regression")
        }
        guard batchSize >= 1 else { throw EngineError.invalid("batch_size", batchSize, "must be at least 1") }
        guard epochs >= 1 else { throw EngineError.invalid("epochs", epochs, "must be at least 1") }
        guard layers.count >= 2 else {
            throw EngineError.invalid("layers", layerText, "needs at least an input and an output width")
        }
        for (index, width) in layers.enumerated() {
            let isEnd = index == 0 || index == layers.count - 1
            guard width > 0 || (isEnd && width == 0) else {
                throw EngineError.invalid("layers", layerText, "width \(width) at position \(index + 1) must be positive")
            }
        }
        var parameterCount = 0
        for index in 0..<(layers.count - 1) {
            let (product, overflow) = max(layers[index], 1).multipliedReportingOverflow(by: max(layers[index + 1], 1))
            parameterCount = overflow ? Int.max : parameterCount.addingReportingOverflow(product + layers[index + 1]).partialValue
            if overflow || parameterCount > TrainingConfiguration.maximumParameterCount {
                throw EngineError.invalid(
                    "layers", layerText,
                    "more than \(TrainingConfiguration.maximumParameterCount) parameters (the limit of one model)")
            }
        }
        guard dropout >= 0 && dropout < 1 else { throw EngineError.invalid("dropout", dropout, "must be in [0, 1)") }
        guard batchNormMomentum > 0 && batchNormMomentum <= 1 else {
            throw EngineError.invalid("batch_norm_momentum", batchNormMomentum, "must be in (0, 1]")
        }
        guard batchNormEpsilon > 0 && batchNormEpsilon.isFinite else {
            throw EngineError.invalid("batch_norm_epsilon", batchNormEpsilon, "must be positive")
        }
        guard gradientClip >= 0 && gradientClip.isFinite else {
            throw EngineError.invalid("gradient_clip", gradientClip, "must be ≥ 0 (0 turns clipping off)")
        }
        guard targetLoss >= 0 && targetLoss.isFinite else {
            throw EngineError.invalid("target_loss", targetLoss, "must be ≥ 0 (0 turns it off)")
        }
        guard divergenceFactor >= 0 && divergenceFactor.isFinite else {
            throw EngineError.invalid("divergence_factor", divergenceFactor, "must be ≥ 0 (0 = only NaN or ∞ counts)")
        }
        guard patience >= 0 else { throw EngineError.invalid("patience", patience, "must be ≥ 0") }
        let metrics = ["validation_loss", "validation_accuracy", "train_loss"]
        guard metrics.contains(earlyStoppingMetric) else {
            throw EngineError.invalid(
                "early_stopping_metric", earlyStoppingMetric, "expected one of \(metrics.joined(separator: ", "))")
        }
        if patience > 0 && earlyStoppingMetric.hasPrefix("validation") && validationFraction == 0 {
            throw EngineError.invalid(
                "patience", patience, "early stopping on \(earlyStoppingMetric) needs a validation split (validation_fraction > 0)")
        }
        let scalings = ["none", "standardize", "minmax"]
        guard scalings.contains(scaling) else {
            throw EngineError.invalid("scaling", scaling, "expected one of \(scalings.joined(separator: ", "))")
        }
        for (field, fraction) in [("validation_fraction", validationFraction), ("test_fraction", testFraction)] {
            guard fraction >= 0 && fraction < 1 else { throw EngineError.invalid(field, fraction, "must be in [0, 1)") }
        }
        guard validationFraction + testFraction < 1 else {
            throw EngineError.invalid(
                "validation_fraction", validationFraction, "validation and test fractions together must be below 1")
        }
    }

    /// The largest model Logbook trains: 2²⁸ parameters (1 GiB of weights, as much again for gradients).
    public static let maximumParameterCount = 1 << 28

    /// The layer widths as written on the command line, `64-128-10` (0 = from the data).
    public var layerText: String { layers.map(String.init).joined(separator: "-") }

    /// Parses `64-128-10` (also `784,256,10`); `?` or `0` at either end means "from the data".
    public static func parseLayers(_ text: String) throws -> [Int] {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "," || $0 == "x" })
            .map(String.init)
        var widths: [Int] = []
        for part in parts {
            if part == "?" {
                widths.append(0)
            } else if part.isEmpty {
                throw EngineError.invalid("layers", text, "a width is missing (write widths like 64-128-10)")
            } else if let width = Int(part), width >= 0 {
                widths.append(width)
            } else {
                throw EngineError.invalid("layers", text, "'\(part)' is not a layer width")
            }
        }
        guard widths.count >= 2 else {
            throw EngineError.invalid("layers", text, "needs at least an input and an output width, e.g. 64-128-10")
        }
        return widths
    }
}
