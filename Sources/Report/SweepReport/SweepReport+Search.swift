import Foundation
import Store

/// The sections of a sweep that searched (method tpe) or stopped trials early: optimisation history, pruning and
/// parameter importance. Other sweeps' reports are unchanged.
extension SweepReport {
    func searchSections(_ data: SweepReportData) -> [ReportSection] {
        let pruned = data.runs.filter { $0.status == "pruned" }
        guard data.method == "tpe" || !pruned.isEmpty else { return [] }
        return [optimisationHistory(data)] + (pruned.isEmpty ? [] : [pruning(data, pruned)]) + [importance(data)]
    }

    /// The sweep's trials (runs with a trial index) that completed, in trial order.
    private func completedTrials(_ data: SweepReportData) -> [SweepReportData.Run] {
        data.runs.filter { $0.status == "completed" && $0.value("trial_index").double != nil }
            .sorted { $0.value("trial_index").double! < $1.value("trial_index").double! }
    }

    /// Each completed trial's metric and the best so far, by trial index and by wall time since the sweep's first start.
    func optimisationHistory(_ data: SweepReportData) -> ReportSection {
        var section = ReportSection(id: "optimisation-history", title: "Optimisation history")
        let trials = completedTrials(data)
        let start = data.runs.compactMap { $0.value("started_at").double }.min() ?? 0
        func charts(x: (SweepReportData.Run) -> Double, label: String, file: String) -> ReportChart {
            let points = trials.map { (x: x($0), y: data.metric($0)) }.sorted { $0.x < $1.x }
            var best: [(x: Double, y: Double)] = []
            for point in points where !point.y.isNaN {
                let better = best.last.map { data.maximize ? point.y > $0.y : point.y < $0.y } ?? true
                best.append((point.x, better ? point.y : best.last!.y))
            }
            let chart = LineChart(
                title: "\(data.metricName) by \(label)", xLabel: label, yLabel: data.metricName,
                series: [
                    .init(name: "completed trial", points: points, markersOnly: true, colourIndex: 0),
                    .init(name: "best so far", points: best, colourIndex: 1),
                ], logarithmicY: false)
            return ReportChart(fileName: file, caption: "Each completed trial's \(data.metricName) and the best so far (\(label)).", svg: chart.svg())
        }
        section.blocks.append(.paragraph(
            "\(trials.count) completed trials, chosen by \(data.metricName) (\(data.maximize ? "higher" : "lower") is better). Pruned trials are left out here (see Pruning)."))
        section.blocks.append(.chart(charts(x: { $0.value("trial_index").double ?? 0 }, label: "trial index", file: "history-by-trial.svg")))
        section.blocks.append(.chart(charts(x: { ($0.value("ended_at").double ?? start) - start }, label: "seconds since the sweep started", file: "history-by-time.svg")))
        return section
    }

    /// Trials stopped per rule and rung, the epochs they trained, and the epochs and seconds saved: a pruned trial
    /// saves its planned epochs minus the epochs it trained; seconds saved = epochs saved × its mean seconds per epoch.
    func pruning(_ data: SweepReportData, _ pruned: [SweepReportData.Run]) -> ReportSection {
        var section = ReportSection(id: "pruning", title: "Pruning")
        let groups = Dictionary(grouping: pruned) { "\($0.value("pruned_rule").label)|\($0.value("pruned_rung").label)" }
        var rows: [[SQLValue]] = []
        var totalEpochs = 0.0, totalSeconds = 0.0
        for key in groups.keys.sorted() {
            let runs = groups[key]!
            var trained = 0.0, saved = 0.0, seconds = 0.0
            for run in runs {
                let done = run.value("epochs_completed").double ?? Double(run.epochs.count)
                let planned = run.value("epochs").double ?? done
                let perEpoch = run.epochs.isEmpty ? 0 : run.epochs.map(\.seconds).reduce(0, +) / Double(run.epochs.count)
                trained += done
                saved += max(0, planned - done)
                seconds += max(0, planned - done) * perEpoch
            }
            totalEpochs += saved
            totalSeconds += seconds
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            rows.append([.text(parts[0]), .text(parts[1]), .integer(Int64(runs.count)), .real(trained), .real(saved), .real((seconds * 10).rounded() / 10)])
        }
        section.blocks.append(.paragraph(
            "\(pruned.count) of \(data.runs.count) runs were stopped early by the sweep's early_terminate rule, on \(data.metricName); every row they recorded is kept. Saved: \(Int(totalEpochs)) epochs, about \(String(format: "%.1f", totalSeconds)) s of training (epochs saved × each trial's mean seconds per epoch)."))
        section.blocks.append(.table(ResultTable(columns: ["rule", "rung", "trials stopped", "epochs trained", "epochs saved", "seconds saved"], rows: rows)))
        return section
    }

    /// Each swept parameter's importance as the correlation ratio η² over the completed trials (`ParameterImportance`),
    /// beside what a parameter without effect would get from the same groups (`ParameterImportance.chanceShare`) and
    /// how often relabelling the trials explains as much (`ParameterImportance.permutationPValue`).
    func importance(_ data: SweepReportData) -> ReportSection {
        var section = ReportSection(id: "parameter-importance", title: "Parameter importance")
        let trials = completedTrials(data).filter { !data.metric($0).isNaN }
        let metric = trials.map { data.metric($0) }
        let rows = data.sweptKeys.map { key -> (key: String, share: Double, groups: Int, p: Double) in
            let values = trials.map { $0.value(key) }
            return (
                key, ParameterImportance.correlationRatio(metric: metric, values: values), ParameterImportance.groupCount(values),
                ParameterImportance.permutationPValue(metric: metric, values: values))
        }.sorted { $0.share > $1.share }
        section.blocks.append(.paragraph(
            "Method: the correlation ratio η² — the share of the variance of \(data.metricName) over the \(trials.count) completed trials that lies between the groups of a parameter's values (numbers in \(ParameterImportance.bins) equal-count bins, other values as they are). Each parameter is judged on its own; the shares need not add up to 1. A parameter without effect still gets (k − 1)/(n − 1) on average (k groups, n trials: the mean of η² over every relabelling of the trials), shown beside it; a share near that explains nothing. The p-value is the share of those relabellings that explain at least as much as the trials' own labels (all of them counted when there are at most \(ParameterImportance.permutations), else \(ParameterImportance.permutations) seeded shuffles): small (say below 0.05) means the share is unlikely to be chance. With TPE the trials are not a random sample — the sampler chose values that did well — so read it as a guide, not a test at face value."))
        section.blocks.append(.table(ResultTable(
            columns: ["parameter", "groups", "share of variance (η²)", "expected by chance", "p (permutation)"],
            rows: rows.map { row in
                [.text(row.key), .integer(Int64(row.groups)), .real((row.share * 1000).rounded() / 1000),
                 .real((ParameterImportance.chanceShare(groups: row.groups, trials: trials.count) * 1000).rounded() / 1000),
                 .real((row.p * 10000).rounded() / 10000)]
            })))
        return section
    }
}
