import Engine

/// A run to insert: its configuration and where it stands. Both stores insert the same values — `bindings`, in the
/// order of `NewRun.columns` — and add the three times (`created_at`, `started_at`, `heartbeat_at`) from their own
/// clock: SQLite binds this process's time, PostgreSQL writes the server's `now()`.
public struct NewRun: Sendable {
    /// The columns of `bindings`, in order; the statement appends `created_at, started_at, heartbeat_at`.
    static let columns = """
        name, sweep_id, trial_index, status, seed, model, layers, activation, batch_norm, dataset, batch_size,
        learning_rate, initializer, epochs, optimizer, momentum, weight_decay, lr_schedule, loss, config,
        parent_run_id, worker, host, logbook_version
        """

    /// The run's name; nil names it `run-ID` once the id is known.
    let name: String?
    /// `.running` also stamps `started_at` and the first heartbeat.
    let isRunning: Bool
    /// The values of `columns`, in order.
    let bindings: [SQLValue]
    /// Every hyperparameter, as `params` rows (snake-case keys).
    let parameters: [(String, SQLValue)]

    /// A run outside any sweep (what `logbook train` and `rerun` create).
    public init(
        _ configuration: TrainingConfiguration, name: String? = nil, parentRunID: Int64? = nil,
        status: RunStatus = .running
    ) throws {
        try self.init(
            configuration, name: name, sweepID: nil, trialIndex: nil, parentRunID: parentRunID, status: status,
            worker: nil)
    }

    /// A sweep's trial, or any run: a sweep's trials are `.pending` (planned) or `.running` under `worker` (made
    /// on demand inside a claim).
    init(
        _ configuration: TrainingConfiguration, name: String?, sweepID: Int64?, trialIndex: Int?, parentRunID: Int64?,
        status: RunStatus, worker: String?
    ) throws {
        self.name = name
        isRunning = status == .running
        let model = Sequential.describe(
            widths: configuration.layers, activation: configuration.activation.rawValue,
            batchNorm: configuration.batchNorm, dropout: configuration.dropout)
        bindings = [
            .text(name ?? ""), sweepID.map(SQLValue.integer) ?? .null, trialIndex.map { .integer(Int64($0)) } ?? .null,
            .text(status.rawValue), .integer(Int64(bitPattern: configuration.seed)), .text(model),
            .text(configuration.layers.map(String.init).joined(separator: "-")),
            .text(configuration.activation.rawValue), .integer(configuration.batchNorm ? 1 : 0),
            .text(configuration.data), .integer(Int64(configuration.batchSize)), .real(configuration.learningRate),
            .text(configuration.initializer.description), .integer(Int64(configuration.epochs)),
            .text(configuration.optimizer.rawValue), .real(configuration.momentum), .real(configuration.weightDecay),
            .text(configuration.schedule.rawValue), .text(configuration.loss?.rawValue ?? "auto"),
            .text(try ConfigurationCoding.json(configuration)), parentRunID.map(SQLValue.integer) ?? .null,
            worker.map(SQLValue.text) ?? .null, .text(Provenance.hostName), .text(Provenance.logbookVersion),
        ]
        parameters = ConfigurationCoding.parameters(configuration)
    }
}
