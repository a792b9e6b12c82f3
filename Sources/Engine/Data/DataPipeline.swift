/// The data a run trains on: splits already scaled, and their summary for the run record.
public struct PreparedData: Sendable {
    public var train: Dataset
    public var validation: Dataset?
    public var test: Dataset?
    public var summary: DatasetSummary
    /// The scaling fitted on `train` (and applied to every split).
    public var scaler: Scaler

    public init(
        train: Dataset, validation: Dataset?, test: Dataset?, summary: DatasetSummary,
        scaler: Scaler = Scaler(method: .none, offsets: [], factors: [])
    ) {
        self.train = train
        self.validation = validation
        self.test = test
        self.summary = summary
        self.scaler = scaler
    }
}

/// The one entry point from configuration to training data: load, split, scale.
public enum DataPipeline {
    public static let bundledNames: [String] = BundledDatasets.names
    public static let syntheticNames: [String] = SyntheticDatasets.names
    /// Source forms other than names, as shown in errors and help.
    public static let sourceForms = ["csv:PATH", "idx:IMAGES,LABELS", "mnist:DIR"]

    /// Loads `settings.data` (and `settings.testData` when set), splits, scales.
    ///
    /// 1. Checks `validationFraction` and `testFraction` before loading anything.
    /// 2. Loads the data. A test set comes from `testData` when set, else from the source itself (`mnist:DIR`'s
    ///    `t10k` files), else from `testFraction` of the data. A separate test set must have the same feature
    ///    count and task; string class names are matched by name and the class count is the larger of the two.
    /// 3. Splits (seeded, stream `split`; stratified when `stratify` and the task is classification); the validation
    ///    set is `validationIndices`' samples when that file is given (`ValidationIndices`).
    /// 4. Fits `scaling` on the training split and applies it to every split; mostly-zero splits also keep their
///    non-zeros (`Dataset.sparseFeatures`).
    /// `summary.contentHash` covers the loaded data before splitting, followed by the separate test set if any and
    /// the validation indices read from a file (as little-endian Int64s, in increasing order).
    /// Throws `EngineError` with a one-line message.
    public static func prepare(_ settings: DataSettings) throws -> PreparedData {
        let method = settings.scaling
        let separateTestExpected = settings.testData != nil || isMNIST(settings.data)
        try DataSplit.checkFractions(
            validation: settings.validationFraction,
            test: separateTestExpected ? 0 : settings.testFraction)

        var (data, test) = try loadSource(settings.data, settings: settings)
        if let testSource = settings.testData {
            test = try loadSource(testSource, settings: settings, field: "test_data").data
        }
        if var separate = test {
            try reconcile(&data, &separate, dataSource: settings.data, testSource: settings.testData)
            test = separate
        }
        let (train, validation, testSplit, heldOut) = try split(data, separateTest: test != nil, settings: settings)

        var hash = ContentHash()
        hash.add(data)
        if let test { hash.add(test) }
        if let heldOut { heldOut.map { Int64($0).littleEndian }.withUnsafeBytes { hash.add($0) } }
        let scaler = Scaler.fit(method, to: train.features)
        let finalTest = test ?? testSplit
        let summary = DatasetSummary(
            name: settings.data, contentHash: hash.hex, featureCount: data.featureCount,
            classCount: data.classCount, trainSize: train.sampleCount, validationSize: validation?.sampleCount ?? 0,
            testSize: finalTest?.sampleCount ?? 0)
        // Mostly-zero features (after scaling) are kept as their non-zeros too, once for every trial that uses them.
        return PreparedData(
            train: scaler.apply(to: train).withSparseFeatures(),
            validation: validation.map { scaler.apply(to: $0).withSparseFeatures() },
            test: finalTest.map { scaler.apply(to: $0).withSparseFeatures() }, summary: summary, scaler: scaler)
    }

    /// Splits `data` by `validationIndices` (then also returned) or by `validationFraction`; the test fraction
    /// only when there is no separate test set.
    private static func split(_ data: Dataset, separateTest: Bool, settings: DataSettings) throws -> (
        train: Dataset, validation: Dataset?, test: Dataset?, heldOut: [Int]?
    ) {
        let testFraction = separateTest ? 0 : settings.testFraction
        let stratify = settings.stratify && data.isClassification
        guard let path = settings.validationIndices else {
            let (train, validation, test) = try DataSplit.split(
                data, validationFraction: settings.validationFraction, testFraction: testFraction, stratify: stratify,
                seed: settings.seed)
            return (train, validation, test, nil)
        }
        if let reason = ValidationIndices.conflict(validationFraction: settings.validationFraction) {
            throw ValidationIndices.problem(path, reason)
        }
        let heldOut = try ValidationIndices.read(path, sampleCount: data.sampleCount)
        let indices = try DataSplit.indices(
            sampleCount: data.sampleCount, labels: data.labels, validation: heldOut, testFraction: testFraction,
            stratify: stratify, seed: settings.seed)
        return (
            data.subset(indices.train), data.subset(indices.validation),
            indices.test.isEmpty ? nil : data.subset(indices.test), heldOut
        )
    }

    /// Loads one source, without splitting or scaling: a bundled name, a synthetic name (optionally with
    /// parameters, `spirals:classes=5,noise=0.1`), `csv:PATH` (or a path ending in `.csv` / `.csv.gz`),
    /// `idx:IMAGES,LABELS`, `mnist:DIR` (its training files). Honours `task`, `labelColumn`, `syntheticSamples` and
    /// `seed` (stream `data`).
    public static func load(_ source: String, settings: DataSettings) throws -> Dataset {
        try loadSource(source, settings: settings).data
    }

    static func isMNIST(_ source: String) -> Bool { source.hasPrefix("mnist:") }

    /// Makes a separate test set compatible with the data (feature count, task, class indices).
    static func reconcile(_ data: inout Dataset, _ test: inout Dataset, dataSource: String, testSource: String?) throws {
        let testName = testSource.map { "test data '\($0)'" } ?? "the test set of '\(dataSource)'"
        guard test.featureCount == data.featureCount else {
            throw EngineError(
                "\(testName) has \(test.featureCount) features but data '\(dataSource)' has \(data.featureCount)")
        }
        guard test.isClassification == data.isClassification else {
            let kind = { (dataset: Dataset) in dataset.isClassification ? "class labels" : "real-valued targets" }
            throw EngineError("\(testName) has \(kind(test)) but data '\(dataSource)' has \(kind(data))")
        }
        guard data.isClassification, var labels = test.labels else {
            guard test.targets?.columns == data.targets?.columns else {
                throw EngineError("\(testName) has a different number of targets than data '\(dataSource)'")
            }
            return
        }
        if !data.classNames.isEmpty, !test.classNames.isEmpty, data.classNames != test.classNames {
            let index = Dictionary(data.classNames.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
            var mapping = [Int32](repeating: 0, count: test.classNames.count)
            for (position, name) in test.classNames.enumerated() {
                guard let target = index[name] else {
                    throw EngineError("\(testName) has class '\(name)', not found in data '\(dataSource)'")
                }
                mapping[position] = target
            }
            labels = labels.map { mapping[Int($0)] }
            test.labels = labels
            test.classNames = data.classNames
        }
        let classCount = max(data.classCount, test.classCount, Int(labels.max() ?? -1) + 1)
        data.classCount = classCount
        test.classCount = classCount
    }
}
