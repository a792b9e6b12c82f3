import Engine
import Foundation

/// The trial queue on PostgreSQL: the protocol of `LogbookStore+TrialQueue.swift` for workers on many machines.
/// The claim is one `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING …` (claimers never wait
/// for each other and never get the same row); heartbeats and staleness use the server's `now()`.
extension PostgreSQLStore {
    public func createSweep(_ sweep: NewSweep, trials: [TrainingConfiguration]) throws -> Int64 {
        try writeSweep(sweep, trials: trials)
    }

    static func insertSweep(_ sweep: NewSweep, connection: PostgreSQLConnection) throws -> Int64 {
        try connection.execute(
            "INSERT INTO \(NewSweep.columns) VALUES ($1, $2, $3, $4, $5, $6, \(PostgreSQLStore.now)) RETURNING id",
            sweep.bindings
        ).int64(row: 0, column: 0)
    }


    public func sweeps(id: Int64?) throws -> [SweepRecord] {
        try readTransaction { connection in
            let result = try connection.execute(
                """
                SELECT id, name, method, metric_name, metric_goal, spec, planned_trials, created_at FROM sweeps
                WHERE $1::bigint IS NULL OR id = $1 ORDER BY id DESC
                """, [id.map(SQLValue.integer) ?? .null])
            var records = (0..<result.rowCount).map { row in
                SweepRecord(
                    id: result.int64(row: row, column: 0), name: result.text(row: row, column: 1),
                    method: result.text(row: row, column: 2), metricName: result.text(row: row, column: 3),
                    metricGoal: result.text(row: row, column: 4), specJSON: result.text(row: row, column: 5),
                    plannedTrials: result.int(row: row, column: 6), createdAt: result.double(row: row, column: 7),
                    statusCounts: [:])
            }
            let counts = try connection.execute(
                """
                SELECT sweep_id, status, count(*) FROM runs
                WHERE trial_index IS NOT NULL AND sweep_id = ANY($1::bigint[]) GROUP BY sweep_id, status
                """, [.text("{" + records.map { String($0.id) }.joined(separator: ",") + "}")])
            let indexByID = Dictionary(uniqueKeysWithValues: records.enumerated().map { ($1.id, $0) })
            for row in 0..<counts.rowCount {
                guard let index = indexByID[counts.int64(row: row, column: 0)],
                    let status = RunStatus(rawValue: counts.text(row: row, column: 1))
                else { continue }
                records[index].statusCounts[status] = counts.int(row: row, column: 2)
            }
            return records
        }
    }

    /// A claim whose connection is lost is tried again; if the lost one had committed (only its reply was lost),
    /// the retry finds that claim — a running trial of this sweep under this worker and host, untouched since its
    /// claim (heartbeat still at the claim's time; a worker claims only while it holds no trial) — and returns it,
    /// instead of claiming a second trial and leaving the first to go stale.
    public func claimNextTrial(sweepID: Int64, worker: String) throws -> ClaimedTrial? {
        var attempts = 0
        let result = try writeStatement { connection -> PostgreSQLResult in
            attempts += 1
            if attempts > 1 {
                let own = try connection.execute(
                    """
                    SELECT id, trial_index, config FROM runs
                    WHERE sweep_id = $1 AND status = 'running' AND worker = $2 AND host = $3 AND heartbeat_at = started_at
                    ORDER BY started_at DESC LIMIT 1
                    """, [.integer(sweepID), .text(worker), .text(Provenance.hostName)])
                if own.rowCount == 1 { return own }
            }
            let claimed = try connection.execute(
                """
                UPDATE runs SET status = 'running', worker = $1, host = $2, started_at = \(PostgreSQLStore.now),
                    heartbeat_at = \(PostgreSQLStore.now), ended_at = NULL, duration = NULL
                WHERE id = (SELECT id FROM runs WHERE sweep_id = $3 AND status = 'pending'
                            ORDER BY trial_index LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, trial_index, config
                """, [.text(worker), .text(Provenance.hostName), .integer(sweepID)])
            try afterClaimStatement?(connection)
            return claimed
        }
        guard result.rowCount == 1 else { return nil }
        return try claimedTrial(
            runID: result.int64(row: 0, column: 0), trialIndex: result.int(row: 0, column: 1),
            configJSON: result.text(row: 0, column: 2), sweepID: sweepID, worker: worker)
    }

    static var currentTime: (sql: String, bindings: [SQLValue]) { (PostgreSQLStore.now, []) }

