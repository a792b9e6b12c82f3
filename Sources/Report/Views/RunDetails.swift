import Foundation
import Store

/// Everything `logbook show RUN` prints, read from the store in one go.
public struct RunDetails: Sendable {
    /// The run, its hyperparameters (sorted by key), epochs and latest test evaluation.
    public var detail: RunDetail
    /// The loss curve in at most `sparklinePoints` bucket means.
    public var lossBuckets: [SeriesBucket]

    public static func load(_ runID: Int64, from store: any StoreQueries, sparklinePoints: Int = 60) throws -> RunDetails {
        RunDetails(
            detail: try store.runDetail(id: runID),
            lossBuckets: try store.downsampledLosses(run: runID, points: sparklinePoints))
    }

    /// The run's fields as `logbook show` names them (the `runs` columns).
    var fields: [String: SQLValue] {
        let run = detail.run
        var fields: [String: SQLValue] = ["id": .integer(run.id), "name": .text(run.name), "model": .text(run.model)]
        fields["status"] = .text(run.status.rawValue)
        fields["dataset"] = .text(run.dataset)
        fields["epochs"] = .integer(Int64(run.configuration.epochs))
        fields["sweep_id"] = .integer(orNull: run.sweepID)
        fields["stop_reason"] = .text(orNull: run.stopReason)
        fields["error"] = .text(orNull: run.error)
        let integers: [(String, Int?)] = [
            ("trial_index", run.trialIndex), ("parameter_count", run.parameterCount), ("train_size", run.trainSize),
            ("validation_size", run.validationSize), ("test_size", run.testSize),
            ("epochs_completed", run.epochsCompleted), ("steps_completed", run.stepsCompleted),
            ("steps_per_epoch", run.stepsPerEpoch),
        ]
        for (name, value) in integers { fields[name] = .integer(orNull: value) }
        let reals: [(String, Double?)] = [("started_at", run.startedAt), ("ended_at", run.endedAt), ("duration", run.duration)]
        for (name, value) in reals { fields[name] = .real(orNull: value) }
        return fields
    }

    /// The test evaluation's figures by name, NULL where absent.
    var testFigures: [String: SQLValue]? {
        detail.test.map { test in
            [
                "epoch": .integer(Int64(test.epoch)), "sample_count": .integer(Int64(test.sampleCount)),
                "loss": .real(orNull: test.loss), "accuracy": .real(orNull: test.accuracy),
                "mean_squared_error": .real(orNull: test.meanSquaredError),
                "mean_absolute_error": .real(orNull: test.meanAbsoluteError), "r_squared": .real(orNull: test.rSquared),
            ]
        }
    }

    /// The text of `logbook show`.
    public func render(colour: Bool = false) -> String {
        let run = fields
        let parameters = detail.parameters
        let epochs = ResultTable(epochs: detail.epochs)
        func value(_ name: String) -> String { run[name].map(CellText.human) ?? "" }
        func time(_ name: String) -> String {
            guard let seconds = run[name]?.double else { return "—" }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.string(from: Date(timeIntervalSince1970: seconds))
        }
        var lines: [String] = []
        var title = "run \(value("id"))  \(value("name"))"
        if !value("sweep_id").isEmpty { title += "  (sweep \(value("sweep_id")), trial \(value("trial_index")))" }
        lines.append(colour ? "\u{1B}[1m\(title)\u{1B}[0m" : title)
        var status = "status:    \(value("status"))"
        if !value("stop_reason").isEmpty { status += " (\(value("stop_reason")))" }
        if !value("error").isEmpty { status += ": \(value("error"))" }
        lines.append(status)
        lines.append("model:     \(value("model")), \(value("parameter_count")) parameters")
        lines.append(
            "data:      \(value("dataset")) (train \(value("train_size")), validation \(value("validation_size")), test \(value("test_size")))")
        lines.append("timing:    started \(time("started_at")), ended \(time("ended_at")), duration \(value("duration")) s")
        lines.append(
            "progress:  \(value("epochs_completed"))/\(value("epochs")) epochs, \(value("steps_completed")) steps (\(value("steps_per_epoch")) per epoch)")
        lines.append("")
        lines.append("configuration:")
        lines.append(contentsOf: wrap(parameters.map { "\($0.key)=\(CellText.human($0.value))" }, width: 100, indent: "  "))
        lines.append("")
        lines.append("epochs:")
        lines.append(contentsOf: indent(TextTableRenderer().render(epochs.droppingEmptyColumns())))
        if let test = testFigures {
            lines.append("")
            func figure(_ name: String) -> String? {
                guard let value = test[name], value != .null else { return nil }
                return "\(name == "r_squared" ? "R²" : name.replacingOccurrences(of: "_", with: " ")) \(CellText.human(value))"
            }
            let figures = ["loss", "accuracy", "mean_squared_error", "mean_absolute_error", "r_squared"].compactMap(figure)
            lines.append(
                "test:      \(figures.joined(separator: ", ")) on \(test["sample_count"].map(CellText.human) ?? "?") samples (epoch \(test["epoch"].map(CellText.human) ?? "?"))")
            if let counts = detail.test?.confusion, let matrix = ConfusionMatrix(counts: counts) {
                lines.append("confusion matrix (rows: actual class, columns: predicted class):")
                lines.append(contentsOf: indent(TextTableRenderer().render(matrix.table)))
            }
        }
        if !lossBuckets.isEmpty {
            let means = lossBuckets.map(\.mean)
            lines.append("")
            lines.append(
                "loss:      \(sparkline(means))  \(CellText.formatReal(means.first!)) → \(CellText.formatReal(means.last!)) over \(lossBuckets.last!.lastStep) steps")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func indent(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "  " + $0 }
    }

    private func wrap(_ items: [String], width: Int, indent: String) -> [String] {
        var lines: [String] = []
        var line = indent
        for item in items {
            if line.count + item.count + 2 > width && line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : "  ") + item
        }
        if line != indent { lines.append(line) }
        return lines
    }
}

/// A confusion matrix (`[[count]]`, rows actual, columns predicted).
public struct ConfusionMatrix: Sendable, Equatable {
    public var counts: [[Int]]

    /// Nil unless `counts` is square and not empty.
    public init?(counts: [[Int]]) {
        guard !counts.isEmpty, counts.allSatisfy({ $0.count == counts.count }) else { return nil }
        self.counts = counts
    }

    /// Columns `actual`, `0`, `1`, …, `recall`.
    public var table: ResultTable {
        let classes = counts.count
        let columns = ["actual"] + (0..<classes).map(String.init) + ["recall"]
        let rows = counts.enumerated().map { index, row -> [SQLValue] in
            let total = row.reduce(0, +)
            let recall: SQLValue = total > 0 ? .real(Double(row[index]) / Double(total)) : .null
            return [.integer(Int64(index))] + row.map { .integer(Int64($0)) } + [recall]
        }
        return ResultTable(columns: columns, rows: rows)
    }
}

extension ResultTable {
    /// The table without the columns whose every value is NULL (e.g. validation metrics of a run without a
    /// validation split).
    public func droppingEmptyColumns() -> ResultTable {
        let kept = columns.indices.filter { index in rows.contains { $0[index] != .null } }
        guard kept.count < columns.count, !rows.isEmpty else { return self }
        return ResultTable(columns: kept.map { columns[$0] }, rows: rows.map { row in kept.map { row[$0] } }, highlightedRows: highlightedRows)
    }
}
