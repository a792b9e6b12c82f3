import Engine
import Foundation
import Store

/// Runs a sweep that is already in the store: re-queues what a dead or interrupted worker left, starts the worker
/// processes and waits until they exit, calling `refreshProgress` as it goes (the CLI's display renders through
/// Report; Sweep shows nothing itself). Shared by `sweep run`, `sweep resume` and `bench sweep`.
public struct SweepExecution {
    public var store: any LogbookStoring
    public var sweepID: Int64
    public var workerCount: Int
    /// Called every `refreshInterval` once a trial runs, and once at the end, to show progress (nil: nothing shown).
    /// An error it throws (e.g. an unreadable row) is ignored: the workers carry on.
    public var refreshProgress: (() throws -> Void)?
    /// The worker executable (default: this program).
    public var executable: String?
    /// Running trials whose heartbeat is older than this are abandoned (re-queued at the start and when a worker dies).
    public var staleAfter: Double = Heartbeat.staleAfter
    /// Seconds between display refreshes (the end of the workers is noticed within 10 ms regardless).
    public var refreshInterval: Double = 0.5

    public init(
        store: any LogbookStoring, sweepID: Int64, workerCount: Int, executable: String? = nil,
        refreshProgress: (() throws -> Void)? = nil
    ) {
        self.store = store
        self.sweepID = sweepID
        self.workerCount = workerCount
        self.executable = executable
        self.refreshProgress = refreshProgress
    }

    public struct Result: Sendable {
        public var sweep: SweepRecord
        public var interrupted: Bool
        public var requeued: [Int64]
        public var workerExitStatuses: [Int32]
        /// One line per worker that was killed or exited non-zero.
        public var workerFailures: [String] = []
        public var seconds: Double
        /// Seconds from the start of `execute` to the first trial seen `running` (nil if none was seen).
        public var secondsToFirstTrialRunning: Double?
    }

    /// Re-queues abandoned trials (interrupted, stale heartbeat, or a worker process on this host that is gone), then
    /// runs the workers to the end. SIGINT/SIGTERM stop gracefully: workers mark their trials `interrupted`.
    public func execute(stopFlag: StopFlag = StopFlag()) throws -> Result {
        let start = Date().timeIntervalSince1970
        let requeued = try store.requeueStaleTrials(
            sweepID: sweepID, staleAfter: staleAfter, isWorkerAlive: WorkerIdentity.isAlive(worker:host:))
        var sweep = try store.sweep(id: sweepID)
        guard sweep.openTrials > 0 else {
            return Result(
                sweep: sweep, interrupted: false, requeued: requeued, workerExitStatuses: [], workerFailures: [],
                seconds: 0, secondsToFirstTrialRunning: nil)
        }
        let workers = try WorkerProcesses(
            count: min(workerCount, sweep.openTrials), databasePath: store.path, sweepID: sweepID,
            executable: executable)
        stopFlag.catchSignals { workers.interrupt() }
        var firstRunning: Double?
        var requeuedDuringRun: [Int64] = []
        var knownFailures = 0
        var replacements = 0
        var lastRefresh = 0.0
        while true {
            // A worker died (SIGKILL, crash): hand its trial back to the queue and start a replacement (at most
            // 2 × workers replacements, so that a trial that crashes every worker cannot loop forever). Not once the
            // sweep is being stopped: a worker still starting up when the interrupt came dies of it, and re-queuing
            // then would turn the trials the others just marked `interrupted` back into `pending` (resume re-queues
            // them anyway).
            let failures = workers.failures.count
            if failures > knownFailures, stopFlag.isRaised {
                knownFailures = failures
            } else if failures > knownFailures {
                let died = failures - knownFailures
                knownFailures = failures
                requeuedDuringRun += try store.requeueStaleTrials(
                    sweepID: sweepID, staleAfter: staleAfter, isWorkerAlive: WorkerIdentity.isAlive(worker:host:))
                for _ in 0..<died where !stopFlag.isRaised && replacements < 2 * workerCount {
                    guard try store.sweep(id: sweepID).openTrials > 0 else { break }
                    try workers.startWorker()
                    replacements += 1
                }
            }
            if workers.allExited { break }
            // Wake often (to notice the end and the first running trial quickly); refresh the display less often.
            Thread.sleep(forTimeInterval: min(0.01, refreshInterval))
            let now = Date().timeIntervalSince1970
            if firstRunning == nil, try store.sweep(id: sweepID).count(.running) > 0 { firstRunning = now - start }
            if firstRunning != nil, now - lastRefresh >= refreshInterval {
                lastRefresh = now
                // A display problem (e.g. an unreadable row) must not stop the sweep: the workers carry on.
                try? refreshProgress?()
            }
        }
        let statuses = workers.waitUntilExit()
        requeuedDuringRun += try waitForForeignWorkers(stopFlag: stopFlag)
        try? refreshProgress?()
        sweep = try store.sweep(id: sweepID)
        return Result(
            sweep: sweep, interrupted: stopFlag.isRaised, requeued: requeued + requeuedDuringRun,
            workerExitStatuses: statuses, workerFailures: workers.failures,
            seconds: Date().timeIntervalSince1970 - start, secondsToFirstTrialRunning: firstRunning)
    }

    /// Trials still running in workers started elsewhere (`logbook worker --sweep ID`): waits for them so that the
    /// leaderboard printed at the end is complete. A trial whose worker died meanwhile (stale heartbeat) goes back
    /// to the queue for `sweep resume`, and the wait ends. Returns the ids of the attempts so re-queued.
    private func waitForForeignWorkers(stopFlag: StopFlag) throws -> [Int64] {
        var lastCheck = 0.0
        while !stopFlag.isRaised, try store.sweep(id: sweepID).count(.running) > 0 {
            Thread.sleep(forTimeInterval: 0.05)
            let now = Date().timeIntervalSince1970
            guard now - lastCheck >= max(refreshInterval, 0.5) else { continue }
            lastCheck = now
            try? refreshProgress?()
            let requeued = try store.requeueStaleTrials(
                sweepID: sweepID, staleAfter: staleAfter, isWorkerAlive: WorkerIdentity.isAlive(worker:host:))
            if !requeued.isEmpty { return requeued }
        }
        return []
    }

    /// Writes the planned sweep (spec JSON and every trial as `pending`) in one transaction; returns its id.
    /// A sweep that creates its trials on demand (tpe) is written without trials, planning `run_cap` of them.
    public static func create(plan: SweepPlan, base: TrainingConfiguration, store: any TrialQueue) throws -> Int64 {
        if plan.spec.method.createsTrialsOnDemand {
            return try store.createSweep(
                name: plan.spec.name, method: plan.spec.method.rawValue, metricName: plan.spec.metric.name,
                metricGoal: plan.spec.metric.goal.rawValue, specJSON: try plan.spec.json(base: base, dataHashes: plan.dataHashes),
                plannedTrials: plan.spec.runCap ?? 0)
        }
        return try store.createSweep(
            name: plan.spec.name, method: plan.spec.method.rawValue, metricName: plan.spec.metric.name,
            metricGoal: plan.spec.metric.goal.rawValue, specJSON: try plan.spec.json(base: base, dataHashes: plan.dataHashes),
            trials: plan.trials.map(\.configuration))
    }
}
