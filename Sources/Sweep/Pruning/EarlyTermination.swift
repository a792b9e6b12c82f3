/// One trial's per-epoch validation metric, as the store holds it when a decision is made.
public struct TrialCurve: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// Still training (the trial being decided is running too).
        case running
        /// Finished all its epochs.
        case completed
        /// Ended otherwise: pruned, diverged, failed or interrupted.
        case stopped
    }

    public var trialIndex: Int
    public var status: Status
    /// Epoch (1-based) → the metric at the end of that epoch (NaN when it diverged).
    public var values: [Int: Double]

    public init(trialIndex: Int, status: Status, values: [Int: Double]) {
        self.trialIndex = trialIndex
        self.status = status
        self.values = values
    }
}

/// Why a trial was stopped: the rule, the rung (ASHA and Hyperband; nil for the median rule) and the figures.
public struct PruningDecision: Sendable, Equatable {
    public var rule: EarlyTermination.Kind
    public var rung: Int?
    public var epoch: Int
    /// One line, e.g. `median: best 0.61 is worse than the median 0.72 of 5 completed trials at epoch 3`.
    public var detail: String
}

/// What a decision needs besides the curves.
public struct PruningContext: Sendable, Equatable {
    public var goal: SweepSpec.Goal
    /// The epochs the decided trial trains in all: no decision is made at its last epoch (stopping then saves
    /// nothing, and the trial completes).
    public var trialEpochs: Int
    /// The most epochs any trial of the sweep trains (Hyperband's maximum resource).
    public var maximumEpochs: Int
    /// The sweep's name (Hyperband's bracket hash).
    public var sweepName: String

    public init(goal: SweepSpec.Goal, trialEpochs: Int, maximumEpochs: Int, sweepName: String) {
        self.goal = goal
        self.trialEpochs = trialEpochs
        self.maximumEpochs = maximumEpochs
        self.sweepName = sweepName
    }
}

/// Early termination (`early_terminate` in the spec): a pure decision, at the end of each epoch, over the curves
/// the store holds. Optuna's rules, with Optuna's step s = epoch − 1:
/// - `median(warmupEpochs: W, minTrials: K)` — MedianPruner: see `MedianRule`;
/// - `asha(minEpochs: R, eta: η)` — SuccessiveHalvingPruner: see `SuccessiveHalvingRule`;
/// - `hyperband(minEpochs: R, eta: η)` — HyperbandPruner: see `HyperbandBrackets`.
public enum EarlyTermination: Sendable, Equatable {
    case median(warmupEpochs: Int, minTrials: Int)
    case asha(minEpochs: Int, eta: Int)
    case hyperband(minEpochs: Int, eta: Int)

    public enum Kind: String, Sendable, CaseIterable { case median, asha, hyperband }

    public var kind: Kind {
        switch self {
        case .median: return .median
        case .asha: return .asha
        case .hyperband: return .hyperband
        }
    }

    /// Whether `trial`, which has just finished `epoch`, stops (a decision) or goes on (nil). `others` are the
    /// sweep's other trials (any status; the decided trial excluded).
    public func decide(trial: TrialCurve, epoch: Int, others: [TrialCurve], context: PruningContext) -> PruningDecision? {
        guard epoch < context.trialEpochs else { return nil }
        switch self {
        case .median(let warmupEpochs, let minTrials):
            return MedianRule(warmupEpochs: warmupEpochs, minTrials: minTrials)
                .decide(trial: trial, epoch: epoch, others: others, goal: context.goal)
        case .asha(let minEpochs, let eta):
            return SuccessiveHalvingRule(minEpochs: minEpochs, eta: eta, bracket: 0, kind: .asha)
                .decide(trial: trial, epoch: epoch, competitors: others, goal: context.goal)
        case .hyperband(let minEpochs, let eta):
            let brackets = HyperbandBrackets(minEpochs: minEpochs, maximumEpochs: context.maximumEpochs, eta: eta)
            let bracket = brackets.bracket(sweepName: context.sweepName, trialIndex: trial.trialIndex)
            let peers = others.filter { brackets.bracket(sweepName: context.sweepName, trialIndex: $0.trialIndex) == bracket }
            return SuccessiveHalvingRule(minEpochs: minEpochs, eta: eta, bracket: bracket, kind: .hyperband)
                .decide(trial: trial, epoch: epoch, competitors: peers, goal: context.goal)
        }
    }
}

/// Formats a metric value for a decision's detail line.
func formatMetric(_ value: Double) -> String { value.isNaN ? "NaN" : String(format: "%.4g", value) }
