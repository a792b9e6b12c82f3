import ArgumentParser
import Foundation
import Store
import Sweep

/// `logbook worker --db PATH --sweep ID`: claim, train and record a sweep's pending trials until none is left.
struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join a sweep: claim, train and record its pending trials until none is left.",
        discussion: """
            `sweep run --workers N` starts N of these; more can join a running sweep by hand, from another shell on the \
            same machine (SQLite needs a local file). SIGINT/SIGTERM stop it gracefully: the current trial is marked \
            interrupted (resumable). Prints one JSON line at the end: {"worker":…,"claimed":[run ids],…}.
            """)

    @Option(name: .customLong("sweep"), help: "The sweep id.")
    var sweepID: Int64
    @Option(name: .customLong("worker-id"), help: "A label for this worker (its id is LABEL#PID).")
    var label: String = "w"
    @Option(name: .customLong("parent-pid"), help: .hidden)
    var parentPID: Int32?
    @Flag(help: "No line per trial.")
    var quiet = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let store = try self.store.open()
        let sweep = try store.sweep(id: sweepID)
        let stop = StopFlag()
        stop.catchSignals()
        let parentPID = self.parentPID
        let quiet = self.quiet
        let workerID = WorkerIdentity.make(label: label)
        let search = try SweepWorker.search(of: sweep)
        var worker = SweepWorker(
            store: store, sweepID: sweepID, workerID: workerID, train: EngineTrialTraining.train(
                pruning: search.pruning, dataHashes: SweepDataHashes.stored(json: sweep.specJSON)),
            shouldStop: { stop.isRaised || (parentPID != nil && getppid() != parentPID!) },
            onTrialEnd: { trial, outcome in
                guard !quiet else { return }
                var line = "\(workerID): trial \(trial.trialIndex) (run \(trial.runID)) \(outcome.status.rawValue)"
                if case .failed(let message) = outcome { line += ": \(message)" }
                print(line)
                fflush(nil)
            })
        worker.onDemand = search.onDemand
        let summary = try worker.run()
        let outcomes = summary.outcomes.keys.sorted { $0.rawValue < $1.rawValue }
            .map { "\"\($0.rawValue)\":\(summary.outcomes[$0]!)" }.joined(separator: ",")
        print("{\"worker\":\"\(workerID)\",\"sweep\":\(sweep.id),\"claimed\":[\(summary.claimedRunIDs.map(String.init).joined(separator: ","))],\"outcomes\":{\(outcomes)},\"stopped_early\":\(summary.stoppedEarly)}")
        fflush(nil)
    }
}
