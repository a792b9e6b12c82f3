import Engine

extension NewSweep {
    /// The table and columns both stores insert (`INSERT INTO \(columns) VALUES …`), `created_at` last: SQLite binds
    /// this process's time, PostgreSQL writes the server's `now()`.
    static let columns = "sweeps (name, method, metric_name, metric_goal, spec, planned_trials, created_at)"
}

/// What `LogbookStore` and `PostgreSQLStore` share above their dialects: each supplies its write transaction and the
/// two inserts in its SQL; creating a sweep with its planned trials are written once.
protocol SQLStoreWriting {
    associatedtype Connection
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    func write<T>(_ body: (Connection) throws -> T) throws -> T
    /// Inserts the sweep's row inside the caller's transaction; returns its id.
    static func insertSweep(_ sweep: NewSweep, connection: Connection) throws -> Int64
    /// Inserts a run (its row and `params`) inside the caller's transaction; returns its id.
    static func insertRun(_ run: NewRun, connection: Connection) throws -> Int64
    /// The current time in a statement: SQL with its bindings. SQLite binds this process's clock (`?`); PostgreSQL
    /// writes the server's `now()` (no binding), so that machines' clocks never disagree.
    static var currentTime: (sql: String, bindings: [SQLValue]) { get }
    /// Runs one `UPDATE` (`?` placeholders, in order) in its own write transaction; returns how many rows it changed.
    func update(_ sql: String, _ bindings: [SQLValue]) throws -> Int
}

extension SQLStoreWriting {
    /// The sweep's row and every planned trial (`pending`, `trial_index` 0, 1, …, named `NAME-SWEEPID-tINDEX`) in
    /// one write transaction; `trials` is empty for sweeps whose trials are created on demand. Returns the sweep id.
    func writeSweep(_ sweep: NewSweep, trials: [TrainingConfiguration]) throws -> Int64 {
        try write { connection in
            let sweepID = try Self.insertSweep(sweep, connection: connection)
            for (index, configuration) in trials.enumerated() {
                let trial = try NewRun(
                    configuration, name: "\(sweep.name)-\(sweepID)-t\(index)", sweepID: sweepID, trialIndex: index,
                    parentRunID: nil, status: .pending, worker: nil)
                _ = try Self.insertRun(trial, connection: connection)
            }
            return sweepID
        }
    }

}

/// The read side both stores share above their dialects: a consistent snapshot and a row stream inside it.
protocol SQLStoreReading: StoreQueries, TrialQueue {
    associatedtype Connection
    /// Runs `body` in one read transaction: every statement inside sees the same snapshot.
    func readTransaction<T>(_ body: (Connection) throws -> T) throws -> T
    /// Streams the rows of Logbook's own `sql` (`?` placeholders) inside the caller's transaction: `header` once with
    /// the column names, then `row` per row, never holding the result whole.
    func streamRows(
        _ sql: String, _ arguments: [SQLValue], connection: Connection, header: ([String]) throws -> Void,
        row: ([SQLValue]) throws -> Void) throws
}

extension SQLStoreReading {
    /// Rows handed on cannot be taken back: when the connection is lost after some were (PostgreSQL runs the
    /// transaction again on a new snapshot, which may differ), the export fails with one line instead of handing on
    /// rows twice; lost before any row, it simply starts again (the header, if already handed on, not twice).
    public func exportSweep(
        _ table: SweepExportTable, sweepID: Int64, header: ([String]) throws -> Void, row: ([SQLValue]) throws -> Void
    ) throws {
        var headerDelivered = false
        var rowsDelivered = 0
        try readTransaction { connection in
            if rowsDelivered > 0 {
                throw StoreError(
                    "lost the connection to the store after \(rowsDelivered) rows of the export (reconnected): the output is incomplete, export again")
            }
            _ = try self.sweep(id: sweepID)
            let (sql, bindings) = LogbookStore.exportSQL(table, sweepID: sweepID, parameterKeys: try self.parameterKeys())
            try self.streamRows(
                sql, bindings, connection: connection,
                header: { columns in
                    if !headerDelivered { try header(columns) }
                    headerDelivered = true
                },
                row: { values in
                    rowsDelivered += 1
                    try row(values)
                })
        }
    }
}

extension LogbookStore: SQLStoreWriting, SQLStoreReading {}
extension PostgreSQLStore: SQLStoreWriting, SQLStoreReading {}
