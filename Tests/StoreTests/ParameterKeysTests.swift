import Engine
import Foundation
import XCTest

@testable import Store
import StoreTesting

/// `parameterKeys()` on either store answers what a fresh `SELECT DISTINCT key FROM params` answers, from a
/// connection that stays open while another adds and deletes runs: SQLite through its per-connection cache, PostgreSQL
/// by walking `params_by_key` (migration 5) one probe per key.
final class ParameterKeysTests: StoreContractTestCase {
    func testKeysFollowRunsAddedAndDeletedByAnotherConnection() throws {
        try forEachStore { location, writer in
            func distinct() throws -> [String] {
                try location.query("SELECT DISTINCT key FROM params").rows.compactMap {
                    if case .text(let key) = $0[0] { return key }
                    return nil
                }.sorted()
            }
            _ = try writer.createRun(Synthetic.configuration())
            let reader = try location.open(.readOnly)
            let first = try reader.parameterKeys()
            XCTAssertTrue(first.contains("batch_size") && first.contains("learning_rate"), "\(first)")
            XCTAssertEqual(first, try distinct())

            let second = try writer.createRun(Synthetic.configuration())
            let one = location.backend == .sqlite ? "1" : "'1'::jsonb"
            _ = try location.query("INSERT INTO params (run_id, key, value) VALUES (?, 'zz_extra', \(one)), (?, 'Aa \"quoted\"', \(one))", [.integer(second), .integer(second)])
            XCTAssertEqual(try reader.parameterKeys(), (first + ["zz_extra", "Aa \"quoted\""]).sorted())
            XCTAssertEqual(try reader.parameterKeys(), try distinct())

            _ = try location.query("DELETE FROM runs WHERE id = ?", [.integer(second)])
            XCTAssertEqual(try reader.parameterKeys(), first)
            _ = try location.query("DELETE FROM runs")
            XCTAssertEqual(try reader.parameterKeys(), [])
        }
    }

    /// The keys are walked along the index, never read row by row: 5,000 distinct keys of one run, analyzed, and
    /// the plan touches `params` only through `params_by_key`.
    func testPostgreSQLWalksTheKeyIndex() throws {
        try forEachStore([.postgreSQL]) { location, store in
            let run = try store.createRun(Synthetic.configuration())
            _ = try location.query(
                "INSERT INTO params (run_id, key, value) SELECT ?, 'k' || lpad(n::text, 5, '0'), '1'::jsonb FROM generate_series(1, 5000) AS n",
                [.integer(run)])
            _ = try location.query("ANALYZE params")
            let plan = try location.query("EXPLAIN " + PostgreSQLStore.parameterKeysSQL).rows.map {
                if case .text(let line) = $0[0] { return line }
                return ""
            }.joined(separator: "\n")
            XCTAssertTrue(plan.contains("params_by_key"), plan)
            XCTAssertFalse(plan.contains("Seq Scan on params"), plan)
            let keys = try store.parameterKeys()
            XCTAssertEqual(keys.count, 5000 + (try location.integer("SELECT count(*) FROM params WHERE key NOT LIKE 'k0%'")))
            XCTAssertEqual(keys.first { $0.hasPrefix("k0") }, "k00001")
        }
    }
}
