import Foundation
import XCTest

@testable import Store
import StoreTesting

/// A claim whose reply is lost with the connection (the UPDATE committed, the worker never heard): the store's retry
/// recognises its own claim instead of claiming a second trial and orphaning the first until it goes stale.
final class PostgreSQLClaimRetryTests: XCTestCase {
    func testAClaimWhoseReplyWasLostIsRecognisedByTheRetry() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let store = try PostgreSQLStore(url: location.location)
        let sweepID = try store.createSweep(
            name: "lost-reply", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{}",
            trials: [Synthetic.configuration(), Synthetic.configuration(), Synthetic.configuration()])
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
}
