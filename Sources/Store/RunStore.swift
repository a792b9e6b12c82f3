import Engine

/// What training, re-runs and sweep workers need from a store: the run lifecycle and its recorder. `LogbookStore`
/// (SQLite, one machine) conforms; a PostgreSQL store for multi-machine sweeps will conform the same way, with the
/// trial queue's claim-and-heartbeat protocol (see `LogbookStore+TrialQueue.swift`) on top. Code that only needs
/// these methods should take `any RunStore`.
public protocol RunStore: AnyObject, Sendable {
    /// Creates a run (`.running` stamps the start and first heartbeat; sweeps plan trials as `.pending`).
    func createRun(
        _ configuration: TrainingConfiguration, name: String?, sweepID: Int64?, trialIndex: Int?, parentRunID: Int64?,
        status: RunStatus, worker: String?
    ) throws -> Int64
    /// A `TrainingObserver` that records the run's events; `close()` it when training returns or throws.
    func makeRecorder(for runID: Int64) throws -> any RunRecording
    func run(id: Int64) throws -> RunRecord
    func markRunFailed(_ runID: Int64, message: String) throws
    func setFinalStatus(_ runID: Int64, status: RunStatus, stopReason: String?, error: String?) throws
    func finalWeights(run runID: Int64) throws -> [NamedTensor]
    func lossCurve(run runID: Int64) throws -> [Float]
    @discardableResult func markStaleRunsInterrupted(olderThan seconds: Double) throws -> [Int64]
}

/// A recorder: observes one run's training events and commits them; `close()` flushes and stops its heartbeat.
public protocol RunRecording: TrainingObserver {
    var runID: Int64 { get }
    func close() throws
}

extension RunRecorder: RunRecording {}

extension LogbookStore: RunStore {
    public func makeRecorder(for runID: Int64) throws -> any RunRecording { try recorder(for: runID) }
}
