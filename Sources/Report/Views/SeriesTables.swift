import Store

/// The tables of a run's series, as `logbook metrics` and `logbook show` print them: one column per stored field, in
/// the store's order, NULL where a value is missing.
extension ResultTable {
    /// Columns `epoch, step, train_loss, train_accuracy, validation_loss, validation_accuracy, learning_rate, seconds,
    /// samples_per_second`.
    public init(epochs: [EpochRecord]) {
        self.init(
            columns: [
                "epoch", "step", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy",
                "learning_rate", "seconds", "samples_per_second",
            ],
            rows: epochs.map { epoch in
                [
                    .integer(Int64(epoch.epoch)), .integer(Int64(epoch.step)), .real(orNull: epoch.trainLoss),
                    .real(orNull: epoch.trainAccuracy), .real(orNull: epoch.validationLoss),
                    .real(orNull: epoch.validationAccuracy),
                    .real(epoch.learningRate), .real(epoch.seconds), .real(epoch.samplesPerSecond),
                ]
            })
    }

    /// Columns `step, epoch, batch_index, loss, learning_rate`.
    public init(iterations: [IterationRecord]) {
        self.init(
            columns: ["step", "epoch", "batch_index", "loss", "learning_rate"],
            rows: iterations.map { iteration in
                [
                    .integer(Int64(iteration.step)), .integer(orNull: iteration.epoch),
                    .integer(orNull: iteration.batchIndex),
                    .real(orNull: iteration.loss), .real(iteration.learningRate),
                ]
            })
    }

    /// Columns `first_step, last_step, count, loss_min, loss_max, loss_mean`: one row per bucket.
    public init(lossBuckets buckets: [SeriesBucket]) {
        self.init(
            columns: ["first_step", "last_step", "count", "loss_min", "loss_max", "loss_mean"],
            rows: buckets.map {
                [
                    .integer(Int64($0.firstStep)), .integer(Int64($0.lastStep)), .integer(Int64($0.count)),
                    .real($0.minimum), .real($0.maximum), .real($0.mean),
                ]
            })
    }
}

extension SQLValue {
    /// `.real(value)`, or NULL for nil.
    static func real(orNull value: Double?) -> SQLValue { value.map(SQLValue.real) ?? .null }
    /// `.integer(value)`, or NULL for nil.
    static func integer(orNull value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
    /// `.integer(value)`, or NULL for nil.
    static func integer(orNull value: Int64?) -> SQLValue { value.map(SQLValue.integer) ?? .null }
    /// `.text(value)`, or NULL for nil.
    static func text(orNull value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
}
