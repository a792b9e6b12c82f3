import Foundation
import XCTest

@testable import Store
import StoreTesting

/// An export whose connection is lost midway (the server process ends between two fetches of its cursor): the store
/// reconnects, but rows already handed on are never handed on again — the export fails with one line instead.
final class PostgreSQLExportDropTests: XCTestCase {
    func testAConnectionLostMidExportFailsCleanlyWithoutRepeatingRows() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let store = try PostgreSQLStore(url: location.location)
        let sweepID = try store.createSweep(
            name: "export-drop", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{}",
            trials: [Synthetic.configuration()])
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
