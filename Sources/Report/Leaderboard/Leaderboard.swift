import Foundation
import Store

/// The best configurations of a sweep by its metric, as text: what `sweep run`, `sweep resume` and `sweep status`
/// print.
///
/// With one seed per configuration each row is a trial. With `seeds: K` the rows are configurations: the metric is
/// the mean ± sample standard deviation over their completed seeds (the column `n` counts them). Columns are the
/// swept parameters (`SweptParameters`); rows are `SweepReportData.rankedConfigurations`.
public struct Leaderboard: Sendable {
    public struct Row: Sendable {
        public var trialIndices: [Int]
        /// (key, value as shown) for each swept parameter.
        public var parameters: [(String, String)]
        public var metric: MeanAndDeviation
        /// Mean duration of the runs, in seconds.
        public var seconds: Double

        public var mean: Double { metric.mean }
        public var count: Int { metric.count }
        /// nil for a single run.
        public var standardDeviation: Double? { metric.count > 1 ? metric.standardDeviation : nil }
    }

    public var sweepID: Int64
    public var metricName: String
    public var parameterNames: [String]
    /// Best first.
    public var rows: [Row]
    /// Which split chose and which measured (`SweepChoice`).
    public var choice: SweepChoice
    /// Choose on validation, measure on test: the best configuration's mean `test_X` (name, value) for a sweep
    /// ranked by `validation_X` (or `train_X`) — reported, never used to rank. Nil when the choice was on test or
    /// without test figures.
    public var bestMeasuredOnTest: (name: String, value: Double)?
    private let data: SweepReportData

    public init(_ data: SweepReportData) {
        self.data = data
        sweepID = data.sweepID
        metricName = data.metricName
        parameterNames = data.sweptKeys
        rows = data.rankedConfigurations.map { configuration in
            Row(
                trialIndices: configuration.runs.map { $0.trialIndex ?? 0 },
                parameters: zip(data.sweptKeys, configuration.values).map { ($0, $1.label) },
                metric: configuration.metric,
                seconds: configuration.runs.map { $0.value("duration").double ?? 0 }.reduce(0, +)
                    / Double(configuration.runs.count))
        }
        choice = SweepChoice(data)
        if let testName = choice.measuredBy, let best = data.rankedConfigurations.first {
            let values = best.runs.compactMap { $0.value(testName).double }
            if !values.isEmpty { bestMeasuredOnTest = (testName, values.reduce(0, +) / Double(values.count)) }
        }
    }

    /// Reads the sweep and ranks its completed trials by `sweeps.metric_name` in the direction of `metric_goal`.
    public static func load(sweepID: Int64, from store: any StoreQueries) throws -> Leaderboard {
        Leaderboard(try SweepReportData.load(sweepID: sweepID, from: store))
    }

    /// `best: trial 7 validation_accuracy 0.9750 (batch_size=32 learning_rate=0.1 initializer=he-uniform)`, which
    /// split chose and which measured (`chosen by validation_accuracy (10 % validation split); measured on test:
    /// test_accuracy 0.9712 (reported, never used to choose)`), a table of the top `limit` rows, and the marginal means.
    public func render(limit: Int = 10) -> String {
        guard let best = rows.first else { return "no completed trials in sweep \(sweepID) yet" }
        var lines: [String] = []
        let assignment = best.parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        lines.append(
            "best: trial \(best.trialIndices.map(String.init).joined(separator: ",")) \(metricName) \(format(best)) (\(assignment))")
        if let measured = bestMeasuredOnTest {
            lines.append(
                "\(choice.chosenText); measured on test: \(measured.name) \(String(format: "%.4f", measured.value)) (reported, never used to choose)")
        } else {
            lines.append(choice.sentence)
        }
        let columns = ["#", "trial"] + parameterNames + [metricName, "n", "seconds"]
        let cells = rows.prefix(limit).enumerated().map { rank, row -> [SQLValue] in
            (["\(rank + 1)", row.trialIndices.map(String.init).joined(separator: ",")] + row.parameters.map(\.1)
                + [format(row), "\(row.count)", String(format: "%.2f", row.seconds)]).map { .text($0) }
        }
        var table = TextTableRenderer(style: .plain).render(ResultTable(columns: columns, rows: cells))
        table.removeLast()  // the renderer ends with a line break; the lines are joined below
        lines.append(table)
        if rows.count > limit { lines.append("… \(rows.count - limit) more") }
        lines += marginalMeans()
        return lines.joined(separator: "\n")
    }

    /// `mean validation_accuracy by initializer: zeros 0.1008 · xavier-uniform 0.8951 · he-uniform 0.9054` for each
    /// swept parameter with more than one value among the ranked runs: the mean over the runs having that value.
    func marginalMeans() -> [String] {
        guard rows.count > 1 else { return [] }
        let ranked = Set(data.rankedConfigurations.flatMap { $0.runs.map(\.id) })
        return parameterNames.compactMap { name in
            let groups = data.groups(by: name).map { group in (group.value, group.runs.filter { ranked.contains($0.id) }) }
                .filter { !$0.1.isEmpty }
            guard groups.count > 1 else { return nil }
            let parts = groups.map { value, runs in
                "\(value.label) " + String(format: "%.4f", MeanAndDeviation(runs.map(data.metric)).mean)
            }
            return "mean \(metricName) by \(name): " + parts.joined(separator: " · ")
        }
    }

    /// `0.8500 ± 0.0707`; the mean alone for a single run.
    private func format(_ row: Row) -> String {
        let mean = String(format: "%.4f", row.mean)
        guard let deviation = row.standardDeviation else { return mean }
        return mean + " ± " + String(format: "%.4f", deviation)
    }
}
