import Foundation

extension LogbookStore {
    /// Every recorded iteration loss of a run, in step order (index `s - 1` holds step `s`; NaN where the loss was
    /// NaN, stored as NULL). Throws for an unknown run.
    public func lossCurve(run runID: Int64) throws -> [Float] {
        try read { connection in
            guard try connection.scalarInt("SELECT count(*) FROM runs WHERE id = ?", [.integer(runID)]) == 1 else {
                throw StoreError.unknownRun(runID)
            }
            let count = Int(try connection.scalarInt("SELECT count(*) FROM iterations WHERE run_id = ?", [.integer(runID)]) ?? 0)
            var losses: [Float] = []
            losses.reserveCapacity(count)
            try connection.forEachRow("SELECT loss FROM iterations WHERE run_id = ? ORDER BY step", [.integer(runID)]) { row in
                losses.append(row.isNull(0) ? .nan : Float(row.double(0)))
            }
            return losses
        }
    }

    /// What `logbook db info` shows.
    public struct Info: Sendable, Equatable {
        public var path: String
        public var schemaVersion: Int
        public var latestSchemaVersion: Int
        /// Rows per table, sorted by table name.
        public var rowCounts: [(table: String, rows: Int)]
        /// The main file plus its write-ahead log, in bytes.
        public var bytesOnDisk: Int
        public var pageSize: Int
        public var pageCount: Int

        public static func == (lhs: Info, rhs: Info) -> Bool {
            lhs.path == rhs.path && lhs.schemaVersion == rhs.schemaVersion && lhs.bytesOnDisk == rhs.bytesOnDisk
                && lhs.rowCounts.map(\.table) == rhs.rowCounts.map(\.table)
                && lhs.rowCounts.map(\.rows) == rhs.rowCounts.map(\.rows)
        }
    }

    public func info() throws -> Info {
        try readTransaction { connection in
            let version = try Migrator().inspect(connection).version
            var tables: [String] = []
            try connection.forEachRow(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ) { tables.append($0.text(0)) }
            var counts: [(table: String, rows: Int)] = []
            for table in tables {
                let rows = try connection.scalarInt("SELECT count(*) FROM \"\(table)\"") ?? 0
                counts.append((table, Int(rows)))
            }
            let pageSize = Int(try connection.scalarInt("PRAGMA page_size") ?? 0)
            let pageCount = Int(try connection.scalarInt("PRAGMA page_count") ?? 0)
            let fileManager = FileManager.default
            let sizes = [path, path + "-wal"].map { file in
                ((try? fileManager.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0
            }
            return Info(
                path: path, schemaVersion: version, latestSchemaVersion: Migrator().latestVersion, rowCounts: counts,
                bytesOnDisk: sizes.reduce(0, +), pageSize: pageSize, pageCount: pageCount)
        }
    }
}
