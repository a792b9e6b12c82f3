import Foundation

/// `db copy` on PostgreSQL: rows inserted as they are (ids included; hyperparameter values as jsonb of their type;
/// iterations with one `COPY`), then the id sequences moved past the copied ids.
extension PostgreSQLStore: RowTransfer {
    func transferRows(_ sql: String, _ arguments: [SQLValue]) throws -> ResultTable { try table(sql, arguments) }

    func transferInsert(_ batches: [(table: String, columns: [String], rows: [[SQLValue]])]) throws {
        try write { connection in
            for batch in batches {
                let columns = batch.columns.map(quoteIdentifier).joined(separator: ", ")
                if batch.table == "iterations" {
                    var data: [UInt8] = []
                    for row in batch.rows {
                        data += row.map(PostgreSQLStore.copyText).joined(separator: "\t").utf8
                        data.append(UInt8(ascii: "\n"))
                    }
                    try connection.copyIn("COPY iterations (\(columns)) FROM STDIN", data: data)
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

    func transferFinish() throws {
        try write { connection in
            for table in ["sweeps", "runs", "evaluations"] {
                try connection.execute(
                    "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), GREATEST((SELECT max(id) FROM \(table)), 1))")
            }
        }
    }

    /// A value in COPY's text format.
    static func copyText(_ value: SQLValue) -> String {
        switch value {
        case .null: return "\\N"
        case .integer(let integer): return String(integer)
        case .real(let real): return PostgreSQLParameters.text(real)
        case .text(let text):
            return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        case .blob(let bytes): return "\\\\x" + bytes.map { String(format: "%02x", $0) }.joined()
        }
    }
}
