import Engine
import Foundation
import Migrations
import StoreTesting
import XCTest

/// The main commands on a `postgresql://` URL, through the built executable: the same session on a SQLite file and
/// on PostgreSQL prints the same deterministic results (losses, accuracies, exports, weights), and `rerun` is
/// identical on both.
final class PostgreSQLCommandsTests: StoreContractTestCase {
    struct Session {
        var outputs: [String: String] = [:]
        var weights: [NamedTensor] = []
    }

    private func session(_ location: TestStoreLocation) throws -> Session {
        let database = location.location
        let scratch = location.scratchDirectory
        func logbook(_ arguments: [String], expectFailure: Bool = false) throws -> LogbookProcess.Output {
            let output = try LogbookProcess.run(arguments + ["--db", database])
            if expectFailure {
                XCTAssertNotEqual(output.status, 0, "logbook \(arguments.joined(separator: " ")) should fail")
            } else {
                XCTAssertEqual(output.status, 0, "logbook \(arguments.joined(separator: " ")): \(output.standardError)")
            }
            return output
        }
        var session = Session()
        let migrate = try logbook(["db", "migrate"])
        XCTAssertTrue(migrate.standardOutput.contains("schema version \(SchemaMigrations.latestVersion)"), migrate.standardOutput)
        _ = try logbook(["train", "--quiet", "--data", "wine", "--layers", "13-16-3", "--epochs", "3", "--batch-size", "16", "--seed", "11"])
        let rerun = try logbook(["rerun", "1", "--quiet"])
        XCTAssertTrue(rerun.standardOutput.contains("run 2 re-ran run 1: identical: 27/27 steps"), rerun.standardOutput)
        _ = try logbook([
            "sweep", "run", "--name", "cli", "--data", "digits", "--layers", "64-16-10", "--epochs", "2",
            "--batch-size", "32,64", "--lr", "0.1,0.5", "--workers", "2", "--quiet",
        ])
        let status = try logbook(["sweep", "status", "1"])
        XCTAssertTrue(status.standardOutput.contains("4/4 done (4 completed)"), status.standardOutput)
        let sweeps = try logbook(["sweeps"])
        XCTAssertTrue(sweeps.standardOutput.contains("cli"), sweeps.standardOutput)
        session.outputs["runs"] = try logbook([
            "runs", "--columns", "run_id,name,status,batch_size,learning_rate,train_loss,test_accuracy", "--format", "csv",
            "--where", "status = 'completed' and learning_rate >= 0.1", "--sort", "-test_accuracy,run_id",
        ]).standardOutput
        session.outputs["metrics"] = try logbook(["metrics", "1", "--format", "csv"]).standardOutput
        session.outputs["sql"] = try logbook([
            "sql", "SELECT run_id, step, loss, learning_rate FROM iteration_log ORDER BY run_id, step", "--format", "csv",
        ]).standardOutput
        session.outputs["export"] = try logbook(["export", "--sweep", "1", "--what", "epochs", "--format", "csv"])
            .standardOutput.split(separator: "\n").map { $0.split(separator: ",").dropLast(2).joined(separator: ",") }
            .joined(separator: "\n")  // without seconds and samples/s
        let show = try logbook(["show", "1"])
        XCTAssertTrue(show.standardOutput.contains("status:    completed"), show.standardOutput)
        let compare = try logbook(["compare", "1", "2"])
        XCTAssertTrue(compare.standardOutput.contains("learning_rate"), compare.standardOutput)
        let best = try logbook(["best", "--sweep", "1", "--format", "csv"])
        XCTAssertEqual(best.standardOutput.split(separator: "\n").count, 2, best.standardOutput)
        let report = scratch + "/report.html"
        _ = try logbook(["report", "--sweep", "1", "--out", report])
        XCTAssertTrue(try String(contentsOfFile: report, encoding: .utf8).contains("<html"))
        let weights = scratch + "/run1.safetensors"
        _ = try logbook(["weights", "export", "1", "--out", weights])
        session.weights = try Safetensors.read(path: weights)  // (the file's metadata JSON has no fixed key order)
        let refused = try logbook(["sql", "DELETE FROM runs"], expectFailure: true)
        XCTAssertTrue(refused.standardError.contains("read-only"), refused.standardError)
        let info = try logbook(["db", "info"])
        XCTAssertTrue(info.standardOutput.contains("schema version  \(SchemaMigrations.latestVersion)"), info.standardOutput)
        XCTAssertTrue(info.standardOutput.contains("rows  iterations"), info.standardOutput)
        return session
    }

    func testTheMainCommandsGiveTheSameResultsOnSQLiteAndPostgreSQL() throws {
        var sessions: [StoreBackend: Session] = [:]
        try forEachStore { location, _ in sessions[location.backend] = try session(location) }
        let sqlite = try XCTUnwrap(sessions[.sqlite])
        let postgreSQL = try XCTUnwrap(sessions[.postgreSQL])
        for (name, output) in sqlite.outputs {
            XCTAssertFalse(output.isEmpty, name)
            XCTAssertEqual(postgreSQL.outputs[name], output, "\(name) differs between SQLite and PostgreSQL")
        }
        XCTAssertEqual(postgreSQL.weights, sqlite.weights, "exported weights differ")
        XCTAssertFalse(sqlite.weights.isEmpty)
    }

    /// An unreachable server: one line naming it (never the password), non-zero exit, within seconds.
    func testAnUnreachableServerIsOneLine() throws {
        let started = Date()
        let output = try LogbookProcess.run(["runs", "--db", "postgresql://logbook:hunter2@127.0.0.1:1/none"])
        XCTAssertNotEqual(output.status, 0)
        let lines = output.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, output.standardError)
        XCTAssertTrue(output.standardError.contains("cannot connect to PostgreSQL at postgresql://logbook@127.0.0.1:1/none"), output.standardError)
        XCTAssertFalse(output.standardError.contains("hunter2") || output.standardOutput.contains("hunter2"))
        XCTAssertLessThan(Date().timeIntervalSince(started), 8)
    }
}
