import Foundation
import Store

/// Per-run measurements that need iteration rows: noise over the last steps, and the initial loss.
struct RunMeasurements {
    var noise: [Int64: Double] = [:]
    var initialLoss: [Int64: Double] = [:]

    static func measure(_ data: SweepReportData, store: any StoreQueries, windowSteps: Int) throws -> RunMeasurements {
        var result = RunMeasurements()
        let runs = data.runs.filter { $0.status == "completed" }
        // Per run, its last `windowSteps` steps, then its opening (the first tenth, at most 10 steps), read at once.
        let windows = runs.flatMap { run in
            let steps = Int(run.value("steps_completed").double ?? 0)
            return [
                LossWindow(run: run.id, firstStep: max(1, steps - windowSteps + 1), count: windowSteps),
                LossWindow(run: run.id, firstStep: 1, count: max(1, min(10, steps / 10))),
            ]
        }
        let losses = try store.losses(windows: windows)
        for (index, run) in runs.enumerated() {
            if let noise = RunStatistics.noise(losses[2 * index]) { result.noise[run.id] = noise }
            let finite = losses[2 * index + 1].filter(\.isFinite)
            if !finite.isEmpty { result.initialLoss[run.id] = finite.reduce(0, +) / Double(finite.count) }
        }
        return result
    }
}

extension SweepReport {
    func effects(_ data: SweepReportData) -> ReportSection {
        var section = ReportSection(id: "effects", title: "Effect of each swept hyperparameter")
        section.blocks.append(.paragraph("For each swept hyperparameter: \(data.metricName) per value, mean ± sample standard deviation over the completed runs with that value (seeds and all other parameters pooled)."))
        if data.sweptKeys.isEmpty { section.blocks.append(.paragraph("The runs of this sweep all share every hyperparameter but the seed.")) }
        let binned = data.sweptKeys.filter(data.isBinned)
        if !binned.isEmpty {
            section.blocks.append(.paragraph("\(binned.joined(separator: ", ")): drawn from a distribution, a value per trial (more than \(ValueBins.maximumDistinctValues) distinct), so shown in \(ValueBins.binCount) equal-count bins by rank, each labelled with its range."))
        }
        for key in data.sweptKeys {
            let groups = data.groups(by: key)
            let stats = groups.map { MeanAndDeviation($0.runs.map(data.metric)) }
            let bars = zip(groups, stats).enumerated().map { index, pair in
                BarChart.Bar(label: pair.0.value.label, value: pair.1.mean, error: pair.1.standardDeviation, colourIndex: index)
            }
            let chart = BarChart(
                title: "\(data.metricName) by \(key)", xLabel: key, yLabel: "\(data.metricName) (mean ± std)", bars: bars,
                limits: BarChart.limits(ofMetric: data.metricName))
            section.blocks.append(.chart(ReportChart(fileName: "effect-\(key).svg", caption: "\(data.metricName) by \(key).", svg: chart.svg())))
            section.blocks.append(.table(ResultTable(
                columns: [key, "runs", "\(data.metricName)_mean", "\(data.metricName)_std"],
                rows: zip(groups, stats).map { [$0.value, .integer(Int64($1.count)), .real($1.mean), $1.count > 1 ? .real($1.standardDeviation) : .null] })))
        }
        let pair: (String, String)? = data.sweptKeys.contains("batch_size") && data.sweptKeys.contains("learning_rate")
            ? ("batch_size", "learning_rate") : (data.sweptKeys.count >= 2 ? (data.sweptKeys[0], data.sweptKeys[1]) : nil)
        if let (rowKey, columnKey) = pair {
            let rowGroups = data.groups(by: rowKey)
            let columnGroups = data.groups(by: columnKey).map { ($0.value, Set($0.runs.map(\.id))) }
            let values = rowGroups.map { row in
                columnGroups.map { _, columnRuns in MeanAndDeviation(row.runs.filter { columnRuns.contains($0.id) }.map(data.metric)).mean }
            }
            let heatmap = Heatmap(
                title: "\(data.metricName): \(rowKey) × \(columnKey) (mean over the rest)", rowLabel: rowKey, columnLabel: columnKey,
                valueLabel: data.metricName, rows: rowGroups.map(\.value.label), columns: columnGroups.map(\.0.label), values: values)
            section.blocks.append(.chart(ReportChart(fileName: "heatmap.svg", caption: "Mean \(data.metricName) for each \(rowKey) × \(columnKey) pair.", svg: heatmap.svg())))
        }
        return section
    }

