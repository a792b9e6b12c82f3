import Engine
import Foundation
import Migrations
import XCTest

@testable import Store
import StoreTesting

/// PostgreSQL's iterations as blocks of consecutive steps (schema version 4): what the recorder writes reads back
/// row for row through the `iterations` view, a step is stored once, and version 3's rows migrate into blocks.
final class PostgreSQLIterationBlocksTests: XCTestCase {
    /// The blocks of a run: (first step, last step, losses, learning rates all NULL).
    private func blocks(_ location: TestStoreLocation, run: Int64) throws -> [(Int64, Int64, Int, Bool)] {
        try location.query(
            "SELECT first_step, last_step, cardinality(losses), learning_rates IS NULL FROM iteration_blocks WHERE run_id = ? ORDER BY first_step",
            [.integer(run)]
        ).rows.map { row in
            guard case .integer(let first) = row[0], case .integer(let last) = row[1], case .integer(let count) = row[2]
            else { throw StoreError("unexpected block row \(row)") }
            return (first, last, Int(count), row[3] == .integer(1))
        }
    }

    func testRecordedStepsReadBackRowForRowFromNonOverlappingBlocks() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let store = try location.open()
        let runID = try store.createRun(Synthetic.configuration())
        let base = Float(Synthetic.configuration().learningRate)
        // Steps 1…600, then a gap, then 700…1000; a NaN loss at step 7; a changed rate on steps 300…309.
        let steps = Array(1...600) + Array(700...1000)
        func loss(_ step: Int) -> Float { step == 7 ? .nan : 1 / Float(step) }
        func rate(_ step: Int) -> Float { (300..<310).contains(step) ? base * 0.5 : base }
        let recorder = try store.makeRecorder(for: runID)
        for step in steps {
            try recorder.handle(.iteration(IterationEnded(step: step, epoch: 1, batchIndex: step, loss: loss(step), learningRate: rate(step))))
        }
        try recorder.close()

        let rows = try location.query(
            "SELECT step, loss, learning_rate FROM iterations WHERE run_id = ? ORDER BY step", [.integer(runID)]).rows
        XCTAssertEqual(rows.count, steps.count)
        for (row, step) in zip(rows, steps) {
            XCTAssertEqual(row[0], .integer(Int64(step)))
            XCTAssertEqual(row[1], step == 7 ? .null : .real(Double(loss(step))), "step \(step)")
            XCTAssertEqual(row[2], rate(step) == base ? .null : .real(Double(rate(step))), "step \(step)")
        }
        XCTAssertEqual(try store.lossCurve(run: runID).count, steps.count)

