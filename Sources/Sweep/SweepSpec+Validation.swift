import Engine

extension SweepSpec {
    /// Checks everything that can be checked without training, in this order, and throws the first problem as one
    /// line: seeds and run cap; the metric; for each parameter its name, its domain (empty value lists, `min > max`,
    /// log distributions over non-positive ranges, continuous distributions in grid search) and every value it can
    /// take against its entry in the parameter registry (`Hyperparameter`) (unknown initializers, activations, optimizers, datasets…).
    /// The batch size against the training split is checked per trial by `SweepPlan`.
    public func validate() throws {
        guard seeds >= 1 else { throw SweepError("invalid seeds \(seeds): must be at least 1") }
        if let runCap, runCap < 1 { throw SweepError("invalid run_cap \(runCap): must be at least 1") }
        if method == .random && runCap == nil {
            throw SweepError("method random needs run_cap (the number of trials to draw)")
        }
        guard Metric.names.contains(metric.name) else {
            throw SweepError("unknown metric name '\(metric.name)'" + NameSuggestion.hint(for: metric.name, in: Metric.names))
        }
        try validateSearch()
        var seen: Set<String> = []
        for parameter in parameters {
            guard seen.insert(parameter.name).inserted else {
                throw SweepError("parameter '\(parameter.name)' is given twice")
            }
            try parameter.validate(method: method)
        }
    }
}

extension SweepSpec.Parameter {
    func validate(method: SweepSpec.Method) throws {
        let entry: Hyperparameter
        do { entry = try Hyperparameter.named(name) } catch let error as EngineError { throw SweepError(error.message) }
        let prefix = "parameter '\(name)'"
        var probe = TrainingConfiguration()
        func check(_ value: ParameterValue) throws {
            do { try entry.set(value, in: &probe) } catch let error as EngineError {
                throw SweepError("\(prefix): \(error.message)")
            }
        }
        let integerField = entry.valueType == .integer
        switch domain {
        case .fixed(let value):
            try check(value)
        case .values(let values):
            guard !values.isEmpty else { throw SweepError("\(prefix): values is empty (give at least one value)") }
            for value in values { try check(value) }
            // A repeated value would plan the same configuration twice (use `seeds` to repeat on purpose).
            var seen: [ParameterValue] = []
            for value in values {
                if seen.contains(value) {
                    throw SweepError("\(prefix): value \(value) is listed twice (use seeds to repeat configurations)")
                }
                seen.append(value)
            }
        case .uniform(let min, let max), .logUniform(let min, let max):
            let kind = if case .uniform = domain { "uniform" } else { "log_uniform" }
            guard min.isFinite, max.isFinite else { throw SweepError("\(prefix): min and max must be finite numbers") }
            guard min <= max else { throw SweepError("\(prefix): min \(ParameterValue.format(min)) > max \(ParameterValue.format(max))") }
            if kind == "log_uniform" && min <= 0 {
                throw SweepError("\(prefix): log_uniform needs min > 0 (got min \(ParameterValue.format(min)), max \(ParameterValue.format(max)))")
            }
            if method == .grid { throw SweepError("\(prefix): distribution \(kind) cannot be enumerated by method grid (use values, or method random or tpe)") }
            if integerField { throw SweepError("\(prefix): distribution \(kind) gives non-integer values (use int_uniform or q_uniform)") }
            try check(.double(min))
            try check(.double(max))
        case .intUniform(let min, let max):
            guard min <= max else { throw SweepError("\(prefix): min \(min) > max \(max)") }
            if method == .grid && max - min >= 10_000 {
                throw SweepError("\(prefix): int_uniform over \(max - min + 1) integers is too many for method grid")
            }
            try check(.int(min))
            try check(.int(max))
        case .qUniform(let min, let max, let q):
            guard min.isFinite, max.isFinite else { throw SweepError("\(prefix): min and max must be finite numbers") }
            guard min <= max else { throw SweepError("\(prefix): min \(ParameterValue.format(min)) > max \(ParameterValue.format(max))") }
            guard q > 0, q.isFinite else { throw SweepError("\(prefix): q must be > 0 (got \(ParameterValue.format(q)))") }
            guard let multiples = SweepSpec.Domain.multiples(min: min, max: max, q: q) else {
                throw SweepError("\(prefix): no multiple of q \(ParameterValue.format(q)) lies in [\(ParameterValue.format(min)), \(ParameterValue.format(max))]")
            }
            if method == .grid { throw SweepError("\(prefix): distribution q_uniform cannot be enumerated by method grid (use values, or method random or tpe)") }
            try check(.double(Double(multiples.lowerBound) * q))
            try check(.double(Double(multiples.upperBound) * q))
        }
    }
}

extension SweepSpec.Domain {
    /// The integers k with min ≤ k·q ≤ max (as a range; empty when none).
    static func multiples(min: Double, max: Double, q: Double) -> ClosedRange<Int>? {
        let low = Int((min / q).rounded(.up)), high = Int((max / q).rounded(.down))
        return low <= high ? low...high : nil
    }
}
