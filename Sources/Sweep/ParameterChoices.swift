import Engine

/// The valid names of the enumerated training options, as sweep specs and flags spell them.
///
/// Initializers, activations and losses come from the engine; the other lists are local copies until the engine
/// exposes its own (keep them in step).
public enum ParameterChoices {
    /// Initializers; the `name:ARGUMENT` forms take a number (`constant:0.5`, `uniform:0.05`, `normal:0.01`) or a
    /// source (`file:PATH` — a safetensors file, `run:ID` — the final weights of a recorded run).
    public static var initializers: [String] { Initializer.names }
    public static var activations: [String] { ActivationKind.names }
    public static let optimizers = ["sgd", "momentum", "nesterov", "adam", "adamw"]
    public static let schedules = ["constant", "step", "exponential", "cosine"]
    public static var losses: [String] { LossKind.names }
    public static let scalings = ["none", "standardize", "minmax"]
    public static let tasks = ["classification", "regression"]
    public static let earlyStoppingMetrics = ["validation_loss", "validation_accuracy", "train_loss"]
    /// Bundled datasets and synthetic generators; `csv:PATH`, `idx:IMAGES,LABELS` and `mnist:DIR` name files.
    public static var bundledDatasets: [String] { DataPipeline.bundledNames }
    /// Generators; they take parameters after a colon too (`spirals:classes=5,noise=0.1`).
    public static var syntheticDatasets: [String] { DataPipeline.syntheticNames }
    public static let datasetPrefixes = ["csv:", "idx:", "mnist:"]

    /// Checks an initializer name with the engine's parser (`constant:V`, `uniform:A`, `normal:S` take a number,
    /// `file:PATH` a path, `run:ID` a run id); an unknown name gets the nearest valid one suggested.
    static func checkInitializer(_ name: String, field: String) throws {
        do {
            _ = try Initializer(name: name)
        } catch let error as EngineError {
            let kinds = initializers.map { $0.split(separator: ":").first.map(String.init) ?? $0 }
            let head = name.split(separator: ":").first.map(String.init) ?? name
            if name.contains(":") && kinds.contains(head.lowercased()) {
                throw SweepError(error.message.replacingOccurrences(of: "invalid initializer", with: "invalid \(field)"))
            }
            throw SweepError("unknown \(field) '\(name)'" + NameSuggestion.hint(for: name, in: initializers))
        }
    }

    /// Checks a dataset source by its form: a bundled or synthetic name (a generator optionally with `:PARAMETERS`),
    /// one of the file prefixes with a non-empty argument, or a path ending in `.csv`/`.csv.gz`. Whether files
    /// exist and load is checked by the plan (`DatasetSizing`).
    static func checkDataset(_ source: String, field: String = "data") throws {
        if bundledDatasets.contains(source) || syntheticDatasets.contains(source) { return }
        if let colon = source.firstIndex(of: ":"), syntheticDatasets.contains(String(source[..<colon])) { return }
        if source.hasSuffix(".csv") || source.hasSuffix(".csv.gz") { return }
        for prefix in datasetPrefixes where source.hasPrefix(prefix) {
            if source.count > prefix.count { return }
            throw SweepError("invalid \(field) '\(source)': \(prefix) needs a path")
        }
        let names = bundledDatasets + syntheticDatasets + datasetPrefixes.map { $0 + "PATH" }
        throw SweepError("unknown \(field) '\(source)'" + NameSuggestion.hint(for: source, in: names))
    }

    static func checkChoice(_ value: String, in choices: [String], field: String) throws {
        guard choices.contains(value) else {
            throw SweepError("unknown \(field) '\(value)'" + NameSuggestion.hint(for: value, in: choices))
        }
    }
}
