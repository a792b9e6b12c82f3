import Foundation

/// The query side of `StoreQueries` on PostgreSQL: run summaries through the filter language (PostgreSQL dialect),
/// user SQL in a read-only transaction with a statement timeout, and `db info`.
extension PostgreSQLStore {
    /// Seconds a statement of `logbook sql` may run before the server cancels it.
    public static let userStatementTimeout = 30

    /// The distinct `params` keys, sorted, walked along `params_by_key` one probe per key (a loose index scan)
    /// instead of reading every row as `SELECT DISTINCT` would.
    public func parameterKeys() throws -> [String] {
        try read { connection in
            let result = try connection.execute(PostgreSQLStore.parameterKeysSQL)
            return (0..<result.rowCount).map { result.text(row: $0, column: 0) }.sorted()
        }
    }

    /// Each step finds the smallest key greater than the last one found: as many index probes as there are keys.
    static let parameterKeysSQL = """
        WITH RECURSIVE found(key) AS (
            (SELECT key FROM params ORDER BY key LIMIT 1)
            UNION ALL
            SELECT (SELECT p.key FROM params p WHERE p.key > found.key ORDER BY p.key LIMIT 1) FROM found WHERE found.key IS NOT NULL
        )
        SELECT key FROM found WHERE key IS NOT NULL
        """

    public func runFields() throws -> FilterFields {
        FilterFields.runSummary(parameterKeys: try parameterKeys(), dialect: .postgreSQL)
    }

    /// As `LogbookStore.runSummaries`: hyperparameter names are looked up one by one as the filter names them.
    public func runSummaries(_ query: RunQuery) throws -> ResultTable {
        var keys: [String] = []
        while true {
            do {
                let compiled = try query.compile(fields: FilterFields.runSummary(parameterKeys: keys, dialect: .postgreSQL))
                return try table(compiled.sql, compiled.bindings)
            } catch let error as FilterError {
                guard let field = error.unknownField, !keys.contains(field), try isParameterKey(field) else {
                    if error.unknownField == nil { throw error }
                    _ = try query.compile(fields: try runFields())
                    throw error
                }
                keys.append(field)
            }
        }
    }

    /// The page and its total from one statement: the total is a window count (`count(*) OVER ()`) beside the
    /// rows, so the filter runs in one scan of `runs` instead of one for the page and one for the count, and both
    /// come from one snapshot. `bench serve`'s page of 100 of 7,993 runs (a scan of the 112 MB heap each):
    /// 126/127 ms → 57/58 ms. A page with no rows (an offset past the end, or a limit of 0) carries no count, so
    /// only then is the count asked apart.
    public func runPage(_ query: RunQuery) throws -> (table: ResultTable, total: Int) {
        var table = try runSummaries(query.countingAlongside)
        guard table.columns.last == RunQuery.totalColumn else {
            throw StoreError("run page: the store returned no \(RunQuery.totalColumn) column")
        }
        var total: Int?
        if let first = table.rows.first {
            guard case .integer(let count) = first.last else { throw StoreError("run page: the store returned no count") }
            total = Int(count)
        } else if (query.offset ?? 0) == 0, query.limit != 0 {
            total = 0
        }
        table.columns.removeLast()
        table.rows = table.rows.map { Array($0.dropLast()) }
        return (table, try total ?? runCount(query))
    }

    func isParameterKey(_ key: String) throws -> Bool {
        try read { try $0.scalar("SELECT EXISTS (SELECT 1 FROM params WHERE key = $1)", [.text(key)]) == .integer(1) }
    }

    /// Runs SQL written by Logbook with `?` placeholders (the filter compiler's) and collects its rows.
    func table(_ sql: String, _ arguments: [SQLValue] = []) throws -> ResultTable {
        try read { connection in
            let result = try connection.execute(PostgreSQLStore.numberedPlaceholders(sql), arguments)
            return ResultTable(columns: result.columnNames, rows: (0..<result.rowCount).map(result.row))
        }
    }

