import ArgumentParser
import Foundation
import Report
import Store
import Sweep

/// `logbook sweep status ID`: progress, running trials and the leaderboard of one sweep.
struct SweepStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show one sweep: progress, running trials and its leaderboard.")

    @Argument(help: "The sweep id (see `logbook sweeps`).")
    var sweepID: Int64
    @Option(help: "Rows of the leaderboard.")
    var top: Int = 10
    @OptionGroup var store: StoreOptions

    func run() throws {
        let store = try self.store.openReadOnly()
        let sweep = try store.sweep(id: sweepID)
        print(SweepProgressText.progressLine(sweep))
        print("method \(sweep.method), metric \(sweep.metricName) (\(sweep.metricGoal)), created \(Date(timeIntervalSince1970: sweep.createdAt))")
        let now = Date().timeIntervalSince1970
        for activity in try store.runningTrials(sweepID: sweepID) {
            var line = "  running: trial \(activity.trialIndex) on \(activity.worker)"
            if let step = activity.step { line += ", step \(step)" }
            if let epoch = activity.epoch { line += ", epoch \(epoch)/\(activity.epochs)" }
            if let loss = activity.loss { line += String(format: ", loss %.4f", loss) }
            if let remaining = activity.secondsRemaining(now: now) { line += ", ETA " + SweepProgressText.formatDuration(remaining) }
            print(line)
        }
        print(try Leaderboard.load(sweepID: sweepID, from: store).render(limit: top))
    }
}
