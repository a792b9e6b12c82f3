import Foundation
import Store

/// `logbook compare RUN RUN …`: runs side by side.
///
/// Rows: every hyperparameter (the union of the runs' `params` keys, sorted), then the outcome metrics. Columns:
/// `differs` (`*` when the runs disagree on that row), `field`, one column per run (`run N`), and `delta` =
/// last run − first run for numeric metric rows. Differing hyperparameter rows are highlighted.
public enum RunComparison {
    public static let metrics = [
        "status", "stop_reason", "epochs_completed", "steps_completed", "train_loss", "train_accuracy",
        "validation_loss", "validation_accuracy", "test_loss", "test_accuracy", "duration",
    ]

    public static func table(_ runIDs: [Int64], store: any StoreQueries) throws -> ResultTable {
        var parameters: [[String: SQLValue]] = []
        var outcomes: [[String: SQLValue]] = []
        for runID in runIDs {
            let overview = try store.runOverview(id: runID)
            var byKey = overview.parameters
            for key in ["model", "dataset"] where byKey[key] == nil { byKey[key] = overview.summary[key] ?? .null }
            parameters.append(byKey)
            outcomes.append(overview.summary)
        }
        var rows: [[SQLValue]] = []
        var highlighted = Set<Int>()
        let keys = Set(parameters.flatMap(\.keys)).sorted()
        for key in keys {
            let values = parameters.map { $0[key] ?? .null }
            let differs = Set(values).count > 1
            if differs { highlighted.insert(rows.count) }
            rows.append([.text(differs ? "*" : ""), .text(key)] + values + [.null])
        }
        for metric in metrics {
            let values = outcomes.map { $0[metric] ?? .null }
            var delta = SQLValue.null
            if values.count > 1, let first = values.first?.double, let last = values.last?.double {
                delta = .real(last - first)
            }
            rows.append([.text(Set(values).count > 1 ? "*" : ""), .text(metric)] + values + [delta])
        }
        let columns = ["differs", "field"] + runIDs.map { "run \($0)" } + ["delta"]
        return ResultTable(columns: columns, rows: rows, highlightedRows: highlighted)
    }
}

/// `logbook compare --sweep ID --by F [--by G]`: the sweep's metric grouped by one or two fields, each cell the
/// mean ± sample standard deviation over the runs in it (seeds and every other parameter pooled), with n.
public enum SweepPivot {
    /// Completed runs of the sweep only. Fields and the metric are checked against the run whitelist.
    public static func table(sweepID: Int64, by fields: [String], metric: String, store: any LogbookStoring) throws -> ResultTable {
        precondition((1...2).contains(fields.count))
        let drawn = SweptParameters.specDistributions(try store.sweep(id: sweepID).specJSON)
        // In trial order (the order of the sweep's plan), so that sums over a group add up in a fixed order.
        let data = try store.runSummaries(
            RunQuery(
                sweepID: sweepID, statuses: [RunStatus.completed.rawValue],
                sort: [SortKey(field: "trial_index", descending: false), SortKey(field: "run_id", descending: false)],
                columns: fields + [metric]))
        // A field the spec draws per trial (more than 10 distinct numbers) is grouped in equal-count bins, as the
        // report groups it.
        let (rowLabels, rowValues) = ValueBins.groups(data.rows.map { $0[0] }, drawn: drawn[fields[0]] != nil)
        let metricValues = data.rows.map { $0[fields.count].double }
        if fields.count == 1 {
            let rows = rowValues.map { value -> [SQLValue] in
                let stats = MeanAndDeviation(rowLabels.indices.filter { rowLabels[$0] == value }.compactMap { metricValues[$0] })
                return [value, stats.count > 0 ? .real(stats.mean) : .null, stats.count > 1 ? .real(stats.standardDeviation) : .null, .integer(Int64(stats.count))]
            }
            return ResultTable(columns: [fields[0], "\(metric)_mean", "\(metric)_std", "n"], rows: rows)
        }
        let (columnLabels, columnValues) = ValueBins.groups(data.rows.map { $0[1] }, drawn: drawn[fields[1]] != nil)
        let rows = rowValues.map { rowValue -> [SQLValue] in
            [rowValue] + columnValues.map { columnValue -> SQLValue in
                let stats = MeanAndDeviation(
                    rowLabels.indices.filter { rowLabels[$0] == rowValue && columnLabels[$0] == columnValue }.compactMap { metricValues[$0] })
                return stats.count > 0 ? .text(stats.text) : .null
            }
        }
        return ResultTable(
            columns: ["\(fields[0]) \\ \(fields[1])"] + columnValues.map { "\(fields[1])=\($0.label)" }, rows: rows)
    }

    /// Distinct values, numbers ascending then text ascending.
    static func orderedDistinct(_ values: [SQLValue]) -> [SQLValue] {
        Array(Set(values)).sorted { a, b in
            switch (a.double, b.double) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.label < b.label
            }
        }
    }
}
