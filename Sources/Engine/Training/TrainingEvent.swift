/// What the training loop tells its observers. The engine emits; the store records; a progress display shows.
///
/// Steps are counted from 1 across the whole run (`step`), epochs from 1, batch indices from 0 within an epoch:
/// step `s` belongs to epoch `(s - 1) / stepsPerEpoch + 1` and batch `(s - 1) % stepsPerEpoch`.
public enum TrainingEvent: Sendable {
    case started(RunStart)
    /// Weights at a point of the run (`initial` before the first step, `final` after the last).
    case weights(WeightsSnapshot)
    case iteration(IterationEnded)
    case epoch(EpochEnded)
    case evaluation(Evaluation)
    case finished(RunFinished)
}

/// Receives the events of one run, in order, on the training thread. Keep `handle` cheap for `.iteration`.
public protocol TrainingObserver: AnyObject {
    func handle(_ event: TrainingEvent) throws
}

/// Emitted once before the first step.
public struct RunStart: Sendable, Equatable {
    public var configuration: TrainingConfiguration
    public var dataset: DatasetSummary
    /// Resolved layer widths (input and output filled in from the data).
    public var layers: [Int]
    /// A compact description of the model, e.g. `64-128-10 relu +bn`.
    public var modelDescription: String
    public var parameterCount: Int
    public var stepsPerEpoch: Int
    public var plannedSteps: Int

    public init(
        configuration: TrainingConfiguration, dataset: DatasetSummary, layers: [Int], modelDescription: String,
        parameterCount: Int, stepsPerEpoch: Int, plannedSteps: Int
    ) {
        self.configuration = configuration
        self.dataset = dataset
        self.layers = layers
        self.modelDescription = modelDescription
        self.parameterCount = parameterCount
        self.stepsPerEpoch = stepsPerEpoch
        self.plannedSteps = plannedSteps
    }
}

/// Name, content hash and split sizes of the data a run trained on.
public struct DatasetSummary: Sendable, Equatable, Codable {
    public var name: String
    /// FNV-1a 64-bit hash of the features and labels of the full dataset (before splitting), hex.
    public var contentHash: String
    public var featureCount: Int
    /// Number of classes; 0 for regression.
    public var classCount: Int
    public var trainSize: Int
    public var validationSize: Int
    public var testSize: Int

    public init(
        name: String, contentHash: String, featureCount: Int, classCount: Int, trainSize: Int, validationSize: Int,
        testSize: Int
    ) {
        self.name = name
        self.contentHash = contentHash
        self.featureCount = featureCount
        self.classCount = classCount
        self.trainSize = trainSize
        self.validationSize = validationSize
        self.testSize = testSize
    }
}

public struct IterationEnded: Sendable, Equatable {
    public var step: Int
    public var epoch: Int
    public var batchIndex: Int
    /// Mean loss over the mini-batch (the value the gradient was taken of).
    public var loss: Float
    public var learningRate: Float

    public init(step: Int, epoch: Int, batchIndex: Int, loss: Float, learningRate: Float) {
        self.step = step
        self.epoch = epoch
        self.batchIndex = batchIndex
        self.loss = loss
        self.learningRate = learningRate
    }
}

public struct EpochEnded: Sendable, Equatable {
    public var epoch: Int
    /// Last global step of the epoch.
    public var step: Int
    /// Mean of the epoch's iteration losses, weighted by batch size.
    public var trainLoss: Double
    /// Accuracy on the training batches as they were trained (classification), else nil.
    public var trainAccuracy: Double?
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var learningRate: Double
    public var seconds: Double
    public var samplesPerSecond: Double

    public init(
        epoch: Int, step: Int, trainLoss: Double, trainAccuracy: Double?, validationLoss: Double?,
        validationAccuracy: Double?, learningRate: Double, seconds: Double, samplesPerSecond: Double
    ) {
        self.epoch = epoch
        self.step = step
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
    }
}

/// An evaluation of the model on one split.
public struct Evaluation: Sendable, Equatable {
    /// `train`, `validation` or `test`.
    public var split: String
    public var epoch: Int
    public var sampleCount: Int
    public var loss: Double
    /// Classification only.
    public var accuracy: Double?
    /// `confusion[actual][predicted]` counts; classification only.
    public var confusion: [[Int]]?
    /// Regression only.
    public var meanSquaredError: Double?
    public var meanAbsoluteError: Double?
    public var rSquared: Double?

    public init(
        split: String, epoch: Int, sampleCount: Int, loss: Double, accuracy: Double? = nil,
        confusion: [[Int]]? = nil, meanSquaredError: Double? = nil, meanAbsoluteError: Double? = nil,
        rSquared: Double? = nil
    ) {
        self.split = split
        self.epoch = epoch
        self.sampleCount = sampleCount
        self.loss = loss
        self.accuracy = accuracy
        self.confusion = confusion
        self.meanSquaredError = meanSquaredError
        self.meanAbsoluteError = meanAbsoluteError
        self.rSquared = rSquared
    }
}

/// Why a run ended.
public enum StopReason: String, Sendable, Codable, CaseIterable {
    /// All configured epochs ran.
    case maxEpochs = "max_epochs"
    /// The epoch's training loss reached `targetLoss`.
    case targetLoss = "target_loss"
    /// The early-stopping metric did not improve for `patience` epochs.
    case earlyStopping = "early_stopping"
    /// A loss became NaN or infinite.
    case diverged = "diverged"
    /// The caller asked the run to stop (Ctrl-C, a sweep shutting down).
    case interrupted = "interrupted"
}

public struct RunFinished: Sendable, Equatable {
    public var reason: StopReason
    public var epochsCompleted: Int
    public var stepsCompleted: Int
    public var seconds: Double
    /// Human-readable detail, e.g. the step at which the loss became NaN.
    public var detail: String?

    public init(reason: StopReason, epochsCompleted: Int, stepsCompleted: Int, seconds: Double, detail: String? = nil) {
        self.reason = reason
        self.epochsCompleted = epochsCompleted
        self.stepsCompleted = stepsCompleted
        self.seconds = seconds
        self.detail = detail
    }
}

/// A copy of every tensor of the model: trainable parameters and buffers (batch-norm running statistics).
public struct WeightsSnapshot: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case initial, final }
    public var kind: Kind
    public var tensors: [NamedTensor]

    public init(kind: Kind, tensors: [NamedTensor]) {
        self.kind = kind
        self.tensors = tensors
    }
}

/// A named float32 tensor. `role` separates trainable parameters from buffers.
public struct NamedTensor: Sendable, Equatable {
    public enum Role: String, Sendable, Codable { case parameter, buffer }
    /// Dotted path, e.g. `layers.0.weight`, `layers.1.running_mean`.
    public var name: String
    public var role: Role
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, role: Role, shape: [Int], values: [Float]) {
        self.name = name
        self.role = role
        self.shape = shape
        self.values = values
    }
}
