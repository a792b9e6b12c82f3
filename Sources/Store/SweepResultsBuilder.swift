/// `SweepResults` assembled row by row from the four per-sweep queries (summaries, parameters, epochs, test
/// evaluations) — the same for both stores, which differ only in their SQL and how they step through rows.
/// Rows of runs not among the summaries are ignored.
struct SweepResultsBuilder {
    /// The four queries with `?` for the sweep id (PostgreSQL numbers it); `confusion` is the test confusion matrix
    /// as JSON in the dialect (`e.confusion` in SQLite, `e.confusion::json` in PostgreSQL).
    static let summariesSQL = "SELECT * FROM run_summary WHERE sweep_id = ? ORDER BY run_id"
    static let parametersSQL =
        "SELECT p.run_id, p.key, p.value FROM params AS p JOIN runs AS r ON r.id = p.run_id WHERE r.sweep_id = ?"
    static let epochsSQL = """
        SELECT e.run_id, e.epoch, e.step, e.train_loss, e.train_accuracy, e.validation_loss, e.validation_accuracy,
               e.learning_rate, e.seconds, e.samples_per_second
        FROM epochs AS e JOIN runs AS r ON r.id = e.run_id WHERE r.sweep_id = ? ORDER BY e.run_id, e.epoch
        """
    /// Every test evaluation in id order (the latest one's figures win), a row of NULLs for a run without one.
    static func testsSQL(confusion: String) -> String {
        """
        SELECT r.id, r.steps_per_epoch, e.sample_count, json_array_length(\(confusion))
        FROM runs AS r LEFT JOIN evaluations AS e ON e.run_id = r.id AND e.split = 'test'
        WHERE r.sweep_id = ? ORDER BY r.id, e.id
        """
    }

    private(set) var runs: [SweepResults.Run] = []
    private var indexByID: [Int64: Int] = [:]

    /// A `run_summary` row (column names and values); skipped without an integer `run_id`.
    mutating func addSummary(_ columns: some Sequence<(String, SQLValue)>) {
        let summary = Dictionary(uniqueKeysWithValues: columns.map { ($0, ConfigurationCoding.shownParameter($0, $1)) })
        guard case .integer(let id)? = summary["run_id"] else { return }
        indexByID[id] = runs.count
        runs.append(
            SweepResults.Run(
                overview: RunOverview(runID: id, summary: summary, parameters: [:]), epochs: [],
                stepsPerEpoch: nil, testSampleCount: nil, testClassCount: nil))
    }

    mutating func addParameter(runID: Int64, key: String, value: SQLValue) {
        guard let index = indexByID[runID] else { return }
        runs[index].overview.parameters[key] = ConfigurationCoding.shownParameter(key, value)
    }

    /// `epoch` is decoded only for a known run.
    mutating func addEpoch(runID: Int64, _ epoch: () -> EpochRecord) {
        if let index = indexByID[runID] { runs[index].epochs.append(epoch()) }
    }

    /// One row per test evaluation in id order (or one with NULLs for a run without any): the latest one's figures win.
    mutating func addTest(runID: Int64, stepsPerEpoch: Int?, sampleCount: Int?, classCount: Int?) {
        guard let index = indexByID[runID] else { return }
        runs[index].stepsPerEpoch = stepsPerEpoch
        if let sampleCount { runs[index].testSampleCount = sampleCount }
        if let classCount { runs[index].testClassCount = classCount }
    }
}
