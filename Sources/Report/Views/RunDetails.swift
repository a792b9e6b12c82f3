import Foundation
import Store

/// Everything `logbook show RUN` prints, read from the store in one go.
public struct RunDetails: Sendable {
    /// `runs` columns by name (the whole row).
    public var run: [String: SQLValue]
    /// Every hyperparameter, by key (from `params`), sorted by key.
    public var parameters: [(key: String, value: SQLValue)]
    public var epochs: ResultTable
    /// The latest test evaluation (loss, accuracy, sample_count, confusion JSON), if any.
    public var test: [String: SQLValue]?
    /// The loss curve in at most `sparklinePoints` bucket means.
    public var lossBuckets: [SeriesBucket]

    public static func load(_ runID: Int64, from store: LogbookStore, sparklinePoints: Int = 60) throws -> RunDetails {
        try store.requireRun(runID)
        let runTable = try store.table("SELECT * FROM runs WHERE id = ?", [.integer(runID)])
        let run = Dictionary(uniqueKeysWithValues: zip(runTable.columns, runTable.rows[0]))
        let params = try store.table("SELECT key, value FROM params WHERE run_id = ? ORDER BY key", [.integer(runID)])
        let epochs = try store.table(
            """
            SELECT epoch, step, train_loss, train_accuracy, validation_loss, validation_accuracy, learning_rate, seconds,
                   samples_per_second
            FROM epochs WHERE run_id = ? ORDER BY epoch
            """, [.integer(runID)])
        let tests = try store.table(
            "SELECT epoch, sample_count, loss, accuracy, confusion, mean_squared_error, mean_absolute_error, r_squared FROM evaluations WHERE run_id = ? AND split = 'test' ORDER BY epoch DESC, id DESC LIMIT 1",
            [.integer(runID)])
        let test = tests.rows.first.map { Dictionary(uniqueKeysWithValues: zip(tests.columns, $0)) }
        return RunDetails(
            run: run, parameters: params.rows.map { (key: $0[0].label, value: $0[1]) }, epochs: epochs, test: test,
            lossBuckets: try store.downsampledLosses(run: runID, points: sparklinePoints))
    }

    /// The text of `logbook show`.
    public func render(colour: Bool = false) -> String {
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
        if let test {
            lines.append("")
            func figure(_ name: String) -> String? {
                guard let value = test[name], value != .null else { return nil }
                return "\(name == "r_squared" ? "R²" : name.replacingOccurrences(of: "_", with: " ")) \(CellText.human(value))"
            }
            let figures = ["loss", "accuracy", "mean_squared_error", "mean_absolute_error", "r_squared"].compactMap(figure)
            lines.append(
                "test:      \(figures.joined(separator: ", ")) on \(test["sample_count"].map(CellText.human) ?? "?") samples (epoch \(test["epoch"].map(CellText.human) ?? "?"))")
            if case .text(let json)? = test["confusion"], let matrix = ConfusionMatrix(json: json) {
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

/// A confusion matrix read from its JSON (`[[count]]`, rows actual, columns predicted).
public struct ConfusionMatrix: Sendable, Equatable {
    public var counts: [[Int]]

    public init?(json: String) {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]] else { return nil }
        let counts = parsed.map { $0.compactMap { ($0 as? NSNumber)?.intValue } }
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
