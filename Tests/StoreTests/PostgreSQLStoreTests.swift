import Engine
import Foundation
import Migrations
import XCTest

@testable import Store
import StoreTesting

/// What only the PostgreSQL store has to show: its schema against the committed snapshot and against SQLite's,
/// migrations under the advisory lock, fencing, read-only user SQL, and clear connection errors without passwords.
final class PostgreSQLStoreTests: StoreContractTestCase {
    static let snapshotPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema.postgresql.sql").path

    /// The catalog as text: every table's columns, constraints and indexes, every view and trigger, sorted.
    static func dumpSchema(_ location: TestStoreLocation) throws -> String {
        func lines(_ sql: String) throws -> [String] {
            try location.query(sql).rows.map { row in
                row.map { value -> String in
                    if case .text(let text) = value { return text }
                    if case .integer(let integer) = value { return String(integer) }
                    return "NULL"
                }.joined(separator: " ")
            }
        }
        let schema = "current_schema()"
        let columns = try lines(
            """
            SELECT '-- column ' || table_name || '.' || column_name, data_type, is_nullable, COALESCE(column_default, '')
            FROM information_schema.columns WHERE table_schema = \(schema) ORDER BY table_name, ordinal_position
            """)
        let constraints = try lines(
            """
            SELECT '-- constraint ' || c.conrelid::regclass::text || ' ' || c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint AS c JOIN pg_namespace AS n ON n.oid = c.connamespace
            WHERE n.nspname = \(schema) ORDER BY 1
            """)
        let indexes = try lines(
            "SELECT '-- index ' || indexname, replace(indexdef, \(schema) || '.', '') FROM pg_indexes WHERE schemaname = \(schema) ORDER BY indexname")
        let views = try lines(
            "SELECT '-- view ' || table_name || E'\\n' || view_definition FROM information_schema.views WHERE table_schema = \(schema) ORDER BY table_name")
        let triggers = try lines(
            "SELECT '-- trigger ' || trigger_name, event_object_table, action_timing, event_manipulation FROM information_schema.triggers WHERE trigger_schema = \(schema) ORDER BY trigger_name")
        return (columns + constraints + indexes + views + triggers).joined(separator: "\n") + "\n"
    }

    func testMigratedSchemaEqualsSnapshotAndSQLitesTablesAndViews() throws {
        let location = try TestStoreLocation(.postgreSQL)
        _ = try location.open()
        let schema = try Self.dumpSchema(location)
        if ProcessInfo.processInfo.environment["LOGBOOK_UPDATE_SNAPSHOTS"] == "1" {
            try schema.write(toFile: Self.snapshotPath, atomically: true, encoding: .utf8)
        }
        let snapshot = try String(contentsOfFile: Self.snapshotPath, encoding: .utf8)
        XCTAssertEqual(schema, snapshot, "schema differs from Fixtures/schema.postgresql.sql")

        // Same tables and views with the same columns in the same order as SQLite, so the same queries run on both.
        let sqlite = try TestStoreLocation(.sqlite)
        _ = try sqlite.open()
        for relation in [
            "sweeps", "runs", "params", "iterations", "epochs", "evaluations", "weights", "logbook_migrations",
            "run_summary", "iteration_log",
        ] {
            let expected = try sqlite.query("SELECT * FROM \(relation) LIMIT 0").columns
            XCTAssertEqual(try location.query("SELECT * FROM \(relation) LIMIT 0").columns, expected, relation)
        }
        XCTAssertEqual(
            try location.scalar("SELECT data_type FROM information_schema.columns WHERE table_name = 'weights' AND column_name = 'data' AND table_schema = current_schema()"),
            .text("bytea"))
        XCTAssertEqual(SchemaMigrations.postgreSQL.map(\.version), SchemaMigrations.all.map(\.version))
        XCTAssertEqual(SchemaMigrations.postgreSQL.map(\.name), SchemaMigrations.all.map(\.name))
    }

