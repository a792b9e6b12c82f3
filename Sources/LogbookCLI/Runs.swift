import ArgumentParser
import Foundation
import Report
import Store

/// `logbook runs`: lists runs from `run_summary`, filtered, sorted and projected.
struct Runs: ParsableCommandWithOutput {
    static let configuration = CommandConfiguration(
        abstract: "List runs: filter with --where, sort, choose columns and a format.",
        discussion: """
            The filter language: comparisons (= != <> < <= > >=), `in (…)`, `not in (…)`, `like '…%'`, `is \
            [not] null`, combined with and / or / not and parentheses (not binds tighter than and, and tighter \
            than or). Text values in single quotes ('it''s' for a quote). Fields: the run_summary columns and \
            every hyperparameter key of the params table. Values are always bound as SQL parameters.

            Example: logbook runs --where "batch_size >= 64 and initializer = 'he-uniform' and test_accuracy > 0.9" --sort -test_accuracy --limit 10
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only runs of this sweep.")
    var sweep: Int64?
    @Option(help: "Only runs with this status (repeatable or comma-separated): \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
    var status: [String] = []
    @Option(name: .customLong("where"), help: "A filter, e.g. \"batch_size >= 64 and test_accuracy > 0.9\".")
    var filter: String?
    @Option(
        parsing: .unconditionalSingleValue,
        help: "Sort key, '-' prefix for descending (repeatable or comma-separated), e.g. -test_accuracy.")
    var sort: [String] = []
    @Option(parsing: .unconditional, help: "Show at most this many runs.")
    var limit: Int?
    @Option(help: "Columns to show, comma-separated (run_summary columns or hyperparameter keys).")
    var columns: [String] = []

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("invalid --limit \(limit): must be 0 or more") }
        let known = Set(RunStatus.allCases.map(\.rawValue))
        for value in QuerySupport.splitList(status) where !known.contains(value) {
            throw ValidationError("invalid --status '\(value)': expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for key in QuerySupport.splitList(sort) {
            do { _ = try SortKey(parsing: key) } catch let error as FilterError {
                throw ValidationError(error.refusingSort(key))
            }
        }
        if let filter {
            do { _ = try FilterLanguage.parse(filter) } catch let error as FilterError {
                throw ValidationError(error.refusingWhere(filter))
            }
        }
    }

    /// The query this invocation asks for.
    func query() throws -> RunQuery {
        RunQuery(
            sweepID: sweep, statuses: QuerySupport.splitList(status), filter: filter,
            sort: try QuerySupport.splitList(sort).map(SortKey.init(parsing:)), limit: limit,
            columns: columns.isEmpty ? nil : QuerySupport.splitList(columns))
    }

    /// The rendered output (what `run` prints).
    func output(colour: Bool? = nil) throws -> String {
        let store = try QuerySupport.openReadOnly(self.store)
        let table = try store.runSummaries(try query())
        return output.format.render(table, colour: colour ?? output.colour)
    }

    func run() throws { Console.write(try output()) }
}
