import ArgumentParser
import Foundation
import Report
import Store

/// `logbook metrics RUN [--kind iteration|epoch] [--points N]`.
struct Metrics: ParsableCommandWithOutput {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case iteration, epoch }

    static let configuration = CommandConfiguration(
        abstract: "A run's loss series (per iteration or per epoch), optionally downsampled.",
        discussion: """
            --points N splits the iterations into N buckets of equal step width and prints each bucket's first \
            and last step, count, and the min, max and mean loss — the envelope keeps the noise visible.

            Example: logbook metrics 12 --points 200 --format csv
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var runID: Int64
    @Option(help: "iteration or epoch.")
    var kind: Kind = .iteration
    @Option(help: "Downsample iterations to at most this many buckets.")
    var points: Int?

    func validate() throws {
        if runID < 1 { throw ValidationError("invalid run id \(runID): run ids start at 1") }
        if let points, points < 1 { throw ValidationError("invalid --points \(points): must be at least 1") }
        if points != nil && kind == .epoch { throw ValidationError("invalid --points with --kind epoch: epochs are not downsampled") }
    }

    func table(_ store: any StoreQueries) throws -> ResultTable {
        switch (kind, points) {
        case (.epoch, _): return ResultTable(epochs: try store.epochs(run: runID))
        case (.iteration, nil): return ResultTable(iterations: try store.iterationLog(run: runID))
        case (.iteration, let points?): return ResultTable(lossBuckets: try store.downsampledLosses(run: runID, points: points))
        }
    }

    func output(colour: Bool? = nil) throws -> String {
        let store = try QuerySupport.openReadOnly(self.store)
        return output.format.render(try table(store), colour: colour ?? output.colour)
    }

    func run() throws { Console.write(try output()) }
}
