/// Parsing of data source strings and dispatch to the loaders.
extension DataPipeline {
    /// The loaded data, and the test set a source brings itself (`mnist:DIR`), after applying `task`.
    static func loadSource(_ source: String, configuration: TrainingConfiguration) throws -> (
        data: Dataset, test: Dataset?
    ) {
        let task = try CSVLoader.resolveTask(configuration.task)
        let csvOptions = CSVOptions(labelColumn: configuration.labelColumn, task: configuration.task)
        let (data, test): (Dataset, Dataset?)
        if bundledNames.contains(source) {
            (data, test) = (try BundledDatasets.load(source), nil)
        } else if let (name, parameters) = try syntheticSource(source) {
            var dataset = try SyntheticDatasets.generate(
                name, sampleCount: configuration.syntheticSamples, seed: configuration.seed, parameters: parameters)
            dataset.name = source
            (data, test) = (dataset, nil)
        } else if source.hasPrefix("csv:") {
            let path = String(source.dropFirst(4))
            guard !path.isEmpty else { throw EngineError("invalid data 'csv:': give a path, e.g. csv:data.csv") }
            (data, test) = (try CSVLoader.load(path: path, options: csvOptions, name: source), nil)
        } else if source.hasSuffix(".csv") || source.hasSuffix(".csv.gz") {
            (data, test) = (try CSVLoader.load(path: source, options: csvOptions, name: source), nil)
        } else if source.hasPrefix("idx:") {
            let paths = source.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard paths.count == 2, !paths[0].isEmpty, !paths[1].isEmpty else {
                throw EngineError("invalid data '\(source)': expected idx:IMAGES,LABELS (two paths)")
            }
            (data, test) = (try IDXLoader.load(images: paths[0], labels: paths[1], name: source), nil)
        } else if isMNIST(source) {
            (data, test) = try loadMNIST(directory: String(source.dropFirst(6)), source: source)
        } else {
            let expected = (bundledNames + syntheticNames + sourceForms).joined(separator: ", ")
            throw EngineError("unknown dataset '\(source)' (expected one of: \(expected))")
        }
        return (try apply(task, to: data, source: source), try test.map { try apply(task, to: $0, source: source) })
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
        guard !directory.isEmpty else { throw EngineError("invalid data 'mnist:': give a directory, e.g. mnist:data/mnist") }
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
