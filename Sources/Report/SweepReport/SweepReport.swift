import Foundation
import Store

/// Builds the report of one sweep: leaderboard and spec, loss curves, accuracy per epoch, hyperparameter effects,
/// batch size, initializers. Reads the iteration curves only of the runs it plots, each downsampled in one pass;
/// the noise measurements read a bounded window of each run's last steps.
public struct SweepReport {
    public var curvePoints = 200
    /// Loss curves drawn for at most this many configurations (the best by the sweep's metric).
    public var maxConfigurations = 6
    /// Accuracy curves drawn for this many best runs.
    public var bestRuns = 3
    /// Noise is measured over each run's last this-many iterations.
    public var noiseWindowSteps = 2000

    public init() {}

    public func build(sweepID: Int64, store: any StoreQueries) throws -> ReportDocument {
        let data = try SweepReportData.load(sweepID: sweepID, from: store)
        let counts = Dictionary(grouping: data.runs, by: \.status).mapValues(\.count)
        let statusText = counts.keys.sorted().map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
        let subtitle = "Sweep \(sweepID) (\(data.method)), \(data.runs.count) runs: \(statusText). Metric: \(data.metricName) (\(data.metricGoal)). Swept: \(data.sweptKeys.isEmpty ? "nothing" : data.sweptKeys.joined(separator: ", "))."
        let measurements = try RunMeasurements.measure(data, store: store, windowSteps: noiseWindowSteps)
        var sections = [leaderboard(data)]
        sections.append(try lossCurves(data, store: store))
        sections.append(accuracyCurves(data))
        sections.append(effects(data))
        sections.append(batchSize(data, measurements))
        sections.append(initializers(data, measurements))
        sections += searchSections(data)
        return ReportDocument(title: "Sweep report: \(data.name)", subtitle: subtitle, sections: sections)
    }

    func leaderboard(_ data: SweepReportData) -> ReportSection {
        var section = ReportSection(id: "leaderboard", title: "Leaderboard and specification")
        let ranked = data.ranked.prefix(10)
        let choice = SweepChoice(data)
        let measured = choice.measuredBy ?? SweepChoice.testCounterpart(of: data.metricName) ?? "test_accuracy"
        let columns = ["rank", "run_id"] + data.sweptKeys + ["seed", data.metricName] + ["train_loss", measured, "duration"].filter { $0 != data.metricName }
        let rows = ranked.enumerated().map { index, run -> [SQLValue] in
            [.integer(Int64(index + 1)), .integer(run.id)] + columns.dropFirst(2).map { run.value($0) }
        }
        section.blocks.append(.paragraph("The best completed runs by \(data.metricName) (\(data.maximize ? "highest" : "lowest") first)."))
        section.blocks.append(.paragraph(choice.sentence.prefix(1).uppercased() + choice.sentence.dropFirst() + "."))
        section.blocks.append(.table(ResultTable(columns: columns, rows: rows)))
        let configurations = data.configurations.prefix(12)
        let bars = configurations.enumerated().map { index, configuration in
            BarChart.Bar(label: "#\(index + 1)", value: configuration.metric.mean, error: configuration.metric.standardDeviation, colourIndex: 0)
        }
        let legend = ResultTable(
            columns: ["bar", "configuration", "\(data.metricName) mean ± std (n)"],
            rows: configurations.enumerated().map { [.text("#\($0 + 1)"), .text($1.label), .text($1.metric.text)] })
        var chart = BarChart(
            title: "\(data.metricName) by configuration (mean ± std over seeds)", xLabel: "configuration (ranked, see table)",
            yLabel: data.metricName, bars: Array(bars), limits: BarChart.limits(ofMetric: data.metricName))
        chart.width = max(560, Double(bars.count) * 60 + 100)
        section.blocks.append(.chart(ReportChart(fileName: "leaderboard.svg", caption: "The \(configurations.count) best configurations; error bars are one sample standard deviation over seeds, clipped to the values the metric can take.", svg: chart.svg())))
        section.blocks.append(.table(legend))
        if let specification = SweepSpecification(json: data.spec) {
            section.blocks.append(.paragraph("Specification — swept:"))
            section.blocks.append(.table(specification.swept))
            section.blocks.append(.paragraph("Fixed (every other hyperparameter at its default; each run's full configuration is stored with it, `logbook show ID`):"))
            section.blocks.append(.table(specification.fixed))
            section.blocks.append(.paragraph("Search:"))
            section.blocks.append(.table(specification.search))
        } else {
            section.blocks.append(.paragraph("Specification:"))
            section.blocks.append(.code(prettyJSON(data.spec)))
        }
        return section
    }

