import ArgumentParser
import Foundation
import XCTest

@testable import LogbookCLI

/// `logbook export`'s cross-field rules and its TensorBoard path through the command (the formats themselves are
/// checked with the tools' readers in ExportTests).
final class ExportCommandTests: XCTestCase {
    func testCrossFieldRulesAreOneLineErrorsNamingTheOption() throws {
        let fixture = try QueryFixture()
        let cases: [([String], String)] = [
            (["--format", "csv"], "missing --sweep or --runs"),
            (["--sweep", "1", "--runs", "1,2", "--format", "tensorboard", "--out", "x"], "--sweep and --runs both given"),
            (["--runs", "1,2", "--format", "csv"], "invalid --runs with --format csv"),
            (["--sweep", "1", "--format", "tensorboard"], "missing --out: --format tensorboard"),
            (["--sweep", "1", "--format", "tensorboard", "--out", "x", "--what", "epochs"], "invalid --what with --format tensorboard"),
            (["--sweep", "1", "--format", "mlflow"], "missing --tracking-uri"),
            (["--sweep", "1", "--format", "mlflow", "--tracking-uri", "ftp://host"], "invalid --tracking-uri 'ftp://host'"),
            (["--sweep", "1", "--format", "mlflow", "--tracking-uri", "http://127.0.0.1:1", "--out", "x"], "invalid --out with --format mlflow"),
            (["--sweep", "1", "--format", "csv", "--tracking-uri", "http://127.0.0.1:1"], "invalid --tracking-uri with --format csv"),
            (["--sweep", "1", "--format", "tensorboard", "--out", "x", "--experiment", "e"], "invalid --experiment with --format tensorboard"),
            (["--runs", "1,1", "--format", "tensorboard", "--out", "x"], "--runs"),
            (["--runs", "1,x", "--format", "tensorboard", "--out", "x"], "--runs"),
        ]
        for (arguments, expected) in cases {
            XCTAssertThrowsError(try fixture.command(Export.self, arguments), "\(arguments)") { error in
                let message = Logbook.message(for: error)
                XCTAssertTrue(message.contains(expected), "\(arguments): \(message)")
                XCTAssertEqual(message.split(separator: "\n").count, 1, message)
            }
        }
    }

    /// No server at the address: one line naming the request, nothing else.
    func testAnUnreachableTrackingServerIsOneLineError() throws {
        let fixture = try QueryFixture()
        let command = try fixture.command(Export.self, ["--sweep", "1", "--format", "mlflow", "--tracking-uri", "http://127.0.0.1:9"])
        XCTAssertThrowsError(try command.run()) { error in
            let message = Logbook.message(for: error)
            XCTAssertTrue(message.hasPrefix("MLflow: GET /api/2.0/mlflow/experiments/get-by-name failed:"), message)
            XCTAssertEqual(message.split(separator: "\n").count, 1, message)
        }
    }

    func testTensorBoardExportWritesAFolderPerRunAndTheExperiment() throws {
        let fixture = try QueryFixture()
        let out = fixture.directory.appendingPathComponent("tensorboard").path
        try fixture.command(Export.self, ["--sweep", "1", "--format", "tensorboard", "--out", out]).run()
        let entries = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(entries.filter { $0.hasPrefix("run-") }.count, 16)
        XCTAssertEqual(entries.filter { $0.hasPrefix("events.out.tfevents.") }.count, 1, "\(entries)")
        try fixture.command(Export.self, ["--runs", "3,4", "--format", "tensorboard", "--out", out + "-two"]).run()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out + "-two").filter { $0.hasPrefix("run-") }.sorted(), ["run-3", "run-4"])
        XCTAssertThrowsError(try fixture.command(Export.self, ["--runs", "3,99", "--format", "tensorboard", "--out", out + "-bad"]).run()) {
            XCTAssertTrue(Logbook.message(for: $0).contains("99"), Logbook.message(for: $0))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "-bad"), "nothing written for an unknown run")
    }
}