    func update(_ sql: String, _ bindings: [SQLValue]) throws -> Int {
        try writeStatement { connection in
            try connection.execute(PostgreSQLStore.numberedPlaceholders(sql), bindings).changedRows
        }
    }

    /// Locks the candidates (`FOR UPDATE`: a recorder of one of them waits, or has committed), judges staleness by
    /// the server's clock, then supersedes each abandoned attempt with a fresh `pending` retry, in one transaction.
    @discardableResult
    public func requeueStaleTrials(
        sweepID: Int64, staleAfter: Double, isWorkerAlive: (_ worker: String?, _ host: String?) -> Bool
    ) throws -> [Int64] {
        try write { connection in
            let candidates = try connection.execute(
                """
                SELECT id, status, COALESCE(heartbeat_at, 0) < \(PostgreSQLStore.now) - $2, worker, host FROM runs
                WHERE sweep_id = $1 AND trial_index IS NOT NULL AND status IN ('running', 'interrupted')
                ORDER BY id FOR UPDATE
                """, [.integer(sweepID), .real(staleAfter)])
            var stale: [(id: Int64, wasRunning: Bool)] = []
            for row in 0..<candidates.rowCount {
                let isInterrupted = candidates.text(row: row, column: 1) == "interrupted"
                let abandoned = candidates.text(row: row, column: 2) == "t"
                    || !isWorkerAlive(candidates.optionalText(row: row, column: 3), candidates.optionalText(row: row, column: 4))
                if isInterrupted || abandoned { stale.append((candidates.int64(row: row, column: 0), !isInterrupted)) }
            }
            for attempt in stale {
                let retryID = try connection.execute(
                    """
                    INSERT INTO runs (name, sweep_id, trial_index, status, seed, model, layers, activation, batch_norm,
                        parameter_count, dataset, batch_size, learning_rate, initializer, epochs, optimizer, momentum,
                        weight_decay, lr_schedule, loss, config, parent_run_id, host, logbook_version, created_at)
                    SELECT name, sweep_id, trial_index, 'pending', seed, model, layers, activation, batch_norm,
                        parameter_count, dataset, batch_size, learning_rate, initializer, epochs, optimizer, momentum,
                        weight_decay, lr_schedule, loss, config, id, host, logbook_version, \(PostgreSQLStore.now)
                    FROM runs WHERE id = $1 RETURNING id
                    """, [.integer(attempt.id)]
                ).int64(row: 0, column: 0)
                try connection.execute(
                    "INSERT INTO params (run_id, key, value) SELECT $1, key, value FROM params WHERE run_id = $2",
                    [.integer(retryID), .integer(attempt.id)])
                try connection.execute(
                    """
                    UPDATE runs SET status = 'interrupted', trial_index = NULL,
                        stop_reason = CASE WHEN $2::boolean THEN 'heartbeat_lost' ELSE COALESCE(stop_reason, 'interrupted') END,
                        ended_at = COALESCE(ended_at, heartbeat_at, \(PostgreSQLStore.now)),
                        duration = COALESCE(duration, COALESCE(heartbeat_at, \(PostgreSQLStore.now)) - started_at),
                        error = COALESCE(error, 'superseded by run ' || $3::bigint || ' (re-queued)')
                    WHERE id = $1
                    """, [.integer(attempt.id), .text(attempt.wasRunning ? "true" : "false"), .integer(retryID)])
            }
            return stale.map(\.id)
        }
    }

    public func runningTrials(sweepID: Int64) throws -> [TrialActivity] {
        try readTransaction { connection in
            let result = try connection.execute(
                """
                SELECT r.id, r.trial_index, r.worker, r.started_at, r.steps_per_epoch, r.epochs,
                       (SELECT max(step) FROM iterations WHERE run_id = r.id),
                       (SELECT loss FROM iterations WHERE run_id = r.id ORDER BY step DESC LIMIT 1)
                FROM runs AS r WHERE r.sweep_id = $1 AND r.status = 'running' ORDER BY r.worker, r.trial_index
                """, [.integer(sweepID)])
            return (0..<result.rowCount).map { row in
                TrialActivity(
                    runID: result.int64(row: row, column: 0), trialIndex: result.int(row: row, column: 1),
                    worker: result.optionalText(row: row, column: 2) ?? "?",
                    startedAt: result.optionalDouble(row: row, column: 3),
                    stepsPerEpoch: result.optionalInt(row: row, column: 4), epochs: result.int(row: row, column: 5),
                    step: result.optionalInt(row: row, column: 6), loss: result.optionalDouble(row: row, column: 7))
            }
        }
    }
}
