import Foundation
import Store

/// Writes rows as CSV or JSON (same text as `CSVWriter`/`JSONWriter`) incrementally to a file handle, buffering
/// about 1 MB at a time: for exports too large to hold in memory.
public final class StreamingTableWriter {
    public enum Format: String, Sendable, CaseIterable { case csv, json }

    private let handle: FileHandle
    private let format: Format
    private var buffer = ""
    private var columns: [String] = []
    private var keys: [String] = []
    private var rowCount = 0

    public init(handle: FileHandle, format: Format) {
        self.handle = handle
        self.format = format
    }

    public func header(_ columns: [String]) {
        self.columns = columns
        keys = columns.map(JSONWriter.quote)
        if format == .csv { buffer += columns.map(CSVWriter.quote).joined(separator: ",") + "\n" }
    }

    public func row(_ values: [SQLValue]) throws {
        switch format {
        case .csv:
            for (index, value) in values.enumerated() {
                if index > 0 { buffer.append(",") }
                switch value {
                case .null: break
                case .integer(let integer): buffer.append(String(integer))
                case .real(let real): buffer.append(CellText.exactReal(real))
                default: buffer.append(CSVWriter.quote(CellText.exact(value)))
                }
            }
            buffer.append("\n")
        case .json:
            buffer += (rowCount == 0 ? "[\n" : ",\n") + "  {"
                + zip(keys, values).map { "\($0): \(JSONWriter.value($1))" }.joined(separator: ", ") + "}"
        }
        rowCount += 1
        if buffer.utf8.count > 1 << 20 { try flush() }
    }

    /// Writes what is left (and closes the JSON array); returns the number of rows written.
    @discardableResult
    public func finish() throws -> Int {
        if format == .json { buffer += rowCount == 0 ? "[]\n" : "\n]\n" }
        try flush()
        return rowCount
    }

    private func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The long-format tables of `logbook export` (one row per observation, with the run's key hyperparameters).
public enum ExportQuery {
    public enum What: String, Sendable, CaseIterable { case runs, iterations, epochs }

    static let runColumns = "r.id AS run_id, r.trial_index, r.seed, r.batch_size, r.learning_rate AS base_learning_rate, r.initializer"

    /// SQL and bindings for `what` over the runs of `sweepID`. Runs: every `run_summary` column plus each
    /// hyperparameter key not already a column (bound in a correlated subquery).
    public static func sql(_ what: What, sweepID: Int64, parameterKeys: [String]) -> (String, [SQLValue]) {
        switch what {
        case .runs:
            let extra = FilterFields.runSummary(parameterKeys: parameterKeys).parameterKeys
            var sql = "SELECT s.*"
            var bindings: [SQLValue] = []
            for key in extra {
                sql += ", (SELECT p.value FROM params AS p WHERE p.run_id = s.run_id AND p.key = ?) AS \"\(key.replacingOccurrences(of: "\"", with: "\"\""))\""
                bindings.append(.text(key))
            }
            return (sql + " FROM run_summary AS s WHERE s.sweep_id = ? ORDER BY s.run_id", bindings + [.integer(sweepID)])
        case .iterations:
            return (
                """
                SELECT \(runColumns), i.step, (i.step - 1) / r.steps_per_epoch + 1 AS epoch, i.loss,
                       COALESCE(i.learning_rate, r.learning_rate) AS learning_rate
                FROM runs AS r JOIN iterations AS i ON i.run_id = r.id
                WHERE r.sweep_id = ? ORDER BY r.id, i.step
                """, [.integer(sweepID)]
            )
        case .epochs:
            return (
                """
                SELECT \(runColumns), e.epoch, e.step, e.train_loss, e.train_accuracy, e.validation_loss,
                       e.validation_accuracy, e.learning_rate, e.seconds, e.samples_per_second
                FROM runs AS r JOIN epochs AS e ON e.run_id = r.id
                WHERE r.sweep_id = ? ORDER BY r.id, e.epoch
                """, [.integer(sweepID)]
            )
        }
    }
}
