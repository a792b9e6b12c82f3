import Engine

/// The trial queue of sweeps: a sweep's plan, claimed trial by trial by any number of workers (in any processes, and
/// for a shared store on any machines). `LogbookStore` keeps the queue in the `runs` table (a trial is a run with a
/// `sweep_id` and a `trial_index`; see `LogbookStore+TrialQueue.swift` for the SQL).
///
/// Guarantees every implementation keeps:
/// - `createSweep` writes the sweep and every trial (`pending`) in one transaction: a sweep exists whole or not at all.
/// - `claimNextTrial` is atomic: no two workers ever hold the same trial; the lowest pending `trial_index` goes first.
/// - A worker holds a trial while it is `running` under its worker id; `heartbeat` and `finishTrial` act only then and
///   say whether it still held it, so a worker whose trial was taken away stops recording into it.
/// - `requeueStaleTrials` never loses a committed row and never completes a trial twice: an abandoned attempt stays
///   as a superseded `interrupted` run and a fresh `pending` retry takes its place, in one transaction.
/// - Staleness (`Heartbeat.staleAfter`) is judged by one clock: the checking process's, against heartbeats stamped
///   by the same machine's clock for SQLite; a store shared by machines uses its server's clock for both.
public protocol TrialQueue: AnyObject, Sendable {
    /// Writes a sweep and all its trials (`pending`, `trial_index` 0, 1, …) in one transaction; returns the sweep id.
    /// `specJSON` is the specification as JSON (kept with the sweep).
    func createSweep(
        name: String, method: String, metricName: String, metricGoal: String, specJSON: String,
        trials: [TrainingConfiguration]
    ) throws -> Int64
    /// The sweep with `id` and its trials counted by status; throws `no sweep with id N`.
    func sweep(id: Int64) throws -> SweepRecord
    /// Every sweep (or the one with `id`), newest first, each with its trials counted by status.
    func sweeps(id: Int64?) throws -> [SweepRecord]
    /// Atomically moves the next pending trial to `running` under `worker` (stamped with this host, the start and a
    /// first heartbeat); nil when none is pending.
    func claimNextTrial(sweepID: Int64, worker: String) throws -> ClaimedTrial?
    /// Refreshes the trial's heartbeat; false when it is no longer `running` under `worker` (it was re-queued): the
    /// worker must then drop it.
    @discardableResult func heartbeat(runID: Int64, worker: String) throws -> Bool
    /// Sets the final status of a trial `worker` still holds; false when it does not hold it any more.
    @discardableResult
    func finishTrial(runID: Int64, worker: String, status: RunStatus, stopReason: String?, error: String?) throws -> Bool
    /// Re-queues the sweep's `interrupted` trials and its `running` ones whose heartbeat is older than `staleAfter`
    /// seconds or whose worker `isWorkerAlive` says is gone; returns the ids of the superseded attempts, in id order.
    @discardableResult
    func requeueStaleTrials(
        sweepID: Int64, staleAfter: Double, isWorkerAlive: (_ worker: String?, _ host: String?) -> Bool
    ) throws -> [Int64]
    /// What each running trial of the sweep is doing, from the rows committed so far (for live displays).
    func runningTrials(sweepID: Int64) throws -> [TrialActivity]
}

extension TrialQueue {
    /// Every sweep, newest first.
    public func sweeps() throws -> [SweepRecord] { try sweeps(id: nil) }

    @discardableResult
    public func finishTrial(runID: Int64, worker: String, status: RunStatus) throws -> Bool {
        try finishTrial(runID: runID, worker: worker, status: status, stopReason: nil, error: nil)
    }
}
