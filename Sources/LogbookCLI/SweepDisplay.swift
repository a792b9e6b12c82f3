import Foundation
import Report
import Store
import Sweep

/// The parent's view of a running sweep, read from the database (workers write, the display only reads) and
/// rendered by Report's `SweepProgressText`.
///
/// On a terminal (`live`): a block redrawn in place — trials done / total with the outcome counts and an ETA, then per
/// running worker its trial, epoch, step, latest loss and ETA. Otherwise (piped, or `--quiet`): one plain line per
/// finished trial. Both write unbuffered, so lines never arrive late through a pipe.
final class SweepDisplay {
    let store: any LogbookStoring
    let sweepID: Int64
    let live: Bool
    private var shownLines = 0
    private var reported: Set<Int64> = []
    private let startedAt = Date().timeIntervalSince1970
    private let write: (String) -> Void

    init(store: any LogbookStoring, sweepID: Int64, live: Bool, write: @escaping (String) -> Void = Console.write) {
        self.store = store
        self.sweepID = sweepID
        self.live = live
        self.write = write
    }

    /// True when stdout is a terminal.
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Reads the current state and shows it. Call every few hundred milliseconds, and once at the end.
    func refresh() throws {
        let sweep = try store.sweep(id: sweepID)
        if live {
            let now = Date().timeIntervalSince1970
            let block = [SweepProgressText.progressLine(sweep, elapsed: now - startedAt)]
                + (try store.runningTrials(sweepID: sweepID)).map { SweepProgressText.activityLine($0, now: now) }
            var text = shownLines > 0 ? "\u{1B}[\(shownLines)F\u{1B}[J" : ""
            text += block.joined(separator: "\n") + "\n"
            write(text)
            shownLines = block.count
        } else {
            // The sweep's counts say whether a trial finished since the last refresh; the runs are read only then, so
            // that between finishes (trials of seconds or more) a refresh is one count query.
            let finishedCount = sweep.statusCounts.filter { SweepDisplay.isShown($0.key) }.values.reduce(0, +)
            guard finishedCount != reported.count else { return }
            let finished = try store.runs(sweepID: sweepID).filter { SweepDisplay.isShown($0.status) && !reported.contains($0.id) }
            guard !finished.isEmpty else { return }
            // The stored sweep (swept values, metrics) is read only when there is something new to show.
            let data = try SweepReportData.load(sweepID: sweepID, from: store)
            var text = ""
            for run in finished.sorted(by: { ($0.endedAt ?? 0) < ($1.endedAt ?? 0) }) {
                reported.insert(run.id)
                text += SweepProgressText.finishedTrialLine(run, data: data, done: reported.count, plannedTrials: sweep.plannedTrials) + "\n"
            }
            write(text)
        }
    }

    /// Whether a trial with `status` gets its line: finished, but not interrupted (an interrupted trial is retried).
    private static func isShown(_ status: RunStatus) -> Bool { status.isFinished && status != .interrupted }

    /// The closing text of `sweep run` and `sweep resume`: the progress line, how to resume when unfinished, the
    /// first failure, then the leaderboard.
    static func summary(_ result: SweepExecution.Result, store: any LogbookStoring, databasePath: String) throws -> String {
        var lines = [SweepProgressText.progressLine(result.sweep)]
        if result.interrupted || result.sweep.openTrials + result.sweep.count(.interrupted) + result.sweep.count(.running) > 0 {
            lines.append("stopped before the end: resume with `logbook sweep resume \(result.sweep.id) --db \(databasePath)`")
        }
        if let failed = try store.runs(sweepID: result.sweep.id, status: .failed).first, let error = failed.error {
            lines.append("first failure: trial \(failed.trialIndex ?? -1): \(error)")
        }
        lines.append(try Leaderboard.load(sweepID: result.sweep.id, from: store).render())
        return lines.joined(separator: "\n")
    }
}
