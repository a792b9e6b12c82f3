import Foundation
import Migrations
import XCTest

@testable import Store

/// The migrated schema against the committed snapshot `Fixtures/schema.sql`. After an intended schema change,
/// regenerate it with `LOGBOOK_UPDATE_SNAPSHOTS=1 swift test --filter SchemaTests` and review the diff.
final class SchemaTests: XCTestCase {
    static let snapshotPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema.sql").path

    /// `sqlite_schema` as text: one statement per object, in a stable order.
    static func dumpSchema(_ store: LogbookStore) throws -> String {
        try store.read { connection in
            var lines: [String] = []
            try connection.forEachRow(
                "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name"
            ) { row in
                lines.append("-- \(row.text(0)) \(row.text(1))\n\(row.text(2));\n")
            }
            return lines.joined(separator: "\n")
        }
    }

    func testMigratedSchemaEqualsSnapshot() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("schema.sqlite"))
        let schema = try SchemaTests.dumpSchema(store)
        if ProcessInfo.processInfo.environment["LOGBOOK_UPDATE_SNAPSHOTS"] == "1" {
            try schema.write(toFile: SchemaTests.snapshotPath, atomically: true, encoding: .utf8)
        }
        let snapshot = try String(contentsOfFile: SchemaTests.snapshotPath, encoding: .utf8)
        XCTAssertEqual(schema, snapshot, "schema differs from Fixtures/schema.sql")
        for table in ["sweeps", "runs", "params", "iterations", "epochs", "evaluations", "weights", "logbook_migrations"] {
            XCTAssertTrue(schema.contains("-- table \(table)\n"), "missing table \(table)")
        }
        for view in ["run_summary", "iteration_log"] {
            XCTAssertTrue(schema.contains("-- view \(view)\n"), "missing view \(view)")
        }
    }

    func testConnectionSettings() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("settings.sqlite"))
        try store.read { connection in
            XCTAssertEqual(try connection.scalarText("PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try connection.scalarInt("PRAGMA foreign_keys"), 1)
            XCTAssertEqual(try connection.scalarInt("PRAGMA synchronous"), 1)  // NORMAL
            XCTAssertEqual(try connection.scalarInt("PRAGMA busy_timeout"), 30_000)
            XCTAssertEqual(try connection.scalarInt("PRAGMA application_id"), Int64(Migrator.applicationID))
            XCTAssertEqual(try connection.scalarInt("PRAGMA user_version"), Int64(SchemaMigrations.latestVersion))
            // Every table is STRICT: a text in an INTEGER column is rejected.
            XCTAssertThrowsError(
                try connection.execute("INSERT INTO iterations (run_id, step, loss) VALUES ('x', 1, 0.5)"))
        }
    }
}
