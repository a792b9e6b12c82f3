import ArgumentParser
import Foundation
import Report
import Store

/// `logbook compare RUN RUN …` and `logbook compare --sweep ID --by F [--by G]`.
struct Compare: ParsableCommandWithOutput {
    static let configuration = CommandConfiguration(
        abstract: "Compare runs side by side, or pivot a sweep's metric by one or two hyperparameters.",
        discussion: """
            With run ids: every hyperparameter and outcome side by side; rows that differ are marked '*' (and \
            highlighted on a terminal); delta = last run − first run.

            With --sweep and --by: the metric's mean ± std (n) over the completed runs of each group — seeds \
            and the other parameters pooled. A parameter the spec draws from a distribution (random or TPE \
            search) with more than 10 distinct values is grouped in 4 equal-count bins, labelled by their range.

            Examples: logbook compare 3 7 12
                      logbook compare --sweep 1 --by batch_size --by learning_rate
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Run ids to compare (two or more).", valueName: "run"))
    var runIDs: [Int64] = []
    @Option(help: "Pivot this sweep instead of comparing runs.")
    var sweep: Int64?
    @Option(help: "Group by this field (once or twice; with --sweep).")
    var by: [String] = []
    @Option(help: "The metric to pivot (default: the sweep's metric).")
    var metric: String?

    func validate() throws {
        if let sweep {
            if !runIDs.isEmpty { throw ValidationError("invalid arguments \(runIDs.map(String.init).joined(separator: " ")): give run ids or --sweep, not both") }
            if by.isEmpty || by.count > 2 { throw ValidationError("invalid --by count \(by.count): give --by once or twice with --sweep \(sweep)") }
        } else {
            if runIDs.count < 2 { throw ValidationError("invalid run list '\(runIDs.map(String.init).joined(separator: " "))': give two or more run ids, or --sweep ID --by FIELD") }
            if !by.isEmpty || metric != nil { throw ValidationError("invalid --by/--metric without --sweep: they only apply to a sweep pivot") }
        }
        for id in runIDs where id < 1 { throw ValidationError("invalid run id \(id): run ids start at 1") }
    }

    func output(colour: Bool? = nil) throws -> String {
        let store = try QuerySupport.openReadOnly(self.store)
        let table: ResultTable
        if let sweep {
            let metricName = try metric ?? QuerySupport.sweepMetric(store.sweep(id: sweep), store: store)
            table = try SweepPivot.table(sweepID: sweep, by: by, metric: metricName, store: store)
        } else {
            table = try RunComparison.table(runIDs, store: store)
        }
        return output.format.render(table, colour: colour ?? output.colour)
    }

    func run() throws { Console.write(try output()) }
}
