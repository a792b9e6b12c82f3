import Foundation
import Store
import XCTest

@testable import LogbookCLI

final class QuerySqlTests: XCTestCase {
    func testSelectInEveryFormat() throws {
        let fixture = try QueryFixture()
        // Zero initialization never learns in the synthetic sweep: its accuracy is chance (0.1) by construction.
        let query = "SELECT initializer, count(*) AS runs, max(test_accuracy) <= 0.1 AS at_chance FROM run_summary GROUP BY initializer ORDER BY initializer"
        XCTAssertEqual(try fixture.output(Sql.self, [query, "--format", "csv"]), "initializer,runs,at_chance\nhe-uniform,8,0\nzeros,8,1\n")
        XCTAssertEqual(
            try fixture.output(Sql.self, [query]),
            """
            initializer  runs  at_chance
            -----------  ----  ---------
            he-uniform      8          0
            zeros           8          1

            """)
    }

    /// Every kind of write is refused with one clear line, and the database file stays byte-identical.
    func testWritesAreRefusedAndTheFileIsUnchanged() throws {
        let fixture = try QueryFixture()
        // The main file byte for byte, and the write-ahead log's content (SQLite may create an empty one to read).
        func snapshot() -> [Data] {
            [fixture.path, fixture.path + "-wal"].map { FileManager.default.contents(atPath: $0) ?? Data() }
        }
        let before = snapshot()
        let writes = [
            "DELETE FROM runs",
            "UPDATE runs SET status = 'failed'",
            "INSERT INTO sweeps (name, method, metric_name, metric_goal, spec, planned_trials, created_at) VALUES ('x', 'grid', 'm', 'maximize', '{}', 0, 0)",
            "DROP TABLE iterations",
            "CREATE TABLE evil (x)",
            "PRAGMA user_version = 99",
            "VACUUM",
            "VACUUM INTO '\(fixture.directory.appendingPathComponent("copy.sqlite").path)'",
            "ATTACH '\(fixture.directory.appendingPathComponent("other.sqlite").path)' AS other",
            "WITH doomed AS (SELECT id FROM runs) DELETE FROM runs WHERE id IN doomed",
            "SELECT 1; DELETE FROM runs",
        ]
        for statement in writes {
            XCTAssertThrowsError(try fixture.output(Sql.self, [statement]), statement) { error in
                let message = Logbook.message(for: error)
                XCTAssertFalse(message.contains("\n"), message)
                XCTAssertTrue(message.contains("read-only") || message.contains("one statement"), "\(statement): \(message)")
            }
        }
        XCTAssertEqual(snapshot(), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.directory.appendingPathComponent("copy.sqlite").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.directory.appendingPathComponent("other.sqlite").path))
        XCTAssertEqual(try fixture.output(Sql.self, ["SELECT count(*) AS n FROM runs", "--format", "csv"]), "n\n16\n")
    }

    func testSQLErrorsAreOneLine() throws {
        let fixture = try QueryFixture()
        XCTAssertThrowsError(try fixture.output(Sql.self, ["SELECT nope FROM runs"])) { error in
            XCTAssertEqual(Logbook.message(for: error), "SQL error: no such column: nope")
        }
        XCTAssertThrowsError(try fixture.output(Sql.self, ["   "])) { error in
            XCTAssertTrue(Logbook.message(for: error).contains("empty"))
        }
    }
}
