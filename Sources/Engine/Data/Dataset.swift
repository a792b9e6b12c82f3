/// A supervised dataset: a feature matrix with integer class labels (classification) or real targets (regression).
public struct Dataset: Sendable, Equatable {
    /// The name it was loaded under (`digits`, `csv:path/to/file.csv`, `spirals`, …).
    public var name: String
    /// `sampleCount × featureCount`.
    public var features: Matrix
    /// Class labels in `0 ..< classCount`, one per sample; `nil` for regression.
    public var labels: [Int32]?
    /// `sampleCount × targetCount` real targets; `nil` for classification.
    public var targets: Matrix?
    /// Number of classes (classification); 0 for regression.
    public var classCount: Int
    public var featureNames: [String]
    public var classNames: [String]
    /// `features`' non-zero entries, when the data pipeline made them (mostly-zero data such as MNIST pixels):
    /// batches then take the first layer's sparse products without searching their rows again. Derived from
    /// `features`; nil means batches are compressed (or not) as they come.
    public var sparseFeatures: SparseRows?

    public init(
        name: String, features: Matrix, labels: [Int32]? = nil, targets: Matrix? = nil, classCount: Int,
        featureNames: [String] = [], classNames: [String] = []
    ) {
        self.name = name
        self.features = features
        self.labels = labels
        self.targets = targets
        self.classCount = classCount
        self.featureNames = featureNames
        self.classNames = classNames
    }

    public var sampleCount: Int { features.rows }
    public var featureCount: Int { features.columns }
    public var isClassification: Bool { labels != nil }
    /// Width of the model's output: the class count, or the number of regression targets.
    public var outputWidth: Int { labels != nil ? classCount : (targets?.columns ?? 0) }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        Dataset(
            name: name ?? self.name, features: features.gatherRows(indices), labels: labels.map { all in indices.map { all[$0] } },
            targets: targets?.gatherRows(indices), classCount: classCount, featureNames: featureNames,
            classNames: classNames)
    }
}
