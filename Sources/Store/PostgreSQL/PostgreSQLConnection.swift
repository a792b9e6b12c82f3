import CPostgreSQL
import Foundation

/// One connection to a PostgreSQL server through libpq, synchronous like `SQLiteConnection`: statements with bound
/// parameters (`PQexecParams`; a value is never pasted into SQL text), results as `SQLValue`s, transactions and
/// `COPY … FROM STDIN` for bulk rows. Not thread-safe: one connection per thread.
///
/// The URL (`postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?…]`) is parsed by libpq itself, which also reads
/// `PGPASSWORD` and `~/.pgpass`. Errors are one line and never contain the password (`PostgreSQLURL.redacted`).
final class PostgreSQLConnection {
    let handle: OpaquePointer
    /// The URL without its password: what errors, logs and `RunStore.path` show.
    let displayURL: String
    private let password: String?
    /// `SET …` statements that configure the session, applied again after a reconnect.
    private var sessionSettings = ["SET client_min_messages = warning"]

    /// Connects, giving up after `connectTimeout` seconds (libpq's `connect_timeout`; a URL's own setting wins).
    init(url: String, connectTimeout: Int = 5) throws {
        displayURL = PostgreSQLURL.redacted(url)
        password = PostgreSQLURL.password(in: url)
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = [String(connectTimeout), "logbook", url]
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection else { throw StoreError("cannot connect to PostgreSQL at \(displayURL): out of memory") }
        // Checked before `handle` is set: a failed init must not run `deinit` (which would finish it again).
        if PQstatus(connection) != CONNECTION_OK {
            let message = PostgreSQLConnection.oneLine(String(cString: PQerrorMessage(connection)), hiding: password)
            PQfinish(connection)
            throw StoreError("cannot connect to PostgreSQL at \(displayURL): \(message)")
        }
        handle = connection
        // Quiet: notices (e.g. "relation already exists, skipping") are not for the user.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        for setting in sessionSettings { try execute(setting) }
    }

    /// Runs `sql` (a `SET …`) now and again after every reconnect.
    func addSessionSetting(_ sql: String) throws {
        try execute(sql)
        sessionSettings.append(sql)
    }

    /// True when `error` means the connection failed (server restarted, network lost), not the statement.
    func isConnectionLost(_ error: Error) -> Bool {
        if isBroken { return true }
        guard let state = (error as? StoreError)?.postgreSQLState else { return false }
        return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
    }

    /// Connects again (`PQreset`) with backoff (0.05 s doubling to 1 s) until the server answers or `seconds`
    /// have passed, then restores the session settings. A transaction open when the connection broke is gone.
    func reconnect(within seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        var pause = 0.05
        while true {
            PQreset(handle)
            if PQstatus(handle) == CONNECTION_OK {
                PQsetNoticeProcessor(handle, { _, _ in }, nil)
                for setting in sessionSettings { try execute(setting) }
                return
            }
            if Date().addingTimeInterval(pause) > deadline {
                let message = PostgreSQLConnection.oneLine(String(cString: PQerrorMessage(handle)), hiding: password)
                throw StoreError(
                    "lost the connection to PostgreSQL at \(displayURL) and could not reconnect within \(Int(seconds)) s: \(message)")
            }
            Thread.sleep(forTimeInterval: pause)
            pause = min(pause * 2, 1)
        }
    }

