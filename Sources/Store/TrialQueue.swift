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
    /// Writes the sweep and all of `trials` (`pending`, `trial_index` 0, 1, …, named `NAME-SWEEPID-tINDEX`) in one
    /// transaction; returns the sweep id. `trials` is empty for a sweep whose trials are created on demand.
    func createSweep(_ sweep: NewSweep, trials: [TrainingConfiguration]) throws -> Int64
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

    // MARK: Trials created on demand (method tpe) and early termination

    /// The next trial for `worker`:
    /// 1. if a trial is `pending` (a re-queued retry), claim it with `claimNextTrial` and return it;
    /// 2. else, in ONE write transaction serialised against every other creator of the sweep: if a trial became
    ///    pending meanwhile, end it and go back to 1; with n = the number of the sweep's trial indices (runs with a
    ///    `trial_index`), return nil when n ≥ `planned_trials`;
    /// 3. else, in that same transaction, call `suggest(n, history)` — history: every trial of the sweep, in trial
    ///    order, with status, configuration, epochs completed and final figures — and insert its configuration as
    ///    trial index n, `running` under `worker` (host, start and first heartbeat stamped, parameters written), and
    ///    return it.
    /// Nothing is written when `suggest` throws (the error is rethrown). Hence no trial index is ever created twice
    /// and a sweep never has more than `planned_trials` trials, however many workers on however many machines ask.
    /// SQLite: `BEGIN IMMEDIATE`. PostgreSQL: in step 2 lock the sweep row first (`SELECT … FROM sweeps WHERE id = $1
    /// FOR UPDATE`), then count, suggest and insert in the same transaction.
    ///
    /// The configurations of the runs in `earlier` (the history an earlier claim handed over) are taken from it
    /// rather than read again: a run's configuration is written once, with its row (`KnownConfigurations`).
    func claimOrCreateTrial(
        sweepID: Int64, worker: String, reusing earlier: [TrialHistoryRecord],
        suggest: (_ trialIndex: Int, _ history: [TrialHistoryRecord]) throws -> TrainingConfiguration
    ) throws -> ClaimedTrial?
    /// Ends a trial `worker` still holds as `pruned` by early-termination `rule` at `rung` (nil for the median rule),
    /// with `detail` (one line) — stop_reason = rule; epochs_completed, steps_completed and the final train and
    /// validation figures from its last recorded epoch. One guarded UPDATE (`status = 'running' AND worker = ?`):
    /// false when the worker does not hold it any more. Every row the trial recorded is kept.
    @discardableResult
    func pruneTrial(runID: Int64, worker: String, rule: String, rung: Int?, detail: String) throws -> Bool
    /// Every trial of the sweep (runs with a `trial_index`), in trial order, with its status and its value of
    /// `metric` at each recorded epoch (NaN where the stored value is NULL, i.e. NaN). One read transaction.
    func sweepEpochCurves(sweepID: Int64, metric: EpochMetric) throws -> [TrialEpochValues]
}

/// A sweep's own row, as `createSweep` writes it. `specJSON` is the specification as JSON (kept with the sweep);
/// `plannedTrials` is the number of trials planned, or the run cap of a sweep whose trials are created on demand.
public struct NewSweep: Sendable, Equatable {
    /// Also the stem of the trials' names (`NAME-SWEEPID-tINDEX`).
    public let name: String
    /// The values of the row's columns but `created_at`, in the order of `NewSweep.columns` (`SQLStoreWriting.swift`).
    let bindings: [SQLValue]

    public init(name: String, method: String, metricName: String, metricGoal: String, specJSON: String, plannedTrials: Int) {
        self.name = name
        bindings = [.text(name), .text(method), .text(metricName), .text(metricGoal), .text(specJSON),
                    .integer(Int64(plannedTrials))]
    }
}

extension TrialQueue {
    /// Writes a sweep and all its trials (`pending`, `trial_index` 0, 1, …) in one transaction; returns the sweep id.
    /// `specJSON` is the specification as JSON (kept with the sweep).
    public func createSweep(
        name: String, method: String, metricName: String, metricGoal: String, specJSON: String,
        trials: [TrainingConfiguration]
    ) throws -> Int64 {
        try createSweep(
            NewSweep(
                name: name, method: method, metricName: metricName, metricGoal: metricGoal, specJSON: specJSON,
                plannedTrials: trials.count),
            trials: trials)
    }

    /// Writes a sweep with NO trial and `planned_trials = plannedTrials` (its run cap), in one transaction; workers
    /// create the trials with `claimOrCreateTrial`. Returns the sweep id.
    public func createSweep(
        name: String, method: String, metricName: String, metricGoal: String, specJSON: String, plannedTrials: Int
    ) throws -> Int64 {
        try createSweep(
            NewSweep(
                name: name, method: method, metricName: metricName, metricGoal: metricGoal, specJSON: specJSON,
                plannedTrials: plannedTrials),
            trials: [])
    }

    /// The sweep with `id` and its trials counted by status; throws `no sweep with id N`.
    public func sweep(id: Int64) throws -> SweepRecord {
        guard let record = try sweeps(id: id).first else { throw StoreError("no sweep with id \(id)") }
        return record
    }

    /// Every sweep, newest first.
    public func sweeps() throws -> [SweepRecord] { try sweeps(id: nil) }

    @discardableResult
    public func finishTrial(runID: Int64, worker: String, status: RunStatus, stopReason: String? = nil) throws -> Bool {
        try finishTrial(runID: runID, worker: worker, status: status, stopReason: stopReason, error: nil)
    }

    /// `claimOrCreateTrial` reading every configuration.
    public func claimOrCreateTrial(
        sweepID: Int64, worker: String, suggest: (_ trialIndex: Int, _ history: [TrialHistoryRecord]) throws -> TrainingConfiguration
    ) throws -> ClaimedTrial? {
        try claimOrCreateTrial(sweepID: sweepID, worker: worker, reusing: [], suggest: suggest)
    }

    /// Re-queues by heartbeat age alone (every worker counts as alive).
    @discardableResult
    public func requeueStaleTrials(sweepID: Int64, staleAfter: Double) throws -> [Int64] {
        try requeueStaleTrials(sweepID: sweepID, staleAfter: staleAfter, isWorkerAlive: { _, _ in true })
    }
}
