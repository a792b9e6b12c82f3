import Engine

/// The single mapping between `TrainingConfiguration`'s fields and their snake-case parameter names — the names used
/// by sweep specs, the flags of `logbook sweep run`, the store's `params` table and the query language.
///
/// Self-contained on purpose (it may move into Engine). Every field is reachable; enumerated values and numeric ranges
/// are checked here, so a bad value fails with one line before anything is written or trained:
/// `invalid learning_rate -1: must be > 0 and finite`.
extension TrainingConfiguration {
    /// Every parameter name, in the order of `parameterValues()`.
    public static let parameterNames: [String] = [
        "data", "test_data", "label_column", "task", "synthetic_samples", "validation_fraction", "test_fraction",
        "stratify", "scaling", "layers", "activation", "batch_norm", "batch_norm_momentum", "batch_norm_epsilon",
        "dropout", "initializer", "bias_initializer", "loss", "optimizer", "learning_rate", "momentum", "beta1",
        "beta2", "adam_epsilon", "weight_decay", "schedule", "schedule_gamma", "schedule_step_size", "warmup_steps",
        "gradient_clip", "batch_size", "epochs", "shuffle", "drop_last", "seed", "target_loss", "patience",
        "early_stopping_metric", "divergence_factor",
    ]

    /// Sets the field called `name` (snake case) to `value`, converting and checking it.
    /// Optional fields (`test_data`, `label_column`, `task`, `loss`) are cleared by `none` or `auto`.
    /// `layers` takes widths joined by `-` (`64-128-10`; 0 for "from the data").
    public mutating func setParameter(_ name: String, _ value: ParameterValue) throws {
        let field = Field(name: name, value: value)
        switch name {
        case "data":
            data = try field.string()
            try ParameterChoices.checkDataset(data, field: name)
        case "test_data":
            testData = try field.optionalString()
            if let testData { try ParameterChoices.checkDataset(testData, field: name) }
        case "label_column": labelColumn = try field.optionalString()
        case "task":
            task = try field.optionalString()
            if let task { try ParameterChoices.checkChoice(task, in: ParameterChoices.tasks, field: name) }
        case "synthetic_samples": syntheticSamples = try field.integer(atLeast: 1)
        case "validation_fraction": validationFraction = try field.fraction()
        case "test_fraction": testFraction = try field.fraction()
        case "stratify": stratify = try field.boolean()
        case "scaling":
            scaling = try field.string()
            try ParameterChoices.checkChoice(scaling, in: ParameterChoices.scalings, field: name)
        case "layers": layers = try field.layerWidths()
        case "activation":
            activation = try field.string()
            try ParameterChoices.checkChoice(activation, in: ParameterChoices.activations, field: name)
        case "batch_norm": batchNorm = try field.boolean()
        case "batch_norm_momentum":
            batchNormMomentum = try field.positive()
            if batchNormMomentum > 1 { throw field.fail("must be in (0, 1]") }
        case "batch_norm_epsilon": batchNormEpsilon = try field.positive()
        case "dropout": dropout = try field.fraction()
        case "initializer":
            initializer = try field.string()
            try ParameterChoices.checkInitializer(initializer, field: name)
        case "bias_initializer":
            biasInitializer = try field.string()
            try ParameterChoices.checkInitializer(biasInitializer, field: name)
        case "loss":
            loss = try field.optionalString()
            if let loss { try ParameterChoices.checkChoice(loss, in: ParameterChoices.losses, field: name) }
        case "optimizer":
            optimizer = try field.string()
            try ParameterChoices.checkChoice(optimizer, in: ParameterChoices.optimizers, field: name)
        case "learning_rate": learningRate = try field.positive()
        case "momentum": momentum = try field.fraction()
        case "beta1": beta1 = try field.fraction()
        case "beta2": beta2 = try field.fraction()
        case "adam_epsilon": adamEpsilon = try field.positive()
        case "weight_decay": weightDecay = try field.number(in: 0...Double.greatestFiniteMagnitude)
        case "schedule":
            schedule = try field.string()
            try ParameterChoices.checkChoice(schedule, in: ParameterChoices.schedules, field: name)
        case "schedule_gamma": scheduleGamma = try field.positive()
        case "schedule_step_size": scheduleStepSize = try field.integer(atLeast: 1)
        case "warmup_steps": warmupSteps = try field.integer(atLeast: 0)
        case "gradient_clip": gradientClip = try field.number(in: 0...Double.greatestFiniteMagnitude)
        case "batch_size": batchSize = try field.integer(atLeast: 1)
        case "epochs": epochs = try field.integer(atLeast: 1)
        case "shuffle": shuffle = try field.boolean()
        case "drop_last": dropLast = try field.boolean()
        case "seed": seed = UInt64(try field.integer(atLeast: 0))
        case "target_loss": targetLoss = try field.number(in: 0...Double.greatestFiniteMagnitude)
        case "patience": patience = try field.integer(atLeast: 0)
        case "early_stopping_metric":
            earlyStoppingMetric = try field.string()
            try ParameterChoices.checkChoice(earlyStoppingMetric, in: ParameterChoices.earlyStoppingMetrics, field: name)
        case "divergence_factor": divergenceFactor = try field.number(in: 0...Double.greatestFiniteMagnitude)
        default:
            throw SweepError("unknown parameter '\(name)'" + NameSuggestion.hint(for: name, in: Self.parameterNames))
        }
    }

