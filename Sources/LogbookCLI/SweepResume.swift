import ArgumentParser
import Foundation
import Report
import Store
import Sweep

/// `logbook sweep resume ID`: re-queue interrupted and abandoned trials, then finish the sweep.
struct SweepResume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Re-queue a sweep's interrupted and abandoned trials and run the rest.",
        discussion: """
            A trial is abandoned when it is 'running' but its heartbeat is older than --stale-after seconds or its \
            worker process (on this host) no longer exists. A re-queued attempt keeps every row it committed and \
            stays in the sweep as an 'interrupted' run (its retry's parent); a new pending trial with the same \
            configuration and seed takes its place, so each trial completes exactly once.
            """)

    @Argument(help: "The sweep id (see `logbook sweeps`).")
    var sweepID: Int64
    @Option(name: .customLong("stale-after"), help: "Seconds without heartbeat after which a running trial is re-queued.")
    var staleAfter: Double = Heartbeat.staleAfter
    @OptionGroup var execution: SweepExecutionOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard staleAfter > 0 else { throw ValidationError("invalid --stale-after \(staleAfter): must be > 0") }
    }

    func run() throws {
        let store = try self.store.open()
        let sweep = try store.sweep(id: sweepID)
        print(SweepProgressText.progressLine(sweep))
        fflushStandardOutput()
        let display = SweepDisplay(store: store, sweepID: sweepID, live: !self.execution.quiet && SweepDisplay.isTerminal)
        var execution = SweepExecution(
            store: store, sweepID: sweepID, workerCount: self.execution.workers, refreshProgress: display.refresh)
        execution.staleAfter = staleAfter
        let result = try execution.execute()
        if !result.requeued.isEmpty { print("re-queued \(result.requeued.count) trial(s)") }
        print(try SweepDisplay.summary(result, store: store, databasePath: self.store.path))
        fflushStandardOutput()
        if result.interrupted { Foundation.exit(130) }  // 128 + SIGINT, like a shell; nothing more to print
        for failure in result.workerFailures { FileHandle.standardError.write(Data("warning: \(failure)\n".utf8)) }
        if let failure = result.workerFailures.first, result.sweep.finishedTrials < result.sweep.plannedTrials {
            throw SweepError("\(failure); the sweep is unfinished: resume it with `logbook sweep resume \(sweepID)`")
        }
    }
}
