import Engine
import Foundation

/// Logbook's store on a PostgreSQL server, for sweeps across many machines: the same tables, views, commands and
/// guarantees as `LogbookStore` (SQLite), behind the same protocols (`RunStore`, `TrialQueue`, `StoreQueries`).
///
/// - Times (created, started, heartbeats, ends) are stamped with the server's clock (`now()`), and staleness is judged
///   by it: machines' clocks differ.
/// - The trial claim is one `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING …`.
/// - A worker whose trial was taken over is fenced: each recorder transaction first locks the run's row (`FOR SHARE`)
///   and checks that it is still the recorder's (status, worker); a re-queue takes that row `FOR UPDATE`, so either
///   the write lands before the take-over or it is refused.
/// - The password is never kept: `path` is the URL without it; when the URL holds one, it is put in `PGPASSWORD`
///   of this process so that worker processes (started with `--db path`) inherit it through the environment, never
///   through their arguments. libpq also reads `PGPASSWORD` and `~/.pgpass` itself.
///
/// Methods are safe to call from several threads (they serialise on one connection); each recorder writes through
/// a connection of its own.
public final class PostgreSQLStore: @unchecked Sendable {
    /// The URL without its password.
    public let path: String
    public let mode: LogbookStore.AccessMode
    public let appliedMigrations: [Int]
    /// The URL as given (it may hold a password): used only to open connections, never shown.
    private let url: String
    let connection: PostgreSQLConnection
    private let lock = NSRecursiveLock()
    private let spareRecordingConnections = SpareConnections<PostgreSQLConnection>()
    /// Tests only: runs right after a claim's UPDATE has committed (to lose the connection before its reply is read).
    var afterClaimStatement: ((PostgreSQLConnection) throws -> Void)?

    /// Seconds a store waits for a lost server (restart, network) before giving up: its connection retries with backoff.
    public static let reconnectTimeout = 120.0

    /// The server's clock in Unix seconds, for SQL.
    static let now = "extract(epoch FROM now())::double precision"

    /// Connects to `url` (`postgresql://…` or `postgres://…`) and, read-write, brings it to the latest schema; read-only,
    /// refuses a database that is not up to date and makes every transaction of the session read-only.
    public init(url: String, mode: LogbookStore.AccessMode = .readWrite, connectTimeout: Int = 5) throws {
        self.url = url
        self.path = PostgreSQLURL.redacted(url)
        self.mode = mode
        if let password = PostgreSQLURL.password(in: url) { setenv("PGPASSWORD", password, 1) }
        let connection = try PostgreSQLConnection(url: url, connectTimeout: connectTimeout)
        let migrator = PostgreSQLMigrator()
        switch mode {
        case .readWrite:
            appliedMigrations = try migrator.migrate(connection)
            self.connection = connection
            try markStaleRunsInterrupted()
        case .readOnly:
            let version = try migrator.checkCompatible(connection)
            if version < migrator.latestVersion {
                throw StoreError(
                    "\(path) has schema version \(version), older than \(migrator.latestVersion): run `logbook db migrate --db \(path)`")
            }
            try connection.addSessionSetting("SET default_transaction_read_only = on")
            appliedMigrations = []
            self.connection = connection
        }
    }

    /// A new connection to the same server (for a recorder's writer thread).
    func makeConnection() throws -> PostgreSQLConnection { try PostgreSQLConnection(url: url) }

    // MARK: Access to the connection

    /// Runs `body` on the store's connection without a transaction of its own. Each of these three runs `body`
    /// again after reconnecting when the connection was lost (a server restart): one transaction is atomic, so it
    /// either committed or left nothing.
    func read<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try connection.retryingAfterConnectionLoss(within: PostgreSQLStore.reconnectTimeout) { try body(connection) }
    }

    /// Runs `body` in one read-write transaction: committed when it returns, rolled back when it throws.
    func write<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try connection.retryingAfterConnectionLoss(within: PostgreSQLStore.reconnectTimeout) {
            try connection.transaction { try body(connection) }
        }
    }

    /// Runs one write statement on its own (atomic by itself, committed at once: one round trip instead of three
    /// for BEGIN, the statement and COMMIT) — claims, heartbeats, final statuses.
    func writeStatement<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try read(body)
    }

    /// Runs `body` in one read-only `REPEATABLE READ` transaction: every statement inside sees the same snapshot.
    func readTransaction<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try connection.retryingAfterConnectionLoss(within: PostgreSQLStore.reconnectTimeout) {
            try connection.transaction("ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(connection) }
        }
    }

    func takeRecordingConnection() -> PostgreSQLConnection? {
        spareRecordingConnections.take()
    }

    func returnRecordingConnection(_ connection: PostgreSQLConnection) {
        spareRecordingConnections.give(connection, reusable: !connection.isInTransaction && !connection.isBroken)
    }

    public func schemaVersion() throws -> Int {
        try read { try PostgreSQLMigrator().version($0) }
    }

    /// Throws `no run with id N` unless the run exists.
    static func requireRun(_ runID: Int64, connection: PostgreSQLConnection) throws {
        guard try connection.scalarInt("SELECT count(*) FROM runs WHERE id = $1", [.integer(runID)]) == 1 else {
            throw StoreError.unknownRun(runID)
        }
    }

    /// A `RunRecording` for `runID`, fenced to the run's current holder (its status and worker as of now).
    public func recorder(
        for runID: Int64, flushInterval: Double = 0.25, heartbeatInterval: Double = Heartbeat.interval,
        flushThreshold: Int = 4096, minimumCommitInterval: Double = 0.05
    ) throws -> RunRecorder {
        guard mode == .readWrite else { throw StoreError("database \(path) is open read-only: cannot record") }
        let holder = try read { connection in
            try connection.execute("SELECT worker, learning_rate FROM runs WHERE id = $1", [.integer(runID)])
        }
        guard holder.rowCount == 1 else { throw StoreError.unknownRun(runID) }
        let worker = holder.optionalText(row: 0, column: 0)
        let baseLearningRate = Float(holder.double(row: 0, column: 1))
        // Connected here, before training starts, not on the writer thread while it trains: a new connection is
        // a new server process, whose start would compete with the trainer for the cores (and an unreachable
        // server is an error at once).
        let connection = try takeRecordingConnection() ?? makeConnection()
        return RunRecorder(
            runID: runID, flushInterval: flushInterval, heartbeatInterval: heartbeatInterval,
            flushThreshold: flushThreshold, minimumCommitInterval: minimumCommitInterval,
            openWriter: { [self] in
                let writer = PostgreSQLRecordingWriter(
                    connection: connection, runID: runID, worker: worker, baseLearningRate: baseLearningRate)
                return (writer, { [self] in returnRecordingConnection(connection) })
            })
    }
}

extension PostgreSQLStore: RunStore, TrialQueue, StoreQueries {
    public func makeRecorder(for runID: Int64) throws -> any RunRecording { try recorder(for: runID) }
}
