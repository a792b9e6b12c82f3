import Engine
import Foundation

/// The trial queue of sweeps, kept in the `runs` table itself: a trial is a run with `sweep_id` and `trial_index` set.
///
/// Protocol (each step one transaction, so any number of worker processes can share the file):
/// 1. `createSweep` writes the sweep row and every trial — status `pending`, full `config` JSON, `params` — in ONE
///    transaction: a sweep exists with its whole plan or not at all.
/// 2. `claimNextTrial` moves the pending trial with the lowest `trial_index` to `running` with the worker's id and a
///    first heartbeat, in a single `UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING …` inside an IMMEDIATE
///    transaction: SQLite's write lock serialises claimers, so no two workers ever get the same trial.
/// 3. The worker trains and records; `heartbeat` refreshes `heartbeat_at` (and tells the worker if it lost the trial);
///    the recorder or `finishTrial` sets the final status.
/// 4. `requeueStaleTrials` takes `interrupted` trials, and `running` trials whose worker is gone (stale heartbeat,
///    or a dead process on this host), out of the queue and plans each again: the attempt keeps every row it
///    committed and stays in the sweep as an `interrupted` run without a `trial_index` (a superseded attempt), and a
///    new `pending` run with the same trial index, configuration and parameters (its `parent_run_id` = the attempt)
///    takes its place — in one transaction, so no committed row is lost and no trial is ever completed twice.
///    A sweep's trials are its runs with a `trial_index`; progress counts only those.
///
/// A PostgreSQL store (multi-machine sweeps) implements the same protocol: the claim becomes
/// `UPDATE runs SET status = 'running', … WHERE id = (SELECT id FROM runs WHERE sweep_id = $1 AND status = 'pending'
/// ORDER BY trial_index LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING …`, and the requeue the same UPDATE + INSERT … SELECT
/// in one transaction.
extension LogbookStore {
    /// The sweep row and every trial — status `pending`, full `config` JSON, `params` — in one IMMEDIATE transaction.
    public func createSweep(_ sweep: NewSweep, trials: [TrainingConfiguration]) throws -> Int64 {
        try writeSweep(sweep, trials: trials)
    }

    static func insertSweep(_ sweep: NewSweep, connection: SQLiteConnection) throws -> Int64 {
        try connection.execute(
            "INSERT INTO \(NewSweep.columns) VALUES (?, ?, ?, ?, ?, ?, ?)", sweep.bindings + [.real(LogbookStore.now)])
        return connection.lastInsertRowID
    }

    /// Every sweep (or the one with `id`), newest first, with its trials counted by status.
    public func sweeps(id: Int64? = nil) throws -> [SweepRecord] {
        try readTransaction { connection in
            var records: [SweepRecord] = []
            try connection.forEachRow(
                """
                SELECT id, name, method, metric_name, metric_goal, spec, planned_trials, created_at FROM sweeps
                WHERE ?1 IS NULL OR id = ?1 ORDER BY id DESC
                """, [id.map(SQLValue.integer) ?? .null]
            ) { row in
                records.append(
                    SweepRecord(
                        id: row.int64(0), name: row.text(1), method: row.text(2), metricName: row.text(3),
                        metricGoal: row.text(4), specJSON: row.text(5), plannedTrials: row.int(6), createdAt: row.double(7),
                        statusCounts: [:]))
            }
            for index in records.indices {
                try connection.forEachRow(
                    "SELECT status, COUNT(*) FROM runs WHERE sweep_id = ? AND trial_index IS NOT NULL GROUP BY status",
                    [.integer(records[index].id)]
                ) { row in
                    if let status = RunStatus(rawValue: row.text(0)) { records[index].statusCounts[status] = row.int(1) }
                }
            }
            return records
        }
    }

