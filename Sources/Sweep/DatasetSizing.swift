import Engine

/// The checks that need the data, done once per distinct data setting before anything is written: the source
/// exists and loads, and the batch size fits in the training split (`DataPipeline.prepare` — the same loading and
/// splitting the trainer does, so the training-split size is exact).
struct DatasetSizing {
    private var trainSizes: [String: Int] = [:]

    /// The data settings that decide the training split's size (not the seed: splits have fixed sizes).
    static func key(_ configuration: TrainingConfiguration) -> String {
        [
            configuration.data, configuration.testData ?? "", configuration.labelColumn ?? "", configuration.task ?? "",
            "\(configuration.syntheticSamples)", "\(configuration.validationFraction)", "\(configuration.testFraction)",
            "\(configuration.stratify)",
        ].joined(separator: "|")
    }

    mutating func trainSize(_ configuration: TrainingConfiguration) throws -> Int {
        let key = DatasetSizing.key(configuration)
        if let size = trainSizes[key] { return size }
        let size: Int
        do {
            size = try DataPipeline.prepare(configuration).train.sampleCount
        } catch let error as EngineError {
            throw SweepError(error.message)
        }
        trainSizes[key] = size
        return size
    }

    mutating func checkBatchSize(_ configuration: TrainingConfiguration) throws {
        let trainSize = try trainSize(configuration)
        if configuration.batchSize > trainSize {
            throw SweepError(
                "invalid batch_size \(configuration.batchSize): larger than the training split of '\(configuration.data)' (\(trainSize) samples)")
        }
    }
}
