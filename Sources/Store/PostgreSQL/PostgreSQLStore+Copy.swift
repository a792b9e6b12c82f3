import Foundation

/// `db copy` on PostgreSQL: rows inserted as they are (ids included; hyperparameter values as jsonb of their type;
/// iterations as `iteration_blocks` with one `COPY`), then the id sequences moved past the copied ids.
extension PostgreSQLStore: RowTransfer {
    func transferRows(_ sql: String, _ arguments: [SQLValue]) throws -> ResultTable { try table(sql, arguments) }

    func transferInsert(_ batches: [(table: String, columns: [String], rows: [[SQLValue]])]) throws {
        try write { connection in
            for batch in batches {
                let columns = batch.columns.map(quoteIdentifier).joined(separator: ", ")
                if batch.table == "iterations" {
                    try copyIterations(batch.columns, batch.rows, connection: connection)
                    continue
                }
                let jsonColumn = batch.table == "params" ? batch.columns.firstIndex(of: "value") : nil
                for row in batch.rows {
                    let placeholders = row.enumerated().map { index, value -> String in
                        guard index == jsonColumn else { return "$\(index + 1)" }
                        switch value {
                        case .integer: return "to_jsonb($\(index + 1)::bigint)"
                        case .real: return "to_jsonb($\(index + 1)::double precision)"
                        case .text: return "to_jsonb($\(index + 1)::text)"
                        case .null, .blob: return "$\(index + 1)::jsonb"
                        }
                    }
                    try connection.execute(
                        "INSERT INTO \(batch.table) (\(columns)) VALUES (\(placeholders.joined(separator: ", ")))", row)
                }
            }
        }
    }

    /// A run's iteration rows (ordered by step) as `iteration_blocks` rows, one COPY per run (values bit for bit).
    private func copyIterations(_ columns: [String], _ rows: [[SQLValue]], connection: PostgreSQLConnection) throws {
        guard let run = columns.firstIndex(of: "run_id"), let step = columns.firstIndex(of: "step"),
            let loss = columns.firstIndex(of: "loss"), let rate = columns.firstIndex(of: "learning_rate"),
            case .integer(let runID)? = rows.first?[run]
        else { throw StoreError("db copy: unexpected iterations columns \(columns)") }
        var blocks = PostgreSQLIterationBlocks(runID: runID, expectedSteps: rows.count)
        for row in rows {
            guard case .integer(let stepValue) = row[step], row[run] == .integer(runID) else {
                throw StoreError("db copy: an iteration of run \(runID) without a step")
            }
            blocks.append(step: stepValue, loss: row[loss].double, learningRate: row[rate].double)
        }
        if let data = blocks.finish() { try connection.copyIn(PostgreSQLIterationBlocks.copySQL, data: data) }
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
