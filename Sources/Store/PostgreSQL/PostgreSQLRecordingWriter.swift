import Engine
import Foundation

/// The SQL behind a `RunRecorder` on PostgreSQL: one transaction per batch, on the recorder's own connection.
/// Iterations go in as `iteration_blocks` rows (`PostgreSQLIterationBlocks`), one `COPY … (FORMAT binary)` per
/// batch (NaN losses as NULL and learning rates NULL while they equal the run's, as on SQLite).
///
/// Fencing: each transaction starts by locking the run's row `FOR SHARE` and checking that the run is still this
/// recorder's — `pending` or `running`, under the worker that held it when the recorder opened. A re-queue (or a
/// stale-heartbeat sweep) updates that row, so it either waits for this transaction (whose rows then belong to the
/// attempt, committed before the take-over) or has committed first, and then this write is refused whole.
final class PostgreSQLRecordingWriter: RecordingBatchWriter {
    let connection: PostgreSQLConnection
    let runID: Int64
    let worker: String?
    let baseLearningRate: Float
    private var lastStep: Int64 = 0
    /// While writing a batch again after a reconnect: its highest step already stored, and that it is a retry.
    private var committedStep: Int64 = 0
    private var isRetrying = false

    init(connection: PostgreSQLConnection, runID: Int64, worker: String?, baseLearningRate: Float) {
        self.connection = connection
        self.runID = runID
        self.worker = worker
        self.baseLearningRate = baseLearningRate
    }

    /// One transaction. When the connection is lost (a server restart), the writer keeps the batch, reconnects with
    /// backoff and writes it again; if the lost transaction had in fact committed, nothing is written twice (steps
    /// already stored are skipped, an epoch or evaluation already stored is kept).
    func write(
        iterations: [PendingIteration], events: [(iterationsBefore: Int, event: TrainingEvent)], now: Double,
        heartbeat: Bool
    ) throws {
        var retrying = false
        try connection.retryingAfterConnectionLoss(within: PostgreSQLStore.reconnectTimeout, attempts: 100) {
            defer { retrying = true }
            try write(iterations: iterations, events: events, heartbeat: heartbeat, retrying: retrying)
        }
    }

    private func write(
        iterations: [PendingIteration], events: [(iterationsBefore: Int, event: TrainingEvent)], heartbeat: Bool,
        retrying: Bool
    ) throws {
        try connection.transaction {
            try checkStillHeld()
            isRetrying = retrying
            committedStep = retrying
                ? try connection.scalarInt(
                    "SELECT COALESCE(max(last_step), 0) FROM iteration_blocks WHERE run_id = $1", [.integer(runID)]) ?? 0
                : 0
            // All the batch's iterations in one COPY, then the events in order: nothing an event writes reads
            // iterations, and all of it commits at once. Consecutive epoch ends go in with one statement.
            try copy(iterations)
            var index = events.startIndex
            while index < events.endIndex {
                if case .epoch = events[index].event {
                    var epochs: [EpochEnded] = []
                    while index < events.endIndex, case .epoch(let epoch) = events[index].event {
                        epochs.append(epoch)
                        index += 1
                    }
                    try writeEpochs(epochs)
                } else {
                    try write(events[index].event)
                    index += 1
                }
            }
            if let last = iterations.last { lastStep = max(lastStep, last.step) }
            guard heartbeat else { return }
            try connection.execute(
                """
                UPDATE runs SET heartbeat_at = \(PostgreSQLStore.now),
                    steps_completed = GREATEST(COALESCE(steps_completed, 0), $2) WHERE id = $1 AND status = 'running'
                """, [.integer(runID), .integer(lastStep)])
        }
    }

    /// Throws, refusing the whole batch, when the run is no longer this recorder's.
    private func checkStillHeld() throws {
        let result = try connection.execute(
            "SELECT status, worker FROM runs WHERE id = $1 FOR SHARE", [.integer(runID)])
        guard result.rowCount == 1 else { throw StoreError.unknownRun(runID) }
        let status = result.text(row: 0, column: 0)
        let holder = result.optionalText(row: 0, column: 1)
        guard status == "running" || status == "pending", holder == worker else {
            throw StoreError(
                "run \(runID) was taken over (now \(status)\(holder.map { " under worker \($0)" } ?? "")): the store refuses the late writes of \(worker.map { "worker \($0)" } ?? "its recorder")")
        }
    }

    /// The iterations not yet stored (on a retry: above `committedStep`) as `iteration_blocks` rows, one COPY
    /// (NaN losses as NULL, learning rates equal to the run's as NULL).
    private func copy(_ rows: [PendingIteration]) throws {
        var blocks = PostgreSQLIterationBlocks(runID: runID, expectedSteps: rows.count)
        for row in rows where row.step > committedStep {
            blocks.append(
                step: row.step, loss: row.loss.isNaN ? nil : Double(row.loss),
                learningRate: row.learningRate == baseLearningRate ? nil : Double(row.learningRate))
        }
        guard let data = blocks.finish() else { return }
        try connection.copyIn(PostgreSQLIterationBlocks.copySQL, data: data)
    }

