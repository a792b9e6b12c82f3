import Engine
import Foundation
import Store

/// The production training function of sweep workers: the engine's `Trainer` with the store's `RunRecorder`
/// recording into the trial's run.
public enum EngineTrialTraining {
    /// Builds the trainer (weights of `run:ID` initializers come from the store), records every event into
    /// `trial.runID` and maps the stop reason to the outcome: max epochs / target loss / early stopping ⇒
    /// `completed`; NaN/Inf loss ⇒ `diverged`; `shouldStop` ⇒ `interrupted`. Errors are thrown (⇒ `failed`).
    /// The data of every trial comes from the process's `PreparedDataCache.shared`.
    public static let train: TrialTraining = train(pruning: nil)

    /// The same, with the sweep's early termination: after each epoch is recorded, `pruning` decides; a stop ends
    /// training as `.pruned` (the rows recorded so far are kept). `dataCache` nil: every trial loads its data afresh.
    /// `dataHashes` (the sweep's, `SweepDataHashes.stored(json:)`): data loaded here that differs from them fails
    /// the trial with one line before anything is recorded.
    public static func train(
        pruning: TrialPruning?, dataCache: PreparedDataCache? = .shared, dataHashes: SweepDataHashes = SweepDataHashes()
    ) -> TrialTraining {
        { trial, store, shouldStop in
            try train(trial, store: store, shouldStop: shouldStop, pruning: pruning, dataCache: dataCache, dataHashes: dataHashes)
        }
    }

    static func train(
        _ trial: ClaimedTrial, store: any LogbookStoring, shouldStop: @escaping @Sendable () -> Bool, pruning: TrialPruning?,
        dataCache: PreparedDataCache?, dataHashes: SweepDataHashes
    ) throws -> TrialOutcome {
        let configuration = trial.configuration
        let pretrained = try RecordedTraining.pretrainedWeights(for: configuration, in: store)
        try configuration.validate()  // before the data: a bad configuration fails as it would without the cache
        var data = try dataCache?.data(for: configuration.dataSettings)
        if SweepDataHashes.key(configuration.dataSettings).map({ dataHashes.hashes[$0] != nil }) == true {
            let prepared = try data ?? DataPipeline.prepare(configuration.dataSettings)
            try dataHashes.check(prepared.summary, for: configuration.dataSettings)
            data = prepared
        }
        let trainer = try Trainer(configuration: configuration, pretrainedWeights: pretrained?.tensors, data: data)
        trainer.shouldStop = shouldStop
        // The lease goes first: once the trial is taken away, no further event reaches the recorder. The pruner goes
        // after the recorder, so the epoch it stops at is recorded.
        let result: TrainingResult
        do {
            result = try RecordedTraining.train(trainer, into: trial.runID, store: store) { recorder in
                [TrialLease(store: store, trial: trial), recorder] + (pruning.map { [$0.observer(trial: trial, store: store)] } ?? [])
            }
        } catch let pruned as TrialPruned {
            return .pruned(pruned.decision)
        }
        switch RunStatus(result.finished.reason) {
        case .diverged: return .diverged
        case .interrupted: return .interrupted
        default: return .completed
        }
    }
}

/// Keeps a worker honest about the trial it holds: at the start, at the end and every `interval` seconds of training
/// it refreshes the heartbeat under its worker id, and if the store says the trial is no longer its own (re-queued
/// after a stale heartbeat and claimed by another worker), it throws — ending this attempt before it records anything
/// more into that run.
final class TrialLease: TrainingObserver {
    let store: any TrialQueue
    let trial: ClaimedTrial
    let interval: Double
    private var lastCheck = Date().timeIntervalSince1970

    init(store: any TrialQueue, trial: ClaimedTrial, interval: Double = 2) {
        self.store = store
        self.trial = trial
        self.interval = interval
    }

    /// Checks at the start, at the finish, and at most every `interval` seconds in between.
    func handle(_ event: TrainingEvent) throws {
        switch event {
        case .started, .finished:
            break
        default:
            let now = Date().timeIntervalSince1970
            guard now - lastCheck >= interval else { return }
            lastCheck = now
        }
        guard try store.heartbeat(runID: trial.runID, worker: trial.worker) else {
            throw SweepError("trial \(trial.trialIndex) (run \(trial.runID)) was re-queued while \(trial.worker) trained it; attempt dropped")
        }
    }
}
