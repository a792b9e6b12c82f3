import Foundation

/// The space one table or index of the database takes in the file (SQLite's `dbstat`: every page, with record,
/// cell and page overhead included).
public struct StoredObjectSize: Sendable, Equatable {
    /// The table or index name (`iterations`, `sqlite_autoindex_runs_1`, …).
    public var name: String
    public var pages: Int
    public var bytes: Int
}

extension LogbookStore {
    /// The size on disk of every table and index, largest first, after a checkpoint that moves the write-ahead
    /// log's pages into the main file (so the figures are those of the file a reader copies).
    public func storedObjectSizes() throws -> [StoredObjectSize] {
        try read { connection in
            if mode == .readWrite { try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
            var sizes: [StoredObjectSize] = []
            try connection.forEachRow(
                "SELECT name, count(*), sum(pgsize) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC, name"
            ) { row in
                sizes.append(StoredObjectSize(name: row.text(0), pages: row.int(1), bytes: row.int(2)))
            }
            return sizes
        }
    }

    /// The bytes on disk of the table or index `name` (0 when it has no page or does not exist).
    public func storedBytes(of name: String) throws -> Int {
        try storedObjectSizes().first { $0.name == name }?.bytes ?? 0
    }
}
