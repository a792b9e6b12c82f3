import Foundation
import Store

/// The lines of a running sweep's progress, as the live display, `sweep resume` and `sweep status` show them.
public enum SweepProgressText {
    /// `sweep 3 'digits-demo': 17/36 done (15 completed, 1 diverged, 1 failed), 2 running, 0 pending, ETA 1m12s`
    /// (pruned trials, when there are, after the completed ones).
    public static func progressLine(_ sweep: SweepRecord, elapsed: Double? = nil) -> String {
        let done = sweep.finishedTrials
        var outcomes = ["completed", "pruned", "diverged", "failed", "interrupted"].compactMap { name -> String? in
            guard let status = RunStatus(rawValue: name), sweep.count(status) > 0 else { return nil }
            return "\(sweep.count(status)) \(name)"
        }
        if outcomes.isEmpty { outcomes = ["none yet"] }
        var line = "sweep \(sweep.id) '\(sweep.name)': \(done)/\(sweep.plannedTrials) done (\(outcomes.joined(separator: ", "))), \(sweep.count(.running)) running, \(sweep.openTrials) pending"
        if let elapsed, done > 0, done < sweep.plannedTrials {
            line += ", ETA " + formatDuration(elapsed / Double(done) * Double(sweep.plannedTrials - done))
        }
        return line
    }

    /// `[3/16] trial 2 completed test_accuracy=0.9000 batch_size=16 learning_rate=0.1 (w1#123, 0.42 s)`: one
    /// finished trial, its metric and swept values read from `data` (the sweep as stored), `done` of them so far.
    public static func finishedTrialLine(_ run: RunRecord, data: SweepReportData, done: Int, plannedTrials: Int) -> String {
        var line = "[\(done)/\(plannedTrials)] trial \(run.trialIndex ?? -1) \(run.status.rawValue)"
        if let stored = data.runs.first(where: { $0.id == run.id }) {
            if let value = stored.value(data.metricName).double {
                line += " \(data.metricName)=" + String(format: "%.4f", value)
            }
            let assignment = data.sweptKeys.map { "\($0)=\(stored.value($0).label)" }.joined(separator: " ")
            if !assignment.isEmpty { line += " " + assignment }
        }
        line += " (\(run.worker ?? "?"), " + String(format: "%.2f s", run.duration ?? 0) + ")"
        if run.status == .failed, let error = run.error { line += ": " + error }
        return line
    }

    /// `  w1#123  trial 4  epoch 2/30  step 57  loss 0.4312  ETA 12s`: one running trial of the live display.
    public static func activityLine(_ activity: TrialActivity, now: Double) -> String {
        var parts = ["  \(activity.worker)", "trial \(activity.trialIndex)"]
        if let epoch = activity.epoch { parts.append("epoch \(epoch)/\(activity.epochs)") } else { parts.append("starting") }
        if let step = activity.step { parts.append("step \(step)") }
        if let loss = activity.loss { parts.append(String(format: "loss %.4f", loss)) }
        if let remaining = activity.secondsRemaining(now: now) { parts.append("ETA " + formatDuration(remaining)) }
        return parts.joined(separator: "  ")
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
