extension SweepPlan {
    /// The `--dry-run` text: a header line (trials = configurations × seeds, method, metric), then one row per
    /// trial: its index, configuration index, seed and the value of every spec parameter (seed aside).
    public func table() -> String {
        let names = spec.parameters.map(\.name).filter { $0 != "seed" }
        let seedsText = "\(spec.seeds) seed\(spec.seeds == 1 ? "" : "s")"
        var lines = [
            "\(count) trials (\(configurationCount) configurations × \(seedsText)), method \(spec.method.rawValue), metric \(spec.metric.name) (\(spec.metric.goal.rawValue))"
        ]
        var rows = [["trial", "config", "seed"] + names]
        for trial in trials {
            let values = Dictionary(
                trial.configuration.parameterValues().map { ($0.0, $0.1.displayText) }, uniquingKeysWith: { a, _ in a })
            rows.append(["\(trial.index)", "\(trial.configurationIndex)", "\(trial.configuration.seed)"] + names.map { values[$0] ?? "" })
        }
        lines += TextTable.render(rows)
        return lines.joined(separator: "\n")
    }
}
