import CSQLite
import Foundation

/// An error of the store with a one-line message meant for the user: it names the file, run or value at fault.
public struct StoreError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    /// The SQLite result code (primary code in the low byte), or nil when the error is not SQLite's.
    public var code: Int32?
    /// The SQLSTATE of a PostgreSQL error (e.g. `40P01` deadlock, `57014` statement timeout), nil otherwise.
    public var postgreSQLState: String?

    public init(_ message: String, code: Int32? = nil) {
        self.message = message
        self.code = code
    }

    public var description: String { message }

    /// `no run with id 42`.
    public static func unknownRun(_ id: Int64) -> StoreError { StoreError("no run with id \(id)") }

    /// Turns a SQLite result code into a message that says what went wrong in words a user can act on.
    static func sqlite(_ code: Int32, _ detail: String, path: String) -> StoreError {
        let primary = code & 0xFF
        switch primary {
        case SQLITE_FULL:
            return StoreError("disk full while writing '\(path)': \(detail)", code: code)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError("database '\(path)' is locked by another process for too long: \(detail)", code: code)
        case SQLITE_READONLY:
            return StoreError("database '\(path)' is read-only: \(detail)", code: code)
        case SQLITE_CANTOPEN:
            return StoreError("cannot open database '\(path)': \(detail)", code: code)
        case SQLITE_NOTADB:
            return StoreError("'\(path)' is not a SQLite database", code: code)
        case SQLITE_CORRUPT:
            return StoreError("database '\(path)' is corrupt: \(detail)", code: code)
        case SQLITE_IOERR:
            return StoreError("I/O error on '\(path)': \(detail)", code: code)
        default:
            return StoreError("SQLite error on '\(path)': \(detail)", code: code)
        }
    }
}

extension StoreError {
    /// True for SQLite's "busy" and "locked" results.
    public var isBusy: Bool {
        guard let code else { return false }
        return code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED
    }

    /// Runs `body` again while it fails with a busy error, for at most `timeout` seconds. SQLite returns "busy"
    /// without calling the busy handler in a few cases where waiting inside could deadlock — two processes
    /// creating one new file and switching it to WAL at once, a WAL file being recovered — so the steps that open,
    /// configure and migrate a database (once per connection) retry as a whole.
    static func retryingWhileBusy<T>(timeout: Double, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        var pause = 0.002
        while true {
            do {
                return try body()
            } catch let error as StoreError where error.isBusy && Date() < deadline {
                Thread.sleep(forTimeInterval: pause * Double.random(in: 0.5...1.5))
                pause = min(pause * 2, 0.05)
            }
        }
    }
}
