import Foundation
import Store

/// A sweep's page: parallel coordinates over every swept hyperparameter and the metric (brushing an axis dims the
/// runs outside it and lists the ones inside), the metric against each hyperparameter, the batch size × learning
/// rate heatmap (mean metric per cell), then the static report's sections (`SweepReport`).
public struct SweepPage: Sendable {
    public var sweep: SweepRecord
    /// The static report's sections as HTML (`ReportDocument.sectionsHTML`).
    public var reportSections: String

    public init(sweep: SweepRecord, reportSections: String) { (self.sweep, self.reportSections) = (sweep, reportSections) }

    public func html() -> String {
        let text = DashboardPage.text
        var body = "<p class=\"meta\">sweep \(sweep.id) · \(text(sweep.method)) · \(sweep.finishedTrials) of "
        body += "\(sweep.plannedTrials) trials finished · \(text(SweepsPage.counts(sweep))) · \(text(sweep.metricGoal)) "
        body += "\(text(sweep.metricName)) · <a href=\"/runs?where=\(DashboardPage.percentEncoded("sweep_id = \(sweep.id)"))\">runs</a></p>\n"
        body += "<h2>Parallel coordinates</h2>\n<div id=\"parallel\" class=\"chart\"></div>\n"
        body += "<p class=\"selection\">Drag along an axis to filter; <span id=\"selected-count\"></span> "
        body += "<a id=\"compare-selected\" href=\"/compare\">compare the selected runs</a></p>\n"
        body += "<h2>\(text(sweep.metricName)) against each hyperparameter</h2>\n<div id=\"scatters\"></div>\n"
        body += "<h2>Batch size × learning rate</h2>\n<div id=\"heatmap\" class=\"chart\"></div>\n"
        body += "<div class=\"report\">\n\(reportSections)</div>\n"
        return DashboardPage.document(title: sweep.name, body: body, start: "sweep", parameters: [("sweepID", String(sweep.id))])
    }
}
