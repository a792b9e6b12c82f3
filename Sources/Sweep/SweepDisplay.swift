import Foundation
import Store

/// The parent's view of a running sweep, read from the database (workers write, the display only reads).
///
/// On a terminal (`live`): a block redrawn in place — trials done / total with the outcome counts and an ETA, then per
/// running worker its trial, epoch, step, latest loss and ETA. Otherwise (piped, or `--quiet`): one plain line per
/// finished trial. Both flush stdout after writing, so lines never arrive late through a pipe.
public final class SweepDisplay {
    public let store: LogbookStore
    public let sweepID: Int64
    public let live: Bool
    private var shownLines = 0
    private var reported: Set<Int64> = []
    private let startedAt = Date().timeIntervalSince1970
    private let write: (String) -> Void

    public init(store: LogbookStore, sweepID: Int64, live: Bool, write: @escaping (String) -> Void = SweepDisplay.standardOutput) {
        self.store = store
        self.sweepID = sweepID
        self.live = live
        self.write = write
    }

    public static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// True when stdout is a terminal.
    public static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Reads the current state and shows it. Call every few hundred milliseconds, and once at the end.
    public func refresh() throws {
        let sweep = try store.sweep(id: sweepID)
        if live {
            let block = try liveBlock(sweep)
            var text = shownLines > 0 ? "\u{1B}[\(shownLines)F\u{1B}[J" : ""
            text += block.joined(separator: "\n") + "\n"
            write(text)
            shownLines = block.count
        } else {
            var text = ""
            let finished = try store.runs(sweepID: sweepID).filter { $0.status.isFinished && $0.status != .interrupted }
            for run in finished.sorted(by: { ($0.endedAt ?? 0) < ($1.endedAt ?? 0) }) where !reported.contains(run.id) {
                reported.insert(run.id)
                text += plainLine(run, sweep: sweep, done: reported.count) + "\n"
            }
            if !text.isEmpty { write(text) }
        }
    }

    /// `sweep 3 'digits-demo': 17/36 done (15 completed, 1 diverged, 1 failed), 2 running, ETA 1m12s`.
    public static func progressLine(_ sweep: SweepRecord, elapsed: Double? = nil) -> String {
        let done = sweep.finishedTrials
        var outcomes = ["completed", "diverged", "failed", "interrupted"].compactMap { name -> String? in
            guard let status = RunStatus(rawValue: name), sweep.count(status) > 0 else { return nil }
            return "\(sweep.count(status)) \(name)"
        }
        if outcomes.isEmpty { outcomes = ["none yet"] }
        var line = "sweep \(sweep.id) '\(sweep.name)': \(done)/\(sweep.plannedTrials) done (\(outcomes.joined(separator: ", "))), \(sweep.count(.running)) running, \(sweep.count(.pending)) pending"
        if let elapsed, done > 0, done < sweep.plannedTrials {
            line += ", ETA " + formatDuration(elapsed / Double(done) * Double(sweep.plannedTrials - done))
        }
        return line
    }

    private func liveBlock(_ sweep: SweepRecord) throws -> [String] {
        let now = Date().timeIntervalSince1970
        var lines = [SweepDisplay.progressLine(sweep, elapsed: now - startedAt)]
        for activity in try store.runningTrials(sweepID: sweepID) {
            var parts = ["  \(activity.worker)", "trial \(activity.trialIndex)"]
            if let epoch = activity.epoch { parts.append("epoch \(epoch)/\(activity.epochs)") } else { parts.append("starting") }
            if let step = activity.step { parts.append("step \(step)") }
            if let loss = activity.loss { parts.append(String(format: "loss %.4f", loss)) }
            if let remaining = activity.secondsRemaining(now: now) { parts.append("ETA " + SweepDisplay.formatDuration(remaining)) }
            lines.append(parts.joined(separator: "  "))
        }
        return lines
    }

    private func plainLine(_ run: RunRecord, sweep: SweepRecord, done: Int) -> String {
        var line = "[\(done)/\(sweep.plannedTrials)] trial \(run.trialIndex ?? -1) \(run.status.rawValue)"
        if let value = Leaderboard.metric(sweep.metricName, of: run) { line += " \(sweep.metricName)=" + String(format: "%.4f", value) }
        let names = SweepSpec.variedParameterNames(fromJSON: sweep.specJSON)
        let values = Dictionary(run.configuration.parameterValues().map { ($0.0, $0.1.displayText) }, uniquingKeysWith: { a, _ in a })
        let assignment = names.compactMap { name in values[name].map { "\(name)=\($0)" } }.joined(separator: " ")
        if !assignment.isEmpty { line += " " + assignment }
        line += " (\(run.worker ?? "?"), " + String(format: "%.2f s", run.duration ?? 0) + ")"
        if run.status == .failed, let error = run.error { line += ": " + error }
        return line
    }

    /// `45s`, `3m05s`, `1h02m`.
    public static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
    }
}