    /// `?` placeholders as `$1, $2, …`, skipping quoted strings ('…') and identifiers ("…").
    static func numberedPlaceholders(_ sql: String) -> String {
        var output = ""
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                output.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                output.append(character)
            } else if character == "?" {
                number += 1
                output += "$\(number)"
            } else {
                output.append(character)
            }
        }
        return output
    }

    /// One statement of user SQL, read-only three times over: the session is read-only, the statement runs in a
    /// `READ ONLY` transaction that is rolled back, and only statements that read (`SELECT`, `WITH`, `VALUES`,
    /// `TABLE`, `EXPLAIN`, `SHOW`) are sent at all (`COPY … TO` would write a file on the server). More than one
    /// statement is refused by the server (extended protocol); `statement_timeout` bounds it.
    public func readOnlySelect(_ sql: String) throws -> ResultTable {
        guard mode == .readOnly else { throw StoreError("user SQL needs a store opened read-only") }
        let trimmed = PostgreSQLStore.strippingLeadingComments(sql)
        let firstWord = trimmed.prefix { $0.isLetter }.uppercased()
        guard ["SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", "SHOW"].contains(firstWord) else {
            if isBlankSQL(sql) { throw StoreError("SQL error: the statement is empty") }
            throw StoreError(
                "logbook sql is read-only: refusing a statement that writes ('\(firstWord.isEmpty ? String(trimmed.prefix(20)) : firstWord)'); the database is unchanged")
        }
        return try read { connection in
            try connection.execute("BEGIN READ ONLY")
            defer { _ = try? connection.execute("ROLLBACK") }
            try connection.execute("SET LOCAL statement_timeout = '\(PostgreSQLStore.userStatementTimeout)s'")
            do {
                let result = try connection.execute(sql, oneStatement: true)
                return ResultTable(columns: result.columnNames, rows: (0..<result.rowCount).map(result.row))
            } catch let error as StoreError {
                throw PostgreSQLStore.userSQLError(error, firstWord: firstWord)
            }
        }
    }

    /// The server's refusals in the words of the SQLite store.
    static func userSQLError(_ error: StoreError, firstWord: String) -> StoreError {
        switch error.postgreSQLState {
        case "25006":
            return StoreError(
                "logbook sql is read-only: refusing a statement that writes ('\(firstWord)'); the database is unchanged")
        case "42601" where error.message.contains("multiple commands"):
            return StoreError("logbook sql runs one statement at a time; found more after the first")
        case "57014":
            return StoreError("SQL error: the statement ran longer than \(userStatementTimeout) s and was cancelled")
        default:
            let text = error.message.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
            return StoreError("SQL error: \(text.isEmpty ? error.message : text)")
        }
    }

    /// `sql` without leading whitespace and comments.
    static func strippingLeadingComments(_ sql: String) -> Substring {
        droppingLeadingTrivia(sql, alsoSkipping: "(")
    }

    public func info() throws -> StoreInfo {
        try readTransaction { connection in
            let version = try PostgreSQLMigrator().version(connection)
            let tables = try connection.execute(
                """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
                """)
            // The same tables as SQLite's: `iterations` (a view over `iteration_blocks`) counted in steps.
            var counts: [(table: String, rows: Int)] = []
            for row in 0..<tables.rowCount {
                let table = tables.text(row: row, column: 0)
                if table == "iteration_blocks" {
                    let steps = try connection.scalarInt("SELECT COALESCE(sum(cardinality(losses)), 0)::bigint FROM iteration_blocks")
                    counts.append(("iterations", Int(steps ?? 0)))
                    continue
                }
                let rows = try connection.scalarInt("SELECT count(*) FROM \(quoteIdentifier(table))") ?? 0
                counts.append((table, Int(rows)))
            }
            let bytes = Int(try connection.scalarInt("SELECT pg_database_size(current_database())") ?? 0)
            let blockSize = Int(try connection.scalarInt("SELECT current_setting('block_size')::bigint") ?? 8192)
            return StoreInfo(
                path: path, schemaVersion: version, latestSchemaVersion: PostgreSQLMigrator().latestVersion,
                rowCounts: counts, bytesOnDisk: bytes, pageSize: blockSize, pageCount: bytes / max(1, blockSize))
        }
    }
}
