/// Optuna's SuccessiveHalvingPruner (asynchronous successive halving, ASHA), on epochs, bootstrap count 0.
///
/// Rung r of bracket s is reached at epoch E(r) = R·η^(s + r) (R = min epochs; s = 0 for plain ASHA, Hyperband's
/// bracket otherwise). At the end of epoch e = E(r):
/// - v = the trial's value at epoch e; NaN (diverged) stops the trial;
/// - the competitors are v and every other trial's finite value at epoch e (every trial that reached the rung,
///   whatever it did afterwards), n of them;
/// - k = ⌊n/η⌋ − 1, or 0 when that is −1 (the first η − 1 trials at a rung go on only if they are the best so far:
///   Optuna cannot pause a trial until enough others arrive);
/// - the trial goes on when v is at least as good as the (k + 1)-th best competitor (v ≥ it when maximising,
///   v ≤ it when minimising: a tie goes on), i.e. when it is in the top 1/η; otherwise it stops at rung r.
/// Epochs between rungs make no decision.
public struct SuccessiveHalvingRule: Sendable, Equatable {
    public var minEpochs: Int
    public var eta: Int
    public var bracket: Int
    public var kind: EarlyTermination.Kind

    /// The rung whose epoch is `epoch`, or nil when `epoch` is not a rung's.
    public func rung(atEpoch epoch: Int) -> Int? {
        var rungEpoch = minEpochs
        for _ in 0..<bracket {
            let (next, overflow) = rungEpoch.multipliedReportingOverflow(by: eta)
            if overflow || next > epoch { return nil }
            rungEpoch = next
        }
        var rung = 0
        while rungEpoch <= epoch {
            if rungEpoch == epoch { return rung }
            let (next, overflow) = rungEpoch.multipliedReportingOverflow(by: eta)
            if overflow { return nil }
            rungEpoch = next
            rung += 1
        }
        return nil
    }

    public func decide(trial: TrialCurve, epoch: Int, competitors: [TrialCurve], goal: SweepSpec.Goal) -> PruningDecision? {
        guard let rung = rung(atEpoch: epoch) else { return nil }
        let name = kind.rawValue
        let bracketText = kind == .hyperband ? "bracket \(bracket) " : ""
        guard let value = trial.values[epoch], !value.isNaN else {
            return PruningDecision(rule: kind, rung: rung, epoch: epoch, detail: "\(name): \(bracketText)rung \(rung) (epoch \(epoch)): the value is NaN (diverged)")
        }
        let competing = (competitors.compactMap { $0.values[epoch] }.filter { !$0.isNaN } + [value]).sorted()
        let count = competing.count
        let promotable = Swift.max(0, count / eta - 1)
        let threshold = goal == .maximize ? competing[count - 1 - promotable] : competing[promotable]
        let goesOn = goal == .maximize ? value >= threshold : value <= threshold
        guard !goesOn else { return nil }
        return PruningDecision(
            rule: kind, rung: rung, epoch: epoch,
            detail: "\(name): \(bracketText)rung \(rung) (epoch \(epoch)): \(formatMetric(value)) is not in the top \(promotable + 1) of \(count) trials (threshold \(formatMetric(threshold)))")
    }
}
