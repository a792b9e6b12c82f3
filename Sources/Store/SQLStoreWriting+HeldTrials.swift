import Engine

/// The statements on a trial that a worker holds (`running` under its worker id), written once for both stores:
/// each changes the row only while the worker still holds it, and says whether it did. A worker whose trial was
/// taken over (stale, re-queued) therefore cannot touch it any more: it is fenced.
extension SQLStoreWriting {
    /// Refreshes the trial's heartbeat. Returns false when the trial is no longer `running` under `worker`
    /// (it was re-queued): the worker must then drop it.
    @discardableResult
    public func heartbeat(runID: Int64, worker: String) throws -> Bool {
        let now = Self.currentTime
        return try update(
            "UPDATE runs SET heartbeat_at = \(now.sql) WHERE id = ? AND status = 'running' AND worker = ?",
            now.bindings + [.integer(runID), .text(worker)]) == 1
    }

    /// Sets the final status of a trial the worker still holds (`running` under `worker`); returns false when it does
    /// not hold it any more. Use it when the recorder did not finish the run (an error, an interruption before start).
    /// `duration` is the end time minus `started_at` (the row's value before this update).
    @discardableResult
    public func finishTrial(
        runID: Int64, worker: String, status: RunStatus, stopReason: String? = nil, error: String? = nil
    ) throws -> Bool {
        let now = Self.currentTime
        return try update(
            """
            UPDATE runs SET ended_at = \(now.sql), duration = \(now.sql) - started_at, status = ?,
                stop_reason = COALESCE(?, stop_reason), error = COALESCE(?, error)
            WHERE id = ? AND status = 'running' AND worker = ?
            """,
            now.bindings + now.bindings
                + [.text(status.rawValue), stopReason.map(SQLValue.text) ?? .null, error.map(SQLValue.text) ?? .null,
                   .integer(runID), .text(worker)]) == 1
    }

    /// The trial a claim returned, its configuration decoded from the row's JSON. Should the JSON be unreadable,
    /// the trial goes back to `pending` (worker, start and heartbeat cleared) and the error is thrown, as when the
    /// claim was rolled back.
    func claimedTrial(runID: Int64, trialIndex: Int, configJSON: String, sweepID: Int64, worker: String) throws
        -> ClaimedTrial
    {
        do {
            let configuration = try ConfigurationCoding.configuration(fromJSON: configJSON, runID: runID)
            return ClaimedTrial(
                runID: runID, sweepID: sweepID, trialIndex: trialIndex, worker: worker, configuration: configuration)
        } catch {
            _ = try update(
                """
                UPDATE runs SET status = 'pending', worker = NULL, started_at = NULL, heartbeat_at = NULL
                WHERE id = ? AND status = 'running' AND worker = ?
                """, [.integer(runID), .text(worker)])
            throw error
        }
    }
}
