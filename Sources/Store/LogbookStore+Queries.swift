import CSQLite
import Foundation

/// Rows and named columns, as a query returns them: the common input of every output format.
public struct ResultTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SQLValue]]
    /// Rows to emphasise (bold/colour on a terminal, `**…**` in Markdown); e.g. differing hyperparameters.
    public var highlightedRows: Set<Int>

    public init(columns: [String], rows: [[SQLValue]], highlightedRows: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.highlightedRows = highlightedRows
    }

    /// The values of one column, by name (nil when absent).
    public func column(_ name: String) -> [SQLValue]? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[index] }
    }
}

extension FilterValue {
    /// The value to bind.
    public var sqlValue: SQLValue {
        switch self {
        case .integer(let value): return .integer(value)
        case .real(let value): return .real(value)
        case .text(let value): return .text(value)
        case .null: return .null
        }
    }
}

/// What `logbook runs` asks for: rows of `run_summary`, filtered, sorted, limited, projected.
public struct RunQuery: Sendable, Equatable {
    public var sweepID: Int64?
    /// Allowed statuses (any when empty); each must be a `RunStatus` name.
    public var statuses: [String]
    /// Filter-language text (`FilterLanguage`), or nil.
    public var filter: String?
    /// Sort keys; `run_id` ascending when empty.
    public var sort: [SortKey]
    public var limit: Int?
    /// Rows to skip before the first one returned (paging); needs `limit`.
    public var offset: Int?
    /// Set by `counting`: select `count(*)` instead of the columns, unsorted, unlimited.
    var countsRows = false
    /// Set by `countingAlongside`: one more column after the asked ones, `count(*) OVER ()`, the rows selected
    /// before `limit` and `offset`, read in the same scan as the page.
    var countsAlongside = false
    /// Columns to show (run_summary columns or params keys); `defaultColumns` when nil.
    public var columns: [String]?

    public static let defaultColumns = [
        "run_id", "name", "status", "batch_size", "learning_rate", "initializer", "epochs_completed", "train_loss",
        "test_accuracy", "duration",
    ]

    public init(
        sweepID: Int64? = nil, statuses: [String] = [], filter: String? = nil, sort: [SortKey] = [], limit: Int? = nil,
        columns: [String]? = nil, offset: Int? = nil
    ) {
        self.offset = offset
        self.sweepID = sweepID
        self.statuses = statuses
        self.filter = filter
        self.sort = sort
        self.limit = limit
        self.columns = columns
    }

    /// The parameterized SELECT over `run_summary`; every user-supplied name is checked against `fields`, every value
    /// bound. Throws `FilterError` (unknown field, bad filter) or `StoreError` (unknown status, bad limit).
    public func compile(fields: FilterFields) throws -> (sql: String, bindings: [SQLValue]) {
        var bindings: [SQLValue] = []
        var projections: [String] = []
        for column in columns ?? RunQuery.defaultColumns {
            let reference = try fields.reference(to: column)
            bindings += reference.bindings.map(\.sqlValue)
            projections.append(reference.sql == column ? column : "\(reference.sql) AS \(quoteIdentifier(column))")
        }
        let projectionBindings = bindings.count
        var conditions: [String] = []
        if let sweepID {
            conditions.append("sweep_id = ?")
            bindings.append(.integer(sweepID))
        }
        if !statuses.isEmpty {
            let known = Set(RunStatus.allCases.map(\.rawValue))
            for status in statuses where !known.contains(status) {
                throw StoreError(
                    "unknown status '\(status)'; expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            conditions.append("status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ", ")))")
            bindings += statuses.map { .text($0) }
        }
        if let filter, !filter.trimmingCharacters(in: .whitespaces).isEmpty {
            let compiled = try FilterLanguage.compile(filter, fields: fields)
            conditions.append(conditions.isEmpty ? compiled.sql : "(\(compiled.sql))")
            bindings += compiled.bindings.map(\.sqlValue)
        }
        if countsRows { (projections, bindings) = (["count(*)"], Array(bindings.dropFirst(projectionBindings))) }
        if countsAlongside { projections.append("count(*) OVER () AS \(quoteIdentifier(RunQuery.totalColumn))") }
        var sql = "SELECT \(projections.joined(separator: ", ")) FROM run_summary"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        if countsRows { return (sql, bindings) }
        let order = try SortKey.orderBy(sort.isEmpty ? [SortKey(field: "run_id", descending: false)] : sort, fields: fields)
        sql += " ORDER BY " + order.sql
        bindings += order.bindings.map(\.sqlValue)
        if let limit {
            guard limit >= 0 else { throw StoreError("invalid limit \(limit): must be 0 or more") }
            sql += " LIMIT ?"
            bindings.append(.integer(Int64(limit)))
            if let offset {
                guard offset >= 0 else { throw StoreError("invalid offset \(offset): must be 0 or more") }
                sql += " OFFSET ?"
                bindings.append(.integer(Int64(offset)))
            }
        }
        return (sql, bindings)
    }

    /// This query as `SELECT count(*)` of the rows it selects, before `limit` and `offset` (a total for paging).
    public var counting: RunQuery {
        var counted = self
        counted.countsRows = true
        return counted
    }

    /// This query with the total it selects (before `limit` and `offset`) as a last column named `totalColumn`,
    /// a window count: the page and its total from one statement, one scan and one snapshot (PostgreSQL's runPage).
    var countingAlongside: RunQuery {
        var counted = self
        counted.countsAlongside = true
        return counted
    }

    /// The name of `countingAlongside`'s extra column (`PostgreSQLStore.runPage` removes it).
    static let totalColumn = "logbook_rows_selected"
}

/// `"name"` with embedded quotes doubled: a safe SQL identifier for any text.
func quoteIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

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
