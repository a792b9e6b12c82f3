import Engine
import Foundation
import Store

/// The best trials of a sweep by its metric, as a text table.
///
/// With one seed per configuration each row is a trial. With `seeds: K` the rows are configurations: the metric is the
/// mean ± sample standard deviation over their completed seeds (the column `n` counts them).
public struct Leaderboard: Sendable {
    public struct Row: Sendable, Equatable {
        public var trialIndices: [Int]
        public var parameters: [(String, String)]
        public var mean: Double
        public var standardDeviation: Double?
        public var count: Int
        public var seconds: Double

        public static func == (lhs: Row, rhs: Row) -> Bool {
            lhs.trialIndices == rhs.trialIndices && lhs.mean == rhs.mean && lhs.count == rhs.count
        }
    }

    public var sweep: SweepRecord
    public var parameterNames: [String]
    /// Best first.
    public var rows: [Row]

    /// Reads the sweep's completed trials and ranks them by `sweeps.metric_name` in the direction of `metric_goal`.
    public init(store: LogbookStore, sweepID: Int64) throws {
        sweep = try store.sweep(id: sweepID)
        let runs = try store.runs(sweepID: sweepID, status: .completed)
        var names = SweepSpec.variedParameterNames(fromJSON: sweep.specJSON).filter { $0 != "seed" }
        if names.isEmpty { names = ["batch_size", "learning_rate", "initializer"] }
        parameterNames = names
        var groups: [String: (indices: [Int], parameters: [(String, String)], values: [Double], seconds: [Double])] = [:]
        var order: [String] = []
        for run in runs.sorted(by: { ($0.trialIndex ?? 0) < ($1.trialIndex ?? 0) }) {
            guard let value = Leaderboard.metric(sweep.metricName, of: run) else { continue }
            let all = Dictionary(run.configuration.parameterValues().map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
            let parameters = names.map { ($0, all[$0]?.displayText ?? "") }
            // Configurations are told apart by their exact values; the table shows them rounded.
            let key = names.map { "\($0)=\(all[$0]?.description ?? "")" }.joined(separator: ",")
            if groups[key] == nil { order.append(key) }
            groups[key, default: ([], parameters, [], [])].indices.append(run.trialIndex ?? 0)
            groups[key]!.values.append(value)
            groups[key]!.seconds.append(run.duration ?? 0)
        }
        let maximize = sweep.metricGoal == "maximize"
        rows = order.map { key in
            let group = groups[key]!
            let mean = group.values.reduce(0, +) / Double(group.values.count)
            var deviation: Double?
            if group.values.count > 1 {
                let variance = group.values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(group.values.count - 1)
                deviation = variance.squareRoot()
            }
            return Row(
                trialIndices: group.indices, parameters: group.parameters, mean: mean, standardDeviation: deviation,
                count: group.values.count, seconds: group.seconds.reduce(0, +) / Double(group.seconds.count))
        }.sorted { maximize ? $0.mean > $1.mean : $0.mean < $1.mean }
    }

    /// The value of a `run_summary` metric column for a run.
    public static func metric(_ name: String, of run: RunRecord) -> Double? {
        switch name {
        case "test_accuracy": return run.testAccuracy
        case "test_loss": return run.testLoss
        case "validation_accuracy": return run.finalValidationAccuracy
        case "validation_loss": return run.finalValidationLoss
        case "train_accuracy": return run.finalTrainAccuracy
        case "train_loss": return run.finalTrainLoss
        case "duration": return run.duration
        default: return nil
        }
    }

    /// `best: trial 7 test_accuracy 0.9750 (batch_size=32 learning_rate=0.1 initializer=he-uniform)` and a table of
    /// the top `limit` rows.
    public func render(limit: Int = 10) -> String {
        guard let best = rows.first else { return "no completed trials in sweep \(sweep.id) yet" }
        var lines: [String] = []
        let assignment = best.parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        lines.append(
            "best: trial \(best.trialIndices.map(String.init).joined(separator: ",")) \(sweep.metricName) \(format(best)) (\(assignment))")
        let header = ["#", "trial"] + parameterNames + [sweep.metricName, "n", "seconds"]
        var table = [header]
        for (rank, row) in rows.prefix(limit).enumerated() {
            table.append(
                ["\(rank + 1)", row.trialIndices.map(String.init).joined(separator: ",")] + row.parameters.map(\.1)
                    + [format(row), "\(row.count)", String(format: "%.2f", row.seconds)])
        }
        lines += TextTable.render(table)
        if rows.count > limit { lines.append("… \(rows.count - limit) more") }
        lines += marginalMeans()
        return lines.joined(separator: "\n")
    }

    /// `mean test_accuracy by initializer: zeros 0.1008 · xavier-uniform 0.8951 · he-uniform 0.9054` for each
    /// parameter with more than one value: the mean over all completed trials having that value.
    func marginalMeans() -> [String] {
        guard rows.count > 1 else { return [] }
        return parameterNames.enumerated().compactMap { position, name in
            var order: [String] = []
            var sums: [String: (total: Double, count: Int)] = [:]
            for row in rows {
                let value = row.parameters[position].1
                if sums[value] == nil { order.append(value) }
                sums[value, default: (0, 0)].total += row.mean * Double(row.count)
                sums[value, default: (0, 0)].count += row.count
            }
            guard order.count > 1 else { return nil }
            let sorted = order.sorted { (Double($0) ?? 0, $0) < (Double($1) ?? 0, $1) }
            let parts = sorted.map { value in
                let entry = sums[value]!
                return "\(value) " + String(format: "%.4f", entry.total / Double(entry.count))
            }
            return "mean \(sweep.metricName) by \(name): " + parts.joined(separator: " · ")
        }
    }

    private func format(_ row: Row) -> String {
        let mean = String(format: "%.4f", row.mean)
        guard let deviation = row.standardDeviation else { return mean }
        return mean + " ± " + String(format: "%.4f", deviation)
    }
}