    /// Atomically moves the next pending trial (lowest `trial_index`) of the sweep to `running`, stamped with
    /// `worker`, this host, `started_at` and a first heartbeat. Nil when no trial is pending.
    ///
    /// The claim is one `UPDATE … RETURNING` in a write transaction; the returned configuration is decoded after the
    /// write lock is released (no one else changes a trial this worker holds). Should it be unreadable, the trial
    /// goes back to `pending` (worker, start and heartbeat cleared) and the error is thrown, as when the claim was
    /// rolled back.
    public func claimNextTrial(sweepID: Int64, worker: String) throws -> ClaimedTrial? {
        let claimed: (runID: Int64, trialIndex: Int, json: String)? = try write { connection in
            let now = LogbookStore.now
            var claimed: (Int64, Int, String)?
            try connection.forEachRow(
                """
                UPDATE runs SET status = 'running', worker = ?1, host = ?2, started_at = ?3, heartbeat_at = ?3,
                    ended_at = NULL, duration = NULL
                WHERE id = (SELECT id FROM runs WHERE sweep_id = ?4 AND status = 'pending'
                            ORDER BY trial_index LIMIT 1)
                RETURNING id, trial_index, config
                """,
                [.text(worker), .text(Provenance.hostName), .real(now), .integer(sweepID)]
            ) { row in claimed = (row.int64(0), row.int(1), row.text(2)) }
            return claimed
        }
        guard let claimed else { return nil }
        return try claimedTrial(
            runID: claimed.runID, trialIndex: claimed.trialIndex, configJSON: claimed.json, sweepID: sweepID,
            worker: worker)
    }

    static var currentTime: (sql: String, bindings: [SQLValue]) { ("?", [.real(LogbookStore.now)]) }

    func update(_ sql: String, _ bindings: [SQLValue]) throws -> Int {
        try write { connection in
            try connection.execute(sql, bindings)
            return connection.changes
        }
    }

    /// Plans again the sweep's `interrupted` trials and its `running` trials whose heartbeat is older than
    /// `staleAfter` seconds or whose worker `isWorkerAlive` says is gone. Each such attempt keeps its committed rows
    /// and becomes a superseded `interrupted` run (no `trial_index`; stop reason `heartbeat_lost` when its worker
    /// died); a new `pending` run with the same trial index, configuration and parameters replaces it in the queue.
    /// One transaction. Returns the ids of the superseded attempts (in id order).
    @discardableResult
    public func requeueStaleTrials(
        sweepID: Int64, staleAfter: Double, isWorkerAlive: (_ worker: String?, _ host: String?) -> Bool = { _, _ in true }
    ) throws -> [Int64] {
        try write { connection in
            let now = LogbookStore.now
            let cutoff = now - staleAfter
            var stale: [(id: Int64, wasRunning: Bool)] = []
            try connection.forEachRow(
                """
                SELECT id, status, heartbeat_at, worker, host FROM runs
                WHERE sweep_id = ? AND trial_index IS NOT NULL AND status IN ('running', 'interrupted') ORDER BY id
                """,
                [.integer(sweepID)]
            ) { row in
                let isInterrupted = row.text(1) == "interrupted"
                let abandoned = (row.optionalDouble(2) ?? 0) < cutoff || !isWorkerAlive(row.optionalText(3), row.optionalText(4))
                if isInterrupted || abandoned { stale.append((row.int64(0), !isInterrupted)) }
            }
            for attempt in stale {
                let argument: [SQLValue] = [.integer(attempt.id)]
                try connection.execute(
                    """
                    INSERT INTO runs (name, sweep_id, trial_index, status, seed, model, layers, activation, batch_norm,
                        parameter_count, dataset, batch_size, learning_rate, initializer, epochs, optimizer, momentum,
                        weight_decay, lr_schedule, loss, config, parent_run_id, host, logbook_version, created_at)
                    SELECT name, sweep_id, trial_index, 'pending', seed, model, layers, activation, batch_norm,
                        parameter_count, dataset, batch_size, learning_rate, initializer, epochs, optimizer, momentum,
                        weight_decay, lr_schedule, loss, config, id, host, logbook_version, ?
                    FROM runs WHERE id = ?
                    """, [.real(now), .integer(attempt.id)])
                let retryID = connection.lastInsertRowID
                try connection.execute(
                    "INSERT INTO params (run_id, key, value) SELECT ?, key, value FROM params WHERE run_id = ?",
                    [.integer(retryID), .integer(attempt.id)])
                try connection.execute(
                    """
                    UPDATE runs SET status = 'interrupted', trial_index = NULL,
                        stop_reason = CASE WHEN ?2 THEN 'heartbeat_lost' ELSE COALESCE(stop_reason, 'interrupted') END,
                        ended_at = COALESCE(ended_at, heartbeat_at, ?3),
                        duration = COALESCE(duration, COALESCE(heartbeat_at, ?3) - started_at),
                        error = COALESCE(error, 'superseded by run ' || ?4 || ' (re-queued)')
                    WHERE id = ?1
                    """, argument + [.integer(attempt.wasRunning ? 1 : 0), .real(now), .integer(retryID)])
            }
            return stale.map(\.id)
        }
    }