    func batchSize(_ data: SweepReportData, _ measurements: RunMeasurements) -> ReportSection {
        var section = ReportSection(id: "batch-size", title: "Batch size")
        let learnedFinals = data.runs.filter { $0.status == "completed" }.compactMap { run -> Double? in
            guard let final = run.epochs.last?.trainLoss, let initial = measurements.initialLoss[run.id], final <= 0.9 * initial else { return nil }
            return final
        }.sorted()
        let target = learnedFinals.isEmpty ? nil : 2 * learnedFinals[learnedFinals.count / 2]
        section.blocks.append(.paragraph(
            "Noise: the standard deviation of the iteration loss around its centred 25-step moving average, over each run's last \(noiseWindowSteps) iterations (smaller batches average fewer samples per gradient step, so their loss is noisier). Samples/s: mean over epochs. Time to loss: training seconds until the first epoch whose mean training loss is ≤ \(target.map(CellText.formatReal) ?? "—") (twice the median final loss of the runs that learned). Generalization gap: final train accuracy − test accuracy."))
        // Runs that did not learn (their loss never fell, e.g. zero initialization) would measure the noise of a
        // flat loss and never reach the target: they are left out whenever some runs learned.
        let learnedIDs = Set(data.runs.filter { run in
            guard let final = run.epochs.last?.trainLoss, let initial = measurements.initialLoss[run.id] else { return false }
            return final <= 0.9 * initial
        }.map(\.id))
        let completed = data.runs.filter { $0.status == "completed" }.count
        if !learnedIDs.isEmpty && learnedIDs.count < completed {
            section.blocks.append(.paragraph("Measured over the \(learnedIDs.count) of \(completed) completed runs whose loss fell; the \(completed - learnedIDs.count) that did not learn are left out."))
        }
        var rows: [[SQLValue]] = []
        var bars: [BarChart.Bar] = []
        for (index, pooled) in data.groups(by: "batch_size").enumerated() {
            let group = (value: pooled.value, runs: learnedIDs.isEmpty ? pooled.runs : pooled.runs.filter { learnedIDs.contains($0.id) })
            let noise = MeanAndDeviation(group.runs.compactMap { measurements.noise[$0.id] })
            let speed = MeanAndDeviation(group.runs.flatMap { $0.epochs.map(\.samplesPerSecond) })
            let iterations = MeanAndDeviation(group.runs.compactMap { $0.stepsPerEpoch.map(Double.init) })
            let times = group.runs.compactMap { run in target.flatMap { RunStatistics.secondsToReach($0, epochs: run.epochs) } }
            let gap = MeanAndDeviation(group.runs.compactMap { run in
                guard let train = run.value("train_accuracy").double, let test = run.value("test_accuracy").double else { return nil }
                return train - test
            })
            rows.append([
                group.value, .integer(Int64(group.runs.count)), .real(iterations.mean), .real(speed.mean), .text(noise.text),
                times.isEmpty ? .null : .real(MeanAndDeviation(times).mean), .text("\(times.count)/\(group.runs.count)"), .text(gap.text),
            ])
            bars.append(BarChart.Bar(label: group.value.label, value: noise.mean, error: noise.standardDeviation, colourIndex: index))
        }
        section.blocks.append(.table(ResultTable(
            columns: ["batch_size", "runs", "iterations_per_epoch", "samples_per_second", "loss_noise (mean ± std)", "seconds_to_loss", "reached", "generalization_gap (train − test)"],
            rows: rows)))
        let unit = SweepReportData.lossLabel(of: data.runs.filter { $0.status == "completed" }).unit.map { ", \($0)" } ?? ""
        let chart = BarChart(
            title: "Iteration-loss noise by batch size", xLabel: "batch size (samples per step)", yLabel: "loss noise (std of residual\(unit))",
            bars: bars, limits: 0...Double.greatestFiniteMagnitude)
        section.blocks.append(.chart(ReportChart(fileName: "batch-noise.svg", caption: "Loss noise per batch size, mean ± std over runs.", svg: chart.svg())))
        return section
    }

