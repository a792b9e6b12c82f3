extension SweepPlan {
    /// The `--dry-run` header line: trials = configurations × seeds, method, metric.
    public var summaryLine: String {
        let seedsText = "\(spec.seeds) seed\(spec.seeds == 1 ? "" : "s")"
        return "\(count) trials (\(configurationCount) configurations × \(seedsText)), method \(spec.method.rawValue), metric \(spec.metric.name) (\(spec.metric.goal.rawValue))"
    }

    /// The `--dry-run` table, for a renderer: per trial its index, configuration index, seed and the value of every
    /// spec parameter (seed aside), as the user would type it (non-integral numbers to 4 significant digits).
    public var trialTable: (columns: [String], rows: [[String]]) {
        let names = spec.parameters.map(\.name).filter { $0 != "seed" }
        let rows = trials.map { trial in
            let values = Dictionary(
                trial.configuration.parameterValues().map { ($0.0, $0.1.displayText) }, uniquingKeysWith: { a, _ in a })
            return ["\(trial.index)", "\(trial.configurationIndex)", "\(trial.configuration.seed)"] + names.map { values[$0] ?? "" }
        }
        return (["trial", "config", "seed"] + names, rows)
    }
}
