import Engine
import Foundation

extension LogbookStore {
    @discardableResult
    public func createRun(_ run: NewRun) throws -> Int64 { try write { try LogbookStore.insertRun(run, connection: $0) } }

    /// The insert behind `createRun`, for callers already inside a write transaction (sweeps planning many trials):
    /// the row, then every hyperparameter into `params`.
    static func insertRun(_ run: NewRun, connection: SQLiteConnection) throws -> Int64 {
        let now = LogbookStore.now
        let placeholders = Array(repeating: "?", count: run.bindings.count + 3).joined(separator: ", ")
        try connection.execute(
            "INSERT INTO runs (\(NewRun.columns), created_at, started_at, heartbeat_at) VALUES (\(placeholders))",
            run.bindings + [.real(now), run.isRunning ? .real(now) : .null, run.isRunning ? .real(now) : .null])
        let id = connection.lastInsertRowID
        if run.name == nil {
            try connection.execute("UPDATE runs SET name = 'run-' || id WHERE id = ?", [.integer(id)])
        }
        for (key, value) in run.parameters {
            try connection.execute("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", [.integer(id), .text(key), value])
        }
        return id
    }

    /// The run with `id`; throws `no run with id N` when there is none.
    public func run(id: Int64) throws -> RunRecord {
        try read { try LogbookStore.runRecord(id: id, connection: $0) }
    }

    static func runRecord(id: Int64, connection: SQLiteConnection) throws -> RunRecord {
        var record: RunRecord?
        try connection.forEachRow(RunRecord.selectSQL + " WHERE id = ?", [.integer(id)]) { record = try RunRecord(row: $0) }
        guard let record else { throw StoreError.unknownRun(id) }
        return record
    }

    /// Runs, newest first, optionally only those of one sweep or status.
    public func runs(sweepID: Int64? = nil, status: RunStatus? = nil, limit: Int = -1) throws -> [RunRecord] {
        try read { connection in
            var records: [RunRecord] = []
            try connection.forEachRow(
                RunRecord.selectSQL + " WHERE (?1 IS NULL OR sweep_id = ?1) AND (?2 IS NULL OR status = ?2) ORDER BY id DESC LIMIT ?3",
                [sweepID.map(SQLValue.integer) ?? .null, status.map { .text($0.rawValue) } ?? .null, .integer(Int64(limit))]
            ) { records.append(try RunRecord(row: $0)) }
            return records
        }
    }

    /// Ends a run that threw: status `failed`, the error message kept, end time and duration set.
    public func markRunFailed(_ runID: Int64, message: String) throws {
        try setFinalStatus(runID, status: .failed, stopReason: nil, error: message)
    }

    /// Sets a final status (e.g. `.interrupted` after Ctrl-C when no `.finished` event was emitted, or `.stopped`).
    public func setFinalStatus(_ runID: Int64, status: RunStatus, stopReason: String?, error: String? = nil) throws {
        try write { connection in
            let now = LogbookStore.now
            try connection.execute(
                """
                UPDATE runs SET status = ?, stop_reason = COALESCE(?, stop_reason), error = COALESCE(?, error),
                    ended_at = ?, duration = COALESCE(duration, ? - started_at)
                WHERE id = ?
                """,
                [.text(status.rawValue), stopReason.map(SQLValue.text) ?? .null, error.map(SQLValue.text) ?? .null,
                 .real(now), .real(now), .integer(runID)])
            if connection.changes == 0 { throw StoreError.unknownRun(runID) }
        }
    }

    /// Marks as `interrupted` (stop reason `heartbeat_lost`) every `running` run whose heartbeat is older than
    /// `seconds` — its process died (SIGKILL, power loss). Returns their ids. Default: `Heartbeat.staleAfter`.
    @discardableResult
    public func markStaleRunsInterrupted(olderThan seconds: Double = Heartbeat.staleAfter) throws -> [Int64] {
        try write { connection in
            let cutoff = LogbookStore.now - seconds
            var ids: [Int64] = []
            try connection.forEachRow(
                """
                UPDATE runs SET status = 'interrupted', stop_reason = 'heartbeat_lost', ended_at = heartbeat_at,
                    duration = heartbeat_at - started_at
                WHERE status = 'running' AND COALESCE(heartbeat_at, created_at) < ?
                RETURNING id
                """, [.real(cutoff)]
            ) { ids.append($0.int64(0)) }
            return ids.sorted()
        }
    }
}

extension RunRecord {
    static let selectSQL = """
        SELECT id, name, status, sweep_id, trial_index, seed, config, model, dataset, steps_per_epoch, parent_run_id,
            worker, host, logbook_version, created_at, started_at, ended_at, duration, heartbeat_at, stop_reason, error,
            epochs_completed, steps_completed, final_train_loss, final_train_accuracy, final_validation_loss,
            final_validation_accuracy, test_loss, test_accuracy, parameter_count, train_size, validation_size, test_size
        FROM runs
        """

    init(row: Statement) throws {
        let statusText = row.text(2)
        guard let status = RunStatus(rawValue: statusText) else {
            throw StoreError("run \(row.int64(0)) has an unknown status '\(statusText)'")
        }
        self.init(
            id: row.int64(0), name: row.text(1), status: status, sweepID: row.optionalInt64(3),
            trialIndex: row.optionalInt(4), seed: UInt64(bitPattern: row.int64(5)),
            configuration: try ConfigurationCoding.configuration(fromJSON: row.text(6), runID: row.int64(0)),
            model: row.text(7), dataset: row.text(8), stepsPerEpoch: row.optionalInt(9), parentRunID: row.optionalInt64(10),
            worker: row.optionalText(11), host: row.optionalText(12), logbookVersion: row.text(13),
            createdAt: row.double(14), startedAt: row.optionalDouble(15), endedAt: row.optionalDouble(16),
            duration: row.optionalDouble(17), heartbeatAt: row.optionalDouble(18), stopReason: row.optionalText(19),
            error: row.optionalText(20), epochsCompleted: row.optionalInt(21), stepsCompleted: row.optionalInt(22),
            finalTrainLoss: row.optionalDouble(23), finalTrainAccuracy: row.optionalDouble(24),
            finalValidationLoss: row.optionalDouble(25), finalValidationAccuracy: row.optionalDouble(26),
            testLoss: row.optionalDouble(27), testAccuracy: row.optionalDouble(28), parameterCount: row.optionalInt(29),
            trainSize: row.optionalInt(30), validationSize: row.optionalInt(31), testSize: row.optionalInt(32))
    }
}
