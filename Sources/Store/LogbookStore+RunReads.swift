import Foundation

/// The per-run reads of `StoreQueries` and `RunStore`.
extension LogbookStore {
    public func runDetail(id: Int64) throws -> RunDetail {
        try readTransaction { connection in
            let run = try LogbookStore.runRecord(id: id, connection: connection)
            var parameters: [(key: String, value: SQLValue)] = []
            try connection.forEachRow("SELECT key, value FROM params WHERE run_id = ? ORDER BY key", [.integer(id)]) {
                parameters.append((key: $0.text(0), value: ConfigurationCoding.shownParameter($0.text(0), $0.value(1))))
            }
            var test: EvaluationRecord?
            try connection.forEachRow(
                """
                SELECT split, epoch, sample_count, loss, accuracy, confusion, mean_squared_error, mean_absolute_error,
                       r_squared
                FROM evaluations WHERE run_id = ? AND split = 'test' ORDER BY epoch DESC, id DESC LIMIT 1
                """, [.integer(id)]
            ) { row in
                test = EvaluationRecord(
                    split: row.text(0), epoch: row.int(1), sampleCount: row.int(2), loss: row.optionalDouble(3),
                    accuracy: row.optionalDouble(4), confusion: row.optionalText(5).flatMap(LogbookStore.decodeConfusion),
                    meanSquaredError: row.optionalDouble(6), meanAbsoluteError: row.optionalDouble(7),
                    rSquared: row.optionalDouble(8))
            }
            return RunDetail(
                run: run, parameters: parameters, epochs: try LogbookStore.epochs(run: id, connection: connection),
                test: test)
        }
    }

    public func runOverview(id: Int64) throws -> RunOverview {
        try readTransaction { connection in
            var summary: [String: SQLValue]?
            try connection.forEachRow("SELECT * FROM run_summary WHERE run_id = ?", [.integer(id)]) { row in
                summary = Dictionary(uniqueKeysWithValues: (0..<row.columnCount).map { (row.columnName($0), row.value($0)) })
            }
            guard let summary else { throw StoreError.unknownRun(id) }
            var parameters: [String: SQLValue] = [:]
            try connection.forEachRow("SELECT key, value FROM params WHERE run_id = ?", [.integer(id)]) {
                parameters[$0.text(0)] = ConfigurationCoding.shownParameter($0.text(0), $0.value(1))
            }
            return RunOverview(runID: id, summary: summary, parameters: parameters)
        }
    }

    public func epochs(run runID: Int64) throws -> [EpochRecord] {
        try readTransaction { connection in
            try LogbookStore.requireRun(runID, connection: connection)
            return try LogbookStore.epochs(run: runID, connection: connection)
        }
    }

    public func iterationLog(run runID: Int64) throws -> [IterationRecord] {
        try readTransaction { connection in
            try LogbookStore.requireRun(runID, connection: connection)
            var iterations: [IterationRecord] = []
            try connection.forEachRow(
                "SELECT step, epoch, batch_index, loss, learning_rate FROM iteration_log WHERE run_id = ? ORDER BY step",
                [.integer(runID)]
            ) { row in
                iterations.append(
                    IterationRecord(
                        step: row.int(0), epoch: row.optionalInt(1), batchIndex: row.optionalInt(2),
                        loss: row.optionalDouble(3), learningRate: row.double(4)))
            }
            return iterations
        }
    }

    /// One pass over the run's primary-key range (no sort).
    public func downsampledLosses(run runID: Int64, points: Int) throws -> [SeriesBucket] {
        try readTransaction { connection in
            try LogbookStore.requireRun(runID, connection: connection)
            guard let lastStep = try connection.scalarInt("SELECT max(step) FROM iterations WHERE run_id = ?", [.integer(runID)]) else {
                return []
            }
            var sampler = SeriesDownsampler(points: points, lastStep: Int(lastStep))
            try connection.forEachRow("SELECT step, loss FROM iterations WHERE run_id = ? ORDER BY step", [.integer(runID)]) { row in
                sampler.add(step: row.int(0), value: row.isNull(1) ? .nan : row.double(1))
            }
            return sampler.result()
        }
    }

