import Engine
import Foundation

/// Sweeps whose trials are created on demand (method tpe) and early termination, over SQLite. The guarantees are
/// those of `TrialQueue` (see there); the SQL:
/// - `claimOrCreateTrial` first claims a pending retry with `claimNextTrial`; otherwise it creates in ONE
///   `BEGIN IMMEDIATE` transaction: SQLite's write lock serialises every claimer and creator of the file, so the check
///   that nothing is pending, the count of trial indices, the history handed to `suggest` and the insert of index
///   `count` are one atomic step — no index is created twice and never more than `planned_trials`.
/// - `pruneTrial` is one guarded `UPDATE … WHERE status = 'running' AND worker = ?`, like `finishTrial`.
extension LogbookStore {
    public func claimOrCreateTrial(
        sweepID: Int64, worker: String, reusing earlier: [TrialHistoryRecord],
        suggest: (_ trialIndex: Int, _ history: [TrialHistoryRecord]) throws -> TrainingConfiguration
    ) throws -> ClaimedTrial? {
        let known = KnownConfigurations(earlier)
        while true {
            if let retry = try claimNextTrial(sweepID: sweepID, worker: worker) { return retry }
            switch try createTrial(sweepID: sweepID, worker: worker, known: known, suggest: suggest) {
            case .created(let trial): return trial
            case .full: return nil
            case .pendingAppeared: continue  // a trial was re-queued meanwhile: claim it first
            }
        }
    }

    private enum Creation { case created(ClaimedTrial), full, pendingAppeared }

    /// Steps 2–3 of `claimOrCreateTrial`, in one IMMEDIATE transaction.
    private func createTrial(
        sweepID: Int64, worker: String, known: KnownConfigurations,
        suggest: (_ trialIndex: Int, _ history: [TrialHistoryRecord]) throws -> TrainingConfiguration
    ) throws -> Creation {
        try write { connection in
            guard let planned = try connection.scalarInt("SELECT planned_trials FROM sweeps WHERE id = ?", [.integer(sweepID)]) else {
                throw StoreError("no sweep with id \(sweepID)")
            }
            let pending = try connection.scalarInt(
                "SELECT count(*) FROM runs WHERE sweep_id = ? AND status = 'pending'", [.integer(sweepID)]) ?? 0
            if pending > 0 { return .pendingAppeared }
            let created = try connection.scalarInt(
                "SELECT count(*) FROM runs WHERE sweep_id = ? AND trial_index IS NOT NULL", [.integer(sweepID)]) ?? 0
            guard created < planned else { return .full }
            let trialIndex = Int(created)
            let history = try LogbookStore.trialHistory(sweepID: sweepID, known: known, connection: connection)
            let configuration = try suggest(trialIndex, history)
            let name = try connection.scalarText("SELECT name FROM sweeps WHERE id = ?", [.integer(sweepID)]) ?? "sweep"
            let trial = try NewRun(
                configuration, name: "\(name)-\(sweepID)-t\(trialIndex)", sweepID: sweepID, trialIndex: trialIndex,
                parentRunID: nil, status: .running, worker: worker)
            let runID = try LogbookStore.insertRun(trial, connection: connection)
            return .created(ClaimedTrial(runID: runID, sweepID: sweepID, trialIndex: trialIndex, worker: worker, configuration: configuration))
        }
    }

    /// The sweep's trials (runs with a trial index), in trial order, with their configurations and final figures; the
    /// configurations of runs `known` holds are taken from it, the others read (see `KnownConfigurations`).
    static func trialHistory(sweepID: Int64, known: KnownConfigurations, connection: SQLiteConnection) throws -> [TrialHistoryRecord] {
        var records: [TrialHistoryRecord] = []
        var unknown: [Int] = []
        try connection.forEachRow(
            """
            SELECT id, trial_index, status, CASE WHEN id > ?2 THEN config END, epochs_completed, final_train_loss,
                   final_train_accuracy, final_validation_loss, final_validation_accuracy, test_loss, test_accuracy, duration
            FROM runs WHERE sweep_id = ?1 AND trial_index IS NOT NULL ORDER BY trial_index
            """, [.integer(sweepID), .integer(known.newestRunID)]
        ) { row in
            let runID = row.int64(0)
            var figures = [String: Double](minimumCapacity: TrialHistoryRecord.figureNames.count)
            for (offset, name) in TrialHistoryRecord.figureNames.enumerated() { figures[name] = row.optionalDouble(Int32(5 + offset)) }
            let configuration = try row.optionalText(3).map { try ConfigurationCoding.configuration(fromJSON: $0, runID: runID) }
                ?? known.configuration(runID: runID)
            if configuration == nil { unknown.append(records.count) }
            records.append(
                TrialHistoryRecord(
                    runID: runID, trialIndex: row.int(1), status: RunStatus(rawValue: row.text(2)) ?? .failed,
                    configuration: configuration ?? TrainingConfiguration(), epochsCompleted: row.optionalInt(4) ?? 0,
                    figures: figures))
        }
        try KnownConfigurations.complete(&records, at: unknown) { runID in
            try connection.scalarText("SELECT config FROM runs WHERE id = ?", [.integer(runID)])
        }
        return records
    }

