import Foundation

/// `logbook db copy`: sweeps and runs with every row of every table (params, iterations, epochs, evaluations,
/// weights) from one store to another — SQLite → PostgreSQL to share, PostgreSQL → SQLite to take a sweep home.
///
/// Rows keep their ids, so a copy reads exactly like its source (`run_summary`, `iteration_log`, parent runs).
/// Idempotent: a sweep or run already in the target with the same id, name and creation time is skipped, so copying
/// twice adds nothing; an id the target holds for a different sweep or run is refused with one line before anything
/// is written (the stores hold other experiments: copy into an empty store). Runs are copied whole, several to a
/// transaction (`CopyGroup`: up to `groupRowLimit` rows or `groupByteLimit` bytes of weights), so an interrupted
/// copy leaves whole runs behind and copying again adds the rest; the target's sweeps and runs are read once, not
/// once per run.
public enum StoreCopy {
    public struct Summary: Sendable, Equatable {
        public var sweepsCopied = 0
        public var runsCopied = 0
        public var runsSkipped = 0
        public var rowsCopied = 0
    }

    /// The tables below `runs`, copied with each run.
    static let runTables = ["params", "iterations", "epochs", "evaluations", "weights"]
    /// A transaction closes after the run that takes it past this many rows…
    public static let groupRowLimit = 20_000
    /// …or past this many bytes of weights.
    static let groupByteLimit = 16 << 20

    /// `groupRowLimit`: the rows after which a transaction closes (at the end of the run that passes it).
    public static func copy(
        from source: any LogbookStoring, to target: any LogbookStoring, sweepID: Int64?, groupRowLimit: Int = StoreCopy.groupRowLimit
    ) throws -> Summary {
        guard let reader = source as? RowTransfer, let writer = target as? RowTransfer else {
            throw StoreError("db copy: unsupported store")
        }
        if let sweepID { _ = try source.sweep(id: sweepID) }
        var summary = Summary()
        let sweepFilter: (String, [SQLValue]) = sweepID.map { ("WHERE id = ?", [.integer($0)]) } ?? ("", [])
        let sweeps = try reader.transferRows("SELECT * FROM sweeps \(sweepFilter.0) ORDER BY id", sweepFilter.1)
        let runFilter: (String, [SQLValue]) = sweepID.map { ("WHERE sweep_id = ?", [.integer($0)]) } ?? ("", [])
        let runs = try reader.transferRows("SELECT * FROM runs \(runFilter.0) ORDER BY id", runFilter.1)
        let presentSweeps = try Present(table: "sweeps", in: writer)
        let presentRuns = try Present(table: "runs", in: writer)
        // Every id conflict is refused before anything is written.
        for row in sweeps.rows { _ = try presentSweeps.contains(row, columns: sweeps.columns) }
        for row in runs.rows { _ = try presentRuns.contains(row, columns: runs.columns) }
        for row in sweeps.rows where try !presentSweeps.contains(row, columns: sweeps.columns) {
            try writer.transferInsert([("sweeps", sweeps.columns, [row])])
            summary.sweepsCopied += 1
        }
        let sourceIDs = Set(runs.rows.compactMap(\.first))
        let parentColumn = runs.columns.firstIndex(of: "parent_run_id")
        var group = CopyGroup()
        for var row in runs.rows {
            if try presentRuns.contains(row, columns: runs.columns) {
                summary.runsSkipped += 1
                continue
            }
            guard case .integer(let runID) = row[0] else { continue }
            // A parent outside the copied sweep (a run it was initialised from) is kept only when the target has it.
            if let parentColumn, case .integer = row[parentColumn], !presentRuns.ids.contains(row[parentColumn]),
                !sourceIDs.contains(row[parentColumn])
            {
                row[parentColumn] = .null
            }
            var tables: [(table: String, columns: [String], rows: [[SQLValue]])] = [("runs", runs.columns, [row])]
            for table in runTables {
                let order = table == "iterations" ? " ORDER BY step" : ""
                let rows = try reader.transferRows("SELECT * FROM \(table) WHERE run_id = ?\(order)", [.integer(runID)])
                if !rows.rows.isEmpty { tables.append((table, rows.columns, rows.rows)) }
                summary.rowsCopied += rows.rows.count
            }
            group.add(tables)
            summary.runsCopied += 1
            if group.rowCount >= groupRowLimit || group.byteCount >= StoreCopy.groupByteLimit {
                try writer.transferInsert(group.batches)
                group = CopyGroup()
            }
        }
        if !group.batches.isEmpty { try writer.transferInsert(group.batches) }
        try writer.transferFinish()
        return summary
    }

