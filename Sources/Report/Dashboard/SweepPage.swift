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
        return DashboardPage.document(title: sweep.name, body: body, script: SweepPage.script(sweepID: sweep.id))
    }

    /// Draws the three views from `/api/sweeps/ID/parallel` (the `parallelCoordinates` options object).
    static func script(sweepID: Int64) -> String {
        """
        fetch("/api/sweeps/\(sweepID)/parallel").then(function (r) { return r.json(); }).then(function (data) {
          var plot = Logbook.parallelCoordinates(document.getElementById("parallel"), data);
          var link = document.getElementById("compare-selected"), count = document.getElementById("selected-count");
          plot.onFilter(function (ids) {
            count.textContent = ids.length + " runs selected;";
            link.href = "/compare?runs=" + ids.slice(0, 20).join(",");
          });
          var scatters = document.getElementById("scatters");
          data.axes.forEach(function (axis, index) {
            if (axis.kind === "categorical") return;
            var box = document.createElement("div"); box.className = "chart scatter"; scatters.appendChild(box);
            Logbook.scatter(box, {xName: axis.name, yName: data.metricName, logX: axis.kind === "log",
              points: data.rows.filter(function (row) { return row.metric !== null && row.values[index] !== null; })
                .map(function (row) { return {x: row.values[index], y: row.metric, id: row.id}; })});
          });
          var names = data.axes.map(function (axis) { return axis.name; });
          var b = names.indexOf("batch_size"), l = names.indexOf("learning_rate");
          if (b < 0 || l < 0) { document.getElementById("heatmap").textContent = "batch_size and learning_rate were not both swept."; return; }
          var sums = {}, xs = [], ys = [];
          data.rows.forEach(function (row) {
            if (row.metric === null) return;
            var x = row.values[b], y = row.values[l], key = x + "|" + y;
            if (xs.indexOf(x) < 0) xs.push(x); if (ys.indexOf(y) < 0) ys.push(y);
            sums[key] = sums[key] || {x: x, y: y, total: 0, n: 0}; sums[key].total += row.metric; sums[key].n += 1;
          });
          xs.sort(function (p, q) { return p - q; }); ys.sort(function (p, q) { return p - q; });
          Logbook.heatmap(document.getElementById("heatmap"), {xName: "batch_size", yName: "learning_rate",
            xValues: xs, yValues: ys, cells: Object.keys(sums).map(function (k) {
              return {x: sums[k].x, y: sums[k].y, value: sums[k].total / sums[k].n}; })});
        });
        """
    }
}
