/// Parsing of data source strings and dispatch to the loaders.
extension DataPipeline {
    /// The loaded data, and the test set a source brings itself (`mnist:DIR`), after applying `task`. `field` names
    /// the source in errors (`data` or `test_data`).
    static func loadSource(_ source: String, settings: DataSettings, field: String = "data") throws -> (
        data: Dataset, test: Dataset?
    ) {
        if let problem = sourceProblem(source) { throw problem.error(field, shown: problem.shown) }
        let csvOptions = CSVOptions(labelColumn: settings.labelColumn, task: settings.task)
        let (data, test): (Dataset, Dataset?)
        if bundledNames.contains(source) {
            (data, test) = (try BundledDatasets.load(source), nil)
        } else if let (name, parameters) = try syntheticSource(source) {
            var dataset = try SyntheticDatasets.generate(
                name, sampleCount: settings.syntheticSamples, seed: settings.seed, parameters: parameters)
            dataset.name = source
            (data, test) = (dataset, nil)
        } else if source.hasPrefix("csv:") {
            (data, test) = (try CSVLoader.load(path: String(source.dropFirst(4)), options: csvOptions, name: source), nil)
        } else if source.hasPrefix("idx:") {
            let paths = source.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            (data, test) = (try IDXLoader.load(images: paths[0], labels: paths[1], name: source), nil)
        } else if isMNIST(source) {
            (data, test) = try loadMNIST(directory: String(source.dropFirst(6)), source: source)
        } else {
            (data, test) = (try CSVLoader.load(path: source, options: csvOptions, name: source), nil)
        }
        return (
            try apply(settings.task, to: data, source: source), try test.map { try apply(settings.task, to: $0, source: source) }
        )
    }

    /// Why `source` is not a dataset source by its form (nil when it is): a bundled or synthetic name (a generator
    /// optionally with `:PARAMETERS`), `csv:PATH` or a path ending in `.csv`/`.csv.gz`, `idx:IMAGES,LABELS`,
    /// `mnist:DIR`. Whether the files exist and load is found out by loading them. The registry's rule for `data` and
    /// `test_data`, so the sweep, `train` and the loader give one message.
    static func sourceProblem(_ source: String) -> Hyperparameter.Problem? {
        func invalid(_ reason: String) -> Hyperparameter.Problem { Hyperparameter.Problem(shown: "'\(source)'", reason: reason) }
        let head = String(source.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
        if bundledNames.contains(source) || syntheticNames.contains(head) { return nil }
        if source.hasPrefix("csv:") { return source.count > 4 ? nil : invalid("give a path, e.g. csv:data.csv") }
        if source.hasSuffix(".csv") || source.hasSuffix(".csv.gz") { return nil }
        if source.hasPrefix("idx:") {
            let paths = source.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false)
            return paths.count == 2 && !paths[0].isEmpty && !paths[1].isEmpty
                ? nil : invalid("expected idx:IMAGES,LABELS (two paths)")
        }
        if isMNIST(source) { return source.count > 6 ? nil : invalid("give a directory, e.g. mnist:data/mnist") }
        return Hyperparameter.Problem(
            shown: "'\(source)'", reason: NameSuggestion.hint(for: source, in: bundledNames + syntheticNames + sourceForms),
            isUnknownName: true)
    }

    /// `spirals` or `spirals:classes=4,noise=0.1` ⇒ the generator and its parameters; nil when not synthetic.
    static func syntheticSource(_ source: String) throws -> (String, SyntheticDatasets.Parameters)? {
        let parts = source.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard syntheticNames.contains(name) else { return nil }
        var parameters = SyntheticDatasets.Parameters()
        guard parts.count == 2 else { return (name, parameters) }
        for item in parts[1].split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
            let key = pair[0]
            guard pair.count == 2 else {
                throw EngineError("invalid data '\(source)': expected KEY=VALUE, found '\(item)'")
            }
            switch key {
            case "classes", "dimensions":
                guard let value = Int(pair[1]) else { throw EngineError.invalid(key, pair[1], "must be an integer") }
                if key == "classes" { parameters.classes = value } else { parameters.dimensions = value }
            case "noise":
                guard let value = Double(pair[1]) else { throw EngineError.invalid(key, pair[1], "must be a number") }
                parameters.noise = value
            default:
                throw EngineError("invalid data '\(source)': unknown parameter '\(key)' (expected classes, dimensions, noise)")
            }
        }
        return (name, parameters)
    }

    /// The MNIST layout: `train-images-idx3-ubyte` (or `train-images.idx3-ubyte`), optionally `.gz`, and the same
    /// for `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`.
    static func loadMNIST(directory: String, source: String) throws -> (Dataset, Dataset?) {
        func find(_ stem: String, _ kind: String) throws -> String {
            let base = directory.hasSuffix("/") ? directory : directory + "/"
            for name in ["\(stem)-\(kind)", "\(stem)-\(kind.replacing("-idx", with: ".idx"))"] {
                for suffix in ["", ".gz"] where DataFile.exists(base + name + suffix) { return base + name + suffix }
            }
            throw EngineError("\(source): no \(stem)-\(kind)(.gz) in \(directory)")
        }
        let train = try IDXLoader.load(
            images: find("train", "images-idx3-ubyte"), labels: find("train", "labels-idx1-ubyte"), name: source)
        let test = try IDXLoader.load(
            images: find("t10k", "images-idx3-ubyte"), labels: find("t10k", "labels-idx1-ubyte"), name: source)
        return (train, test)
    }

    /// Applies an explicit `task`: class labels become real targets for regression; real targets cannot become
    /// classes. CSV files apply it themselves while parsing (this is then a no-op).
    static func apply(_ task: LabelTask?, to dataset: Dataset, source: String) throws -> Dataset {
        switch (task, dataset.labels) {
        case (.regression, let labels?):
            var result = dataset
            result.targets = Matrix(rows: labels.count, columns: 1, values: labels.map { Float($0) })
            result.labels = nil
            result.classCount = 0
            result.classNames = []
            return result
        case (.classification, nil):
            throw EngineError.invalid("task", "classification", "data '\(source)' has real-valued targets")
        default:
            return dataset
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
