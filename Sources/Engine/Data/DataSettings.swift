/// What `DataPipeline` needs to know: the sources, how to read, split and scale them, and the seed of the split
/// and of synthetic generators. Field names (and meanings) are `TrainingConfiguration`'s.
public struct DataSettings: Sendable, Hashable {
    public var data: String
    public var testData: String?
    public var labelColumn: String?
    public var task: LabelTask?
    public var syntheticSamples: Int
    public var validationFraction: Double
    /// A file of the sample indices held out for validation (`ValidationIndices.read`).
    public var validationIndices: String?
    public var testFraction: Double
    public var stratify: Bool
    public var scaling: Scaler.Method
    public var seed: UInt64

    public init(
        data: String, testData: String? = nil, labelColumn: String? = nil, task: LabelTask? = nil,
        syntheticSamples: Int = 1000, validationFraction: Double = 0, validationIndices: String? = nil, testFraction: Double = 0.2, stratify: Bool = true,
        scaling: Scaler.Method = .minmax, seed: UInt64 = 1
    ) {
        self.data = data
        self.testData = testData
        self.labelColumn = labelColumn
        self.task = task
        self.syntheticSamples = syntheticSamples
        self.validationFraction = validationFraction
        self.validationIndices = validationIndices
        self.testFraction = testFraction
        self.stratify = stratify
        self.scaling = scaling
        self.seed = seed
    }
}
