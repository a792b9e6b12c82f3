import Engine

/// Training a run into the store: the steps `logbook train`, `logbook rerun` and sweep workers share.
extension LogbookStore {
    /// The tensors an `initializer = run:ID` configuration starts from — that run's final weights — with the source
    /// run's id; nil for every other initializer (drawn or `file:PATH`, which the trainer loads itself).
    public func pretrainedWeights(for configuration: TrainingConfiguration) throws -> (tensors: [NamedTensor], sourceRunID: Int64)? {
        guard case .run(let id) = try Initializer(name: configuration.initializer) else { return nil }
        return (try finalWeights(run: Int64(id)), Int64(id))
    }

    /// Runs `trainer` while a recorder writes every event into `runID`, and closes the recorder whatever happens, so
    /// that everything buffered is committed before this returns or throws. `observers` arranges the recorder among
    /// the trainer's other observers (they are called in that order).
    public func trainRecording(
        _ trainer: Trainer, into runID: Int64,
        observers: (RunRecorder) -> [TrainingObserver] = { [$0] }
    ) throws -> TrainingResult {
        let recorder = try recorder(for: runID)
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
