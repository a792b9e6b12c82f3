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
        return DashboardPage.document(title: run.name, body: body, start: "run", parameters: [("runID", String(run.id))])
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
}
