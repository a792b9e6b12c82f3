import Engine
import Foundation

/// Trials created on demand (method tpe) and early termination on PostgreSQL, with the guarantees of `TrialQueue`:
/// - `claimOrCreateTrial` first claims a pending retry (`claimNextTrial`, SKIP LOCKED); otherwise ONE transaction
///   locks the sweep's row (`SELECT … FROM sweeps WHERE id = $1 FOR UPDATE`), which serialises every creator of the
///   sweep on every machine, then checks that nothing is pending, counts the trial indices, hands the history to
///   `suggest` and inserts index `count` — so no index is created twice and never more than `planned_trials`.
/// - `pruneTrial` is one guarded `UPDATE … WHERE status = 'running' AND worker = $n`, like `finishTrial`.
extension PostgreSQLStore {
    public func claimOrCreateTrial(
        sweepID: Int64, worker: String, reusing earlier: [TrialHistoryRecord],
        suggest: (_ trialIndex: Int, _ history: [TrialHistoryRecord]) throws -> TrainingConfiguration
    ) throws -> ClaimedTrial? {
        let known = KnownConfigurations(earlier)
        while true {
            if let retry = try claimNextTrial(sweepID: sweepID, worker: worker) { return retry }
            let created: ClaimedTrial?? = try write { connection in
                let sweep = try connection.execute(
                    "SELECT planned_trials, name FROM sweeps WHERE id = $1 FOR UPDATE", [.integer(sweepID)])
                guard sweep.rowCount == 1 else { throw StoreError("no sweep with id \(sweepID)") }
                let pending = try connection.scalarInt(
                    "SELECT count(*) FROM runs WHERE sweep_id = $1 AND status = 'pending'", [.integer(sweepID)]) ?? 0
                if pending > 0 { return .some(nil) }  // a trial was re-queued meanwhile: claim it first
                let count = try connection.scalarInt(
                    "SELECT count(*) FROM runs WHERE sweep_id = $1 AND trial_index IS NOT NULL", [.integer(sweepID)]) ?? 0
                guard count < sweep.int64(row: 0, column: 0) else { return .none }
                let trialIndex = Int(count)
                let history = try PostgreSQLStore.trialHistory(sweepID: sweepID, known: known, connection: connection)
                let configuration = try suggest(trialIndex, history)
                let trial = try NewRun(
                    configuration, name: "\(sweep.text(row: 0, column: 1))-\(sweepID)-t\(trialIndex)", sweepID: sweepID,
                    trialIndex: trialIndex, parentRunID: nil, status: .running, worker: worker)
                let runID = try PostgreSQLStore.insertRun(trial, connection: connection)
                return .some(
                    ClaimedTrial(runID: runID, sweepID: sweepID, trialIndex: trialIndex, worker: worker, configuration: configuration))
            }
            switch created {
            case .none: return nil
            case .some(.none): continue
            case .some(.some(let trial)): return trial
            }
        }
    }

    /// As `LogbookStore.trialHistory(sweepID:known:connection:)`.
    static func trialHistory(sweepID: Int64, known: KnownConfigurations, connection: PostgreSQLConnection) throws -> [TrialHistoryRecord] {
        let result = try connection.execute(
            """
            SELECT id, trial_index, status, CASE WHEN id > $2 THEN config END, epochs_completed, final_train_loss,
                   final_train_accuracy, final_validation_loss, final_validation_accuracy, test_loss, test_accuracy, duration
            FROM runs WHERE sweep_id = $1 AND trial_index IS NOT NULL ORDER BY trial_index
            """, [.integer(sweepID), .integer(known.newestRunID)])
        var records: [TrialHistoryRecord] = []
        var unknown: [Int] = []
        for row in 0..<result.rowCount {
            let runID = result.int64(row: row, column: 0)
            var figures = [String: Double](minimumCapacity: TrialHistoryRecord.figureNames.count)
            for (offset, name) in TrialHistoryRecord.figureNames.enumerated() {
                figures[name] = result.optionalDouble(row: row, column: 5 + offset)
            }
            let configuration = try result.optionalText(row: row, column: 3).map { try ConfigurationCoding.configuration(fromJSON: $0, runID: runID) }
                ?? known.configuration(runID: runID)
            if configuration == nil { unknown.append(records.count) }
            records.append(
                TrialHistoryRecord(
                    runID: runID, trialIndex: result.int(row: row, column: 1),
                    status: RunStatus(rawValue: result.text(row: row, column: 2)) ?? .failed,
                    configuration: configuration ?? TrainingConfiguration(),
                    epochsCompleted: result.optionalInt(row: row, column: 4) ?? 0, figures: figures))
        }
        try KnownConfigurations.complete(&records, at: unknown) { runID in
            let stored = try connection.execute("SELECT config FROM runs WHERE id = $1", [.integer(runID)])
            return stored.rowCount == 1 ? stored.text(row: 0, column: 0) : nil
        }
        return records
    }

    @discardableResult
    public func pruneTrial(runID: Int64, worker: String, rule: String, rung: Int?, detail: String) throws -> Bool {
        let last = "FROM epochs WHERE run_id = runs.id ORDER BY epoch DESC LIMIT 1"
        return try writeStatement { connection in
            try connection.execute(
                """
                UPDATE runs SET status = 'pruned', stop_reason = $1, pruned_rule = $1, pruned_rung = $2, pruned_detail = $3,
                    ended_at = \(PostgreSQLStore.now), duration = \(PostgreSQLStore.now) - started_at,
                    epochs_completed = (SELECT max(epoch) FROM epochs WHERE run_id = runs.id),
                    steps_completed = (SELECT max(step) FROM epochs WHERE run_id = runs.id),
                    final_train_loss = (SELECT train_loss \(last)),
                    final_train_accuracy = (SELECT train_accuracy \(last)),
                    final_validation_loss = (SELECT validation_loss \(last)),
                    final_validation_accuracy = (SELECT validation_accuracy \(last))
                WHERE id = $4 AND status = 'running' AND worker = $5
                """,
                [.text(rule), rung.map { .integer(Int64($0)) } ?? .null, .text(detail), .integer(runID), .text(worker)]
            ).changedRows == 1
        }
    }

    public func sweepEpochCurves(sweepID: Int64, metric: EpochMetric) throws -> [TrialEpochValues] {
        try readTransaction { connection in
            // The column name comes from the EpochMetric enum (a fixed whitelist), never from input.
            let result = try connection.execute(
                """
                SELECT r.id, r.trial_index, r.status, e.epoch, e.\(metric.rawValue)
                FROM runs AS r LEFT JOIN epochs AS e ON e.run_id = r.id
                WHERE r.sweep_id = $1 AND r.trial_index IS NOT NULL ORDER BY r.trial_index, e.epoch
                """, [.integer(sweepID)])
            var curves: [Int64: TrialEpochValues] = [:]
            var order: [Int64] = []
            for row in 0..<result.rowCount {
                let runID = result.int64(row: row, column: 0)
                if curves[runID] == nil {
                    order.append(runID)
                    curves[runID] = TrialEpochValues(
                        runID: runID, trialIndex: result.int(row: row, column: 1),
                        status: RunStatus(rawValue: result.text(row: row, column: 2)) ?? .failed, values: [:])
                }
                if let epoch = result.optionalInt(row: row, column: 3) {
                    curves[runID]!.values[epoch] = result.optionalDouble(row: row, column: 4) ?? .nan
                }
            }
            return order.map { curves[$0]! }
        }
    }
}
