import Engine

/// The lifecycle of a run, as stored in `runs.status`.
///
/// How a finished run is classified (the recorder's contract):
/// - `completed`: the run ended as configured — all epochs (`stop_reason = 'max_epochs'`), the target loss reached
///   (`'target_loss'`) or early stopping (`'early_stopping'`). Stopping early on purpose is a success.
/// - `diverged`: a loss became NaN or infinite (`'diverged'`); the rows up to that step are kept.
/// - `interrupted`: the caller stopped it (Ctrl-C, a sweep shutting down; `'interrupted'`), or its process died and its
///   heartbeat went stale (`'heartbeat_lost'`, set by `markStaleRunsInterrupted`). Resumable by a sweep.
/// - `failed`: training threw an error (`error` holds the message).
/// - `stopped`: stopped by a user for good (not resumable). The recorder never writes it.
/// - `pruned`: a sweep trial stopped early by the sweep's `early_terminate` rule (`pruned_rule`, `pruned_rung`); every
///   row up to that epoch is kept. Not resumable: the decision stands.
/// - `pending`: planned (a sweep trial not yet claimed); `running`: in progress, heartbeat kept.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case pending, running, completed, failed, diverged, stopped, interrupted, pruned

    /// The status a run ends with for the engine's stop reason.
    public init(_ reason: StopReason) {
        switch reason {
        case .maxEpochs, .targetLoss, .earlyStopping: self = .completed
        case .diverged: self = .diverged
        case .interrupted: self = .interrupted
        }
    }

    public var isFinished: Bool { ![.pending, .running].contains(self) }
}

/// One row of `runs`, read back.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var status: RunStatus
    public var sweepID: Int64?
    public var trialIndex: Int?
    public var seed: UInt64
    /// The configuration the run was created with (decoded from `runs.config`): re-running it reproduces the run.
    public var configuration: TrainingConfiguration
    public var model: String
    public var dataset: String
    public var stepsPerEpoch: Int?
    public var parentRunID: Int64?
    public var worker: String?
    public var host: String?
    public var logbookVersion: String
    public var createdAt: Double
    public var startedAt: Double?
    public var endedAt: Double?
    public var duration: Double?
    public var heartbeatAt: Double?
    public var stopReason: String?
    public var error: String?
    public var epochsCompleted: Int?
    public var stepsCompleted: Int?
    public var finalTrainLoss: Double?
    public var finalTrainAccuracy: Double?
    public var finalValidationLoss: Double?
    public var finalValidationAccuracy: Double?
    public var testLoss: Double?
    public var testAccuracy: Double?
    /// Trainable parameters (set when training starts).
    public var parameterCount: Int?
    /// Samples in each split (set when training starts).
    public var trainSize: Int?
    public var validationSize: Int?
    public var testSize: Int?
}
