import Foundation
import Migrations
import XCTest

@testable import Store

final class MigrationTests: XCTestCase {
    func testEmptyFileMigratesToLatestAndRerunIsNoOp() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty.sqlite")
        _ = FileManager.default.createFile(atPath: path, contents: Data())  // a fresh, empty file is initialised
        let store = try LogbookStore(path: path)
        XCTAssertEqual(try store.schemaVersion(), SchemaMigrations.latestVersion)
        let recorded = try store.read { connection in
            var versions: [Int] = []
            try connection.forEachRow("SELECT version FROM logbook_migrations ORDER BY version") { versions.append($0.int(0)) }
            return versions
        }
        XCTAssertEqual(recorded, SchemaMigrations.all.map(\.version))
        let before = try SchemaTests.dumpSchema(store)
        XCTAssertEqual(try store.read { try Migrator().migrate($0) }, [], "re-running applies nothing")
        let reopened = try LogbookStore(path: path)
        XCTAssertEqual(try SchemaTests.dumpSchema(reopened), before)
        XCTAssertEqual(try reopened.read { try $0.scalarInt("SELECT count(*) FROM logbook_migrations") }, Int64(recorded.count))
    }

    /// Every earlier version (each prefix of the migration list) migrates to the latest, data kept.
    func testEveryEarlierVersionMigratesToLatest() throws {
        let directory = try TemporaryDirectory()
        let all = SchemaMigrations.all
        XCTAssertGreaterThanOrEqual(all.count, 2, "at least one earlier version with a schema exists")
        for prefix in 0..<all.count {
            let path = directory.file("v\(prefix).sqlite")
            let connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
            try connection.configure()
            try Migrator(migrations: Array(all.prefix(prefix))).migrate(connection)
            if prefix >= 1 {
                // Data recorded under the earlier version: a finished run with its iterations.
                try connection.transaction {
                    let runID = try LogbookStore.insertRun(
                        NewRun(Synthetic.configuration(), name: "old", status: .completed), connection: connection)
                    try connection.execute(
                        "INSERT INTO iterations (run_id, step, loss) VALUES (?1, 1, 2.5), (?1, 2, 1.5), (?1, 3, 0.5)",
                        [.integer(runID)])
                }
            }
            let applied = try Migrator().migrate(connection)
            XCTAssertEqual(applied, all.dropFirst(prefix).map(\.version))
            XCTAssertEqual(try Migrator().inspect(connection).version, SchemaMigrations.latestVersion)
            if prefix >= 1 {
                XCTAssertEqual(try connection.scalarText("SELECT name || ' ' || status FROM run_summary"), "old completed")
                XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM iterations WHERE loss IN (2.5, 1.5, 0.5)"), 3, "v\(prefix) rows kept")
            }
        }
    }

    /// Version 3 rebuilds `sweeps` and `runs` (new CHECKs): a v2 sweep with its trial, parameters and epochs comes
    /// through whole, foreign keys still hold (deleting the run cascades), and the new values are accepted.
    func testVersion3KeepsSweepsAndRunsAndAcceptsPrunedAndTPE() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.file("v2.sqlite"), mode: .readWriteCreate)
        try connection.configure()
        try Migrator(migrations: Array(SchemaMigrations.all.prefix(2))).migrate(connection)
        let runID = try connection.transaction { () throws -> Int64 in
            try connection.execute(
                "INSERT INTO sweeps (name, method, metric_name, metric_goal, spec, planned_trials, created_at) VALUES ('s', 'random', 'test_accuracy', 'maximize', '{}', 1, 0)")
            let runID = try LogbookStore.insertRun(
                NewRun(
                    Synthetic.configuration(), name: "trial", sweepID: connection.lastInsertRowID, trialIndex: 0,
                    parentRunID: nil, status: .completed, worker: nil),
                connection: connection)
            try connection.execute(
                "INSERT INTO epochs (run_id, epoch, step, validation_accuracy, learning_rate, seconds, samples_per_second) VALUES (?, 1, 10, 0.5, 0.1, 1, 1)",
                [.integer(runID)])
            return runID
        }
        let parameters = try connection.scalarInt("SELECT count(*) FROM params WHERE run_id = \(runID)") ?? 0
        XCTAssertGreaterThan(parameters, 10)
        XCTAssertEqual(try Migrator().migrate(connection), Array(3...SchemaMigrations.latestVersion))
        XCTAssertEqual(try connection.scalarText("SELECT name || ' ' || status || ' ' || sweep_id FROM run_summary"), "trial completed 1")
        XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM params WHERE run_id = \(runID)"), parameters)
        XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM pragma_foreign_key_check"), 0)
        XCTAssertEqual(try connection.scalarInt("PRAGMA foreign_keys"), 1, "foreign keys are back on after migrating")
        try connection.execute("UPDATE runs SET status = 'pruned', pruned_rule = 'asha', pruned_rung = 0 WHERE id = \(runID)")
        XCTAssertEqual(try connection.scalarText("SELECT status || ' ' || pruned_rule || ' ' || pruned_rung FROM run_summary"), "pruned asha 0")
        XCTAssertThrowsError(try connection.execute("UPDATE runs SET status = 'bogus' WHERE id = \(runID)"))
        try connection.execute("UPDATE sweeps SET method = 'tpe'")
        try connection.execute("DELETE FROM runs WHERE id = \(runID)")
        XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM params") ?? -1, 0, "params cascade with the rebuilt runs table")
        XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM epochs") ?? -1, 0)
    }

    func testNewerDatabaseIsRefusedAndUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("newer.sqlite")
        do {
            let store = try LogbookStore(path: path)
            try store.write { connection in
                try connection.execute(
                    "INSERT INTO logbook_migrations (version, name, applied_at) VALUES (?, 'future', 0)",
                    [.integer(Int64(SchemaMigrations.latestVersion + 1))])
                try connection.execute("PRAGMA user_version = \(SchemaMigrations.latestVersion + 1)")
            }
            try store.read { try $0.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        let before = try XCTUnwrap(fileBytes(path))
        XCTAssertThrowsError(try LogbookStore(path: path)) { error in
            XCTAssertTrue("\(error)".contains("newer Logbook"), "\(error)")
            XCTAssertTrue("\(error)".contains("schema version \(SchemaMigrations.latestVersion + 1)"), "\(error)")
        }
        XCTAssertEqual(fileBytes(path), before)
    }

    func testNonSQLiteFileIsRefusedAndUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("notes.sqlite")
        let content = Data("these are my notes, not a database\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: content)
        XCTAssertThrowsError(try LogbookStore(path: path)) { error in
            XCTAssertEqual("\(error)", "'\(path)' is not a SQLite database (left untouched)")
        }
        XCTAssertEqual(fileBytes(path), content)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    func testForeignSQLiteDatabaseIsRefusedAndUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("foreign.sqlite")
        do {
            let connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
            try connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ada');")
        }
        let before = try XCTUnwrap(fileBytes(path))
        XCTAssertThrowsError(try LogbookStore(path: path)) { error in
            XCTAssertTrue("\(error)".contains("not a Logbook database"), "\(error)")
        }
        XCTAssertEqual(fileBytes(path), before)
        XCTAssertThrowsError(try LogbookStore(path: path, mode: .readOnly))
        XCTAssertEqual(fileBytes(path), before)
    }

    func testCorruptDatabaseGivesOneClearLine() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("corrupt.sqlite")
        do {
            let store = try LogbookStore(path: path)
            try store.createRun(Synthetic.configuration())
            try store.read { try $0.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        var bytes = try XCTUnwrap(fileBytes(path))
        for index in 100..<min(bytes.count, 8192) { bytes[index] = 0xA5 }  // wreck the header tail and the schema page
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try LogbookStore(path: path)) { error in
            let message = "\(error)"
            XCTAssertFalse(message.contains("\n"), message)
            XCTAssertTrue(message.contains(path), message)
        }
    }

    func testMissingDirectoryAndBadPaths() throws {
        let directory = try TemporaryDirectory()
        XCTAssertThrowsError(try LogbookStore(path: directory.file("missing/sub/logbook.sqlite"))) { error in
            XCTAssertEqual(
                "\(error)",
                "cannot create database '\(directory.file("missing/sub/logbook.sqlite"))': directory '\(directory.file("missing/sub"))' does not exist")
        }
        XCTAssertThrowsError(try LogbookStore(path: directory.path)) { error in
            XCTAssertEqual("\(error)", "'\(directory.path)' is a directory, not a database file")
        }
        XCTAssertThrowsError(try LogbookStore(path: directory.file("absent.sqlite"), mode: .readOnly)) { error in
            XCTAssertEqual("\(error)", "database '\(directory.file("absent.sqlite"))' does not exist")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("absent.sqlite")))
    }

    func testReadOnlyStoreRefusesWrites() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("ro.sqlite")
        let runID = try LogbookStore(path: path).createRun(Synthetic.configuration())
        let store = try LogbookStore(path: path, mode: .readOnly)
        XCTAssertEqual(try store.run(id: runID).id, runID)
        XCTAssertThrowsError(try store.read { try $0.execute("DELETE FROM runs") })
        XCTAssertEqual(try store.run(id: runID).id, runID)
        XCTAssertThrowsError(try store.recorder(for: runID))
    }
}
