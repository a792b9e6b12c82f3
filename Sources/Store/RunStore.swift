import Engine

/// Runs and their recording: what training, re-runs and sweep workers need. `LogbookStore` (SQLite, one machine)
/// implements it; `PostgreSQLStore` (multi-machine sweeps) implements the same methods with the same guarantees.
///
/// Every method is one transaction: it happens whole or not at all. Unknown run ids throw `no run with id N`.
public protocol RunStore: AnyObject, Sendable {
    /// Where the store lives — the SQLite file path, or the PostgreSQL URL without its password; worker processes
    /// are handed it as `--db`.
    var path: String { get }

    /// Creates a run and returns its id: the row, its full configuration and every hyperparameter (`params`, snake-case
    /// keys). `.running` also stamps the start and the first heartbeat, so the run exists before its first step.
    /// `name` defaults to `run-ID`. (Sweeps create their trials through `TrialQueue`.)
    @discardableResult
    func createRun(_ run: NewRun) throws -> Int64
    /// A `TrainingObserver` that records the run's events (iterations, epochs, evaluations, weights, the finish) and
    /// keeps its heartbeat fresh every `Heartbeat.interval` while open; `close()` it when training returns or throws.
    /// Recording never blocks the training thread on the database.
    func makeRecorder(for runID: Int64) throws -> any RunRecording
    /// The run with `id`.
    func run(id: Int64) throws -> RunRecord
    /// Runs, newest first, optionally only those of one sweep or with one status (`limit` -1: all).
    func runs(sweepID: Int64?, status: RunStatus?, limit: Int) throws -> [RunRecord]
    /// Ends a run that threw: `failed`, with the message kept, end time and duration set.
    func markRunFailed(_ runID: Int64, message: String) throws
    /// Sets a final status (e.g. `.interrupted` after Ctrl-C when no `.finished` event was emitted, or `.stopped`).
    func setFinalStatus(_ runID: Int64, status: RunStatus, stopReason: String?, error: String?) throws
    /// The run's `initial` or `final` tensors in model order, bit-exact copies of what the recorder received; throws
    /// when the run has none (it has not finished).
    func weights(run runID: Int64, kind: WeightsSnapshot.Kind) throws -> [NamedTensor]
    /// Every recorded iteration loss of the run, in step order (index `s - 1` holds step `s`; NaN where it was NaN).
    func lossCurve(run runID: Int64) throws -> [Float]
    /// Marks `interrupted` (stop reason `heartbeat_lost`) every `running` run whose heartbeat is older than `seconds`
    /// — its process died. Returns their ids, sorted.
    @discardableResult func markStaleRunsInterrupted(olderThan seconds: Double) throws -> [Int64]
}

extension RunStore {
    /// A run outside any sweep (what `logbook train` and `rerun` create, `.running`).
    @discardableResult
    public func createRun(
        _ configuration: TrainingConfiguration, name: String? = nil, parentRunID: Int64? = nil,
        status: RunStatus = .running
    ) throws -> Int64 {
        try createRun(NewRun(configuration, name: name, parentRunID: parentRunID, status: status))
    }

    /// The final weights of a run (parameters and buffers, in model order), e.g. for `--init run:ID`.
    public func finalWeights(run runID: Int64) throws -> [NamedTensor] { try weights(run: runID, kind: .final) }

    /// Runs of one sweep (or all), newest first.
    public func runs(sweepID: Int64? = nil, status: RunStatus? = nil) throws -> [RunRecord] {
        try runs(sweepID: sweepID, status: status, limit: -1)
    }

    /// Marks runs abandoned by the `Heartbeat.staleAfter` rule.
    @discardableResult
    public func markStaleRunsInterrupted() throws -> [Int64] { try markStaleRunsInterrupted(olderThan: Heartbeat.staleAfter) }
}

/// A recorder: observes one run's training events and commits them; `close()` flushes and stops its heartbeat.
public protocol RunRecording: TrainingObserver {
    var runID: Int64 { get }
    /// Commits everything buffered and stops the heartbeat; idempotent; throws the first write error.
    func close() throws
}

extension RunRecorder: RunRecording {}
