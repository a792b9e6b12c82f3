import Engine
import Store

/// Early termination inside a worker: at the end of each epoch of a trial, the sweep's rule decides from what the
/// store holds — every other trial's per-epoch metric (`sweepEpochCurves`) — and this trial's own values up to this
/// epoch (taken from the epoch events, the same values its recorder writes). A decision to stop throws `TrialPruned`
/// out of the training loop (after the recorder has the epoch), so the trial keeps every row and the worker ends
/// it as `pruned` with the rule and the rung (`TrialQueue.pruneTrial`).
public struct TrialPruning: Sendable {
    public var rule: EarlyTermination
    public var metric: EpochMetric
    public var goal: SweepSpec.Goal
    public var sweepName: String
    /// The most epochs a trial of the sweep trains (Hyperband's maximum resource).
    public var maximumEpochs: Int

    /// The sweep's pruning, or nil when it has no `early_terminate`. The metric is the sweep's (validation or train
    /// loss or accuracy; `validate()` refuses the others for early termination).
    public init?(spec: SweepSpec, base: TrainingConfiguration) {
        guard let rule = spec.earlyTermination, let metric = EpochMetric(rawValue: spec.metric.name) else { return nil }
        self.rule = rule
        self.metric = metric
        goal = spec.metric.goal
        sweepName = spec.name
        maximumEpochs = spec.maximumEpochs(base: base)
    }

    /// The observer for one trial (place it after the recorder).
    func observer(trial: ClaimedTrial, store: any TrialQueue) -> PruningObserver {
        PruningObserver(pruning: self, trial: trial, store: store)
    }
}

/// Thrown out of training when the rule stops the trial.
public struct TrialPruned: Error, Sendable, Equatable {
    public var decision: PruningDecision
}

final class PruningObserver: TrainingObserver {
    let pruning: TrialPruning
    let trial: ClaimedTrial
    let store: any TrialQueue
    private var values: [Int: Double] = [:]

    init(pruning: TrialPruning, trial: ClaimedTrial, store: any TrialQueue) {
        self.pruning = pruning
        self.trial = trial
        self.store = store
    }

    func handle(_ event: TrainingEvent) throws {
        guard case .epoch(let ended) = event else { return }
        let value: Double?
        switch pruning.metric {
        case .validationLoss: value = ended.validationLoss
        case .validationAccuracy: value = ended.validationAccuracy
        case .trainLoss: value = ended.trainLoss
        case .trainAccuracy: value = ended.trainAccuracy
        }
        values[ended.epoch] = value.flatMap { $0.isFinite ? $0 : nil } ?? .nan
        let others = try store.sweepEpochCurves(sweepID: trial.sweepID, metric: pruning.metric)
            .filter { $0.runID != trial.runID }
            .map { TrialCurve(trialIndex: $0.trialIndex, status: TrialCurve.Status($0.status), values: $0.values) }
        let context = PruningContext(
            goal: pruning.goal, trialEpochs: trial.configuration.epochs, maximumEpochs: pruning.maximumEpochs,
            sweepName: pruning.sweepName)
        let own = TrialCurve(trialIndex: trial.trialIndex, status: .running, values: values)
        if let decision = pruning.rule.decide(trial: own, epoch: ended.epoch, others: others, context: context) {
            throw TrialPruned(decision: decision)
        }
    }
}

extension TrialCurve.Status {
    init(_ status: RunStatus) {
        switch status {
        case .completed: self = .completed
        case .pending, .running: self = .running
        default: self = .stopped
        }
    }
}

extension SweepSpec {
    /// The most epochs any trial trains: the largest value `epochs` can take, else the base's.
    public func maximumEpochs(base: TrainingConfiguration) -> Int {
        guard let parameter = parameters.first(where: { $0.name == "epochs" }) else { return base.epochs }
        switch parameter.domain {
        case .fixed(let value): return value.number.map { Int($0) } ?? base.epochs
        case .values(let values): return values.compactMap { $0.number.map { Int($0) } }.max() ?? base.epochs
        case .intUniform(_, let max): return max
        case .uniform(_, let max), .logUniform(_, let max), .qUniform(_, let max, _): return Int(max)
        }
    }
}
