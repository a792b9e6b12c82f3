import Foundation
import Store

/// Everything a sweep report needs from the store except the iteration curves, read in a handful of queries
/// (one per table, never one per run).
public struct SweepReportData: Sendable {
    public struct Run: Sendable {
        public var id: Int64
        /// The `run_summary` row by column.
        public var summary: [String: SQLValue]
        /// Every hyperparameter by key.
        public var parameters: [String: SQLValue]
        public var epochs: [Epoch]
        /// From the test confusion matrix (its size), else 0.
        public var classCount: Int
        public var stepsPerEpoch: Int?
        public var testSampleCount: Int?

        public func value(_ field: String) -> SQLValue { summary[field] ?? parameters[field] ?? .null }
        public var status: String { summary["status"]?.label ?? "" }
    }

    public struct Epoch: Sendable {
        public var epoch: Int
        public var step: Int
        public var trainLoss: Double
        public var trainAccuracy: Double?
        public var validationAccuracy: Double?
        public var seconds: Double
        public var samplesPerSecond: Double
    }

    public var sweepID: Int64
    public var name: String
    public var method: String
    public var metricName: String
    /// `maximize` or `minimize`.
    public var metricGoal: String
    public var spec: String
    public var runs: [Run]
    /// The swept hyperparameters (`SweptParameters`: values differ between the runs, seed excluded; spec order).
    public var sweptKeys: [String]

    public var maximize: Bool { metricGoal != "minimize" }

    public static func load(sweepID: Int64, from store: LogbookStore) throws -> SweepReportData {
        let sweeps = try store.table("SELECT name, method, metric_name, metric_goal, spec FROM sweeps WHERE id = ?", [.integer(sweepID)])
        guard let sweep = sweeps.rows.first else { throw StoreError("no sweep with id \(sweepID)") }
        let summaries = try store.table("SELECT * FROM run_summary WHERE sweep_id = ? ORDER BY run_id", [.integer(sweepID)])
        var runs: [Run] = []
        var indexByID: [Int64: Int] = [:]
        for row in summaries.rows {
            let summary = Dictionary(uniqueKeysWithValues: zip(summaries.columns, row))
            guard case .integer(let id)? = summary["run_id"] else { continue }
            indexByID[id] = runs.count
            runs.append(Run(id: id, summary: summary, parameters: [:], epochs: [], classCount: 0))
        }
        try store.streamRows(
            "SELECT p.run_id, p.key, p.value FROM params AS p JOIN runs AS r ON r.id = p.run_id WHERE r.sweep_id = ?",
            [.integer(sweepID)], header: { _ in }
        ) { row in
            if case .integer(let id) = row[0], let index = indexByID[id] { runs[index].parameters[row[1].label] = row[2] }
        }
        try store.streamRows(
            """
            SELECT e.run_id, e.epoch, e.step, e.train_loss, e.train_accuracy, e.validation_accuracy, e.seconds, e.samples_per_second
            FROM epochs AS e JOIN runs AS r ON r.id = e.run_id WHERE r.sweep_id = ? ORDER BY e.run_id, e.epoch
            """, [.integer(sweepID)], header: { _ in }
        ) { row in
            guard case .integer(let id) = row[0], let index = indexByID[id] else { return }
            runs[index].epochs.append(
                Epoch(
                    epoch: Int(row[1].double ?? 0), step: Int(row[2].double ?? 0), trainLoss: row[3].double ?? .nan,
                    trainAccuracy: row[4].double, validationAccuracy: row[5].double, seconds: row[6].double ?? 0,
                    samplesPerSecond: row[7].double ?? 0))
        }
        try store.streamRows(
            """
            SELECT r.id, r.steps_per_epoch, e.sample_count, json_array_length(e.confusion)
            FROM runs AS r LEFT JOIN evaluations AS e ON e.run_id = r.id AND e.split = 'test'
            WHERE r.sweep_id = ? ORDER BY r.id, e.id
            """, [.integer(sweepID)], header: { _ in }
        ) { row in
            guard case .integer(let id) = row[0], let index = indexByID[id] else { return }
            runs[index].stepsPerEpoch = row[1].double.map { Int($0) }
            if let count = row[2].double { runs[index].testSampleCount = Int(count) }
            if let classes = row[3].double { runs[index].classCount = Int(classes) }
        }
        let swept = SweptParameters.keys(runParameters: runs.map(\.parameters), specJSON: sweep[4].label)
        return SweepReportData(
            sweepID: sweepID, name: sweep[0].label, method: sweep[1].label, metricName: sweep[2].label,
            metricGoal: sweep[3].label, spec: sweep[4].label, runs: runs, sweptKeys: swept)
    }

    /// A run's metric value (NaN when missing).
    public func metric(_ run: Run) -> Double { run.value(metricName).double ?? .nan }

    /// Completed runs with a metric, best first.
    public var ranked: [Run] {
        runs.filter { $0.status == "completed" && metric($0).isFinite }.sorted {
            maximize ? metric($0) > metric($1) : metric($0) < metric($1)
        }
    }

    /// `batch_size=16, learning_rate=0.1` — the run's swept values (its configuration, seeds pooled).
    public func configurationLabel(_ run: Run) -> String {
        sweptKeys.isEmpty ? "all runs" : sweptKeys.map { "\($0)=\(run.value($0).label)" }.joined(separator: ", ")
    }

    /// Completed runs grouped by configuration, best configuration (by mean metric) first (`rankedConfigurations`).
    public var configurations: [(label: String, runs: [Run], metric: MeanAndDeviation)] {
        rankedConfigurations.map { ($0.label, $0.runs, $0.metric) }
    }

    /// Completed runs grouped by the value of `key`, values in natural order (numbers ascending).
    public func groups(by key: String) -> [(value: SQLValue, runs: [Run])] {
        let completed = runs.filter { $0.status == "completed" }
        let values = SweepPivot.orderedDistinct(completed.map { $0.value(key) })
        return values.map { value in (value: value, runs: completed.filter { $0.value(key) == value }) }
    }
}
