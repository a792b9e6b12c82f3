import Foundation

/// The per-run and per-sweep reads of `StoreQueries` on PostgreSQL, each in one `REPEATABLE READ` snapshot.
extension PostgreSQLStore {
    public func runDetail(id: Int64) throws -> RunDetail {
        try readTransaction { connection in
            let run = try PostgreSQLStore.runRecord(id: id, connection: connection)
            let parameters = try connection.execute(
                "SELECT key, value FROM params WHERE run_id = $1 ORDER BY key", [.integer(id)])
            let test = try connection.execute(
                """
                SELECT split, epoch, sample_count, loss, accuracy, confusion, mean_squared_error, mean_absolute_error,
                       r_squared
                FROM evaluations WHERE run_id = $1 AND split = 'test' ORDER BY epoch DESC, id DESC LIMIT 1
                """, [.integer(id)])
            let evaluation = test.rowCount == 0
                ? nil
                : EvaluationRecord(
                    split: test.text(row: 0, column: 0), epoch: test.int(row: 0, column: 1),
                    sampleCount: test.int(row: 0, column: 2), loss: test.optionalDouble(row: 0, column: 3),
                    accuracy: test.optionalDouble(row: 0, column: 4),
                    confusion: test.optionalText(row: 0, column: 5).flatMap(LogbookStore.decodeConfusion),
                    meanSquaredError: test.optionalDouble(row: 0, column: 6),
                    meanAbsoluteError: test.optionalDouble(row: 0, column: 7), rSquared: test.optionalDouble(row: 0, column: 8))
            return RunDetail(
                run: run,
                parameters: (0..<parameters.rowCount).map {
                    let key = parameters.text(row: $0, column: 0)
                    return (key: key, value: ConfigurationCoding.shownParameter(key, parameters.value(row: $0, column: 1)))
                },
                epochs: try PostgreSQLStore.epochs(run: id, connection: connection), test: evaluation)
        }
    }

    public func runOverview(id: Int64) throws -> RunOverview {
        try readTransaction { connection in
            let summary = try connection.execute("SELECT * FROM run_summary WHERE run_id = $1", [.integer(id)])
            guard summary.rowCount == 1 else { throw StoreError.unknownRun(id) }
            let parameters = try connection.execute("SELECT key, value FROM params WHERE run_id = $1", [.integer(id)])
            return RunOverview(
                runID: id, summary: Dictionary(uniqueKeysWithValues: zip(summary.columnNames, summary.row(0))),
                parameters: Dictionary(
                    uniqueKeysWithValues: (0..<parameters.rowCount).map {
                        let key = parameters.text(row: $0, column: 0)
                        return (key, ConfigurationCoding.shownParameter(key, parameters.value(row: $0, column: 1)))
                    }))
        }
    }

    public func epochs(run runID: Int64) throws -> [EpochRecord] {
        try readTransaction { connection in
            try PostgreSQLStore.requireRun(runID, connection: connection)
            return try PostgreSQLStore.epochs(run: runID, connection: connection)
        }
    }

    static func epochs(run runID: Int64, connection: PostgreSQLConnection) throws -> [EpochRecord] {
        let result = try connection.execute(
            "SELECT \(LogbookStore.epochColumns) FROM epochs WHERE run_id = $1 ORDER BY epoch", [.integer(runID)])
        return (0..<result.rowCount).map { epochRecord(result, row: $0) }
    }

    /// An `EpochRecord` from the `LogbookStore.epochColumns`, starting at column `first`.
    static func epochRecord(_ result: PostgreSQLResult, row: Int, first: Int = 0) -> EpochRecord {
        EpochRecord(
            epoch: result.int(row: row, column: first), step: result.int(row: row, column: first + 1),
            trainLoss: result.optionalDouble(row: row, column: first + 2),
            trainAccuracy: result.optionalDouble(row: row, column: first + 3),
            validationLoss: result.optionalDouble(row: row, column: first + 4),
            validationAccuracy: result.optionalDouble(row: row, column: first + 5),
            learningRate: result.double(row: row, column: first + 6), seconds: result.double(row: row, column: first + 7),
            samplesPerSecond: result.double(row: row, column: first + 8))
    }

    public func iterationLog(run runID: Int64) throws -> [IterationRecord] {
        try readTransaction { connection in
            try PostgreSQLStore.requireRun(runID, connection: connection)
            let result = try connection.execute(
                "SELECT step, epoch, batch_index, loss, learning_rate FROM iteration_log WHERE run_id = $1 ORDER BY step",
                [.integer(runID)])
            return (0..<result.rowCount).map { row in
                IterationRecord(
                    step: result.int(row: row, column: 0), epoch: result.optionalInt(row: row, column: 1),
                    batchIndex: result.optionalInt(row: row, column: 2), loss: result.optionalDouble(row: row, column: 3),
                    learningRate: result.double(row: row, column: 4))
            }
        }
    }