        // Blocks: at most 256 consecutive steps each, none across the gap, covering every step exactly once.
        let stored = try blocks(location, run: runID)
        XCTAssertGreaterThanOrEqual(stored.count, 5, "600 steps need ≥ 3 blocks, 301 steps ≥ 2")
        var covered: [Int64] = []
        for (first, last, count, allAtRunRate) in stored {
            XCTAssertLessThanOrEqual(count, 256)
            XCTAssertEqual(last - first + 1, Int64(count))
            XCTAssertFalse(first <= 600 && last >= 700, "a block spans the gap: \(first)…\(last)")
            XCTAssertEqual(allAtRunRate, !(first...last).overlaps(300...309), "learning_rates NULL exactly when every step used the run's rate")
            covered += Array(first...last)
        }
        XCTAssertEqual(covered, steps.map(Int64.init))
    }

    func testAStepIsStoredOnce() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let store = try location.open()
        let runID = try store.createRun(Synthetic.configuration())
        let other = try store.createRun(Synthetic.configuration())
        _ = try location.query(
            "INSERT INTO iteration_blocks (run_id, first_step, last_step, losses) VALUES (?, 10, 19, array_fill(0.5::float8, ARRAY[10]))",
            [.integer(runID)])
        // Overlapping the block at either end or inside it, by a block or by a plain INSERT into the view: refused.
        for (first, last) in [(5, 10), (19, 25), (12, 13), (1, 40)] {
            XCTAssertThrowsError(
                try location.query(
                    "INSERT INTO iteration_blocks (run_id, first_step, last_step, losses) VALUES (?, ?, ?, array_fill(1::float8, ARRAY[?::int]))",
                    [.integer(runID), .integer(Int64(first)), .integer(Int64(last)), .integer(Int64(last - first + 1))])
            ) { XCTAssertTrue("\($0)".contains("a step is stored once"), "\($0)") }
        }
        XCTAssertThrowsError(try location.query("INSERT INTO iterations (run_id, step, loss) VALUES (?, 15, 1)", [.integer(runID)]))
        // Next to it, or the same steps of another run: accepted.
        _ = try location.query("INSERT INTO iterations (run_id, step, loss) VALUES (?, 9, 1), (?, 20, 2)", [.integer(runID), .integer(runID)])
        _ = try location.query("INSERT INTO iterations (run_id, step, loss) VALUES (?, 15, 3)", [.integer(other)])
        XCTAssertEqual(try location.integer("SELECT count(*) FROM iterations WHERE run_id = ?", [.integer(runID)]), 12)
        XCTAssertEqual(try location.scalar("SELECT loss FROM iterations WHERE run_id = ? AND step = 15", [.integer(other)]), .real(3))
        // A block must hold as many steps as its range says.
        XCTAssertThrowsError(
            try location.query(
                "INSERT INTO iteration_blocks (run_id, first_step, last_step, losses) VALUES (?, 100, 105, ARRAY[1::float8])", [.integer(runID)]))
        // Deleting a run deletes its blocks.
        _ = try location.query("DELETE FROM runs WHERE id = ?", [.integer(runID)])
        XCTAssertEqual(try location.integer("SELECT count(*) FROM iteration_blocks WHERE run_id = ?", [.integer(runID)]), 0)
    }

    /// A version-3 database keeps every iteration row: consecutive steps become blocks of ≤ 256, a gap starts one.
    func testVersion3IterationRowsMigrateIntoBlocks() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let connection = try PostgreSQLConnection(url: location.location)
        try PostgreSQLMigrator(migrations: Array(SchemaMigrations.postgreSQL.prefix(3))).migrate(connection)
        try connection.execute(
            """
            INSERT INTO runs (id, name, status, seed, model, layers, activation, batch_norm, dataset, batch_size,
                learning_rate, initializer, epochs, optimizer, momentum, weight_decay, lr_schedule, loss, config,
                logbook_version, created_at)
            VALUES (1, 'old', 'completed', 1, 'mlp', '2-2', 'relu', 0, 'xor', 4, 0.1, 'he_uniform', 1, 'sgd', 0, 0,
                'constant', 'cross_entropy', '{}', 'v3', 0)
            """)
        try connection.execute(
            """
            INSERT INTO iterations (run_id, step, loss, learning_rate)
            SELECT 1, g, CASE WHEN g = 7 THEN NULL ELSE 1.0 / g END, CASE WHEN g = 300 THEN 0.05 END
            FROM generate_series(1, 600) AS g
            """)
        try connection.execute("INSERT INTO iterations (run_id, step, loss) VALUES (1, 700, 0.25), (1, 701, 0.125)")
        let before = try location.query("SELECT step, loss, learning_rate FROM iterations ORDER BY step").rows
        XCTAssertEqual(try PostgreSQLMigrator().migrate(connection), Array(4...SchemaMigrations.latestVersion))

        XCTAssertEqual(try location.query("SELECT step, loss, learning_rate FROM iterations ORDER BY step").rows, before)
        let stored = try blocks(location, run: 1)
        XCTAssertEqual(stored.map { [$0.0, $0.1] }, [[1, 256], [257, 512], [513, 600], [700, 701]])
        XCTAssertEqual(stored.map(\.3), [true, false, true, true])
        XCTAssertEqual(
            try location.scalar("SELECT learning_rate FROM iteration_log WHERE run_id = 1 AND step = 300"), .real(0.05))
    }
}
