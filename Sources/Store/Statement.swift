import CSQLite

/// A prepared statement, reused: bind, step, read columns, reset. Indices of parameters start at 1 (SQLite's
/// convention), indices of result columns at 0. Owned by one `SQLiteConnection`; not thread-safe.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    unowned let connection: SQLiteConnection

    init(connection: SQLiteConnection, sql: String) throws {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw connection.error(code, context: "preparing \(sql.prefix(60))")
        }
        self.handle = statement
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// SQLite's marker that makes it copy bound text and blobs before the bind call returns.
    static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    // MARK: Binding

    @inline(__always) func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }
    @inline(__always) func bind(_ value: Int, at index: Int32) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }
    @inline(__always) func bind(_ value: Double, at index: Int32) {
        sqlite3_bind_double(handle, index, value)
    }
    func bind(_ value: String, at index: Int32) {
        sqlite3_bind_text(handle, index, value, -1, Statement.transient)
    }
    func bindNull(at index: Int32) {
        sqlite3_bind_null(handle, index)
    }
    /// Binds raw bytes as a BLOB (copied).
    func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        if let base = bytes.baseAddress, bytes.count > 0 {
            sqlite3_bind_blob(handle, index, base, Int32(bytes.count), Statement.transient)
        } else {
            sqlite3_bind_zeroblob(handle, index, 0)
        }
    }
    func bind(_ value: Int64?, at index: Int32) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }
    func bind(_ value: Int?, at index: Int32) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }
    func bind(_ value: Double?, at index: Int32) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }
    func bind(_ value: String?, at index: Int32) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }

    /// Binds each value in order, starting at parameter 1.
    func bind(_ values: [SQLValue]) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: bindNull(at: index)
            case .integer(let v): bind(v, at: index)
            case .real(let v): bind(v, at: index)
            case .text(let v): bind(v, at: index)
            case .blob(let v): v.withUnsafeBytes { bindBlob($0, at: index) }
            }
        }
    }

    // MARK: Stepping

    /// Advances; returns true when a row is available, false when the statement is done.
    @discardableResult
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(code, context: nil)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Resets the statement for the next execution; keeps the bindings unless `clearBindings`.
    func reset(clearBindings: Bool = false) {
        sqlite3_reset(handle)
        if clearBindings { sqlite3_clear_bindings(handle) }
    }

    /// Runs to completion (for statements that return no rows), then resets.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    // MARK: Columns

    var columnCount: Int32 { sqlite3_column_count(handle) }
    func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }
    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }
    @inline(__always) func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
    @inline(__always) func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }
    @inline(__always) func double(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }
    func text(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        return String(cString: pointer)
    }
    func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }
    func optionalInt(_ index: Int32) -> Int? { isNull(index) ? nil : int(index) }
    func optionalDouble(_ index: Int32) -> Double? { isNull(index) ? nil : double(index) }
    func optionalText(_ index: Int32) -> String? { isNull(index) ? nil : text(index) }
    /// Calls `body` with the column's bytes (valid only during the call).
    func withBlob<T>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(handle, index))
        let pointer = sqlite3_column_blob(handle, index)
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }
    /// The column as a dynamically typed value.
    func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .real(double(index))
        case SQLITE_TEXT: return .text(text(index))
        case SQLITE_BLOB: return .blob(withBlob(index) { [UInt8]($0) })
        default: return .null
        }
    }
}
