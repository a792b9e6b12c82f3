/// The per-sweep reads of `StoreQueries`: report data and exports, one query per table, never one per run.
extension LogbookStore {
    public func sweepResults(sweepID: Int64) throws -> SweepResults {
        try readTransaction { connection in
            let sweep = try self.sweep(id: sweepID)
            var results = SweepResultsBuilder()
            let bySweep: [SQLValue] = [.integer(sweepID)]
            try connection.forEachRow(SweepResultsBuilder.summariesSQL, bySweep) { row in
                results.addSummary((0..<row.columnCount).lazy.map { (row.columnName($0), row.value($0)) })
            }
            try connection.forEachRow(SweepResultsBuilder.parametersSQL, bySweep) { row in
                results.addParameter(runID: row.int64(0), key: row.text(1), value: row.value(2))
            }
            try connection.forEachRow(SweepResultsBuilder.epochsSQL, bySweep) { row in
                results.addEpoch(runID: row.int64(0)) { LogbookStore.epochRecord(row, first: 1) }
            }
            try connection.forEachRow(SweepResultsBuilder.testsSQL(confusion: "e.confusion"), bySweep) { row in
                results.addTest(
                    runID: row.int64(0), stepsPerEpoch: row.optionalInt(1), sampleCount: row.optionalInt(2),
                    classCount: row.optionalInt(3))
            }
            return SweepResults(sweep: sweep, runs: results.runs)
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
