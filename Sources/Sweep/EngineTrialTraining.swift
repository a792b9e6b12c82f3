import Engine
import Foundation
import Store

/// The production training function of sweep workers: the engine's `Trainer` with the store's `RunRecorder`
/// recording into the trial's run.
public enum EngineTrialTraining {
    /// Builds the trainer (weights of `run:ID` initializers come from the store), records every event into
    /// `trial.runID` and maps the stop reason to the outcome: max epochs / target loss / early stopping ⇒
    /// `completed`; NaN/Inf loss ⇒ `diverged`; `shouldStop` ⇒ `interrupted`. Errors are thrown (⇒ `failed`).
    public static let train: TrialTraining = { trial, store, shouldStop in
        let configuration = trial.configuration
        var pretrained: [NamedTensor]?
        if case .run(let sourceRun) = try Initializer(name: configuration.initializer) {
            pretrained = try store.finalWeights(run: Int64(sourceRun))
        }
        let trainer = try Trainer(configuration: configuration, pretrainedWeights: pretrained)
        let recorder = try store.recorder(for: trial.runID)
        trainer.observers.append(recorder)
        trainer.shouldStop = shouldStop
        let result: TrainingResult
        do {
            result = try trainer.run()
        } catch {
            try? recorder.close()
            throw error
        }
        try recorder.close()
        switch RunStatus(result.finished.reason) {
        case .diverged: return .diverged
        case .interrupted: return .interrupted
        default: return .completed
        }
    }
}
