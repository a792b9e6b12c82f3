import Foundation
import XCTest

@testable import Store
import StoreTesting

/// Connections lost at the worst moment, with the store reconnecting by itself:
/// - a claim whose reply is lost (the UPDATE committed, the worker never heard): the retry recognises its own claim
///   instead of claiming a second trial and orphaning the first until it goes stale;
/// - an export whose server process ends between two fetches of its cursor: rows already handed on are never
///   handed on again — the export fails with one line instead.
final class PostgreSQLConnectionLossTests: XCTestCase {
    private func storeWithSweep(trials: Int) throws -> (TestStoreLocation, PostgreSQLStore, Int64) {
        let location = try TestStoreLocation(.postgreSQL)
        let store = try PostgreSQLStore(url: location.location)
        let sweepID = try store.createSweep(
            name: "connection-loss", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{}",
            trials: Array(repeating: Synthetic.configuration(), count: trials))
        return (location, store, sweepID)
    }

    func testAClaimWhoseReplyWasLostIsRecognisedByTheRetry() throws {
        let (location, store, sweepID) = try storeWithSweep(trials: 3)
        var lostReplies = 0
        store.afterClaimStatement = { connection in
            store.afterClaimStatement = nil  // once
            lostReplies += 1
            // The claim has committed; the server process goes away before the reply is read.
            try connection.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        }
        let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w1"))
        XCTAssertEqual(lostReplies, 1, "the connection was lost after the claim committed")
        let running = try location.query(
            "SELECT id, trial_index FROM runs WHERE sweep_id = ? AND status = 'running'", [.integer(sweepID)]).rows
        XCTAssertEqual(running, [[.integer(trial.runID), .integer(0)]], "one trial claimed, the one returned")
        XCTAssertEqual(try location.integer("SELECT count(*) FROM runs WHERE sweep_id = ? AND status = 'pending'", [.integer(sweepID)]), 2)

        // Once it has started recording, its trial is no longer taken for a lost claim: the next claim is a new trial.
        let recorder = try store.makeRecorder(for: trial.runID)
        for event in Synthetic.events(configuration: trial.configuration).prefix(1) { try recorder.handle(event) }
        try recorder.close()
        XCTAssertTrue(try store.finishTrial(runID: trial.runID, worker: "w1", status: .completed, stopReason: "max_epochs"))
        store.afterClaimStatement = { connection in
            store.afterClaimStatement = nil
            try connection.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        }
        let second = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w1"))
        XCTAssertEqual(second.trialIndex, 1)
        XCTAssertEqual(try location.integer("SELECT count(*) FROM runs WHERE sweep_id = ? AND status = 'running'", [.integer(sweepID)]), 1)
    }

    func testAConnectionLostMidExportFailsCleanlyWithoutRepeatingRows() throws {
        let (location, store, sweepID) = try storeWithSweep(trials: 1)
        let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w1"))
        // 25,000 steps: more than one fetch of the export's cursor (10,000 rows each).
        _ = try location.query(
            """
            INSERT INTO iteration_blocks (run_id, first_step, last_step, losses)
            SELECT ?, b * 250 + 1, b * 250 + 250, array_fill(0.5::float8, ARRAY[250]) FROM generate_series(0, 99) AS b
            """, [.integer(trial.runID)])
        let storeBackend = try XCTUnwrap(store.connection.scalarInt("SELECT pg_backend_pid()"))
        var headers = 0
        var rows = 0
        XCTAssertThrowsError(
            try store.exportSweep(
                .iterations, sweepID: sweepID, header: { _ in headers += 1 },
                row: { _ in
                    rows += 1
                    if rows == 1 {
                        _ = try location.query("SELECT pg_terminate_backend(?::int)", [.integer(storeBackend)])
                    }
                })
        ) { error in
            XCTAssertTrue("\(error)".contains("after 10000 rows of the export"), "\(error)")
            XCTAssertTrue("\(error)".contains("incomplete"), "\(error)")
        }
        XCTAssertEqual(headers, 1)
        XCTAssertEqual(rows, 10_000, "the first fetch's rows, none twice")
        // The store is usable again, and an export without a drop hands on every row once.
        rows = 0
        try store.exportSweep(.iterations, sweepID: sweepID, header: { _ in }, row: { _ in rows += 1 })
        XCTAssertEqual(rows, 25_000)
    }
}
