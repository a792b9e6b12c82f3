import Engine
import Store

extension SweepSpec.Method {
    /// A method by name, with W&B's alias: `bayes` is `tpe`.
    public init?(name: String) {
        if name == "bayes" { self = .tpe } else { self.init(rawValue: name) }
    }

    /// The names accepted in specs and on the command line.
    public static let names = allCases.map(\.rawValue) + ["bayes"]

    /// True for the methods that create trials on demand (in the claim transaction) instead of planning them all.
    public var createsTrialsOnDemand: Bool { self == .tpe }
}

extension SweepSpec {
    /// The checks of method tpe and of early termination (called by `validate()`), one line each.
    func validateSearch() throws {
        if (method == .random || method == .tpe) && runCap == nil {
            throw SweepError("method \(method.rawValue) needs run_cap (the number of trials to \(method == .tpe ? "create" : "draw"))")
        }
        try validateChoice()
        if method == .tpe {
            if seeds != 1 { throw SweepError("invalid seeds \(seeds) for method tpe: each suggestion is trained once (seeds must be 1)") }
            if tpe.startupTrials < 0 { throw SweepError("invalid startup_trials \(tpe.startupTrials): must be ≥ 0") }
            if tpe.candidates < 1 { throw SweepError("invalid candidates \(tpe.candidates): must be at least 1") }
        }
        if earlyTermination != nil && EpochMetric(rawValue: metric.name) == nil {
            throw SweepError(
                "early_terminate decides on a per-epoch metric (\(EpochMetric.allCases.map(\.rawValue).joined(separator: ", "))), not \(metric.name)")
        }
        switch earlyTermination {
        case .median(let warmup, let minTrials):
            if warmup < 0 { throw SweepError("invalid early_terminate warmup_epochs \(warmup): must be ≥ 0") }
            if minTrials < 1 { throw SweepError("invalid early_terminate min_trials \(minTrials): must be at least 1") }
        case .asha(let minEpochs, let eta), .hyperband(let minEpochs, let eta):
            if minEpochs < 1 { throw SweepError("invalid early_terminate min_epochs \(minEpochs): must be at least 1") }
            if eta < 2 { throw SweepError("invalid early_terminate eta \(eta): must be at least 2") }
        case nil: break
        }
    }

    /// The `--dry-run` header of a sweep that creates its trials on demand: its budget and how it searches.
    public var searchSummaryLine: String {
        var text = "up to \(runCap ?? 0) trials, method \(method.rawValue)"
        if method == .tpe {
            text += " (\(tpe.startupTrials) random startup trials, then TPE: \(tpe.candidates) candidates, \(tpe.multivariate ? "multivariate" : "univariate")\(tpe.constantLiar ? ", constant liar" : ""))"
        }
        text += ", metric \(metric.name) (\(metric.goal.rawValue))"
        if let earlyTermination { text += ", early termination \(earlyTermination.description)" }
        return text
    }

    /// The `--dry-run` search-space table: each parameter, its distribution and its range or values.
    public var searchSpaceTable: (columns: [String], rows: [[String]]) {
        let rows = parameters.map { parameter -> [String] in
            switch parameter.domain {
            case .fixed(let value): return [parameter.name, "fixed", value.displayText]
            case .values(let values): return [parameter.name, "categorical", values.map(\.displayText).joined(separator: ", ")]
            case .uniform(let min, let max): return [parameter.name, "uniform", "[\(ParameterValue.format(min)), \(ParameterValue.format(max))]"]
            case .logUniform(let min, let max): return [parameter.name, "log_uniform", "[\(ParameterValue.format(min)), \(ParameterValue.format(max))]"]
            case .intUniform(let min, let max): return [parameter.name, "int_uniform", "\(min)…\(max)"]
            case .qUniform(let min, let max, let q):
                return [parameter.name, "q_uniform", "[\(ParameterValue.format(min)), \(ParameterValue.format(max))] step \(ParameterValue.format(q))"]
            }
        }
        return (["parameter", "distribution", "range"], rows)
    }
}

extension EarlyTermination: CustomStringConvertible {
    /// `median (warmup 1 epoch, min 5 trials)`, `asha (min 1 epoch, eta 3)`, `hyperband (min 1 epoch, eta 3)`.
    public var description: String {
        func epochs(_ count: Int) -> String { "\(count) epoch\(count == 1 ? "" : "s")" }
        switch self {
        case .median(let warmup, let minTrials): return "median (warmup \(epochs(warmup)), min \(minTrials) trials)"
        case .asha(let minEpochs, let eta): return "asha (min \(epochs(minEpochs)), eta \(eta))"
        case .hyperband(let minEpochs, let eta): return "hyperband (min \(epochs(minEpochs)), eta \(eta))"
        }
    }

    /// Defaults: median warmup 0 epochs and 5 trials (Optuna's n_startup_trials); asha and hyperband min 1 epoch, eta 3.
    public static func make(kind: Kind, warmupEpochs: Int? = nil, minTrials: Int? = nil, minEpochs: Int? = nil, eta: Int? = nil) -> EarlyTermination {
        switch kind {
        case .median: return .median(warmupEpochs: warmupEpochs ?? 0, minTrials: minTrials ?? 5)
        case .asha: return .asha(minEpochs: minEpochs ?? 1, eta: eta ?? 3)
        case .hyperband: return .hyperband(minEpochs: minEpochs ?? 1, eta: eta ?? 3)
        }
    }
}
