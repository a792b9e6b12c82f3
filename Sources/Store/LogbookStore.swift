import Engine
import Foundation

/// Logbook's memory: one SQLite file with every run, iteration, epoch, evaluation and weight tensor.
///
/// Opening creates and migrates the file (or checks and migrates an existing one); a file that is not SQLite, a
/// SQLite file of another application and a database written by a newer Logbook are refused and left untouched.
/// Methods are safe to call from several threads (they serialise on one connection); each `RunRecorder` writes
/// through a connection of its own. It implements `RunStore`, `TrialQueue` and `StoreQueries` (together
/// `LogbookStoring`), the interface a PostgreSQL store for multi-machine sweeps implements too; the SQL stays inside
/// this module.
public final class LogbookStore: @unchecked Sendable {
    public enum AccessMode: Sendable {
        /// Create the file when missing and migrate it to the latest schema.
        case readWrite
        /// Open an existing, up-to-date database read-only (`logbook sql`, reports): nothing can be written.
        case readOnly
    }

    public let path: String
    public let mode: AccessMode
    /// The schema versions this open applied (empty when the file was already up to date).
    public let appliedMigrations: [Int]
    let connection: SQLiteConnection
    private let lock = NSRecursiveLock()
    /// Connections that finished recorders gave back, with their prepared statements: the next recorder skips
    /// opening, schema loading and statement preparation (≈ 0.3 ms per run, which matters for sweeps of short runs).
    private let spareRecordingConnections = SpareConnections<SQLiteConnection>()
    /// The `params` keys this connection has read (`parameterKeys()`).
    let parameterKeyCache = ParameterKeyCache()

    /// The most of a read-only store's file mapped into memory (1 GiB of address space, not of memory).
    static let readOnlyMemoryMapBytes = 1 << 30

    /// Opens (or creates) the database at `path` and brings it to the latest schema.
    public init(path: String, mode: AccessMode = .readWrite, busyTimeout: Double = 30) throws {
        self.path = path
        self.mode = mode
        let migrator = Migrator()
        switch mode {
        case .readWrite:
            try LogbookStore.checkFileBeforeOpening(path, creating: true)
            let (connection, applied) = try StoreError.retryingWhileBusy(timeout: busyTimeout) {
                let connection = try SQLiteConnection(path: path, mode: .readWriteCreate, busyTimeout: busyTimeout)
                try migrator.checkCompatible(connection)
                try connection.configure(busyTimeout: busyTimeout)
                return (connection, try migrator.migrate(connection))
            }
            self.appliedMigrations = applied
            self.connection = connection
            // Runs whose process died (stale heartbeat) are recorded as interrupted by the next writer to open the file.
            try markStaleRunsInterrupted()
        case .readOnly:
            try LogbookStore.checkFileBeforeOpening(path, creating: false)
            let connection = try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: busyTimeout)
            let inspection = try migrator.checkCompatible(connection)
            if inspection.version < migrator.latestVersion {
                throw StoreError(
                    "'\(path)' has schema version \(inspection.version), older than \(migrator.latestVersion): run `logbook db migrate --db \(path)`")
            }
            try connection.configure(busyTimeout: busyTimeout, walMode: false)
            try connection.execute("PRAGMA query_only = ON")
            // Read pages straight from the OS's cache through a memory map instead of copying each one with
            // pread() into SQLite's small page cache: full scans of a large store (a dashboard's filtered runs
            // over 100,000 runs) spent most of their time in that copy.
            try connection.execute("PRAGMA mmap_size = \(LogbookStore.readOnlyMemoryMapBytes)")
            self.appliedMigrations = []
            self.connection = connection
        }
    }

    /// Refuses, before SQLite sees it, a path whose directory is missing or not writable and a file that is not SQLite.
    static func checkFileBeforeOpening(_ path: String, creating: Bool) throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw StoreError("'\(path)' is a directory, not a database file") }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw StoreError("cannot read '\(path)': permission denied")
            }
            defer { try? handle.close() }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            if !header.isEmpty && header != Data("SQLite format 3\0".utf8) {
                throw StoreError("'\(path)' is not a SQLite database (left untouched)")
            }
            if creating {
                let directory = (path as NSString).deletingLastPathComponent
                let directoryPath = directory.isEmpty ? "." : directory
                if !fileManager.isWritableFile(atPath: directoryPath) || !fileManager.isWritableFile(atPath: path) {
                    throw StoreError("cannot write to database '\(path)': file or directory '\(directoryPath)' is read-only")
                }
            }
            return
        }
        guard creating else { throw StoreError("database '\(path)' does not exist") }
        let directory = (path as NSString).deletingLastPathComponent
        let directoryPath = directory.isEmpty ? "." : directory
        guard fileManager.fileExists(atPath: directoryPath, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError("cannot create database '\(path)': directory '\(directoryPath)' does not exist")
        }
        guard fileManager.isWritableFile(atPath: directoryPath) else {
            throw StoreError("cannot create database '\(path)': directory '\(directoryPath)' is not writable")
        }
    }

    // MARK: Access to the connection (Store only: every other module reads and writes through the protocols)

    /// Runs `body` on the store's connection without a transaction (reads see one consistent snapshot per statement).
    func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(connection)
    }

    /// Runs `body` in one IMMEDIATE write transaction: committed when it returns, rolled back when it throws.
    /// Use it for atomic claim-and-update steps (a worker claiming a trial).
    func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try connection.transaction(.immediate) { try body(connection) }
    }

    /// Runs `body` in one read transaction: every statement inside sees the same snapshot.
    func readTransaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try connection.transaction(.deferred) { try body(connection) }
    }

    func takeRecordingConnection() -> SQLiteConnection? {
        spareRecordingConnections.take()
    }

    func returnRecordingConnection(_ connection: SQLiteConnection) {
        spareRecordingConnections.give(connection, reusable: !connection.isInTransaction)
    }

    /// The schema version of the file.
    public func schemaVersion() throws -> Int {
        try read { try Migrator().inspect($0).version }
    }

    static var now: Double { Date().timeIntervalSince1970 }
}
