/// The per-sweep reads of `StoreQueries`: report data and exports, one query per table, never one per run.
extension LogbookStore {
    public func sweepResults(sweepID: Int64) throws -> SweepResults {
        try readTransaction { connection in
            let sweep = try self.sweep(id: sweepID)
            var runs: [SweepResults.Run] = []
            var indexByID: [Int64: Int] = [:]
            try connection.forEachRow("SELECT * FROM run_summary WHERE sweep_id = ? ORDER BY run_id", [.integer(sweepID)]) { row in
                let summary = Dictionary(uniqueKeysWithValues: (0..<row.columnCount).map { column in
                    (row.columnName(column), ConfigurationCoding.shownParameter(row.columnName(column), row.value(column)))
                })
                guard case .integer(let id)? = summary["run_id"] else { return }
                indexByID[id] = runs.count
                runs.append(
                    SweepResults.Run(
                        overview: RunOverview(runID: id, summary: summary, parameters: [:]), epochs: [],
                        stepsPerEpoch: nil, testSampleCount: nil, testClassCount: nil))
            }
            try connection.forEachRow(
                "SELECT p.run_id, p.key, p.value FROM params AS p JOIN runs AS r ON r.id = p.run_id WHERE r.sweep_id = ?",
                [.integer(sweepID)]
            ) { row in
                guard let index = indexByID[row.int64(0)] else { return }
                let key = row.text(1)
                runs[index].overview.parameters[key] = ConfigurationCoding.shownParameter(key, row.value(2))
            }
            try connection.forEachRow(
                """
                SELECT e.run_id, e.epoch, e.step, e.train_loss, e.train_accuracy, e.validation_loss, e.validation_accuracy,
                       e.learning_rate, e.seconds, e.samples_per_second
                FROM epochs AS e JOIN runs AS r ON r.id = e.run_id WHERE r.sweep_id = ? ORDER BY e.run_id, e.epoch
                """, [.integer(sweepID)]
            ) { row in
                if let index = indexByID[row.int64(0)] { runs[index].epochs.append(LogbookStore.epochRecord(row, first: 1)) }
            }
            // Every test evaluation in id order: the latest one's figures win.
            try connection.forEachRow(
                """
                SELECT r.id, r.steps_per_epoch, e.sample_count, json_array_length(e.confusion)
                FROM runs AS r LEFT JOIN evaluations AS e ON e.run_id = r.id AND e.split = 'test'
                WHERE r.sweep_id = ? ORDER BY r.id, e.id
                """, [.integer(sweepID)]
            ) { row in
                guard let index = indexByID[row.int64(0)] else { return }
                runs[index].stepsPerEpoch = row.optionalInt(1)
                if let count = row.optionalInt(2) { runs[index].testSampleCount = count }
                if let classes = row.optionalInt(3) { runs[index].testClassCount = classes }
            }
            return SweepResults(sweep: sweep, runs: runs)
        }
    }

    public func exportSweep(
        _ table: SweepExportTable, sweepID: Int64, header: ([String]) throws -> Void, row: ([SQLValue]) throws -> Void
    ) throws {
        try readTransaction { _ in
            _ = try self.sweep(id: sweepID)
            let (sql, bindings) = LogbookStore.exportSQL(table, sweepID: sweepID, parameterKeys: try self.parameterKeys())
            try self.streamRows(sql, bindings, header: header, row: row)
        }
    }

    static let exportRunColumns =
        "r.id AS run_id, r.trial_index, r.seed, r.batch_size, r.learning_rate AS base_learning_rate, r.initializer"

    /// SQL and bindings for `table` over the runs of `sweepID`. Runs: every `run_summary` column plus each
    /// hyperparameter key not already a column (bound in a correlated subquery).
    static func exportSQL(_ table: SweepExportTable, sweepID: Int64, parameterKeys: [String]) -> (String, [SQLValue]) {
        switch table {
        case .runs:
            let extra = FilterFields.runSummary(parameterKeys: parameterKeys).parameterKeys
            var sql = "SELECT s.*"
            var bindings: [SQLValue] = []
            for key in extra {
                sql += ", (SELECT p.value FROM params AS p WHERE p.run_id = s.run_id AND p.key = ?) AS \(quoteIdentifier(key))"
                bindings.append(.text(key))
            }
            return (sql + " FROM run_summary AS s WHERE s.sweep_id = ? ORDER BY s.run_id", bindings + [.integer(sweepID)])
        case .iterations:
            return (
                """
                SELECT \(exportRunColumns), i.step, (i.step - 1) / r.steps_per_epoch + 1 AS epoch, i.loss,
                       COALESCE(i.learning_rate, r.learning_rate) AS learning_rate
                FROM runs AS r JOIN iterations AS i ON i.run_id = r.id
                WHERE r.sweep_id = ? ORDER BY r.id, i.step
                """, [.integer(sweepID)]
            )
        case .epochs:
            return (
                """
                SELECT \(exportRunColumns), e.epoch, e.step, e.train_loss, e.train_accuracy, e.validation_loss,
                       e.validation_accuracy, e.learning_rate, e.seconds, e.samples_per_second
                FROM runs AS r JOIN epochs AS e ON e.run_id = r.id
                WHERE r.sweep_id = ? ORDER BY r.id, e.epoch
                """, [.integer(sweepID)]
            )
        }
    }
}
