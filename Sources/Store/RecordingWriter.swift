import Engine
import Foundation

/// The SQL behind `RunRecorder`: writes a batch of iterations and events of one run in one transaction, on the
/// recorder's own connection (used only by its writer thread).
final class RecordingWriter: RecordingBatchWriter {
    let connection: SQLiteConnection
    let runID: Int64
    private var inserter: IterationInserter
    private var lastStep: Int64 = 0

    init(connection: SQLiteConnection, runID: Int64) throws {
        self.connection = connection
        self.runID = runID
        let baseLearningRate = try connection.scalarDouble("SELECT learning_rate FROM runs WHERE id = ?", [.integer(runID)])
        guard let baseLearningRate else { throw StoreError.unknownRun(runID) }
        inserter = try IterationInserter(connection: connection, runID: runID, baseLearningRate: Float(baseLearningRate))
    }

    /// One transaction: the iterations and events in their original order, then (when `heartbeat`) the heartbeat
    /// and progress. The heartbeat is not written on every commit: it changes the `runs` row and the
    /// `runs_by_status` index, two more pages per commit.
    func write(
        iterations: [PendingIteration], events: [(iterationsBefore: Int, event: TrainingEvent)], now: Double,
        heartbeat: Bool
    ) throws {
        try connection.transaction(.immediate) {
            var written = 0
            for (iterationsBefore, event) in events {
                if iterationsBefore > written {
                    try inserter.insert(iterations, written..<iterationsBefore)
                    written = iterationsBefore
                }
                try write(event, now: now)
            }
            if iterations.count > written { try inserter.insert(iterations, written..<iterations.count) }
            if let last = iterations.last { lastStep = max(lastStep, last.step) }
            guard heartbeat else { return }
            try connection.execute(
                "UPDATE runs SET heartbeat_at = ?, steps_completed = max(COALESCE(steps_completed, 0), ?) WHERE id = ? AND status = 'running'",
                [.real(now), .integer(lastStep), .integer(runID)])
        }
    }

    private func write(_ event: TrainingEvent, now: Double) throws {
        switch event {
        case .started(let start): try writeStart(start, now: now)
        case .weights(let snapshot): try LogbookStore.insertWeights(snapshot, runID: runID, connection: connection)
        case .iteration: break  // buffered separately
        case .epoch(let epoch): try writeEpoch(epoch)
        case .evaluation(let evaluation): try writeEvaluation(evaluation, now: now)
        case .finished(let finished): try writeFinish(finished, now: now)
        }
    }

    private func writeStart(_ start: RunStart, now: Double) throws {
        let dataset = start.dataset
        try connection.execute(
            """
            UPDATE runs SET status = 'running', model = ?, layers = ?, parameter_count = ?, dataset = ?, dataset_hash = ?,
                train_size = ?, validation_size = ?, test_size = ?, steps_per_epoch = ?, loss = COALESCE(?, loss),
                started_at = COALESCE(started_at, ?), heartbeat_at = ?
            WHERE id = ? AND status IN ('pending', 'running')
            """,
            [
                .text(start.modelDescription), .text(start.layers.map(String.init).joined(separator: "-")),
                .integer(Int64(start.parameterCount)), .text(dataset.name), .text(dataset.contentHash),
                .integer(Int64(dataset.trainSize)), .integer(Int64(dataset.validationSize)), .integer(Int64(dataset.testSize)),
                .integer(Int64(start.stepsPerEpoch)), start.configuration.loss.map { .text($0.rawValue) } ?? .null,
                .real(now), .real(now), .integer(runID),
            ])
    }

    private func writeEpoch(_ epoch: EpochEnded) throws {
        try connection.execute(
            """
            INSERT INTO epochs (run_id, epoch, step, train_loss, train_accuracy, validation_loss, validation_accuracy,
                learning_rate, seconds, samples_per_second)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            epochRow(epoch, runID: runID))
        try connection.execute(
            "UPDATE runs SET epochs_completed = ?, steps_completed = max(COALESCE(steps_completed, 0), ?) WHERE id = ?",
            epochProgress(epoch, runID: runID))
    }

    private func writeEvaluation(_ evaluation: Evaluation, now: Double) throws {
        let confusion = evaluation.confusion.map { rows in
            "[" + rows.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        }
        try connection.execute(
            """
            INSERT INTO evaluations (run_id, split, epoch, sample_count, loss, accuracy, confusion, mean_squared_error,
                mean_absolute_error, r_squared, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .integer(runID), .text(evaluation.split), .integer(Int64(evaluation.epoch)),
                .integer(Int64(evaluation.sampleCount)), real(evaluation.loss), real(evaluation.accuracy),
                confusion.map(SQLValue.text) ?? .null, real(evaluation.meanSquaredError), real(evaluation.meanAbsoluteError),
                real(evaluation.rSquared), .real(now),
            ])
        if evaluation.split == "test" {
            try connection.execute(
                "UPDATE runs SET test_loss = ?, test_accuracy = ? WHERE id = ?",
                [real(evaluation.loss), real(evaluation.accuracy), .integer(runID)])
        }
    }

    /// Only a run that is still `running` is finished: one the store took over meanwhile (re-queued by a sweep, or
    /// marked `interrupted` after its heartbeat went stale) keeps the status the store gave it.
    private func writeFinish(_ finished: RunFinished, now: Double) throws {
        let status = RunStatus(finished.reason)
        try connection.execute(
            """
            UPDATE runs SET status = ?2, stop_reason = ?3, error = ?4, ended_at = ?5, heartbeat_at = ?5, duration = ?6,
                epochs_completed = ?7, steps_completed = ?8,
                final_train_loss = (SELECT train_loss FROM epochs WHERE run_id = ?1 ORDER BY epoch DESC LIMIT 1),
                final_train_accuracy = (SELECT train_accuracy FROM epochs WHERE run_id = ?1 ORDER BY epoch DESC LIMIT 1),
                final_validation_loss = (SELECT validation_loss FROM epochs WHERE run_id = ?1 ORDER BY epoch DESC LIMIT 1),
                final_validation_accuracy = (SELECT validation_accuracy FROM epochs WHERE run_id = ?1 ORDER BY epoch DESC LIMIT 1)
            WHERE id = ?1 AND status = 'running'
            """,
            [
                .integer(runID), .text(status.rawValue), .text(finished.reason.rawValue),
                status == .completed ? .null : (finished.detail.map(SQLValue.text) ?? .null), .real(now),
                .real(finished.seconds), .integer(Int64(finished.epochsCompleted)),
                .integer(Int64(finished.stepsCompleted)),
            ])
    }

}

/// The bindings of one `epochs` row, in column order (the same on SQLite and PostgreSQL).
func epochRow(_ epoch: EpochEnded, runID: Int64) -> [SQLValue] {
    [
        .integer(runID), .integer(Int64(epoch.epoch)), .integer(Int64(epoch.step)), real(epoch.trainLoss),
        real(epoch.trainAccuracy), real(epoch.validationLoss), real(epoch.validationAccuracy),
        .real(epoch.learningRate), .real(epoch.seconds), .real(epoch.samplesPerSecond),
    ]
}

/// The bindings of the run's progress update after an epoch: epochs completed, step, run id.
func epochProgress(_ epoch: EpochEnded, runID: Int64) -> [SQLValue] {
    [.integer(Int64(epoch.epoch)), .integer(Int64(epoch.step)), .integer(runID)]
}

/// NaN (which SQLite cannot store) and nil become NULL.
private func real(_ value: Double?) -> SQLValue {
    guard let value, !value.isNaN else { return .null }
    return .real(value)
}
