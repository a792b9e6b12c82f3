import Foundation

/// `db copy` on PostgreSQL: rows inserted as they are (ids included; hyperparameter values as jsonb of their type;
/// iterations as `iteration_blocks`, one `COPY` a transaction), then the id sequences moved past the copied ids.
extension PostgreSQLStore: RowTransfer {
    func transferRows(_ sql: String, _ arguments: [SQLValue]) throws -> ResultTable { try table(sql, arguments) }

    func transferInsert(_ batches: [(table: String, columns: [String], rows: [[SQLValue]])]) throws {
        try write { connection in
            var blocks: PostgreSQLIterationBlocks?
            for batch in batches {
                if batch.table == "iterations" {
                    try appendIterations(batch.columns, batch.rows, to: &blocks)
                    continue
                }
                // One INSERT of many rows (a round trip each, not one per row), within the protocol's 65,535 parameters.
                let rowsPerStatement = max(1, PostgreSQLStore.parametersPerStatement / max(1, batch.columns.count))
                var start = 0
                while start < batch.rows.count {
                    let rows = batch.rows[start..<min(batch.rows.count, start + rowsPerStatement)]
                    try insert(rows, into: batch.table, columns: batch.columns, connection: connection)
                    start += rows.count
                }
            }
            // Every run's iterations in one COPY, after their runs.
            if let data = blocks?.finish() { try connection.copyIn(PostgreSQLIterationBlocks.copySQL, data: data) }
        }
    }

    static let parametersPerStatement = 30_000

    /// `INSERT INTO table (columns) VALUES ($1, …), (…)` of `rows`; hyperparameter values become jsonb as
    /// `createRun` writes them (`jsonValue`: an integral real stays a real), a NULL stays NULL.
    private func insert(_ rows: ArraySlice<[SQLValue]>, into table: String, columns: [String], connection: PostgreSQLConnection) throws {
        let jsonColumn = table == "params" ? columns.firstIndex(of: "value") : nil
        let keyColumn = columns.firstIndex(of: "key")
        var tuples: [String] = []
        var arguments: [SQLValue] = []
        for var row in rows {
            var placeholders = (0..<row.count).map { "$\(arguments.count + $0 + 1)" }
            if let jsonColumn, row[jsonColumn] == .null {
                placeholders[jsonColumn] += "::jsonb"
            } else if let jsonColumn {
                var key = "?"
                if let keyColumn, case .text(let name) = row[keyColumn] { key = name }
                row[jsonColumn] = .text(try PostgreSQLStore.jsonValue(row[jsonColumn], key: key))
                placeholders[jsonColumn] += "::text::jsonb"
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            arguments += row
        }
        let names = columns.map(quoteIdentifier).joined(separator: ", ")
        try connection.execute("INSERT INTO \(table) (\(names)) VALUES \(tuples.joined(separator: ", "))", arguments)
    }

    /// A run's iteration rows (ordered by step) as `iteration_blocks` rows (values bit for bit), appended to the
    /// group's COPY data.
    private func appendIterations(_ columns: [String], _ rows: [[SQLValue]], to blocks: inout PostgreSQLIterationBlocks?) throws {
        guard let run = columns.firstIndex(of: "run_id"), let step = columns.firstIndex(of: "step"),
            let loss = columns.firstIndex(of: "loss"), let rate = columns.firstIndex(of: "learning_rate"),
            case .integer(let runID)? = rows.first?[run]
        else { throw StoreError("db copy: unexpected iterations columns \(columns)") }
        if blocks == nil { blocks = PostgreSQLIterationBlocks(runID: runID, expectedSteps: rows.count) }
        blocks?.startRun(runID)
        for row in rows {
            guard case .integer(let stepValue) = row[step], row[run] == .integer(runID) else {
                throw StoreError("db copy: an iteration of run \(runID) without a step")
            }
            blocks?.append(step: stepValue, loss: row[loss].double, learningRate: row[rate].double)
        }
    }

    func transferFinish() throws {
        try write { connection in
            for table in ["sweeps", "runs", "evaluations"] {
                try connection.execute(
                    "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), GREATEST((SELECT max(id) FROM \(table)), 1))")
            }
        }
    }
}
