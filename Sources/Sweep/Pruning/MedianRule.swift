/// Optuna's MedianPruner (PercentilePruner at 50 %, `n_min_trials` = K), on epochs.
///
/// At the end of epoch e of a trial:
/// - no decision during the warm-up, e ≤ W (Optuna: step e − 1 < n_warmup_steps);
/// - no decision until at least K completed trials have a (finite) value at epoch e;
/// - best = the trial's best value over epochs 1…e (max when maximising, min when minimising, NaN ignored); a trial
///   whose values are all NaN (it diverged) stops;
/// - m = the median of the completed trials' values at epoch e (the mean of the two middle ones for an even count);
/// - the trial stops when best is worse than m: best < m when maximising, best > m when minimising. A tie goes on.
public struct MedianRule: Sendable, Equatable {
    public var warmupEpochs: Int
    public var minTrials: Int

    public init(warmupEpochs: Int = 0, minTrials: Int = 1) {
        self.warmupEpochs = warmupEpochs
        self.minTrials = minTrials
    }

    /// The median of `values` (sorted copy; the mean of the two middle values for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    public func decide(trial: TrialCurve, epoch: Int, others: [TrialCurve], goal: SweepSpec.Goal) -> PruningDecision? {
        guard epoch > warmupEpochs else { return nil }
        let reference = others.filter { $0.status == .completed }.compactMap { $0.values[epoch] }.filter { !$0.isNaN }
        guard !reference.isEmpty, reference.count >= minTrials else { return nil }
        let own = trial.values.filter { $0.key <= epoch && !$0.value.isNaN }.map(\.value)
        guard let best = goal == .maximize ? own.max() : own.min() else {
            return PruningDecision(rule: .median, rung: nil, epoch: epoch, detail: "median: the trial has no finite value by epoch \(epoch) (diverged)")
        }
        let middle = MedianRule.median(reference)
        let worse = goal == .maximize ? best < middle : best > middle
        guard worse else { return nil }
        return PruningDecision(
            rule: .median, rung: nil, epoch: epoch,
            detail: "median: best \(formatMetric(best)) is worse than the median \(formatMetric(middle)) of \(reference.count) completed trials at epoch \(epoch)")
    }
}
