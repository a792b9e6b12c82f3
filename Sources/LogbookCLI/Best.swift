import ArgumentParser
import Foundation
import Report
import Store

/// `logbook best --sweep ID [--metric M] [--goal max|min]`.
struct Best: ParsableCommandWithOutput {
    enum Goal: String, ExpressibleByArgument, CaseIterable { case max, min }

    static let configuration = CommandConfiguration(
        abstract: "The best completed run(s) of a sweep by a metric.",
        discussion: """
            Without --metric, the sweep's own metric chooses (validation_accuracy or validation_loss by default) and \
            the test figure is shown beside it, reported and never used to choose. A sweep none of whose runs \
            recorded its validation metric (no validation split) is ranked by \
            the test figure instead, with a note on standard error.

              logbook best --sweep 1 --top 3
              logbook best --sweep 1 --metric test_accuracy --goal max --top 3
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var selected: SweepOption
    @Option(help: "The metric (default: the sweep's metric).")
    var metric: String?
    @Option(help: "max or min (default: the sweep's goal).")
    var goal: Goal?
    @Option(help: "How many runs to show.")
    var top: Int = 1

    var sweep: Int64 { selected.sweep }

    func validate() throws {
        if top < 1 { throw ValidationError("invalid --top \(top): must be at least 1") }
    }

    func output(colour: Bool? = nil) throws -> String {
        let store = try QuerySupport.openReadOnly(self.store)
        let sweepRecord = try store.sweep(id: sweep)
        let metricName = try metric ?? QuerySupport.sweepMetric(sweepRecord, store: store)
        let descending = (goal ?? (sweepRecord.metricGoal == "minimize" ? .min : .max)) == .max
        // The measured figure beside the one that chose: the test counterpart of a validation (or train) metric.
        let measured = metric == nil ? SweepChoice(chosenBy: metricName).measuredBy : nil
        var columns = RunQuery.defaultColumns.filter { $0 != metricName && $0 != measured }
        columns.insert(contentsOf: [metricName] + (measured.map { [$0] } ?? []), at: 3)
        let query = RunQuery(
            sweepID: sweep, statuses: ["completed"], filter: "\(metricName) is not null",
            sort: [SortKey(field: metricName, descending: descending)], limit: top, columns: columns)
        let table = try store.runSummaries(query)
        if table.rows.isEmpty { throw ValidationError("no completed run of sweep \(sweep) has a value for \(metricName)") }
        return output.format.render(table, colour: colour ?? output.colour)
    }

    func run() throws { Console.write(try output()) }
}
