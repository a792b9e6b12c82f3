import Engine
import Foundation
import XCTest

@testable import Store
import StoreTesting

/// `db copy`: SQLite → PostgreSQL → SQLite gives back the same rows, every table; copying twice adds nothing.
final class StoreCopyTests: StoreContractTestCase {
    /// A sweep of two trials (one recorded with `Synthetic.events`: 24 iterations, 3 epochs, a test evaluation,
    /// weights) and a run outside it that re-ran the recorded trial.
    static func record(into store: any LogbookStoring) throws -> Int64 {
        let sweepID = try store.createSweep(
            name: "copy", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{\"a\":1}",
            trials: [Synthetic.configuration(learningRate: 0.1), Synthetic.configuration(learningRate: 0.3)])
        let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w#1"))
        let recorder = try store.makeRecorder(for: trial.runID)
        for event in Synthetic.events(configuration: trial.configuration) { try recorder.handle(event) }
        try recorder.close()
        let rerun = try store.createRun(trial.configuration, name: "it's a rerun", parentRunID: trial.runID)
        try store.markRunFailed(rerun, message: "stopped\tby hand\n")
        return sweepID
    }

    static let queries = [
        "SELECT * FROM run_summary ORDER BY run_id", "SELECT * FROM iteration_log ORDER BY run_id, step",
        "SELECT * FROM runs ORDER BY id", "SELECT * FROM sweeps ORDER BY id", "SELECT * FROM epochs ORDER BY run_id, epoch",
        "SELECT * FROM evaluations ORDER BY id", "SELECT * FROM weights ORDER BY run_id, kind, position",
        "SELECT run_id, key, value FROM params ORDER BY run_id, key",
    ]

    func testSQLiteToPostgreSQLToSQLiteGivesBackEveryRowAndCopyingTwiceAddsNothing() throws {
        let source = try TestStoreLocation(.sqlite)
        let shared = try TestStoreLocation(.postgreSQL)
        let home = try TestStoreLocation(.sqlite)
        _ = try Self.record(into: try source.open())
        // Integral reals (a momentum of 0.0, a rate of 1.0, 1e16) stay reals, beside an integer and text.
        _ = try source.query("INSERT INTO params (run_id, key, value) VALUES (1, 'momentum_zero', 0.0), (1, 'rate_one', 1.0), (1, 'large', 1e16), (1, 'count', 3), (1, 'label', '1.0')")

        let there = try StoreCopy.copy(from: try source.open(.readOnly), to: try shared.open(), sweepID: nil)
        XCTAssertEqual([there.sweepsCopied, there.runsCopied, there.runsSkipped], [1, 3, 0])
        let back = try StoreCopy.copy(from: try shared.open(.readOnly), to: try home.open(), sweepID: nil)
        XCTAssertEqual([back.sweepsCopied, back.runsCopied], [1, 3])
        XCTAssertEqual(back.rowsCopied, there.rowsCopied)
        for query in Self.queries {
            let expected = try source.query(query)
            XCTAssertFalse(expected.rows.isEmpty, query)
            XCTAssertEqual(try home.query(query), expected, query)
        }
        XCTAssertEqual(try shared.query(Self.queries[0]).rows, try source.query(Self.queries[0]).rows, "run_summary on PostgreSQL")
        XCTAssertEqual(try shared.query(Self.queries[1]).rows, try source.query(Self.queries[1]).rows, "iteration_log on PostgreSQL")
        XCTAssertEqual(try shared.open().finalWeights(run: 1), Synthetic.tensors(seed: 100))

        // Idempotent: a second copy either way adds nothing.
        let again = try StoreCopy.copy(from: try source.open(.readOnly), to: try shared.open(), sweepID: nil)
        XCTAssertEqual([again.sweepsCopied, again.runsCopied, again.runsSkipped, again.rowsCopied], [0, 0, 3, 0])
        _ = try StoreCopy.copy(from: try shared.open(.readOnly), to: try home.open(), sweepID: nil)
        for table in ["runs", "iterations", "params", "weights", "evaluations"] {
            XCTAssertEqual(try home.integer("SELECT count(*) FROM \(table)"), try source.integer("SELECT count(*) FROM \(table)"), table)
            XCTAssertEqual(try shared.integer("SELECT count(*) FROM \(table)"), try source.integer("SELECT count(*) FROM \(table)"), table)
        }
        // New rows in the copy get ids after the copied ones.
        XCTAssertEqual(try shared.open().createRun(Synthetic.configuration()), 4)
    }

    /// Runs go several to a transaction, a table's rows of a group in few statements and their steps in one COPY:
    /// a run with 12,036 params rows (36,108 values, past one INSERT's 30,000) and three runs' iterations arrive
    /// whole into PostgreSQL, as they do with one run per transaction, and copied back into SQLite every table reads
    /// as the source.
    func testGroupedAndChunkedInsertsGiveTheSameRows() throws {
        let source = try TestStoreLocation(.sqlite)
        _ = try Self.record(into: try source.open())
        _ = try source.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000) INSERT INTO params (run_id, key, value) SELECT 1, printf('k%05d', i), i + 0.25 FROM n")
        // Runs 2 and 3 get 300 steps each (two blocks on PostgreSQL; a NULL loss, a changed rate): with run 1's 24,
        // three runs' steps in one COPY.
        for run in [2, 3] {
            _ = try source.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO iterations (run_id, step, loss, learning_rate) SELECT ?, i, CASE WHEN i = 5 THEN NULL ELSE 1.0 / i END, CASE WHEN i = 280 THEN 0.05 END FROM n", [.integer(Int64(run))])
        }
        for limit in [1, StoreCopy.groupRowLimit] {
            let shared = try TestStoreLocation(.postgreSQL)
            let home = try TestStoreLocation(.sqlite)
            let there = try StoreCopy.copy(from: try source.open(.readOnly), to: try shared.open(), sweepID: nil, groupRowLimit: limit)
            XCTAssertEqual(there.runsCopied, 3)
            XCTAssertEqual(try shared.integer("SELECT count(*) FROM params WHERE run_id = 1"), try source.integer("SELECT count(*) FROM params WHERE run_id = 1"))
            _ = try StoreCopy.copy(from: try shared.open(.readOnly), to: try home.open(), sweepID: nil, groupRowLimit: limit)
            for query in Self.queries {
                XCTAssertEqual(try home.query(query), try source.query(query), "\(query), groups of \(limit) rows")
            }
        }
    }

    func testOneSweepAndADifferentRunUnderTheSameIdIsRefused() throws {
        let source = try TestStoreLocation(.postgreSQL)
        let sweepID = try Self.record(into: try source.open())
        let target = try TestStoreLocation(.sqlite)
        let copied = try StoreCopy.copy(from: try source.open(.readOnly), to: try target.open(), sweepID: sweepID)
        XCTAssertEqual([copied.sweepsCopied, copied.runsCopied], [1, 2], "the sweep's two trials, not the rerun")
        XCTAssertThrowsError(try StoreCopy.copy(from: try source.open(.readOnly), to: try target.open(), sweepID: 99))

        let other = try TestStoreLocation(.sqlite)
        _ = try other.open().createRun(Synthetic.configuration(), name: "someone else's")
        XCTAssertThrowsError(try StoreCopy.copy(from: try source.open(.readOnly), to: try other.open(), sweepID: nil)) { error in
            XCTAssertTrue("\(error)".contains("already has a different run with id 1"), "\(error)")
        }
        XCTAssertEqual(try other.integer("SELECT count(*) FROM sweeps"), 0, "nothing written")
    }
}