    func lossCurves(_ data: SweepReportData, store: any StoreQueries) throws -> ReportSection {
        var section = ReportSection(id: "loss-curves", title: "Loss curves per configuration")
        let configurations = Array(data.configurations.prefix(maxConfigurations))
        var series: [LineChart.Series] = []
        var plotted: [SweepReportData.Run] = []
        for (index, configuration) in configurations.enumerated() {
            guard let run = configuration.runs.min(by: { $0.value("seed").label < $1.value("seed").label }) else { continue }
            plotted.append(run)
            let stepsPerEpoch = Double(max(1, run.stepsPerEpoch ?? 1))
            let buckets = try store.downsampledLosses(run: run.id, points: curvePoints)
            let x = { (bucket: SeriesBucket) in (Double(bucket.firstStep + bucket.lastStep) / 2) / stepsPerEpoch }
            series.append(
                LineChart.Series(
                    name: "\(configuration.label) (run \(run.id))", points: buckets.map { (x($0), $0.mean) },
                    band: buckets.map { (x($0), $0.minimum, $0.maximum) }, colourIndex: index))
            series.append(
                LineChart.Series(
                    name: "epoch mean", points: run.epochs.map { (Double($0.epoch) - 0.5, $0.trainLoss) }, markersOnly: true,
                    colourIndex: index, inLegend: false))
        }
        let loss = SweepReportData.lossLabel(of: plotted.isEmpty ? data.runs : plotted)
        let lossText = loss.unit.map { "\(loss.name), \($0)" } ?? loss.name
        let chart = LineChart(
            title: "Training loss (\(lossText)) per configuration", xLabel: "epoch",
            yLabel: "training loss" + (loss.unit.map { " (\($0))" } ?? ""), series: series)
        section.blocks.append(
            .paragraph(
                "The \(configurations.count) best of \(data.configurations.count) configurations, one run each (lowest seed). Line: mean of each of ≤ \(curvePoints) buckets of iterations; band: the bucket's min–max (iteration noise); dots: the epoch's mean training loss, at the epoch's middle. \(chart.usesLogarithmicY ? "The y axis is logarithmic: the losses span more than 1.5 decades." : "Linear y axis.")"))
        section.blocks.append(.chart(ReportChart(fileName: "loss-curves.svg", caption: "Iteration loss (downsampled) with epoch means.", svg: chart.svg())))
        return section
    }

    func accuracyCurves(_ data: SweepReportData) -> ReportSection {
        var section = ReportSection(id: "accuracy", title: "Train vs validation/test accuracy, best runs")
        var series: [LineChart.Series] = []
        var rows: [[SQLValue]] = []
        for (index, run) in data.ranked.prefix(bestRuns).enumerated() {
            series.append(LineChart.Series(name: "run \(run.id) train", points: run.epochs.compactMap { e in e.trainAccuracy.map { (Double(e.epoch), $0) } }, colourIndex: index))
            let validation = run.epochs.compactMap { e in e.validationAccuracy.map { (Double(e.epoch), $0) } }
            if !validation.isEmpty {
                series.append(LineChart.Series(name: "run \(run.id) validation", points: validation, dashed: true, colourIndex: index))
            }
            if let test = run.value("test_accuracy").double, let last = run.epochs.last {
                series.append(LineChart.Series(name: "run \(run.id) test", points: [(Double(last.epoch), test)], markersOnly: true, colourIndex: index))
            }
            rows.append([.integer(run.id), .text(data.configurationLabel(run)), run.value("train_accuracy"), run.value("validation_accuracy"), run.value("test_accuracy")])
        }
        let chart = LineChart(title: "Accuracy per epoch", xLabel: "epoch", yLabel: "accuracy (fraction correct)", series: series, logarithmicY: false)
        section.blocks.append(.paragraph("Solid: accuracy on the training batches as trained; dashed: validation accuracy (when a validation split was used); dot: final test accuracy."))
        section.blocks.append(.chart(ReportChart(fileName: "accuracy.svg", caption: "Accuracy per epoch of the \(rows.count) best runs.", svg: chart.svg())))
        section.blocks.append(.table(ResultTable(columns: ["run_id", "configuration", "train_accuracy", "validation_accuracy", "test_accuracy"], rows: rows)))
        return section
    }

    func prettyJSON(_ text: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }
}
