import Foundation

/// `logbook db copy`: sweeps and runs with every row of every table (params, iterations, epochs, evaluations,
/// weights) from one store to another — SQLite → PostgreSQL to share, PostgreSQL → SQLite to take a sweep home.
///
/// Rows keep their ids, so a copy reads exactly like its source (`run_summary`, `iteration_log`, parent runs).
/// Idempotent: a sweep or run already in the target with the same id, name and creation time is skipped, so copying
/// twice adds nothing; an id the target holds for a different sweep or run is refused with one line (the stores hold
/// other experiments: copy into an empty store). Each run is copied in one transaction with all its rows.
public enum StoreCopy {
    public struct Summary: Sendable, Equatable {
        public var sweepsCopied = 0
        public var runsCopied = 0
        public var runsSkipped = 0
        public var rowsCopied = 0
    }

    /// The tables below `runs`, copied with each run.
    static let runTables = ["params", "iterations", "epochs", "evaluations", "weights"]

    public static func copy(from source: any LogbookStoring, to target: any LogbookStoring, sweepID: Int64?) throws -> Summary {
        guard let reader = source as? RowTransfer, let writer = target as? RowTransfer else {
            throw StoreError("db copy: unsupported store")
        }
        if let sweepID { _ = try source.sweep(id: sweepID) }
        var summary = Summary()
        let sweepFilter: (String, [SQLValue]) = sweepID.map { ("WHERE id = ?", [.integer($0)]) } ?? ("", [])
        let sweeps = try reader.transferRows("SELECT * FROM sweeps \(sweepFilter.0) ORDER BY id", sweepFilter.1)
        let runFilter: (String, [SQLValue]) = sweepID.map { ("WHERE sweep_id = ?", [.integer($0)]) } ?? ("", [])
        let runs = try reader.transferRows("SELECT * FROM runs \(runFilter.0) ORDER BY id", runFilter.1)
        // Every id conflict is refused before anything is written.
        for row in sweeps.rows { _ = try isPresent(row, columns: sweeps.columns, table: "sweeps", in: writer) }
        for row in runs.rows { _ = try isPresent(row, columns: runs.columns, table: "runs", in: writer) }
        for row in sweeps.rows {
            if try isPresent(row, columns: sweeps.columns, table: "sweeps", in: writer) { continue }
            try writer.transferInsert([("sweeps", sweeps.columns, [row])])
            summary.sweepsCopied += 1
        }
        let copiedIDs = Set(try writer.transferRows("SELECT id FROM runs", []).rows.compactMap { row -> Int64? in
            if case .integer(let id) = row[0] { return id }
            return nil
        })
        let parentColumn = runs.columns.firstIndex(of: "parent_run_id")
        for var row in runs.rows {
            if try isPresent(row, columns: runs.columns, table: "runs", in: writer) {
                summary.runsSkipped += 1
                continue
            }
            guard case .integer(let runID) = row[0] else { continue }
            // A parent outside the copied sweep (a run it was initialised from) is kept only when the target has it.
            if let parentColumn, case .integer(let parent) = row[parentColumn], !copiedIDs.contains(parent),
                !runs.rows.contains(where: { $0[0] == .integer(parent) })
            {
                row[parentColumn] = .null
            }
            var batches: [(table: String, columns: [String], rows: [[SQLValue]])] = [("runs", runs.columns, [row])]
            for table in runTables {
                let order = table == "iterations" ? " ORDER BY step" : ""
                let rows = try reader.transferRows("SELECT * FROM \(table) WHERE run_id = ?\(order)", [.integer(runID)])
                if !rows.rows.isEmpty { batches.append((table, rows.columns, rows.rows)) }
                summary.rowsCopied += rows.rows.count
            }
            try writer.transferInsert(batches)
            summary.runsCopied += 1
        }
        try writer.transferFinish()
        return summary
    }

    /// Whether the target holds this sweep or run already (same id, name and creation time); throws when it holds
    /// another one under the id.
    private static func isPresent(_ row: [SQLValue], columns: [String], table: String, in target: RowTransfer) throws -> Bool {
        guard let name = columns.firstIndex(of: "name"), let created = columns.firstIndex(of: "created_at") else {
            return false
        }
        let existing = try target.transferRows("SELECT name, created_at FROM \(table) WHERE id = ?", [row[0]]).rows
        guard let first = existing.first else { return false }
        if first[0] == row[name] && first[1].double == row[created].double { return true }
        let kind = table == "sweeps" ? "sweep" : "run"
        throw StoreError(
            "db copy: the target already has a different \(kind) with id \(row[0]) ('\(first[0])'); copy into an empty store")
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