    private func write(_ event: TrainingEvent) throws {
        switch event {
        case .started(let start): try writeStart(start)
        case .weights(let snapshot): try PostgreSQLStore.insertWeights(snapshot, runID: runID, connection: connection)
        case .iteration: break
        case .epoch(let epoch): try writeEpochs([epoch])
        case .evaluation(let evaluation): try writeEvaluation(evaluation)
        case .finished(let finished): try writeFinish(finished)
        }
    }

    private func writeStart(_ start: RunStart) throws {
        let dataset = start.dataset
        try connection.execute(
            """
            UPDATE runs SET status = 'running', model = $1, layers = $2, parameter_count = $3, dataset = $4,
                dataset_hash = $5, train_size = $6, validation_size = $7, test_size = $8, steps_per_epoch = $9,
                loss = COALESCE($10, loss), started_at = COALESCE(started_at, \(PostgreSQLStore.now)),
                heartbeat_at = \(PostgreSQLStore.now)
            WHERE id = $11 AND status IN ('pending', 'running')
            """,
            [
                .text(start.modelDescription), .text(start.layers.map(String.init).joined(separator: "-")),
                .integer(Int64(start.parameterCount)), .text(dataset.name), .text(dataset.contentHash),
                .integer(Int64(dataset.trainSize)), .integer(Int64(dataset.validationSize)), .integer(Int64(dataset.testSize)),
                .integer(Int64(start.stepsPerEpoch)), start.configuration.loss.map { .text($0.rawValue) } ?? .null, .integer(runID),
            ])
    }

    /// Epoch rows in one multi-row INSERT (an epoch already stored, by a lost transaction that committed, is
    /// kept), then the run's progress as of the last of them.
    private func writeEpochs(_ epochs: [EpochEnded]) throws {
        let columns = 10
        for chunk in stride(from: 0, to: epochs.count, by: 1000).map({ epochs[$0..<min($0 + 1000, epochs.count)] }) {
            let values = (0..<chunk.count).map { row in
                "(" + (1...columns).map { "$\(row * columns + $0)" }.joined(separator: ", ") + ")"
            }
            try connection.execute(
                """
                INSERT INTO epochs (run_id, epoch, step, train_loss, train_accuracy, validation_loss, validation_accuracy,
                    learning_rate, seconds, samples_per_second)
                VALUES \(values.joined(separator: ", "))
                ON CONFLICT (run_id, epoch) DO NOTHING
                """,
                chunk.flatMap { epochRow($0, runID: runID) })
        }
        guard let last = epochs.last else { return }
        try connection.execute(
            "UPDATE runs SET epochs_completed = $1, steps_completed = GREATEST(COALESCE(steps_completed, 0), $2) WHERE id = $3",
            epochProgress(last, runID: runID))
    }

    private func writeEvaluation(_ evaluation: Evaluation) throws {
        if isRetrying,
            try connection.scalarInt(
                "SELECT count(*) FROM evaluations WHERE run_id = $1 AND split = $2 AND epoch = $3",
                [.integer(runID), .text(evaluation.split), .integer(Int64(evaluation.epoch))]) ?? 0 > 0
        {
            return
        }
        let confusion = evaluation.confusion.map { rows in
            "[" + rows.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        }
        try connection.execute(
            """
            INSERT INTO evaluations (run_id, split, epoch, sample_count, loss, accuracy, confusion, mean_squared_error,
                mean_absolute_error, r_squared, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \(PostgreSQLStore.now))
            """,
            [
                .integer(runID), .text(evaluation.split), .integer(Int64(evaluation.epoch)),
                .integer(Int64(evaluation.sampleCount)), real(evaluation.loss), real(evaluation.accuracy),
                confusion.map(SQLValue.text) ?? .null, real(evaluation.meanSquaredError), real(evaluation.meanAbsoluteError),
                real(evaluation.rSquared),
            ])
        if evaluation.split == "test" {
            try connection.execute(
                "UPDATE runs SET test_loss = $1, test_accuracy = $2 WHERE id = $3",
                [real(evaluation.loss), real(evaluation.accuracy), .integer(runID)])
        }
    }

    private func writeFinish(_ finished: RunFinished) throws {
        let status = RunStatus(finished.reason)
        let lastEpoch = "(SELECT %@ FROM epochs WHERE run_id = $1 ORDER BY epoch DESC LIMIT 1)"
        func final(_ column: String) -> String { lastEpoch.replacingOccurrences(of: "%@", with: column) }
        try connection.execute(
            """
            UPDATE runs SET status = $2, stop_reason = $3, error = $4, ended_at = \(PostgreSQLStore.now),
                heartbeat_at = \(PostgreSQLStore.now), duration = $5, epochs_completed = $6, steps_completed = $7,
                final_train_loss = \(final("train_loss")), final_train_accuracy = \(final("train_accuracy")),
                final_validation_loss = \(final("validation_loss")),
                final_validation_accuracy = \(final("validation_accuracy"))
            WHERE id = $1 AND status = 'running'
            """,
            [
                .integer(runID), .text(status.rawValue), .text(finished.reason.rawValue),
                status == .completed ? .null : (finished.detail.map(SQLValue.text) ?? .null), .real(finished.seconds),
                .integer(Int64(finished.epochsCompleted)), .integer(Int64(finished.stepsCompleted)),
            ])
    }

    /// NaN and nil become NULL (as on SQLite).
    private func real(_ value: Double?) -> SQLValue {
        guard let value, !value.isNaN else { return .null }
        return .real(value)
    }
}