    @discardableResult
    public func pruneTrial(runID: Int64, worker: String, rule: String, rung: Int?, detail: String) throws -> Bool {
        try write { connection in
            let now = LogbookStore.now
            try connection.execute(
                """
                UPDATE runs SET status = 'pruned', stop_reason = ?1, pruned_rule = ?1, pruned_rung = ?2, pruned_detail = ?3,
                    ended_at = ?4, duration = ?4 - started_at,
                    epochs_completed = (SELECT max(epoch) FROM epochs WHERE run_id = runs.id),
                    steps_completed = (SELECT max(step) FROM epochs WHERE run_id = runs.id),
                    final_train_loss = (SELECT train_loss FROM epochs WHERE run_id = runs.id ORDER BY epoch DESC LIMIT 1),
                    final_train_accuracy = (SELECT train_accuracy FROM epochs WHERE run_id = runs.id ORDER BY epoch DESC LIMIT 1),
                    final_validation_loss = (SELECT validation_loss FROM epochs WHERE run_id = runs.id ORDER BY epoch DESC LIMIT 1),
                    final_validation_accuracy = (SELECT validation_accuracy FROM epochs WHERE run_id = runs.id ORDER BY epoch DESC LIMIT 1)
                WHERE id = ?5 AND status = 'running' AND worker = ?6
                """,
                [.text(rule), rung.map { .integer(Int64($0)) } ?? .null, .text(detail), .real(now), .integer(runID), .text(worker)])
            return connection.changes == 1
        }
    }

    public func sweepEpochCurves(sweepID: Int64, metric: EpochMetric) throws -> [TrialEpochValues] {
        try readTransaction { connection in
            var curves: [Int64: TrialEpochValues] = [:]
            var order: [Int64] = []
            // The column name comes from the EpochMetric enum (a fixed whitelist), never from input.
            try connection.forEachRow(
                """
                SELECT r.id, r.trial_index, r.status, e.epoch, e.\(metric.rawValue)
                FROM runs AS r LEFT JOIN epochs AS e ON e.run_id = r.id
                WHERE r.sweep_id = ? AND r.trial_index IS NOT NULL ORDER BY r.trial_index, e.epoch
                """, [.integer(sweepID)]
            ) { row in
                let runID = row.int64(0)
                if curves[runID] == nil {
                    order.append(runID)
                    curves[runID] = TrialEpochValues(
                        runID: runID, trialIndex: row.int(1), status: RunStatus(rawValue: row.text(2)) ?? .failed, values: [:])
                }
                if let epoch = row.optionalInt(3) { curves[runID]!.values[epoch] = row.optionalDouble(4) ?? .nan }
            }
            return order.map { curves[$0]! }
        }
    }
}

/// A per-epoch metric of the `epochs` table (the columns early termination may decide on).
public enum EpochMetric: String, Sendable, CaseIterable {
    case validationLoss = "validation_loss", validationAccuracy = "validation_accuracy"
    case trainLoss = "train_loss", trainAccuracy = "train_accuracy"
}

/// One trial of a sweep as TPE sees it when a new trial is created.
public struct TrialHistoryRecord: Sendable, Equatable {
    public var runID: Int64
    public var trialIndex: Int
    public var status: RunStatus
    public var configuration: TrainingConfiguration
    public var epochsCompleted: Int
    /// Final figures by `run_summary` name (train_loss, train_accuracy, validation_loss, validation_accuracy,
    /// test_loss, test_accuracy, duration); absent when not recorded.
    public var figures: [String: Double]

    /// The names of `figures`, in the order the history reads them.
    static let figureNames = ["train_loss", "train_accuracy", "validation_loss", "validation_accuracy", "test_loss", "test_accuracy", "duration"]
}

/// The configurations of an earlier read of a sweep's history, reused by the next read instead of read again.
///
/// Sound because a run's configuration is written once, with its row: no statement of either store updates
/// `runs.config` (a retried trial is a new run). A read asks the database for the configuration only of runs newer
/// than the newest known one (`CASE WHEN id > newestRunID THEN config END`) and of any older run not known (ids
/// can commit out of order on PostgreSQL), one by one. At 2,000 trials this spares a claim reading and hashing
/// 2,000 JSON texts.
struct KnownConfigurations {
    private let trials: [TrialHistoryRecord]
    /// Each known run's place in `trials`.
    private let offsets: [Int64: Int]
    /// The newest known run id; 0 (no run has it) when nothing is known.
    let newestRunID: Int64

    init(_ earlier: [TrialHistoryRecord]) {
        trials = earlier
        var offsets = [Int64: Int](minimumCapacity: trials.count)
        for (offset, trial) in trials.enumerated() where offsets[trial.runID] == nil { offsets[trial.runID] = offset }
        self.offsets = offsets
        newestRunID = trials.map(\.runID).max() ?? 0
    }

    func configuration(runID: Int64) -> TrainingConfiguration? { offsets[runID].map { trials[$0].configuration } }

    /// Reads and decodes the configuration of `records[i]` for each i in `unknown` (runs the read left without one),
    /// by `storedJSON` (the run's `config`, nil when the run is gone).
    static func complete(
        _ records: inout [TrialHistoryRecord], at unknown: [Int], storedJSON: (_ runID: Int64) throws -> String?
    ) throws {
        for index in unknown {
            let runID = records[index].runID
            guard let json = try storedJSON(runID) else { throw StoreError("run \(runID) vanished while its sweep's history was read") }
            records[index].configuration = try ConfigurationCoding.configuration(fromJSON: json, runID: runID)
        }
    }
}

/// One trial's per-epoch values of a metric (NaN where it was NaN), with its status.
public struct TrialEpochValues: Sendable, Equatable {
    public var runID: Int64
    public var trialIndex: Int
    public var status: RunStatus
    public var values: [Int: Double]
}
