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

        /// The loss the run trained with: its `loss` hyperparameter, or when it had none (chosen automatically, as
        /// the engine does) cross-entropy for classification — a run with a confusion matrix or accuracies — and MSE
        /// for regression.
        public var lossName: String {
            if case .text(let name)? = parameters["loss"] { return name }
            let isClassification = classCount > 0 || epochs.contains { $0.trainAccuracy != nil }
            return isClassification ? "cross-entropy" : "mse"
        }
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
    /// The validation metric the sweep named when no completed run recorded it, so `metricName` is its test
    /// counterpart instead (`SweepChoice.rankingMetric`); nil otherwise.
    public var metricFallback: String?

    public var maximize: Bool { metricGoal != "minimize" }

    public static func load(sweepID: Int64, from store: any StoreQueries) throws -> SweepReportData {
        let results = try store.sweepResults(sweepID: sweepID)
        let runs = results.runs.map { run in
            Run(
                id: run.overview.runID, summary: run.overview.summary, parameters: run.overview.parameters,
                epochs: run.epochs.map { epoch in
                    Epoch(
                        epoch: epoch.epoch, step: epoch.step, trainLoss: epoch.trainLoss ?? .nan,
                        trainAccuracy: epoch.trainAccuracy, validationAccuracy: epoch.validationAccuracy,
                        seconds: epoch.seconds, samplesPerSecond: epoch.samplesPerSecond)
                },
                classCount: run.testClassCount ?? 0, stepsPerEpoch: run.stepsPerEpoch, testSampleCount: run.testSampleCount)
        }
        let sweep = results.sweep
        let swept = SweptParameters.keys(runParameters: runs.map(\.parameters), specJSON: sweep.specJSON)
        let completed = runs.filter { $0.status == "completed" }
        let ranking = SweepChoice.rankingMetric(sweep.metricName) { name in completed.contains { $0.value(name).double?.isFinite == true } }
        return SweepReportData(
            sweepID: sweepID, name: sweep.name, method: sweep.method, metricName: ranking.name,
            metricGoal: sweep.metricGoal, spec: sweep.specJSON, runs: runs, sweptKeys: swept, metricFallback: ranking.fallbackFrom)
    }

    /// How chart titles and axes name the training loss of `runs`: `cross-entropy, nats`, `BCE, nats` or `MSE` (the
    /// unit of MSE is the square of the target's), or `loss` when the runs trained with different losses.
    public static func lossLabel(of runs: [Run]) -> (name: String, unit: String?) {
        let names = Set(runs.map(\.lossName))
        guard names.count == 1, let name = names.first else { return ("loss", nil) }
        switch name {
        case "mse": return ("MSE", nil)
        case "bce": return ("BCE", "nats")
        case "cross-entropy": return ("cross-entropy", "nats")
        default: return (name, nil)
        }
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

    /// Completed runs grouped by the value of `key`, values in natural order (numbers ascending). A parameter the
    /// spec draws from a distribution (random and TPE search: a value per trial) with more than
    /// `ValueBins.maximumDistinctValues` distinct values is grouped in `ValueBins.binCount` equal-count bins by rank
    /// (equal values together), each labelled with its range (`0.001005–0.01234`), in ascending order: a chart of 40
    /// bars of one run each shows nothing. Grid values stay groups of their own.
    public func groups(by key: String) -> [(value: SQLValue, runs: [Run])] {
        let completed = runs.filter { $0.status == "completed" }
        let (labels, order) = ValueBins.groups(completed.map { $0.value(key) }, drawn: isDrawn(key))
        var members: [SQLValue: [Run]] = [:]
        for (run, label) in zip(completed, labels) { members[label, default: []].append(run) }
        return order.map { label in (value: label, runs: members[label] ?? []) }
    }

    /// Whether `groups(by: key)` bins the values of `key`.
    public func isBinned(_ key: String) -> Bool {
        ValueBins.isBinned(runs.filter { $0.status == "completed" }.map { $0.value(key) }, drawn: isDrawn(key))
    }

    /// Whether the spec draws `key` from a distribution.
    func isDrawn(_ key: String) -> Bool { SweptParameters.specDistributions(spec)[key] != nil }
}
