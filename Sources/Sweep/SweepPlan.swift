import Engine

/// One planned training: its position in the plan, the values the sweep chose, and the full configuration.
public struct PlannedTrial: Sendable, Equatable {
    /// 0-based position in the plan (`runs.trial_index`).
    public var index: Int
    /// Which configuration (0-based) of the grid or of the random draws this trial trains.
    public var configurationIndex: Int
    /// Which repetition (0 ..< seeds): the trial's seed is the configuration's seed + `replicate`.
    public var replicate: Int
    /// The swept parameters' values, in spec order (fixed ones included).
    public var assignments: [(String, ParameterValue)]
    public var configuration: TrainingConfiguration

    public init(
        index: Int, configurationIndex: Int, replicate: Int, assignments: [(String, ParameterValue)],
        configuration: TrainingConfiguration
    ) {
        self.index = index
        self.configurationIndex = configurationIndex
        self.replicate = replicate
        self.assignments = assignments
        self.configuration = configuration
    }

    public static func == (lhs: PlannedTrial, rhs: PlannedTrial) -> Bool {
        lhs.index == rhs.index && lhs.configurationIndex == rhs.configurationIndex && lhs.replicate == rhs.replicate
            && lhs.assignments.map(\.0) == rhs.assignments.map(\.0) && lhs.assignments.map(\.1) == rhs.assignments.map(\.1)
            && lhs.configuration == rhs.configuration
    }
}

/// A validated spec expanded into its trials. Building one checks everything; nothing is written.
///
/// Order (stable, documented):
/// - grid: the cartesian product with parameters in spec order, the last varying fastest (like nested loops in
///   spec order), values in the order written;
/// - random: `run_cap` draws from the sweep seed's `sweep` stream; within a draw, parameters in spec order;
/// - seeds: replicates are the outermost loop — trial `i` is configuration `i % configurations`, replicate
///   `i / configurations` — so a partly finished sweep has covered every configuration once before repeating any.
public struct SweepPlan: Sendable, Equatable {
    public var spec: SweepSpec
    public var trials: [PlannedTrial]
    public var configurationCount: Int
    /// The content hashes of its file-backed data sources, taken while planning (`SweepDataHashes`).
    public var dataHashes = SweepDataHashes()

    /// Validates `spec` (see `SweepSpec.validate()`), expands it from `base` (the settings of parameters the spec
    /// does not mention) and checks each trial's batch size against its training split. The choice defaults come
    /// first (`SweepSpec.applyChoiceDefaults`); a default `validation_accuracy` becomes `validation_loss` when every
    /// trial's data is regression.
    /// Method tpe plans no trial up front (workers create them on demand, `TrialSuggester`): its first suggestion is
    /// built and checked like a planned trial, so that a spec that cannot train is refused before anything is written.
    public init(spec: SweepSpec, base: TrainingConfiguration = TrainingConfiguration()) throws {
        var spec = spec
        spec.applyChoiceDefaults()
        try spec.validate()
        try SweepPlan.checkSize(spec)
        self.spec = spec
        let draws: [[(String, ParameterValue)]]
        switch spec.method {
        case .grid: draws = SweepPlan.gridAssignments(spec)
        case .random: draws = SweepPlan.randomAssignments(spec)
        case .tpe: draws = [TrialSuggester(spec: spec, settings: spec.tpe).suggest(trialIndex: 0, history: [])]
        }
        configurationCount = spec.method.createsTrialsOnDemand ? 0 : draws.count
        var trials: [PlannedTrial] = []
        trials.reserveCapacity(draws.count * spec.seeds)
        for replicate in 0..<spec.seeds {
            for (configurationIndex, assignments) in draws.enumerated() {
                var configuration = base
                for (name, value) in assignments {
                    do { try configuration.setParameter(name, value) } catch let error as EngineError {
                        throw SweepError("parameter '\(name)': \(error.message)")
                    }
                }
                configuration.seed &+= UInt64(replicate)
                trials.append(
                    PlannedTrial(
                        index: trials.count, configurationIndex: configurationIndex, replicate: replicate,
                        assignments: assignments, configuration: configuration))
            }
        }
        var sizing = DatasetSizing()
        for trial in trials {
            do { try trial.configuration.validate() } catch let error as EngineError { throw SweepError(error.message) }
            try sizing.checkBatchSize(trial.configuration)
        }
        if !spec.metricIsExplicit && spec.metric.name == "validation_accuracy" && sizing.sawRegression && !sizing.sawClassification {
            self.spec.metric = SweepSpec.Metric(name: "validation_loss")  // regression data has no accuracy
        }
        self.trials = spec.method.createsTrialsOnDemand ? [] : trials
        dataHashes = sizing.dataHashes
    }

