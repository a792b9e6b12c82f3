import Foundation

/// The measurements behind the `iterations` design: raw inserts of `rows` rows, one transaction per 10,000 rows,
/// for each table layout and rows-per-INSERT statement size, with bytes on disk per row (dbstat).
public enum InsertLayoutBenchmark {
    public struct Result: Sendable {
        public var layout: String
        public var rowsPerStatement: Int
        public var rowsPerSecond: Double
        public var bytesPerRow: Double
    }

    /// `without_rowid`: (run_id, step) primary key, no rowid — the schema's choice.
    /// `rowid`: a rowid table with the same columns and no index (what a plain table costs without uniqueness).
    public static let layouts: [(name: String, sql: String)] = [
        ("without_rowid",
         "CREATE TABLE t (run_id INTEGER NOT NULL, step INTEGER NOT NULL, loss REAL, learning_rate REAL, PRIMARY KEY (run_id, step)) STRICT, WITHOUT ROWID"),
        ("rowid", "CREATE TABLE t (run_id INTEGER NOT NULL, step INTEGER NOT NULL, loss REAL, learning_rate REAL) STRICT"),
        ("rowid_with_index",
         "CREATE TABLE t (run_id INTEGER NOT NULL, step INTEGER NOT NULL, loss REAL, learning_rate REAL) STRICT; CREATE UNIQUE INDEX t_key ON t (run_id, step)"),
    ]

    public static func run(directory: String, rows: Int, statementSizes: [Int] = [1, 10, 100, 250]) throws -> [Result] {
        var results: [Result] = []
        for layout in layouts {
            for size in statementSizes {
                let path = directory + "/layout-\(layout.name)-\(size).sqlite"
                defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
                let connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
                try connection.configure()
                try connection.execute(layout.sql)
                let values = Array(repeating: "(?,?,?,NULL)", count: size).joined(separator: ",")
                let statement = try connection.makeStatement("INSERT INTO t (run_id, step, loss, learning_rate) VALUES " + values)
                let chunk = 10_000
                let start = Date()
                var step = 0
                while step + size <= rows {
                    if step % chunk < size { try connection.execute("BEGIN IMMEDIATE") }
                    for offset in 0..<size {
                        let current = step + offset + 1
                        statement.bind(Int64(7), at: Int32(offset * 3 + 1))
                        statement.bind(Int64(current), at: Int32(offset * 3 + 2))
                        statement.bind(Double(Float(2.5) / Float(current).squareRoot()), at: Int32(offset * 3 + 3))
                    }
                    try statement.execute()
                    step += size
                    if step % chunk < size || step + size > rows { try connection.execute("COMMIT") }
                }
                let seconds = Date().timeIntervalSince(start)
                try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                let bytes = try connection.scalarDouble("SELECT sum(pgsize) FROM dbstat WHERE name IN ('t', 't_key')") ?? 0
                results.append(
                    Result(layout: layout.name, rowsPerStatement: size, rowsPerSecond: Double(step) / seconds,
                           bytesPerRow: bytes / Double(step)))
            }
        }
        return results
    }
}