    /// Every field as (parameter name, value), in `parameterNames` order; unset optional fields are left out.
    public func parameterValues() -> [(String, ParameterValue)] {
        var values: [(String, ParameterValue)] = [("data", .string(data))]
        if let testData { values.append(("test_data", .string(testData))) }
        if let labelColumn { values.append(("label_column", .string(labelColumn))) }
        if let task { values.append(("task", .string(task))) }
        values += [
            ("synthetic_samples", .int(syntheticSamples)), ("validation_fraction", .double(validationFraction)),
            ("test_fraction", .double(testFraction)), ("stratify", .bool(stratify)), ("scaling", .string(scaling)),
            ("layers", .string(layers.map(String.init).joined(separator: "-"))), ("activation", .string(activation)),
            ("batch_norm", .bool(batchNorm)), ("batch_norm_momentum", .double(batchNormMomentum)),
            ("batch_norm_epsilon", .double(batchNormEpsilon)), ("dropout", .double(dropout)),
            ("initializer", .string(initializer)), ("bias_initializer", .string(biasInitializer)),
        ]
        if let loss { values.append(("loss", .string(loss))) }
        values += [
            ("optimizer", .string(optimizer)), ("learning_rate", .double(learningRate)), ("momentum", .double(momentum)),
            ("beta1", .double(beta1)), ("beta2", .double(beta2)), ("adam_epsilon", .double(adamEpsilon)),
            ("weight_decay", .double(weightDecay)), ("schedule", .string(schedule)),
            ("schedule_gamma", .double(scheduleGamma)), ("schedule_step_size", .int(scheduleStepSize)),
            ("warmup_steps", .int(warmupSteps)), ("gradient_clip", .double(gradientClip)),
            ("batch_size", .int(batchSize)), ("epochs", .int(epochs)), ("shuffle", .bool(shuffle)),
            ("drop_last", .bool(dropLast)), ("seed", .int(Int(truncatingIfNeeded: seed))),
            ("target_loss", .double(targetLoss)), ("patience", .int(patience)),
            ("early_stopping_metric", .string(earlyStoppingMetric)), ("divergence_factor", .double(divergenceFactor)),
        ]
        return values
    }
}

/// Converts one parameter value to a field's type, with the one-line error naming the field and value.
private struct Field {
    let name: String
    let value: ParameterValue

    func fail(_ reason: String) -> SweepError {
        let shown: String
        if case .string(let text) = value { shown = "'\(text)'" } else { shown = value.description }
        return SweepError("invalid \(name) \(shown): \(reason)")
    }

    func string() throws -> String {
        switch value {
        case .string(let text) where !text.isEmpty: return text
        case .int, .double: return value.description  // e.g. a label column given by index
        default: throw fail("expected a name")
        }
    }

    func optionalString() throws -> String? {
        let text = try string()
        return text == "none" || text == "auto" ? nil : text
    }

    func number(in range: ClosedRange<Double>) throws -> Double {
        guard let number = value.number, number.isFinite else { throw fail("expected a number") }
        guard range.contains(number) else {
            if range.upperBound == .greatestFiniteMagnitude { throw fail("must be ≥ \(ParameterValue.format(range.lowerBound))") }
            throw fail("must be between \(ParameterValue.format(range.lowerBound)) and \(ParameterValue.format(range.upperBound))")
        }
        return number
    }

    func positive() throws -> Double {
        guard let number = value.number, number.isFinite, number > 0 else { throw fail("must be > 0 and finite") }
        return number
    }

    /// In [0, 1).
    func fraction() throws -> Double {
        guard let number = value.number, number.isFinite, number >= 0, number < 1 else {
            throw fail("must be in [0, 1)")
        }
        return number
    }

    func integer(atLeast minimum: Int) throws -> Int {
        guard let number = value.number, number.isFinite, number == number.rounded(), abs(number) < 1e15 else {
            throw fail("expected an integer")
        }
        guard Int(number) >= minimum else { throw fail("must be at least \(minimum)") }
        return Int(number)
    }

    func boolean() throws -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .int(0), .string("false"), .string("no"), .string("off"): return false
        case .int(1), .string("true"), .string("yes"), .string("on"): return true
        default: throw fail("expected true or false")
        }
    }

    /// `64-128-10` ⇒ [64, 128, 10], parsed exactly as `logbook train --layers` parses it (hidden widths are checked,
    /// with the rest of the configuration, when the plan validates each trial).
    func layerWidths() throws -> [Int] {
        do {
            return try TrainingConfiguration.parseLayers(try string())
        } catch let error as EngineError {
            throw SweepError(error.message)
        }
    }
}
