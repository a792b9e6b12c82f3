import Engine
import Store

/// What a worker of a sweep whose trials are created on demand (tpe) keeps between its claims, so that each claim —
/// which holds the sweep's write lock while it reads the history and suggests — reads and computes only what can
/// have changed since its previous claim:
/// - the configurations of the trials the previous claim was handed are not read again (`claimOrCreateTrial`'s
///   `reusing:`), and
/// - each trial's point in the search space is computed once, by run id.
/// Both rest on one fact of the store: a run's configuration is written once, with its row (a retried trial is a
/// new run). The suggestion itself is made on the history the claim reads, as always: the same sweep seed and the
/// same completions give the same suggestions, with or without what is kept here.
public final class TrialSuggestions {
    private let onDemand: OnDemandTrials
    /// The history the last claim was handed.
    private var lastHistory: [TrialHistoryRecord] = []
    /// Each trial's point by run id (nil: outside the search space).
    private var points: [Int64: [Double]?] = [:]

    public init(_ onDemand: OnDemandTrials) { self.onDemand = onDemand }

    /// The next trial for `worker`: a pending retry, or a new trial suggested inside the claim's transaction.
    public func claim(store: any TrialQueue, sweepID: Int64, worker: String) throws -> ClaimedTrial? {
        try store.claimOrCreateTrial(sweepID: sweepID, worker: worker, reusing: lastHistory) { index, history in
            lastHistory = history
            return try configuration(trialIndex: index, history: history)
        }
    }

    /// Trial `index`'s configuration from `history`: `OnDemandTrials.configuration(trialIndex:history:)`, with
    /// the points kept.
    func configuration(trialIndex index: Int, history: [TrialHistoryRecord]) throws -> TrainingConfiguration {
        let observations = onDemand.observations(history) { record in
            if let point = points[record.runID] { return point }
            let point = onDemand.point(of: record.configuration)
            points[record.runID] = point
            return point
        }
        return try onDemand.configuration(trialIndex: index, observations: observations)
    }
}