    /// Runs `body`; when the connection is lost meanwhile, reconnects (within `seconds`) and runs it again, up to
    /// `attempts` times. `body` must be safe to repeat: one transaction, which either committed or did not.
    func retryingAfterConnectionLoss<T>(within seconds: Double, attempts: Int = 20, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch where attempt < attempts && isConnectionLost(error) {
                attempt += 1
                try reconnect(within: seconds)
            }
        }
    }

    deinit { PQfinish(handle) }

    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }
    var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    // MARK: Statements

    /// Runs one statement with `$1, $2, …` bound to `arguments` (integers as int8, reals as float8, text as text,
    /// blobs as bytea in binary; NULL untyped) and returns its rows. Without arguments and unless `oneStatement`,
    /// `sql` may hold several statements (migrations); with either, the server refuses more than one.
    /// `binaryResults` asks for every column in binary (`PostgreSQLResult.withBinary`), one statement only.
    @discardableResult
    func execute(
        _ sql: String, _ arguments: [SQLValue] = [], oneStatement: Bool = false, binaryResults: Bool = false
    ) throws -> PostgreSQLResult {
        let result: OpaquePointer?
        if arguments.isEmpty && !oneStatement && !binaryResults {
            result = PQexec(handle, sql)
        } else {
            result = PostgreSQLParameters(arguments).withPointers { types, values, lengths, formats in
                PQexecParams(handle, sql, Int32(arguments.count), types, values, lengths, formats, binaryResults ? 1 : 0)
            }
        }
        return try check(result, sql: sql)
    }

    /// The first column of the first row, or nil.
    func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLValue? {
        let result = try execute(sql, arguments)
        return result.rowCount > 0 && result.columnCount > 0 ? result.value(row: 0, column: 0) : nil
    }

    func scalarInt(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64? {
        guard case .integer(let value)? = try scalar(sql, arguments) else { return nil }
        return value
    }

    private func check(_ result: OpaquePointer?, sql: String) throws -> PostgreSQLResult {
        guard let result else { throw error(context: sql) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgreSQLResult(result)
        default:
            let message = PostgreSQLConnection.oneLine(String(cString: PQresultErrorMessage(result)), hiding: password)
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            PQclear(result)
            throw StoreError.postgreSQL(message, sqlState: state, url: displayURL)
        }
    }

    /// The connection's last error as a `StoreError` (lost connection, out of memory).
    func error(context: String?) -> StoreError {
        let message = PostgreSQLConnection.oneLine(String(cString: PQerrorMessage(handle)), hiding: password)
        return StoreError.postgreSQL(message.isEmpty ? "no result" : message, sqlState: nil, url: displayURL)
    }

    // MARK: COPY

    /// `COPY … FROM STDIN` (text format) with `data` as its input: tab-separated lines, `\N` for NULL.
    func copyIn(_ sql: String, data: [UInt8]) throws {
        guard let start = PQexec(handle, sql) else { throw error(context: sql) }
        guard PQresultStatus(start) == PGRES_COPY_IN else { _ = try check(start, sql: sql); return }
        PQclear(start)
        let sent = data.withUnsafeBufferPointer { buffer -> Int32 in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                PQputCopyData(handle, $0, Int32(buffer.count))
            }
        }
        let ended = PQputCopyEnd(handle, sent == 1 ? nil : "logbook could not send the rows")
        var failure: Error?
        while let result = PQgetResult(handle) {
            do { _ = try check(result, sql: sql) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
        if sent != 1 || ended != 1 { throw error(context: sql) }
    }

    // MARK: Transactions

    /// Runs `body` inside one transaction (`BEGIN` + `modes`, e.g. `ISOLATION LEVEL REPEATABLE READ, READ ONLY`):
    /// committed when it returns, rolled back when it throws. Nested calls join the outer transaction.
    func transaction<T>(_ modes: String = "", _ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        try execute(modes.isEmpty ? "BEGIN" : "BEGIN " + modes)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction && !isBroken { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    /// libpq's multi-line messages (`ERROR:  …\nDETAIL: …`) as one line, the password (if any) never in it.
    static func oneLine(_ message: String, hiding password: String?) -> String {
        var text = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        if text.hasPrefix("ERROR:") { text = String(text.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
        if let password, !password.isEmpty { text = text.replacingOccurrences(of: password, with: "***") }
        return text
    }
}

/// Calls `body` with a NULL-free array of C strings that live during the call, terminated by NULL.
private func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicates.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
