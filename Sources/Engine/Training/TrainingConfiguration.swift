/// Everything that determines a training run. Same configuration (including `seed`) ⇒ bit-identical losses.
///
/// Enumerated choices are kept as their user-facing names (`"he-uniform"`, `"relu"`, `"adam"`) so that the
/// configuration serialises to the same JSON a user would write; they are parsed and validated by `validate()`
/// and when the trainer builds the model. Field names in `parameters` (snake case) are the names used by sweep
/// specs, the store's `params` table and the query language.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    // Data
    /// Dataset source: a bundled name (`digits`, `iris`, `wine`, `breast-cancer`), a synthetic generator
    /// (`spirals`, `moons`, `blobs`, `xor`, `sine`), `csv:PATH`, `idx:IMAGES,LABELS` or `mnist:DIR`.
    public var data: String = "digits"
    /// Optional separate test source (same syntax as `data`); when set, `testFraction` is ignored.
    public var testData: String? = nil
    /// CSV label column, by name or zero-based index; `nil` means the last column.
    public var labelColumn: String? = nil
    /// `classification` or `regression`; `nil` infers it from the data (integer labels ⇒ classification).
    public var task: String? = nil
    /// Number of samples for synthetic generators.
    public var syntheticSamples: Int = 1000
    public var validationFraction: Double = 0
    public var testFraction: Double = 0.2
    /// Stratify the splits by class (classification only).
    public var stratify: Bool = true
    /// `none`, `standardize` or `minmax` — fitted on the training split only.
    public var scaling: String = "minmax"

    // Model
    /// Layer widths, input first, output last: `[64, 128, 10]`. An input or output of 0 means "from the data".
    public var layers: [Int] = [0, 128, 0]
    public var activation: String = "relu"
    public var batchNorm: Bool = false
    public var batchNormMomentum: Double = 0.1
    public var batchNormEpsilon: Double = 1e-5
    public var dropout: Double = 0
    public var initializer: String = "he-uniform"
    /// Bias initializer; `zeros` unless asked.
    public var biasInitializer: String = "zeros"

    // Objective
    /// `cross-entropy`, `mse` or `bce`; `nil` picks cross-entropy for classification and MSE for regression.
    public var loss: String? = nil

    // Optimisation
    public var optimizer: String = "sgd"
    public var learningRate: Double = 0.1
    public var momentum: Double = 0
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var adamEpsilon: Double = 1e-8
    public var weightDecay: Double = 0
    /// `constant`, `step`, `exponential`, `cosine`.
    public var schedule: String = "constant"
    /// Step schedule: multiply by `gamma` every `stepSize` epochs. Exponential: multiply by `gamma` every epoch.
    public var scheduleGamma: Double = 0.1
    public var scheduleStepSize: Int = 10
    /// Linear warm-up from 0 over this many iterations (0 = none).
    public var warmupSteps: Int = 0
    /// Clip gradients to this global L2 norm (0 = off).
    public var gradientClip: Double = 0

    // Loop
    public var batchSize: Int = 32
    public var epochs: Int = 10
    public var shuffle: Bool = true
    public var dropLast: Bool = false
    public var seed: UInt64 = 1

    // Stopping
    /// Stop when the epoch's training loss is at or below this value (0 = off).
    public var targetLoss: Double = 0
    /// Early stopping patience in epochs on `earlyStoppingMetric` (0 = off).
    public var patience: Int = 0
    /// `validation_loss`, `validation_accuracy`, `train_loss`.
    public var earlyStoppingMetric: String = "validation_loss"
    /// The run is `diverged` when a loss is NaN or infinite, or exceeds this multiple of the first iteration's loss
    /// (taken as at least 1); 0 keeps only the NaN/∞ test.
    public var divergenceFactor: Double = 1000

    public init() {}
}
