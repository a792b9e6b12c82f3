/// One row of `epochs`: a run's metrics at the end of an epoch.
public struct EpochRecord: Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    /// The last global step of the epoch.
    public var step: Int
    /// nil when it was NaN.
    public var trainLoss: Double?
    public var trainAccuracy: Double?
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var learningRate: Double
    public var seconds: Double
    public var samplesPerSecond: Double
}

/// One row of the `iteration_log` view: a mini-batch step.
public struct IterationRecord: Sendable, Equatable {
    /// 1-based global step.
    public var step: Int
    /// 1-based; nil when the run's steps per epoch are unknown (it never started).
    public var epoch: Int?
    /// 0-based position within the epoch; nil like `epoch`.
    public var batchIndex: Int?
    /// nil when the loss was NaN.
    public var loss: Double?
    /// The effective learning rate (the run's base rate unless a schedule changed it).
    public var learningRate: Double
}

/// One evaluation of a split (`test` at the end of a run).
public struct EvaluationRecord: Sendable, Equatable {
    public var split: String
    public var epoch: Int
    public var sampleCount: Int
    /// nil when it was NaN.
    public var loss: Double?
    /// Classification only.
    public var accuracy: Double?
    /// Classification only: counts, rows the actual class, columns the predicted one.
    public var confusion: [[Int]]?
    /// Regression only.
    public var meanSquaredError: Double?
    public var meanAbsoluteError: Double?
    public var rSquared: Double?
}

/// A run in full: its record, every hyperparameter, its epochs and its latest test evaluation.
public struct RunDetail: Sendable {
    public var run: RunRecord
    /// Every hyperparameter by snake-case key, sorted by key; booleans as the text `true`/`false`
    /// (`ConfigurationCoding.shownParameter`), every other value as stored.
    public var parameters: [(key: String, value: SQLValue)]
    public var epochs: [EpochRecord]
    /// The latest test evaluation, if any.
    public var test: EvaluationRecord?
}

/// A run as summaries show it: its `run_summary` row (status as the view judges it, final metrics) and its
/// hyperparameters.
public struct RunOverview: Sendable, Equatable {
    public var runID: Int64
    /// The `run_summary` row by column name.
    public var summary: [String: SQLValue]
    /// Every hyperparameter by key; booleans as the text `true`/`false`, every other value as stored.
    public var parameters: [String: SQLValue]
}

/// A sweep with all its runs, for reports.
public struct SweepResults: Sendable {
    public struct Run: Sendable {
        public var overview: RunOverview
        public var epochs: [EpochRecord]
        public var stepsPerEpoch: Int?
        /// Of the latest test evaluation.
        public var testSampleCount: Int?
        /// The size of the test confusion matrix (classification), nil otherwise.
        public var testClassCount: Int?
    }

    public var sweep: SweepRecord
    /// Every run of the sweep (superseded attempts included), in id order.
    public var runs: [Run]
}

/// The long-format tables of `logbook export`: one row per run, per iteration or per epoch, each carrying the run's
/// id, trial index, seed, batch size, base learning rate and initializer (runs: every `run_summary` column plus every
/// hyperparameter that is not one).
public enum SweepExportTable: String, Sendable, CaseIterable {
    case runs, iterations, epochs
}

/// Steps `firstStep…` of `run`'s losses, at most `count` of them: one window of `StoreQueries.losses(windows:)`.
public struct LossWindow: Sendable, Hashable {
    public var run: Int64
    public var firstStep: Int
    public var count: Int

    public init(run: Int64, firstStep: Int, count: Int) {
        self.run = run
        self.firstStep = firstStep
        self.count = count
    }
}
