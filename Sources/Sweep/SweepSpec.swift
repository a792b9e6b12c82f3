import Engine

/// A sweep: which trainings to run, in the style of a W&B sweep config.
///
/// ```yaml
/// name: digits-init
/// method: grid                 # grid | random | tpe (alias bayes)
/// metric: {name: validation_accuracy, goal: maximize}   # the default (validation_loss for regression)
/// seeds: 3                     # every configuration with seeds seed, seed+1, seed+2
/// run_cap: 20                  # random: number of draws; grid: first run_cap configurations
/// seed: 7                      # the sweep's own seed (random draws)
/// parameters:
///   data: {value: digits}                       # fixed
///   batch_size: {values: [16, 32, 64, 128]}     # grid / random choice
///   learning_rate: {distribution: log_uniform, min: 0.001, max: 0.5}
///   initializer: {values: [zeros, xavier-uniform, he-uniform]}
/// ```
/// Parameter names are `TrainingConfiguration.parameterNames`. Planned trials = configurations × seeds.
public struct SweepSpec: Sendable, Equatable {
    /// grid and random plan every trial up front; tpe creates each trial when a worker asks for one
    /// (`TrialSuggester`), up to run_cap.
    public enum Method: String, Sendable, CaseIterable { case grid, random, tpe }

    public enum Goal: String, Sendable, CaseIterable { case maximize, minimize }

    /// The figure that ranks trials: a column of the `run_summary` view.
    public struct Metric: Sendable, Equatable {
        public var name: String
        public var goal: Goal

        public init(name: String = "validation_accuracy", goal: Goal? = nil) {
            self.name = name
            self.goal = goal ?? (name.hasSuffix("loss") || name == "duration" ? .minimize : .maximize)
        }

        public static let names = [
            "test_accuracy", "test_loss", "validation_accuracy", "validation_loss", "train_accuracy", "train_loss",
            "duration",
        ]
    }

    /// Where a parameter's values come from.
    public enum Domain: Sendable, Equatable {
        /// `value: V` — the same in every trial.
        case fixed(ParameterValue)
        /// `values: [...]` (or `distribution: categorical`): every value in grid search, a uniform pick in random.
        case values([ParameterValue])
        /// `distribution: uniform` — U(min, max).
        case uniform(min: Double, max: Double)
        /// `distribution: log_uniform` — exp(U(ln min, ln max)), min > 0 (min and max are the values themselves,
        /// like W&B's `log_uniform_values`).
        case logUniform(min: Double, max: Double)
        /// `distribution: int_uniform` — an integer in min...max, both inclusive. Grid search takes every one.
        case intUniform(min: Int, max: Int)
        /// `distribution: q_uniform` — U(min, max) rounded to the nearest multiple of q, kept within [min, max].
        case qUniform(min: Double, max: Double, q: Double)
    }

    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var domain: Domain

        public init(name: String, domain: Domain) {
            self.name = name
            self.domain = domain
        }
    }

    public var name: String
    public var method: Method
    public var metric: Metric
    /// In spec order: grid expansion varies the last one fastest.
    public var parameters: [Parameter]
    /// Random search: number of draws (required). Grid: keep only the first `runCap` configurations.
    public var runCap: Int?
    /// Every configuration is trained `seeds` times, with seeds `seed`, `seed + 1`, … (the configuration's seed).
    public var seeds: Int
    /// The sweep's own seed: random search draws from it, so the same spec gives the same plan.
    public var sweepSeed: UInt64
    /// `early_terminate`: stop hopeless trials at epoch ends (nil: every trial trains all its epochs).
    public var earlyTermination: EarlyTermination?
    /// TPE's settings (method tpe).
    public var tpe: TPESettings = TPESettings()
    /// True when the spec, a flag or the caller named the metric (false: the default, which `applyChoiceDefaults`
    /// may change).
    public var metricIsExplicit = false

    /// `metric` nil: the default (`validation_accuracy`, or `validation_loss` for regression, by `applyChoiceDefaults`).
    public init(
        name: String = "sweep", method: Method = .grid, metric: Metric? = nil, parameters: [Parameter] = [],
        runCap: Int? = nil, seeds: Int = 1, sweepSeed: UInt64 = 0
    ) {
        self.name = name
        self.method = method
        self.metric = metric ?? Metric()
        metricIsExplicit = metric != nil
        self.parameters = parameters
        self.runCap = runCap
        self.seeds = seeds
        self.sweepSeed = sweepSeed
    }

    /// The parameters with more than one possible value (the ones a leaderboard shows).
    public var variedParameterNames: [String] {
        parameters.filter {
            switch $0.domain {
            case .fixed: return false
            case .values(let values): return values.count > 1
            default: return true
            }
        }.map(\.name)
    }
}
