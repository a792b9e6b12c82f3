import Engine

/// The checks that need the data, done once per distinct data setting before anything is written: the source
/// exists and loads, and the batch size fits in the training split (`DataPipeline.prepare` — the same loading and
/// splitting the trainer does, so the training-split size is exact; the check is the engine's
/// `checkBatchSize(trainingSamples:)`, the trainer's own).
struct DatasetSizing {
    private var trainSizes: [DataSettings: Int] = [:]
    /// The file-backed sources' content hashes, as loaded here (kept with the sweep).
    private(set) var dataHashes = SweepDataHashes()
    /// Whether any loaded training split had regression targets, and whether any had class labels.
    private(set) var sawRegression = false
    private(set) var sawClassification = false

    /// The data settings that decide the training split's size (not the seed: splits have fixed sizes).
    static func key(_ configuration: TrainingConfiguration) -> DataSettings {
        var settings = configuration.dataSettings
        settings.seed = 0
        settings.scaling = .none
        return settings
    }

    mutating func trainSize(_ configuration: TrainingConfiguration) throws -> Int {
        let key = DatasetSizing.key(configuration)
        if let size = trainSizes[key] { return size }
        let size: Int
        do {
            let prepared = try DataPipeline.prepare(configuration.dataSettings)
            size = prepared.train.sampleCount
            if prepared.train.targets != nil { sawRegression = true } else { sawClassification = true }
            dataHashes.record(prepared.summary, for: configuration.dataSettings)
        } catch let error as EngineError {
            throw SweepError(error.message)
        }
        trainSizes[key] = size
        return size
    }

    mutating func checkBatchSize(_ configuration: TrainingConfiguration) throws {
        let trainSize = try trainSize(configuration)
        do { try configuration.checkBatchSize(trainingSamples: trainSize) } catch let error as EngineError {
            throw SweepError(error.message)
        }
    }
}