    /// One pass over the run's blocks (`PostgreSQLIterationBlocks.forEachLoss`, binary): memory O(points) here too.
    public func downsampledLosses(run runID: Int64, points: Int) throws -> [SeriesBucket] {
        try readTransaction { connection in
            try PostgreSQLStore.requireRun(runID, connection: connection)
            guard let lastStep = try connection.scalarInt("SELECT max(last_step) FROM iteration_blocks WHERE run_id = $1", [.integer(runID)])
            else { return [] }
            var sampler = SeriesDownsampler(points: points, lastStep: Int(lastStep))
            try PostgreSQLIterationBlocks.forEachLoss(run: runID, connection: connection) { step, loss in
                sampler.add(step: Int(step), value: loss ?? .nan)
            }
            return sampler.result()
        }
    }

    /// At most `count` losses from `firstStep` on: one statement (one round trip, one snapshot, no transaction)
    /// reads the blocks that overlap the window, in binary (`PostgreSQLIterationBlocks.losses`). Before, a cursor
    /// took five (BEGIN, DECLARE, FETCH, CLOSE, COMMIT) — for the report, two windows per run of the sweep.
    public func losses(run runID: Int64, fromStep firstStep: Int, count: Int) throws -> [Double] {
        guard count > 0 else { return [] }
        return try read { connection in
            try PostgreSQLIterationBlocks.losses(run: runID, fromStep: Int64(firstStep), count: count, connection: connection)
        }
    }

    public func losses(windows: [LossWindow]) throws -> [[Double]] {
        try read { connection in try PostgreSQLIterationBlocks.losses(windows: windows, connection: connection) }
    }

    static let sweepSummariesSQL = numberedPlaceholders(SweepResultsBuilder.summariesSQL)
    static let sweepParametersSQL = numberedPlaceholders(SweepResultsBuilder.parametersSQL)
    static let sweepEpochsSQL = numberedPlaceholders(SweepResultsBuilder.epochsSQL)
    static let sweepTestsSQL = numberedPlaceholders(SweepResultsBuilder.testsSQL(confusion: "e.confusion::json"))

    public func sweepResults(sweepID: Int64) throws -> SweepResults {
        try readTransaction { connection in
            let sweep = try self.sweep(id: sweepID)
            let bySweep: [SQLValue] = [.integer(sweepID)]
            var results = SweepResultsBuilder()
            let summaries = try connection.execute(PostgreSQLStore.sweepSummariesSQL, bySweep)
            let columns = summaries.columnNames
            for row in 0..<summaries.rowCount { results.addSummary(zip(columns, summaries.row(row))) }
            let parameters = try connection.execute(PostgreSQLStore.sweepParametersSQL, bySweep)
            for row in 0..<parameters.rowCount {
                results.addParameter(
                    runID: parameters.int64(row: row, column: 0), key: parameters.text(row: row, column: 1),
                    value: parameters.value(row: row, column: 2))
            }
            let epochs = try connection.execute(PostgreSQLStore.sweepEpochsSQL, bySweep)
            for row in 0..<epochs.rowCount {
                results.addEpoch(runID: epochs.int64(row: row, column: 0)) { PostgreSQLStore.epochRecord(epochs, row: row, first: 1) }
            }
            let tests = try connection.execute(PostgreSQLStore.sweepTestsSQL, bySweep)
            for row in 0..<tests.rowCount {
                results.addTest(
                    runID: tests.int64(row: row, column: 0), stepsPerEpoch: tests.optionalInt(row: row, column: 1),
                    sampleCount: tests.optionalInt(row: row, column: 2), classCount: tests.optionalInt(row: row, column: 3))
            }
            return SweepResults(sweep: sweep, runs: results.runs)
        }
    }

    /// Streams through a cursor: the export is never held whole, on either side.
    func streamRows(
        _ sql: String, _ arguments: [SQLValue], connection: PostgreSQLConnection, header: ([String]) throws -> Void,
        row: ([SQLValue]) throws -> Void
    ) throws {
        try PostgreSQLStore.forEachRow(
            PostgreSQLStore.numberedPlaceholders(sql), arguments, connection: connection, header: header
        ) { result, index in
            try row(result.row(index))
            return true
        }
    }

    /// Runs `sql` through a cursor inside the caller's transaction, `batch` rows a fetch; `binary` asks for binary
    /// values (`PostgreSQLResult.withBinary`). `header` gets the column names once (before the first row); `body`
    /// returns false to stop.
    static func forEachRow(
        _ sql: String, _ arguments: [SQLValue], connection: PostgreSQLConnection, batch: Int = 10_000, binary: Bool = false,
        header: ([String]) throws -> Void = { _ in }, _ body: (PostgreSQLResult, Int) throws -> Bool
    ) throws {
        try connection.execute("DECLARE logbook_rows \(binary ? "BINARY " : "")NO SCROLL CURSOR FOR " + sql, arguments)
        defer { _ = try? connection.execute("CLOSE logbook_rows") }
        let size = max(1, batch)
        var first = true
        while true {
            let result = try connection.execute("FETCH FORWARD \(size) FROM logbook_rows")
            if first { try header(result.columnNames) }
            first = false
            for index in 0..<result.rowCount where try !body(result, index) { return }
            if result.rowCount < size { return }
        }
    }
}