    /// The sweeps or runs the target holds (id → name and creation time), read once.
    private struct Present {
        let table: String
        let rows: [SQLValue: (name: SQLValue, createdAt: Double?)]
        var ids: Dictionary<SQLValue, (name: SQLValue, createdAt: Double?)>.Keys { rows.keys }

        init(table: String, in target: RowTransfer) throws {
            self.table = table
            var rows: [SQLValue: (name: SQLValue, createdAt: Double?)] = [:]
            for row in try target.transferRows("SELECT id, name, created_at FROM \(table)", []).rows {
                rows[row[0]] = (row[1], row[2].double)
            }
            self.rows = rows
        }

        /// Whether the target holds this sweep or run already (same id, name and creation time); throws when it
        /// holds another one under the id.
        func contains(_ row: [SQLValue], columns: [String]) throws -> Bool {
            guard let name = columns.firstIndex(of: "name"), let created = columns.firstIndex(of: "created_at"),
                let existing = rows[row[0]]
            else { return false }
            if existing.name == row[name] && existing.createdAt == row[created].double { return true }
            let kind = table == "sweeps" ? "sweep" : "run"
            throw StoreError(
                "db copy: the target already has a different \(kind) with id \(row[0]) ('\(existing.name)'); copy into an empty store")
        }
    }

    /// Whole runs waiting for one transaction: their rows merged table by table (runs first, so every row's run is
    /// inserted before it), except iterations, which stay one batch per run (each store writes a run's steps
    /// together: PostgreSQL as blocks).
    private struct CopyGroup {
        private var merged: [String: (columns: [String], rows: [[SQLValue]])] = [:]
        private var iterations: [(table: String, columns: [String], rows: [[SQLValue]])] = []
        private(set) var rowCount = 0
        private(set) var byteCount = 0

        mutating func add(_ tables: [(table: String, columns: [String], rows: [[SQLValue]])]) {
            for (table, columns, rows) in tables {
                rowCount += rows.count
                for row in rows {
                    for value in row { if case .blob(let bytes) = value { byteCount += bytes.count } }
                }
                if table == "iterations" {
                    iterations.append((table, columns, rows))
                } else {
                    merged[table, default: (columns, [])].rows += rows  // `SELECT *` of one table: the same columns
                }
            }
        }

        var batches: [(table: String, columns: [String], rows: [[SQLValue]])] {
            let ordered = ["runs"] + StoreCopy.runTables.filter { $0 != "iterations" }
            return ordered.compactMap { table in merged[table].map { (table, $0.columns, $0.rows) } } + iterations
        }
    }
}

/// What `StoreCopy` needs of each store: its rows as stored, and inserting rows as they are.
protocol RowTransfer: AnyObject {
    /// The rows of one query (`?` placeholders).
    func transferRows(_ sql: String, _ arguments: [SQLValue]) throws -> ResultTable
    /// Inserts every batch's rows (columns named, ids included) in one transaction.
    func transferInsert(_ batches: [(table: String, columns: [String], rows: [[SQLValue]])]) throws
    /// After a copy (PostgreSQL: the id sequences move past the copied ids).
    func transferFinish() throws
}

extension LogbookStore: RowTransfer {
    func transferRows(_ sql: String, _ arguments: [SQLValue]) throws -> ResultTable { try table(sql, arguments) }

    func transferInsert(_ batches: [(table: String, columns: [String], rows: [[SQLValue]])]) throws {
        try write { connection in
            for batch in batches {
                let sql = "INSERT INTO \(batch.table) (\(batch.columns.map(quoteIdentifier).joined(separator: ", "))) VALUES ("
                    + Array(repeating: "?", count: batch.columns.count).joined(separator: ", ") + ")"
                for row in batch.rows { try connection.execute(sql, row) }
            }
        }
    }

    func transferFinish() throws {}
}