    /// What each running trial of the sweep is doing, from the rows committed so far (for live displays).
    public func runningTrials(sweepID: Int64) throws -> [TrialActivity] {
        try readTransaction { connection in
            var activities: [TrialActivity] = []
            try connection.forEachRow(
                """
                SELECT r.id, r.trial_index, r.worker, r.started_at, r.steps_per_epoch, r.epochs,
                       (SELECT MAX(step) FROM iterations WHERE run_id = r.id),
                       (SELECT loss FROM iterations WHERE run_id = r.id ORDER BY step DESC LIMIT 1)
                FROM runs AS r WHERE r.sweep_id = ? AND r.status = 'running' ORDER BY r.worker, r.trial_index
                """, [.integer(sweepID)]
            ) { row in
                activities.append(
                    TrialActivity(
                        runID: row.int64(0), trialIndex: row.int(1), worker: row.optionalText(2) ?? "?",
                        startedAt: row.optionalDouble(3), stepsPerEpoch: row.optionalInt(4), epochs: row.int(5),
                        step: row.optionalInt(6), loss: row.optionalDouble(7)))
            }
            return activities
        }
    }
}

/// A row of `sweeps` with its trials counted by status.
public struct SweepRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var method: String
    public var metricName: String
    public var metricGoal: String
    public var specJSON: String
    public var plannedTrials: Int
    public var createdAt: Double
    public var statusCounts: [RunStatus: Int]

    public func count(_ status: RunStatus) -> Int { statusCounts[status] ?? 0 }
    /// Trials that reached a final status (completed, failed, diverged, stopped, pruned).
    /// Trials a worker can still take: pending ones plus, for sweeps that create trials on demand, the trial indices
    /// not created yet (`planned_trials` − trials so far; 0 for planned sweeps, whose trials all exist).
    public var openTrials: Int { count(.pending) + max(0, plannedTrials - statusCounts.values.reduce(0, +)) }
    public var finishedTrials: Int { count(.completed) + count(.failed) + count(.diverged) + count(.stopped) + count(.pruned) }
}

/// A trial a worker holds: the run to train and record into.
public struct ClaimedTrial: Sendable, Equatable {
    public var runID: Int64
    public var sweepID: Int64
    public var trialIndex: Int
    public var worker: String
    public var configuration: TrainingConfiguration
}

/// A running trial as seen from the database: who runs it and how far it got (committed rows only).
public struct TrialActivity: Sendable, Equatable {
    public var runID: Int64
    public var trialIndex: Int
    public var worker: String
    public var startedAt: Double?
    public var stepsPerEpoch: Int?
    public var epochs: Int
    public var step: Int?
    public var loss: Double?

    /// The epoch of `step` (1-based), when the steps per epoch are known.
    public var epoch: Int? {
        guard let step, let stepsPerEpoch, stepsPerEpoch > 0 else { return nil }
        return (step - 1) / stepsPerEpoch + 1
    }

    /// Seconds left, extrapolated from the steps done so far.
    public func secondsRemaining(now: Double) -> Double? {
        guard let step, step > 0, let stepsPerEpoch, let startedAt else { return nil }
        let planned = stepsPerEpoch * epochs
        return (now - startedAt) / Double(step) * Double(max(0, planned - step))
    }
}
