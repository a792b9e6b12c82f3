import Foundation
import Store

/// A run's page: status, configuration (every hyperparameter), epochs, the test evaluation and its confusion matrix,
/// and the loss curve, which grows live while the run trains (`/api/runs/ID/events`, Server-Sent Events).
public struct RunPage: Sendable {
    public var detail: RunDetail

    public init(detail: RunDetail) { self.detail = detail }

    public func html() -> String {
        let run = detail.run
        let text = DashboardPage.text
        var body = "<p class=\"meta\">run <span class=\"run-id\">\(run.id)</span> · status <span class=\"status\">"
        body += "\(text(run.status.rawValue))</span>"
        if let sweep = run.sweepID { body += " · sweep <a href=\"/sweeps/\(sweep)\">\(sweep)</a>" }
        if let trial = run.trialIndex { body += " · trial \(trial)" }
        body += " · <a href=\"/compare?runs=\(run.id)\">compare</a>"
        body += " · <span class=\"live\">live: <span class=\"live-count\">0</span> new points</span></p>\n"
        if let error = run.error { body += "<p class=\"error\">\(text(error))</p>\n" }
        body += "<h2>Loss</h2>\n<div id=\"loss-chart\" class=\"chart\" data-run=\"\(run.id)\"></div>\n"
        body += "<h2>Configuration</h2>\n"
        body += DashboardPage.table(
            headers: ["parameter", "value"], rows: detail.parameters.map { [.text($0.key), $0.value] }, className: "configuration")
        body += "<h2>Epochs</h2>\n" + epochsTable()
        if let test = detail.test { body += "<h2>Test evaluation</h2>\n" + evaluation(test) }
        return DashboardPage.document(title: run.name, body: body, script: RunPage.script(runID: run.id))
    }

    func epochsTable() -> String {
        func real(_ value: Double?) -> SQLValue { value.map(SQLValue.real) ?? .null }
        let rows: [[SQLValue]] = detail.epochs.map {
            [
                .integer(Int64($0.epoch)), .integer(Int64($0.step)), real($0.trainLoss), real($0.trainAccuracy),
                real($0.validationLoss), real($0.validationAccuracy), .real($0.learningRate), .real($0.seconds),
            ]
        }
        return DashboardPage.table(
            headers: [
                "epoch", "step", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy", "learning_rate",
                "seconds",
            ], rows: rows, className: "epochs")
    }

    func evaluation(_ test: EvaluationRecord) -> String {
        var rows: [[SQLValue]] = [[.text("samples"), .integer(Int64(test.sampleCount))], [.text("epoch"), .integer(Int64(test.epoch))]]
        let figures: [(String, Double?)] = [
            ("loss", test.loss), ("accuracy", test.accuracy), ("mean_squared_error", test.meanSquaredError),
            ("mean_absolute_error", test.meanAbsoluteError), ("r_squared", test.rSquared),
        ]
        for (name, value) in figures { if let value { rows.append([.text(name), .real(value)]) } }
        var output = DashboardPage.table(headers: ["figure", "value"], rows: rows, className: "evaluation")
        if let confusion = test.confusion {
            output += "<h3>Confusion matrix</h3>\n<p class=\"meta\">rows: actual class; columns: predicted class</p>\n"
            let classes = (0..<confusion.count).map(String.init)
            output += DashboardPage.table(
                headers: ["actual \\ predicted"] + classes,
                rows: confusion.enumerated().map { [.text(String($0.offset))] + $0.element.map { .integer(Int64($0)) } },
                className: "confusion")
        }
        return output
    }

    /// Draws the downsampled curve, then appends the points the event stream pushes after its last step; once the
    /// chart would hold more than 2,000 points it asks the server for the downsampled curve again instead (a fast
    /// run pushes thousands of points a second), and once more when the run ends.
    static func script(runID: Int64) -> String {
        """
        var container = document.getElementById("loss-chart");
        var seriesURL = "/api/runs/\(runID)/series?metric=loss&x=step&points=1000";
        fetch(seriesURL).then(function (r) { return r.json(); }).then(function (series) {
          var chart = Logbook.lineChart(container, {series: [{id: "\(runID)", name: "loss", points: series.points}],
            xLabel: "step", yLabel: "loss", logY: false, smoothing: 0.6});
          var received = 0, shown = series.points.length, refetching = false;
          function refetch() {
            refetching = true;
            fetch(seriesURL).then(function (r) { return r.json(); }).then(function (again) {
              chart.setSeries([{id: "\(runID)", name: "loss", points: again.points}]);
              shown = again.points.length; refetching = false;
            });
          }
          var last = series.points.length ? series.points[series.points.length - 1].x : 0;
          Logbook.eventStream("/api/runs/\(runID)/events?from=" + (last + 1), function (points, status) {
            received += points.length;
            document.querySelector(".live-count").textContent = received;
            if (status) document.querySelector(".status").textContent = status;
            if (status && status !== "running" && status !== "pending") { refetch(); return; }
            if (!points.length) return;
            if (shown + points.length > 2000) { if (!refetching) refetch(); return; }
            chart.appendPoints("\(runID)", points);
            shown += points.length;
          });
        });
        """
    }
}
