import CSQLite
import Foundation

extension LogbookStore {
    /// The distinct hyperparameter keys of the `params` table, sorted.
    /// Read once per connection and then only for runs newer than the last seen (`ParameterKeyCache`).
    public func parameterKeys() throws -> [String] {
        try readTransaction { connection in
            let newest = try connection.scalarInt("SELECT max(run_id) FROM params") ?? 0
            return try parameterKeyCache.keys(newest: newest) { after in
                var keys: [String] = []
                try connection.forEachRow("SELECT DISTINCT key FROM params WHERE run_id > ?", [.integer(after)]) {
                    keys.append($0.text(0))
                }
                return keys
            }
        }
    }

    /// The fields a run filter, sort or column list may name: `run_summary` columns plus every `params` key.
    public func runFields() throws -> FilterFields {
        FilterFields.runSummary(parameterKeys: try parameterKeys())
    }

    /// Rows of `run_summary` as `query` asks.
    public func runSummaries(_ query: RunQuery) throws -> ResultTable {
        let compiled = try query.compile(fields: try fields(for: query))
        return try table(compiled.sql, compiled.bindings)
    }

    /// The fields `query` names, resolved: a name that is not a `run_summary` column is looked up in `params` by key
    /// (`EXISTS … LIMIT 1`, which stops at the first run that has it); only a name found nowhere costs a scan of
    /// every key, to name the nearest valid one in the error.
    func fields(for query: RunQuery) throws -> FilterFields {
        var keys: [String] = []
        while true {
            let fields = FilterFields.runSummary(parameterKeys: keys)
            do {
                _ = try query.compile(fields: fields)
                return fields
            } catch let error as FilterError {
                guard let field = error.unknownField, !keys.contains(field), try isParameterKey(field) else {
                    if error.unknownField == nil { throw error }
                    _ = try query.compile(fields: try runFields())  // throws with the nearest valid name
                    throw error
                }
                keys.append(field)
            }
        }
    }

    /// Whether some run has a hyperparameter named `key`.
    func isParameterKey(_ key: String) throws -> Bool {
        try read { try $0.scalarInt("SELECT EXISTS (SELECT 1 FROM params WHERE key = ?)", [.text(key)]) == 1 }
    }

    /// Runs one parameterized query (SQL written by Logbook) and collects its rows.
    func table(_ sql: String, _ arguments: [SQLValue] = []) throws -> ResultTable {
        try read { try table(sql, arguments, connection: $0) }
    }

    /// `table(_:_:)` on the caller's connection, inside its transaction.
    func table(_ sql: String, _ arguments: [SQLValue], connection: SQLiteConnection) throws -> ResultTable {
        let statement = try connection.cachedStatement(sql)
        statement.reset(clearBindings: true)
        defer { statement.reset() }
        statement.bind(arguments)
        let columns = (0..<statement.columnCount).map(statement.columnName)
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append((0..<statement.columnCount).map(statement.value)) }
        return ResultTable(columns: columns, rows: rows)
    }

    /// Streams the rows of one parameterized query (SQL written by Logbook): `header` once with the column names,
    /// then `row` per row; nothing is held in memory (exports of millions of rows).
    func streamRows(
        _ sql: String, _ arguments: [SQLValue], connection: SQLiteConnection, header: ([String]) throws -> Void,
        row: ([SQLValue]) throws -> Void
    ) throws {
        let statement = try connection.makeStatement(sql)
        statement.bind(arguments)
        let count = statement.columnCount
        try header((0..<count).map(statement.columnName))
        var values = [SQLValue](repeating: .null, count: Int(count))
        while try statement.step() {
            for index in 0..<count { values[Int(index)] = statement.value(index) }
            try row(values)
        }
    }

    /// Runs one statement of user SQL, read-only by construction: the store must be opened `.readOnly`
    /// (SQLITE_OPEN_READONLY and `PRAGMA query_only`), a statement that would write (`sqlite3_stmt_readonly`) or
    /// attach another file is refused before it runs, and more than one statement is refused.
    public func readOnlySelect(_ sql: String) throws -> ResultTable {
        guard mode == .readOnly else { throw StoreError("user SQL needs a store opened read-only") }
        return try read { connection in
            var pointer: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let trailing: String = try sql.withCString { base in
                let code = sqlite3_prepare_v2(connection.handle, base, -1, &pointer, &tail)
                guard code == SQLITE_OK else {
                    throw StoreError("SQL error: \(String(cString: sqlite3_errmsg(connection.handle)))")
                }
                return tail.map { String(cString: $0) } ?? ""
            }
            guard let pointer else { throw StoreError("SQL error: the statement is empty") }
            defer { sqlite3_finalize(pointer) }
            if !isBlankSQL(trailing) {
                throw StoreError("logbook sql runs one statement at a time; found more after the first: '\(trailing.trimmingCharacters(in: .whitespacesAndNewlines).prefix(40))'")
            }
            let firstWord = sql.trimmingCharacters(in: .whitespacesAndNewlines).prefix { $0.isLetter }.uppercased()
            if sqlite3_stmt_readonly(pointer) == 0 || ["ATTACH", "DETACH", "VACUUM"].contains(firstWord) {
                throw StoreError("logbook sql is read-only: refusing a statement that writes ('\(firstWord.isEmpty ? sql.prefix(20) : Substring(firstWord))'); the database is unchanged")
            }
            let columnCount = sqlite3_column_count(pointer)
            let columns = (0..<columnCount).map { String(cString: sqlite3_column_name(pointer, $0)) }
            var rows: [[SQLValue]] = []
            while true {
                let code = sqlite3_step(pointer)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw StoreError("SQL error: \(String(cString: sqlite3_errmsg(connection.handle)))")
                }
                rows.append((0..<columnCount).map { columnValue(pointer, $0) })
            }
            return ResultTable(columns: columns, rows: rows)
        }
    }
}

/// True when `sql` holds only whitespace, `;` and comments.
func isBlankSQL(_ sql: String) -> Bool {
    droppingLeadingTrivia(sql, alsoSkipping: ";").isEmpty
}

/// `sql` without its leading whitespace, comments and `skipped` characters; empty when a comment never closes.
func droppingLeadingTrivia(_ sql: String, alsoSkipping skipped: Character) -> Substring {
    var rest = Substring(sql)
    while let first = rest.first {
        if first.isWhitespace || first == skipped {
            rest = rest.dropFirst()
        } else if rest.hasPrefix("--") {
            rest = rest.drop { $0 != "\n" }
        } else if rest.hasPrefix("/*") {
            guard let end = rest.range(of: "*/") else { return "" }
            rest = rest[end.upperBound...]
        } else {
            break
        }
    }
    return rest
}

private func columnValue(_ statement: OpaquePointer, _ index: Int32) -> SQLValue {
    switch sqlite3_column_type(statement, index) {
    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
    case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
    case SQLITE_TEXT: return .text(sqlite3_column_text(statement, index).map { String(cString: $0) } ?? "")
    case SQLITE_BLOB:
        let count = Int(sqlite3_column_bytes(statement, index))
        guard let base = sqlite3_column_blob(statement, index) else { return .blob([]) }
        return .blob([UInt8](UnsafeRawBufferPointer(start: base, count: count)))
    default: return .null
    }
}
