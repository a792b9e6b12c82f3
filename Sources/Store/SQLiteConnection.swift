import CSQLite
import Foundation

/// One connection to a SQLite file through the C API: open flags, the connection settings Logbook relies on,
/// a cache of prepared statements, and transactions. Not thread-safe: use one connection per thread (SQLite's
/// file locks then coordinate threads and processes; the busy timeout makes writers wait instead of failing).
final class SQLiteConnection {
    enum OpenMode: Sendable {
        case readOnly
        case readWrite
        /// Read-write, creating the file when missing.
        case readWriteCreate
    }

    enum TransactionKind: String, Sendable {
        /// Takes the write lock at BEGIN: no deadlock between two writers that both read first.
        case immediate = "IMMEDIATE"
        case deferred = "DEFERRED"
    }

    let handle: OpaquePointer
    let path: String
    private var statementCache: [String: Statement] = [:]

    /// Opens the file; configures nothing (see `configure(busyTimeout:)`), so that a foreign file can be inspected
    /// without being written to.
    /// Opens the file with a busy timeout (`busyTimeout` seconds: waiting for another process's lock instead of
    /// failing with "database is locked").
    init(path: String, mode: OpenMode, busyTimeout: Double = 30) throws {
        var flags: Int32 = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let detail = connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(connection)
            throw StoreError.sqlite(code, detail, path: path)
        }
        self.handle = connection
        self.path = path
        sqlite3_busy_timeout(connection, Int32(busyTimeout * 1000))
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Logbook's settings: WAL (readers never block the writer), `synchronous=NORMAL` (durable at checkpoints,
    /// never corrupt), foreign keys on, and a busy timeout so that concurrent writers wait for each other.
    func configure(busyTimeout: Double = 30, walMode: Bool = true) throws {
        sqlite3_busy_timeout(handle, Int32(busyTimeout * 1000))
        if walMode {
            let mode = try scalarText("PRAGMA journal_mode = WAL")
            if mode?.lowercased() != "wal" {
                throw StoreError("cannot switch '\(path)' to WAL journal mode (got \(mode ?? "nothing"))")
            }
        }
        try execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
    }

    // MARK: Statements

    /// A prepared statement for `sql`, cached by its text: preparing happens once per connection.
    func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try Statement(connection: self, sql: sql)
        statementCache[sql] = statement
        return statement
    }

    /// A fresh statement (not cached), for SQL that is run once.
    func makeStatement(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Executes one or more statements that return no rows and take no parameters.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            sqlite3_free(message)
            throw error(code, context: nil)
        }
    }

    /// Executes one statement with `arguments`, through the statement cache.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        let statement = try cachedStatement(sql)
        statement.reset(clearBindings: true)
        statement.bind(arguments)
        try statement.execute()
    }

    /// Runs a query and calls `row` for each result row.
    func forEachRow(_ sql: String, _ arguments: [SQLValue] = [], _ row: (Statement) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        statement.reset(clearBindings: true)
        defer { statement.reset() }
        statement.bind(arguments)
        while try statement.step() { try row(statement) }
    }

    func scalarInt(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64? {
        var result: Int64?
        try forEachRow(sql, arguments) { if result == nil { result = $0.optionalInt64(0) } }
        return result
    }

    func scalarDouble(_ sql: String, _ arguments: [SQLValue] = []) throws -> Double? {
        var result: Double?
        try forEachRow(sql, arguments) { if result == nil { result = $0.optionalDouble(0) } }
        return result
    }

    func scalarText(_ sql: String, _ arguments: [SQLValue] = []) throws -> String? {
        var result: String?
        try forEachRow(sql, arguments) { if result == nil { result = $0.optionalText(0) } }
        return result
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var changes: Int { Int(sqlite3_changes(handle)) }
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: Transactions

    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    /// Nested calls join the outer transaction.
    func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: Errors

    func error(_ code: Int32, context: String?) -> StoreError {
        var detail = String(cString: sqlite3_errmsg(handle))
        let extended = sqlite3_extended_errcode(handle)
        let primary = (extended != 0 ? extended : code) & 0xFF
        let systemError = sqlite3_system_errno(handle)
        if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN) && systemError != 0 {
            detail += " (\(String(cString: strerror(systemError))))"
        }
        return StoreError.sqlite(extended != 0 ? extended : code, context.map { "\(detail) (\($0))" } ?? detail, path: path)
    }
}