    /// The most trials one sweep may plan (every trial is a row written up front).
    public static let maximumTrials = 100_000

    /// Refuses, before anything is expanded, a plan larger than `maximumTrials` (counted with overflow checks).
    static func checkSize(_ spec: SweepSpec) throws {
        var configurations = 1
        var overflow = false
        if spec.method == .grid {
            for parameter in spec.parameters {
                let size: Int
                switch parameter.domain {
                case .values(let values): size = values.count
                case .intUniform(let min, let max):
                    let (span, spanOverflow) = max.subtractingReportingOverflow(min)
                    overflow = overflow || spanOverflow
                    size = spanOverflow ? Int.max : span + 1
                default: size = 1
                }
                let (product, productOverflow) = configurations.multipliedReportingOverflow(by: size)
                overflow = overflow || productOverflow
                configurations = productOverflow ? Int.max : product
            }
            if let runCap = spec.runCap { configurations = Swift.min(configurations, runCap) }
        } else {
            configurations = spec.runCap ?? 0
        }
        let (trials, trialsOverflow) = configurations.multipliedReportingOverflow(by: spec.seeds)
        if overflow || trialsOverflow || trials > maximumTrials {
            let count = overflow || trialsOverflow ? "more than \(Int.max)" : "\(trials)"
            throw SweepError(
                "the sweep plans \(count) trials; the limit is \(maximumTrials) (lower run_cap, seeds or the value lists)")
        }
    }

    /// Every combination of the parameters' values, the last parameter varying fastest; `run_cap` keeps the first ones.
    static func gridAssignments(_ spec: SweepSpec) -> [[(String, ParameterValue)]] {
        var combinations: [[(String, ParameterValue)]] = [[]]
        for parameter in spec.parameters {
            let values = parameter.domain.gridValues
            combinations = combinations.flatMap { prefix in values.map { prefix + [(parameter.name, $0)] } }
        }
        if let runCap = spec.runCap, runCap < combinations.count { combinations = Array(combinations.prefix(runCap)) }
        return combinations
    }

    /// `run_cap` draws, reproducible from `spec.sweepSeed`.
    static func randomAssignments(_ spec: SweepSpec) -> [[(String, ParameterValue)]] {
        var generator = Xoshiro256StarStar(seed: spec.sweepSeed, stream: "sweep")
        return (0..<(spec.runCap ?? 0)).map { _ in
            spec.parameters.map { ($0.name, $0.domain.draw(using: &generator)) }
        }
    }

    /// Planned trials in plan order.
    public var count: Int { trials.count }
}

extension SweepSpec.Domain {
    /// The values grid search enumerates (distributions other than int_uniform are rejected by validation).
    var gridValues: [ParameterValue] {
        switch self {
        case .fixed(let value): return [value]
        case .values(let values): return values
        case .intUniform(let min, let max): return (min...max).map { .int($0) }
        case .uniform(let min, _), .logUniform(let min, _), .qUniform(let min, _, _): return [.double(min)]
        }
    }

    /// One random value:
    /// - values: a uniform pick; uniform: `min + (max − min)·u`; log_uniform: `exp(ln min + (ln max − ln min)·u)`;
    /// - int_uniform: an integer in `min...max` (inclusive, unbiased);
    /// - q_uniform: `round(U(min, max) / q)·q`, clamped to the multiples of q inside [min, max].
    /// Each draw consumes one number from the generator (none for a fixed value).
    func draw(using generator: inout Xoshiro256StarStar) -> ParameterValue {
        switch self {
        case .fixed(let value):
            return value
        case .values(let values):
            return values[generator.nextInt(below: values.count)]
        case .uniform(let min, let max):
            return .double(Swift.min(max, generator.uniform(min, max)))
        case .logUniform(let min, let max):
            let value = exp(generator.uniform(log(min), log(max)))
            return .double(Swift.max(min, Swift.min(max, value)))
        case .intUniform(let min, let max):
            return .int(min + generator.nextInt(below: max - min + 1))
        case .qUniform(let min, let max, let q):
            let multiples = SweepSpec.Domain.multiples(min: min, max: max, q: q) ?? 0...0
            let k = Int((generator.uniform(min, max) / q).rounded())
            let clamped = Swift.max(multiples.lowerBound, Swift.min(multiples.upperBound, k))
            let value = Double(clamped) * q
            // Keep integers integral: q_uniform over batch sizes gives `.int`.
            if q == q.rounded(), abs(value) < 1e15 { return .int(Int(value)) }
            return .double(value)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
