/// Everything that determines a training run. Same configuration (including `seed`) ⇒ bit-identical losses.
///
/// Enumerated choices are typed (`OptimizerKind`, `Initializer`, …) and encode as the names users write
/// (`"adam"`, `"he-uniform"`), so the JSON is the one a user would write. Every field is a row of the parameter
/// registry (`Hyperparameter.all`): its snake-case name — used by sweep specs, the `train` flags, the store's
/// `params` table and the query language — its range or choices, its help text. `validate()` checks them all.
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
    public var task: LabelTask? = nil
    /// Number of samples for synthetic generators.
    public var syntheticSamples: Int = 1000
    public var validationFraction: Double = 0
    /// A file naming the samples of `data` held out for validation (zero-based indices), instead of
    /// `validationFraction`; `nil` splits by the fraction.
    public var validationIndices: String? = nil
    public var testFraction: Double = 0.2
    /// Stratify the splits by class (classification only).
    public var stratify: Bool = true
    /// Fitted on the training split only.
    public var scaling: Scaler.Method = .minmax

    // Model
    /// Layer widths, input first, output last: `[64, 128, 10]`. An input or output of 0 means "from the data".
    public var layers: [Int] = [0, 128, 0]
    public var activation: ActivationKind = .relu
    public var batchNorm: Bool = false
    public var batchNormMomentum: Double = 0.1
    public var batchNormEpsilon: Double = 1e-5
    public var dropout: Double = 0
    public var initializer: Initializer = .heUniform
    /// Bias initializer; `zeros` unless asked.
    public var biasInitializer: Initializer = .zeros

    // Objective
    /// `nil` picks cross-entropy for classification and MSE for regression.
    public var loss: LossKind? = nil
    /// Label smoothing ε of the cross-entropy loss, in [0, 1) (0 = off); see `LossKind.crossEntropy`.
    public var labelSmoothing: Double = 0

    // Optimisation
    public var optimizer: OptimizerKind = .sgd
    public var learningRate: Double = 0.1
    public var momentum: Double = 0
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var adamEpsilon: Double = 1e-8
    public var weightDecay: Double = 0
    public var schedule: ScheduleKind = .constant
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
    public var earlyStoppingMetric: EarlyStoppingMetric = .validationLoss
    /// The run is `diverged` when a loss is NaN or infinite, or exceeds this multiple of the first iteration's loss
    /// (taken as at least 1); 0 keeps only the NaN/∞ test.
    public var divergenceFactor: Double = 1000

    public init() {}
}