    /// Eight stores opening one empty database at once: the migrations are applied exactly once, by one of them.
    func testConcurrentOpensMigrateExactlyOnce() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let results = OpenResults()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let store = try location.open()
                results.append(.success(store.appliedMigrations))
            } catch {
                results.append(.failure(error))
            }
        }
        let applied = try results.all.map { try $0.get() }
        XCTAssertEqual(applied.count, 8)
        let versions = SchemaMigrations.postgreSQL.map(\.version)
        XCTAssertEqual(applied.flatMap { $0 }.sorted(), versions, "each migration applied by exactly one store: \(applied)")
        XCTAssertEqual(try location.integer("SELECT count(*) FROM logbook_migrations"), versions.count)
        XCTAssertEqual(try location.open().appliedMigrations, [])
        XCTAssertEqual(try location.open().schemaVersion(), SchemaMigrations.latestVersion)
    }

    func testANewerSchemaAndAForeignRunsTableAreRefusedUntouched() throws {
        let newer = try TestStoreLocation(.postgreSQL)
        _ = try newer.open()
        _ = try newer.query("INSERT INTO logbook_migrations VALUES (99, '0099_future', 0)")
        XCTAssertThrowsError(try newer.open()) { XCTAssertTrue("\($0)".contains("newer Logbook (schema version 99"), "\($0)") }
        let foreign = try TestStoreLocation(.postgreSQL)
        _ = try foreign.query("CREATE TABLE runs (id int)")
        XCTAssertThrowsError(try foreign.open()) { XCTAssertTrue("\($0)".contains("not a Logbook database"), "\($0)") }
        XCTAssertEqual(try foreign.scalar("SELECT to_regclass('logbook_migrations') IS NULL"), .integer(1))
    }

    /// A worker whose trial was re-queued cannot write into it any more: neither into the attempt nor the retry.
    func testAFencedWorkerCannotWriteIntoTheTrialItLost() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let store = try location.open()
        let sweepID = try store.createSweep(
            name: "fence", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{}",
            trials: [Synthetic.configuration()])
        let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w1"))
        let recorder = try makeRecorder(store, runID: trial.runID, flushInterval: 0.01, heartbeatInterval: 60)
        let events = Synthetic.events(configuration: trial.configuration)
        for event in events.prefix(6) { try recorder.handle(event) }  // start, initial weights, 4 iterations
        Thread.sleep(forTimeInterval: 0.2)
        let committed = try location.integer("SELECT count(*) FROM iterations WHERE run_id = ?", [.integer(trial.runID)])
        XCTAssertEqual(committed, 4)

        // Another machine's sweep judges w1 gone and re-queues its trial.
        let other = try location.open()
        XCTAssertEqual(try other.requeueStaleTrials(sweepID: sweepID, staleAfter: 60) { _, _ in false }, [trial.runID])
        let retryID = Int64(try location.integer("SELECT id FROM runs WHERE parent_run_id = ?", [.integer(trial.runID)]))

        var refusal: Error?
        for event in events.dropFirst(6) {
            do { try recorder.handle(event) } catch {
                refusal = error
                break
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        XCTAssertThrowsError(try recorder.close()) { error in
            XCTAssertTrue("\(error)".contains("was taken over"), "\(error)")
        }
        XCTAssertTrue(refusal == nil || "\(refusal!)".contains("was taken over"), "\(String(describing: refusal))")
        XCTAssertEqual(try location.integer("SELECT count(*) FROM iterations WHERE run_id = ?", [.integer(trial.runID)]), committed)
        XCTAssertEqual(try location.integer("SELECT count(*) FROM epochs WHERE run_id = ?", [.integer(trial.runID)]), 0)
        for table in ["iterations", "epochs", "evaluations", "weights"] {
            XCTAssertEqual(try location.integer("SELECT count(*) FROM \(table) WHERE run_id = ?", [.integer(retryID)]), 0, table)
        }
        XCTAssertEqual(try store.run(id: trial.runID).status, .interrupted)
        XCTAssertEqual(try store.run(id: retryID).status, .pending)
        XCTAssertFalse(try store.heartbeat(runID: trial.runID, worker: "w1"))
        XCTAssertFalse(try store.finishTrial(runID: trial.runID, worker: "w1", status: .completed))
    }

    /// `logbook sql` on PostgreSQL: reads work; writes, file access, several statements are refused, nothing changes.
    func testUserSQLIsReadOnly() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let writer = try location.open()
        let runID = try writer.createRun(Synthetic.configuration())
        let store = try location.open(.readOnly)
        let table = try store.readOnlySelect("SELECT run_id, status, batch_norm FROM run_summary")
        XCTAssertEqual(table.columns, ["run_id", "status", "batch_norm"])
        XCTAssertEqual(table.rows, [[.integer(runID), .text("running"), .integer(0)]])
        for statement in [
            "DELETE FROM runs", "UPDATE runs SET name = 'x'", "INSERT INTO sweeps DEFAULT VALUES", "DROP TABLE runs",
            "COPY (SELECT 1) TO '/tmp/logbook-copy'", "SET default_transaction_read_only = off",
            "WITH gone AS (DELETE FROM runs RETURNING id) SELECT * FROM gone", "SELECT nextval('runs_id_seq')",
            "SELECT 1; DELETE FROM runs", "  -- comment\n DELETE FROM runs",
        ] {
            XCTAssertThrowsError(try store.readOnlySelect(statement), statement) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("read-only") || text.contains("one statement"), "\(statement): \(text)")
            }
        }
        XCTAssertThrowsError(try writer.readOnlySelect("SELECT 1")) { XCTAssertTrue("\($0)".contains("read-only")) }
        XCTAssertEqual(try location.integer("SELECT count(*) FROM runs"), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/logbook-copy"))
    }

    /// An unreachable server is one line within seconds; a password in the URL is in neither the error nor `path`.
    func testUnreachableServerIsOneClearLineWithoutThePassword() throws {
        let port = try XCTUnwrap(Self.closedLoopbackPort())
        let url = "postgresql://logbook:s3cret-pass@127.0.0.1:\(port)/nothing"
        let started = Date()
        XCTAssertThrowsError(try StoreLocation.open(url, mode: .readWrite)) { error in
            let text = "\(error)"
            XCTAssertFalse(text.contains("s3cret"), text)
            XCTAssertFalse(text.contains("\n"), text)
            XCTAssertTrue(text.hasPrefix("cannot connect to PostgreSQL at postgresql://logbook@127.0.0.1:\(port)/nothing"), text)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 6)
        XCTAssertEqual(StoreLocation.displayed(url), "postgresql://logbook@127.0.0.1:\(port)/nothing")
        XCTAssertEqual(
            StoreLocation.displayed("postgres://u@h/db?sslmode=require&password=x%20y"), "postgres://u@h/db?sslmode=require")
        XCTAssertEqual(PostgreSQLURL.password(in: "postgres://u@h/db?password=x%20y"), "x y")
    }

    /// The filter language compiles to SQL that PostgreSQL runs: quoting, `like`, booleans, hyperparameters.
    func testTheFilterLanguageRunsOnPostgreSQL() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let store = try location.open()
        var configuration = Synthetic.configuration(learningRate: 0.05)
        configuration.batchNorm = true
        let first = try store.createRun(configuration, name: "it's \"quoted\"")
        let second = try store.createRun(Synthetic.configuration(learningRate: 0.2))
        func ids(_ filter: String) throws -> [SQLValue] {
            try store.runSummaries(RunQuery(filter: filter, columns: ["run_id"])).rows.map { $0[0] }
        }
        XCTAssertEqual(try ids("name = 'it''s \"quoted\"'"), [.integer(first)])
        XCTAssertEqual(try ids("name like 'IT%'"), [.integer(first)])
        XCTAssertEqual(try ids("batch_norm = true"), [.integer(first)])
        XCTAssertEqual(try ids("learning_rate > 0.1"), [.integer(second)])
        XCTAssertEqual(try ids("synthetic_samples = 5000 and shuffle = true"), [.integer(first), .integer(second)])
        XCTAssertEqual(try ids("learning_rate in (0.05, 0.3)"), [.integer(first)])
        XCTAssertEqual(try ids("scaling like 'min%' and not (batch_size < 100)"), [.integer(first), .integer(second)])
        XCTAssertEqual(try ids("layers = '2-16-3' and seed in (7, null)"), [.integer(first), .integer(second)])
        XCTAssertEqual(try ids("momentum is not null and test_accuracy is null"), [.integer(first), .integer(second)])
        let sorted = try store.runSummaries(RunQuery(sort: [SortKey(field: "dropout", descending: true), SortKey(field: "learning_rate", descending: true)], columns: ["run_id", "layers", "learning_rate"]))
        XCTAssertEqual(sorted.rows, [[.integer(second), .text("2-16-3"), .real(0.2)], [.integer(first), .text("2-16-3"), .real(0.05)]])
    }

    /// Trials on demand from four connections at once: exactly `planned_trials` trial indices, each created once;
    /// a pruned trial keeps its rows and counts as finished.
    func testTrialsOnDemandAreCreatedOnceUpToTheCapAndPruningKeepsRows() throws {
        let location = try TestStoreLocation(.postgreSQL)
        let store = try location.open()
        let sweepID = try store.createSweep(
            name: "tpe", method: "tpe", metricName: "validation_loss", metricGoal: "minimize", specJSON: "{}", plannedTrials: 10)
        let claims = OpenResults()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            do {
                let own = try location.open()
                while let trial = try own.claimOrCreateTrial(sweepID: sweepID, worker: "t\(thread)", suggest: { index, history in
                    precondition(history.count == index, "the history holds every earlier trial")
                    return Synthetic.configuration(learningRate: 0.01 * Double(index + 1))
                }) {
                    claims.append(.success([trial.trialIndex]))
                    try own.finishTrial(runID: trial.runID, worker: "t\(thread)", status: .completed)
                }
            } catch {
                claims.append(.failure(error))
            }
        }
        let indices = try claims.all.flatMap { try $0.get() }
        XCTAssertEqual(indices.sorted(), Array(0..<10))
        XCTAssertEqual(try store.sweep(id: sweepID).statusCounts, [.completed: 10])
        XCTAssertNil(try store.claimOrCreateTrial(sweepID: sweepID, worker: "late") { _, _ in Synthetic.configuration() })

        let pruned = try store.createSweep(
            name: "p", method: "tpe", metricName: "validation_loss", metricGoal: "minimize", specJSON: "{}", plannedTrials: 1)
        let trial = try XCTUnwrap(try store.claimOrCreateTrial(sweepID: pruned, worker: "w") { _, _ in Synthetic.configuration() })
        let recorder = try store.makeRecorder(for: trial.runID)
        for event in Synthetic.events(configuration: trial.configuration).prefix(12) { try recorder.handle(event) }
        try recorder.close()
        XCTAssertTrue(try store.pruneTrial(runID: trial.runID, worker: "w", rule: "asha", rung: 1, detail: "below the rung"))
        XCTAssertFalse(try store.pruneTrial(runID: trial.runID, worker: "w", rule: "asha", rung: 1, detail: "again"))
        let run = try store.run(id: trial.runID)
        XCTAssertEqual(run.status, .pruned)
        XCTAssertEqual(run.epochsCompleted, 1)
        XCTAssertEqual(try location.scalar("SELECT pruned_rung FROM run_summary WHERE run_id = ?", [.integer(trial.runID)]), .integer(1))
        XCTAssertEqual(try store.sweepEpochCurves(sweepID: pruned, metric: .trainLoss).first?.values, [1: 1.0])
        XCTAssertEqual(try store.sweep(id: pruned).finishedTrials, 1)
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, then closed).
    static func closedLoopbackPort() -> Int? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}

/// Results collected from concurrent threads.
private final class OpenResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[Int], Error>] = []
    func append(_ result: Result<[Int], Error>) {
        lock.lock()
        results.append(result)
        lock.unlock()
    }
    var all: [Result<[Int], Error>] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}
