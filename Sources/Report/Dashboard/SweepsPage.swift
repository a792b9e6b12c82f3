import Foundation
import Store

/// The sweeps page: each sweep's progress (finished of planned trials), its counts by status and the best run so
/// far; the page asks `/api/sweeps` again every two seconds and updates the rows in place (live).
public struct SweepsPage: Sendable {
    /// One sweep as the page lists it.
    public struct Row: Sendable {
        public var sweep: SweepRecord
        /// The best run so far by the sweep's metric, nil before any run has it.
        public var best: Best?

        public init(sweep: SweepRecord, best: Best?) { (self.sweep, self.best) = (sweep, best) }
    }

    /// A sweep's best run so far: its id, its value and the metric that ranked it — the sweep's, or `test_X` when
    /// no run recorded the sweep's `validation_X` (no validation split; the page says so).
    public struct Best: Sendable {
        public var runID: Int64
        public var value: SQLValue
        public var metric: String

        public init(runID: Int64, value: SQLValue, metric: String) { (self.runID, self.value, self.metric) = (runID, value, metric) }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public func html() -> String {
        let text = DashboardPage.text
        var body = "<table class=\"sweeps\"><thead><tr><th>sweep</th><th>name</th><th>method</th><th>progress</th>"
        body += "<th>counts</th><th>metric</th><th>best so far</th></tr></thead><tbody>\n"
        for row in rows {
            let sweep = row.sweep
            body += "<tr data-sweep=\"\(sweep.id)\" data-metric=\"\(text(sweep.metricName))\"><td class=\"num\"><a href=\"/sweeps/\(sweep.id)\">\(sweep.id)</a></td>"
            body += "<td><a href=\"/sweeps/\(sweep.id)\">\(text(sweep.name))</a></td><td>\(text(sweep.method))</td>"
            body += "<td class=\"progress\"><progress max=\"\(sweep.plannedTrials)\" value=\"\(sweep.finishedTrials)\"></progress> "
            body += "<span class=\"finished\">\(sweep.finishedTrials)</span>/\(sweep.plannedTrials)</td>"
            body += "<td class=\"counts\">\(text(SweepsPage.counts(sweep)))</td>"
            body += "<td>\(text(sweep.metricGoal)) \(text(sweep.metricName))</td><td class=\"best\">"
            if let best = row.best {
                body += "<a href=\"/runs/\(best.runID)\">\(DashboardPage.cell(best.value))</a> (run \(best.runID))"
                if best.metric != sweep.metricName { body += text(SweepsPage.fallbackNote(best.metric)) }
            }
            body += "</td></tr>\n"
        }
        body += "</tbody></table>\n"
        if rows.isEmpty { body += "<p>No sweeps yet: <code>logbook sweep run …</code> starts one; single runs are under <a href=\"/runs\">Runs</a>.</p>\n" }
        return DashboardPage.document(title: "Sweeps", body: body, start: "sweeps")
    }

    /// `completed 12, running 2, pending 6`: the statuses that occur, in `RunStatus` order.
    public static func counts(_ sweep: SweepRecord) -> String {
        RunStatus.allCases.compactMap { status in
            sweep.statusCounts[status].flatMap { $0 > 0 ? "\(status.rawValue) \($0)" : nil }
        }.joined(separator: ", ")
    }

    /// ` by test_accuracy (no validation rows)`: beside a best that fell back from the sweep's validation metric.
    static func fallbackNote(_ metric: String) -> String { " by \(metric) (no validation rows)" }
}
