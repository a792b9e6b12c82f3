import Engine
import Store

/// The trials of a sweep whose method creates them on demand (tpe): what `claimOrCreateTrial` inserts.
///
/// Trial n's parameters come from `TrialSuggester` over the history the store hands over inside the claim
/// transaction: each trial's point is read back from its configuration; completed trials count with their metric,
/// pruned and diverged ones as stopped after their epochs (value NaN when unrecorded), pending and running ones as
/// running (constant liar); failed, interrupted and stopped trials are left out (Optuna ignores failed trials).
/// The configuration is the sweep's base with the suggested parameters set, checked like a planned trial.
public struct OnDemandTrials: Sendable {
    public var spec: SweepSpec
    public var base: TrainingConfiguration
    public var suggester: TrialSuggester

    /// The registry entries of the search space's axes, which are all a trial's point needs from its configuration
    /// (reading every parameter of every trial at each claim was most of a claim's time at 1,500 trials); nil when
    /// an axis is not a registry name, so every parameter is read.
    private let axisEntries: [Hyperparameter]?

    public init(spec: SweepSpec, base: TrainingConfiguration) {
        self.spec = spec
        self.base = base
        suggester = TrialSuggester(spec: spec, settings: spec.tpe)
        let entries = suggester.space.axes.compactMap { try? Hyperparameter.named($0.name) }
        axisEntries = entries.count == suggester.space.axes.count ? entries : nil
    }

    /// The values of `configuration` that a point is made of.
    private func axisValues(_ configuration: TrainingConfiguration) -> [(String, ParameterValue)] {
        guard let axisEntries else { return configuration.parameterValues() }
        return axisEntries.compactMap { entry in entry.value(in: configuration).map { (entry.name, $0) } }
    }

    /// A trial's point in the search space; nil when its configuration lies outside it.
    public func point(of configuration: TrainingConfiguration) -> [Double]? { suggester.space.point(of: axisValues(configuration)) }

    /// The observations TPE learns from.
    public func observations(_ history: [TrialHistoryRecord]) -> [TPEObservation] {
        observations(history) { point(of: $0.configuration) }
    }

    /// The observations TPE learns from, each trial's point given by `point` (`TrialSuggestions` keeps them by run).
    public func observations(_ history: [TrialHistoryRecord], point: (TrialHistoryRecord) -> [Double]?) -> [TPEObservation] {
        history.compactMap { record in
            guard let point = point(record) else { return nil }
            let value = record.figures[spec.metric.name] ?? .nan
            let outcome: TPEObservation.Outcome
            switch record.status {
            case .completed: outcome = .completed(value)
            case .pruned, .diverged: outcome = .stopped(epoch: record.epochsCompleted, value: value)
            case .pending, .running: outcome = .running
            case .failed, .interrupted, .stopped: return nil
            }
            return TPEObservation(trialIndex: record.trialIndex, point: point, outcome: outcome)
        }
    }

    /// Trial `index`'s configuration.
    public func configuration(trialIndex index: Int, history: [TrialHistoryRecord]) throws -> TrainingConfiguration {
        try configuration(trialIndex: index, observations: observations(history))
    }

    /// Trial `index`'s configuration from the observations of its history: a function of `index` and `observations`
    /// alone (with the spec, its seed and the base).
    public func configuration(trialIndex index: Int, observations: [TPEObservation]) throws -> TrainingConfiguration {
        let assignments = suggester.suggest(trialIndex: index, history: observations)
        var configuration = base
        for (name, value) in assignments {
            do { try configuration.setParameter(name, value) } catch let error as SweepError {
                throw SweepError("trial \(index): parameter '\(name)': \(error.message)")
            }
        }
        do { try configuration.validate() } catch let error as EngineError { throw SweepError("trial \(index): \(error.message)") }
        return configuration
    }
}

extension SweepWorker {
    /// What a stored sweep asks of its workers beyond planned trials: on-demand trials (method tpe) and early
    /// termination, read from its stored spec. Both nil for grid and random sweeps without `early_terminate`.
    public static func search(of sweep: SweepRecord) throws -> (onDemand: OnDemandTrials?, pruning: TrialPruning?) {
        guard sweep.method == SweepSpec.Method.tpe.rawValue || sweep.specJSON.contains("\"early_terminate\"") else { return (nil, nil) }
        let (spec, base) = try SweepSpec.stored(json: sweep.specJSON)
        return (spec.method.createsTrialsOnDemand ? OnDemandTrials(spec: spec, base: base) : nil, TrialPruning(spec: spec, base: base))
    }
}
