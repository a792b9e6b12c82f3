import Foundation

@testable import Store

/// The stores the shared store tests run against. PostgreSQL needs a server: `make test` starts a throwaway one and
/// passes its URL in `LOGBOOK_TEST_POSTGRES_URL`; without it, PostgreSQL tests fail (never skip) saying so.
public enum StoreBackend: String, CaseIterable, Sendable {
    case sqlite
    case postgreSQL = "postgresql"
}

/// A fresh, empty store for one test: a SQLite file in a temporary directory, or a PostgreSQL schema of its own on
/// the test server (`search_path` set through the URL's `options`), removed when this object goes away.
public final class TestStoreLocation: @unchecked Sendable {
    public let backend: StoreBackend
    /// What `--db` takes: the file path, or the URL.
    public let location: String
    private let directory: String
    private let schema: String?

    public init(_ backend: StoreBackend, name: String = "store") throws {
        self.backend = backend
        directory = NSTemporaryDirectory() + "logbook-store-\(backend.rawValue)-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            schema = nil
            location = directory + "/\(name).sqlite"
        case .postgreSQL:
            let server = try TestStoreLocation.postgreSQLServer()
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let connection = try PostgreSQLConnection(url: server)
            try connection.execute("CREATE SCHEMA \(schema)")
            self.schema = schema
            location = server + (server.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
        }
    }

    deinit {
        if let schema, let server = try? TestStoreLocation.postgreSQLServer(),
            let connection = try? PostgreSQLConnection(url: server)
        {
            _ = try? connection.execute("DROP SCHEMA \(schema) CASCADE")
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A scratch directory of this test (working folders of workers, exported files).
    public var scratchDirectory: String { directory }

    /// The test server's URL, or the reason the PostgreSQL tests cannot run.
    public static func postgreSQLServer() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["LOGBOOK_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw StoreError(
                "LOGBOOK_TEST_POSTGRES_URL is not set: the PostgreSQL store tests need a server; run `make test` (it starts a throwaway cluster) or `scripts/postgres-test-cluster.sh run swift test`")
        }
        return url
    }

    /// Opens the store (creating and migrating it read-write).
    public func open(_ mode: LogbookStore.AccessMode = .readWrite) throws -> any LogbookStoring {
        try StoreLocation.open(location, mode: mode)
    }

    /// Rows of SQL run on a connection of the test's own (bypassing the store), `?` placeholders bound.
    public func query(_ sql: String, _ arguments: [SQLValue] = []) throws -> ResultTable {
        switch backend {
        case .sqlite:
            // A bare connection: opening a LogbookStore would also record stale runs as interrupted.
            let connection = try SQLiteConnection(path: location, mode: .readWrite)
            try connection.configure()
            let statement = try connection.makeStatement(sql)
            statement.bind(arguments)
            let columns = (0..<statement.columnCount).map(statement.columnName)
            var rows: [[SQLValue]] = []
            while try statement.step() { rows.append((0..<statement.columnCount).map(statement.value)) }
            return ResultTable(columns: columns, rows: rows)
        case .postgreSQL:
            let connection = try PostgreSQLConnection(url: location)
            let result = try connection.execute(PostgreSQLStore.numberedPlaceholders(sql), arguments)
            return ResultTable(columns: result.columnNames, rows: (0..<result.rowCount).map(result.row))
        }
    }

    /// The first value of the first row (nil when there is none).
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLValue? {
        try query(sql, arguments).rows.first?.first
    }

    /// An integer from SQL (`-1` when NULL or absent).
    public func integer(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int {
        if case .integer(let value)? = try scalar(sql, arguments) { return Int(value) }
        return -1
    }
}
