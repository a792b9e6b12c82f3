import Foundation
import Store

/// The compare page: the selected runs' curves overlaid (`Logbook.lineChart`) — a metric (iteration loss, or an
/// epoch metric), x by step, epoch or wall time, log y, smoothing with the raw curve faint behind — each curve
/// downsampled on the server to the chart's width (each bucket's min, max and mean). A table sets the runs side by side.
public struct ComparePage: Sendable {
    /// The runs to overlay, in the order asked for.
    public var runs: [RunRecord]

    public init(runs: [RunRecord]) { self.runs = runs }

    /// The metrics the chart offers (the series API's `metric` values).
    public static let metrics = ["loss", "train_loss", "validation_loss", "train_accuracy", "validation_accuracy"]

    public func html() -> String {
        var body = "<form class=\"compare-controls\">"
        body += "<label>metric <select name=\"metric\">" + ComparePage.metrics.map { "<option>\($0)</option>" }.joined() + "</select></label> "
        body += "<label>x <select name=\"x\"><option>step</option><option>epoch</option><option>time</option></select></label> "
        body += "<label><input type=\"checkbox\" name=\"logY\"> log y</label> "
        body += "<label>smoothing <input type=\"range\" name=\"smoothing\" min=\"0\" max=\"0.99\" step=\"0.01\" value=\"0.6\"></label>"
        body += "</form>\n<div id=\"compare-chart\" class=\"chart\"></div>\n"
        body += DashboardPage.table(
            headers: ["run", "name", "status", "batch_size", "learning_rate", "initializer", "test_accuracy"],
            rows: runs.map {
                [
                    .integer($0.id), .text($0.name), .text($0.status.rawValue), .integer(Int64($0.configuration.batchSize)),
                    .real($0.configuration.learningRate), .text($0.configuration.initializer.description),
                    $0.testAccuracy.map(SQLValue.real) ?? .null,
                ]
            }, className: "compared")
        let series = runs.map { "{\"id\":\"\($0.id)\",\"name\":\(JSONWriter.quote("\($0.id) \($0.name)"))}" }
        return DashboardPage.document(
            title: "Compare \(runs.count) run\(runs.count == 1 ? "" : "s")", body: body,
            start: "compare", parameters: [("runs", "[" + series.joined(separator: ",") + "]")])
    }
}
