import Engine

extension NewSweep {
    /// The table and columns both stores insert (`INSERT INTO \(columns) VALUES …`), `created_at` last: SQLite binds
    /// this process's time, PostgreSQL writes the server's `now()`.
    static let columns = "sweeps (name, method, metric_name, metric_goal, spec, planned_trials, created_at)"
}

/// What `LogbookStore` and `PostgreSQLStore` share above their dialects: each supplies its write transaction and the
/// two inserts in its SQL; creating a run and a sweep with its planned trials are written once.
protocol SQLStoreWriting {
    associatedtype Connection
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    func write<T>(_ body: (Connection) throws -> T) throws -> T
    /// Inserts the sweep's row inside the caller's transaction; returns its id.
    static func insertSweep(_ sweep: NewSweep, connection: Connection) throws -> Int64
    /// Inserts a run (its row and `params`) inside the caller's transaction; returns its id.
    static func insertRun(
        _ configuration: TrainingConfiguration, name: String?, sweepID: Int64?, trialIndex: Int?, parentRunID: Int64?,
        status: RunStatus, worker: String?, connection: Connection
    ) throws -> Int64
}

extension SQLStoreWriting {
    /// `createRun` in one write transaction.
    func writeRun(
        _ configuration: TrainingConfiguration, name: String?, sweepID: Int64?, trialIndex: Int?, parentRunID: Int64?,
        status: RunStatus, worker: String?
    ) throws -> Int64 {
        try write { connection in
            try Self.insertRun(
                configuration, name: name, sweepID: sweepID, trialIndex: trialIndex, parentRunID: parentRunID,
                status: status, worker: worker, connection: connection)
        }
    }

    /// The sweep's row and every planned trial (`pending`, `trial_index` 0, 1, …, named `NAME-SWEEPID-tINDEX`) in
    /// one write transaction; `trials` is empty for sweeps whose trials are created on demand. Returns the sweep id.
    func writeSweep(_ sweep: NewSweep, trials: [TrainingConfiguration]) throws -> Int64 {
        try write { connection in
            let sweepID = try Self.insertSweep(sweep, connection: connection)
            for (index, configuration) in trials.enumerated() {
                _ = try Self.insertRun(
                    configuration, name: "\(sweep.name)-\(sweepID)-t\(index)", sweepID: sweepID, trialIndex: index,
                    parentRunID: nil, status: .pending, worker: nil, connection: connection)
            }
            return sweepID
        }
    }

}

extension LogbookStore: SQLStoreWriting {}
extension PostgreSQLStore: SQLStoreWriting {}