    func initializers(_ data: SweepReportData, _ measurements: RunMeasurements) -> ReportSection {
        var section = ReportSection(id: "initializers", title: "Initializers")
        var rows: [[SQLValue]] = []
        var bars: [BarChart.Bar] = []
        var verdicts: [String] = []
        let classCounts = data.runs.map(\.classCount).filter { $0 > 0 }
        let chance = classCounts.isEmpty ? nil : 1 / Double(classCounts.max()!)
        for (index, group) in data.groups(by: "initializer").enumerated() {
            let accuracy = MeanAndDeviation(group.runs.compactMap { $0.value("test_accuracy").double })
            let initial = MeanAndDeviation(group.runs.compactMap { measurements.initialLoss[$0.id] })
            let final = MeanAndDeviation(group.runs.compactMap { $0.epochs.last?.trainLoss })
            let verdicts_ = group.runs.map { run in
                RunStatistics.learned(
                    initialLoss: measurements.initialLoss[run.id], finalLoss: run.epochs.last?.trainLoss,
                    testAccuracy: run.value("test_accuracy").double, classCount: run.classCount, testSamples: run.testSampleCount)
            }
            let fell = verdicts_.filter { $0.lossFell == true }.count
            let above = verdicts_.filter { $0.aboveChance == true }.count
            let learned = verdicts_.filter { $0.lossFell == true && $0.aboveChance == true }.count
            rows.append([
                group.value, .integer(Int64(group.runs.count)), .text(accuracy.text), chance.map { .real($0) } ?? .null,
                .real(initial.mean), .real(final.mean), .text("\(fell)/\(group.runs.count)"), .text("\(above)/\(group.runs.count)"),
                .text(learned == 0 ? "no" : learned == group.runs.count ? "yes" : "\(learned)/\(group.runs.count)"),
            ])
            bars.append(BarChart.Bar(label: group.value.label, value: accuracy.mean, error: accuracy.standardDeviation, colourIndex: index))
            if group.value == .text("zeros") {
                verdicts.append(
                    learned == 0
                        ? "Zero initialization did not learn: test accuracy \(accuracy.text) against chance \(chance.map(CellText.formatReal) ?? "?"), loss \(CellText.formatReal(initial.mean)) → \(CellText.formatReal(final.mean)) (all hidden units start identical and receive identical gradients, so the symmetry is never broken)."
                        : "Zero initialization learned in \(learned) of \(group.runs.count) runs (test accuracy \(accuracy.text), chance \(chance.map(CellText.formatReal) ?? "?")).")
            }
        }
        section.blocks.append(.paragraph("Test accuracy by initializer (mean ± std over runs). A run learned when its final training loss is at most 0.9 × its initial loss and its test accuracy beats chance (1 / classes) by more than max(0.05, two binomial standard errors)."))
        section.blocks.append(contentsOf: verdicts.map(ReportBlock.paragraph))
        section.blocks.append(.table(ResultTable(
            columns: ["initializer", "runs", "test_accuracy (mean ± std)", "chance", "initial_loss", "final_train_loss", "loss_fell", "above_chance", "learned"],
            rows: rows)))
        let chart = BarChart(
            title: "Test accuracy by initializer", xLabel: "initializer", yLabel: "test accuracy (fraction correct)", bars: bars,
            reference: chance.map { ($0, "chance \(CellText.formatReal($0))") }, limits: 0...1)
        section.blocks.append(.chart(ReportChart(fileName: "initializers.svg", caption: "Test accuracy per initializer; dashed line: chance.", svg: chart.svg())))
        return section
    }
}