    public func losses(run runID: Int64, fromStep firstStep: Int, count: Int) throws -> [Double] {
        try read { connection in
            var values: [Double] = []
            values.reserveCapacity(count)
            try connection.forEachRow(
                "SELECT loss FROM iterations WHERE run_id = ? AND step >= ? ORDER BY step LIMIT ?",
                [.integer(runID), .integer(Int64(firstStep)), .integer(Int64(count))]
            ) { values.append($0.isNull(0) ? .nan : $0.double(0)) }
            return values
        }
    }

    public func lossCurve(run runID: Int64) throws -> [Float] {
        try readTransaction { connection in
            try LogbookStore.requireRun(runID, connection: connection)
            let count = Int(try connection.scalarInt("SELECT count(*) FROM iterations WHERE run_id = ?", [.integer(runID)]) ?? 0)
            var losses: [Float] = []
            losses.reserveCapacity(count)
            try connection.forEachRow("SELECT loss FROM iterations WHERE run_id = ? ORDER BY step", [.integer(runID)]) { row in
                losses.append(row.isNull(0) ? .nan : Float(row.double(0)))
            }
            return losses
        }
    }

    // MARK: Helpers shared by the reads

    /// Throws `no run with id N` unless the run exists.
    static func requireRun(_ runID: Int64, connection: SQLiteConnection) throws {
        guard try connection.scalarInt("SELECT count(*) FROM runs WHERE id = ?", [.integer(runID)]) == 1 else {
            throw StoreError.unknownRun(runID)
        }
    }

    static let epochColumns = """
        epoch, step, train_loss, train_accuracy, validation_loss, validation_accuracy, learning_rate, seconds,
        samples_per_second
        """

    /// An `EpochRecord` from the `epochColumns`, starting at column `first`.
    static func epochRecord(_ row: Statement, first: Int32 = 0) -> EpochRecord {
        EpochRecord(
            epoch: row.int(first), step: row.int(first + 1), trainLoss: row.optionalDouble(first + 2),
            trainAccuracy: row.optionalDouble(first + 3), validationLoss: row.optionalDouble(first + 4),
            validationAccuracy: row.optionalDouble(first + 5), learningRate: row.double(first + 6),
            seconds: row.double(first + 7), samplesPerSecond: row.double(first + 8))
    }

    static func epochs(run runID: Int64, connection: SQLiteConnection) throws -> [EpochRecord] {
        var epochs: [EpochRecord] = []
        try connection.forEachRow("SELECT \(epochColumns) FROM epochs WHERE run_id = ? ORDER BY epoch", [.integer(runID)]) {
            epochs.append(epochRecord($0))
        }
        return epochs
    }

    /// A confusion matrix from its stored JSON (`[[count]]`); nil when it is not one.
    static func decodeConfusion(_ json: String) -> [[Int]]? {
        try? JSONDecoder().decode([[Int]].self, from: Data(json.utf8))
    }
}

/// What `logbook db info` shows.
public struct StoreInfo: Sendable, Equatable {
    public var path: String
    public var schemaVersion: Int
    public var latestSchemaVersion: Int
    /// Rows per table, sorted by table name.
    public var rowCounts: [(table: String, rows: Int)]
    /// The main file plus its write-ahead log, in bytes.
    public var bytesOnDisk: Int
    public var pageSize: Int
    public var pageCount: Int

    public static func == (lhs: StoreInfo, rhs: StoreInfo) -> Bool {
        lhs.path == rhs.path && lhs.schemaVersion == rhs.schemaVersion && lhs.bytesOnDisk == rhs.bytesOnDisk
            && lhs.rowCounts.map(\.table) == rhs.rowCounts.map(\.table)
            && lhs.rowCounts.map(\.rows) == rhs.rowCounts.map(\.rows)
    }
}

extension LogbookStore {
    public func info() throws -> StoreInfo {
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
            return StoreInfo(
                path: path, schemaVersion: version, latestSchemaVersion: Migrator().latestVersion, rowCounts: counts,
                bytesOnDisk: sizes.reduce(0, +), pageSize: pageSize, pageCount: pageCount)
        }
    }
}
