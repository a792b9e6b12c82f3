import Foundation
import Store

/// One configuration of a sweep: the completed runs that share every swept value (seeds pooled), with the mean ±
/// sample standard deviation of the sweep's metric over them.
public struct RankedConfiguration: Sendable {
    /// The swept values, in `sweptKeys` order.
    public var values: [SQLValue]
    /// `batch_size=16, learning_rate=0.1` (values as tables show them), or `all runs` when nothing was swept.
    public var label: String
    /// In trial order.
    public var runs: [SweepReportData.Run]
    public var metric: MeanAndDeviation
}

extension SweepReportData {
    /// The ranking of the sweep, shared by the leaderboard and the report: completed runs with a finite metric,
    /// grouped by their exact swept values, best mean first (`metric_goal`); configurations with equal means keep
    /// the order of their first trial.
    public var rankedConfigurations: [RankedConfiguration] {
        let completed = runs.filter { $0.status == "completed" && metric($0).isFinite }
        let inTrialOrder = completed.enumerated().sorted { a, b in
            let (x, y) = (a.element.trialIndex ?? Int.max, b.element.trialIndex ?? Int.max)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        var groups: [[SQLValue]: [Run]] = [:]
        var order: [[SQLValue]] = []
        for run in inTrialOrder {
            let values = sweptKeys.map { run.value($0) }
            if groups[values] == nil { order.append(values) }
            groups[values, default: []].append(run)
        }
        let configurations = order.map { values in
            RankedConfiguration(
                values: values, label: configurationLabel(groups[values]![0]), runs: groups[values]!,
                metric: MeanAndDeviation(groups[values]!.map(metric)))
        }
        // Sorted by mean with the position as tie-break, so that equal means keep their order.
        return configurations.enumerated().sorted { a, b in
            let (x, y) = (a.element.metric.mean, b.element.metric.mean)
            if x != y { return maximize ? x > y : x < y }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension SweepReportData.Run {
    /// The run's position in its sweep (`trial_index`).
    public var trialIndex: Int? { summary["trial_index"]?.double.map { Int($0) } }
}
