import Engine
import Store

/// Training a configuration and recording it into the store: the steps `logbook train`, `logbook rerun` and sweep
/// workers share. The engine emits events and the store's recorder writes them; this joins the two, so that Store
/// never runs the engine. Any `RunStore` will do (SQLite today, another store for multi-machine sweeps).
public enum RecordedTraining {
    /// The tensors an `initializer = run:ID` configuration starts from — that run's final weights — with the source
    /// run's id; nil for every other initializer (drawn or `file:PATH`, which the trainer loads itself).
    public static func pretrainedWeights(
        for configuration: TrainingConfiguration, in store: any RunStore
    ) throws -> (tensors: [NamedTensor], sourceRunID: Int64)? {
        guard case .run(let id) = configuration.initializer else { return nil }
        return (try store.finalWeights(run: Int64(id)), Int64(id))
    }

    /// Runs `trainer` while a recorder writes every event into `runID`, and closes the recorder whatever happens, so
    /// that everything buffered is committed before this returns or throws. `observers` arranges the recorder among
    /// the trainer's other observers (they are called in that order).
    public static func train(
        _ trainer: Trainer, into runID: Int64, store: any RunStore,
        observers: (any RunRecording) -> [TrainingObserver] = { [$0] }
    ) throws -> TrainingResult {
        let recorder = try store.makeRecorder(for: runID)
        trainer.observers = observers(recorder)
        let result: TrainingResult
        do {
            result = try trainer.run()
        } catch {
            try? recorder.close()
            throw error
        }
        try recorder.close()
        return result
    }
}
