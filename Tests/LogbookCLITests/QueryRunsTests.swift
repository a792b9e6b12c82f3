import Foundation
import Store
import XCTest

@testable import LogbookCLI

final class QueryRunsTests: XCTestCase {
    func testWhereSortLimitColumnsSnapshot() throws {
        let fixture = try QueryFixture()
        let output = try fixture.output(
            Runs.self,
            ["--where", "batch_size >= 64 and initializer = 'he-uniform'", "--sort", "-learning_rate,seed",
             "--columns", "run_id,batch_size,learning_rate,initializer,seed,status", "--limit", "3"])
        XCTAssertEqual(
            output,
            """
            run_id  batch_size  learning_rate  initializer  seed  status
            ------  ----------  -------------  -----------  ----  ---------
                 7          64            0.1  he-uniform      1  completed
                15          64            0.1  he-uniform      2  completed
                 5          64           0.01  he-uniform      1  completed

            """)
    }

    func testCSVAndJSONSnapshots() throws {
        let fixture = try QueryFixture()
        let arguments = ["--where", "seed = 1 and initializer = 'zeros' and learning_rate > 0.05", "--columns", "run_id,name,batch_size,test_accuracy"]
        XCTAssertEqual(
            try fixture.output(Runs.self, arguments + ["--format", "csv"]),
            """
            run_id,name,batch_size,test_accuracy
            4,synthetic-1-t3,16,0.1
            8,synthetic-1-t7,64,0.1

            """)
        XCTAssertEqual(
            try fixture.output(Runs.self, arguments + ["--format", "json"]),
            """
            [
              {"run_id": 4, "name": "synthetic-1-t3", "batch_size": 16, "test_accuracy": 0.1},
              {"run_id": 8, "name": "synthetic-1-t7", "batch_size": 64, "test_accuracy": 0.1}
            ]

            """)
    }

    func testParameterKeysWorkAsFieldsAndColumns() throws {
        let fixture = try QueryFixture()
        let output = try fixture.output(
            Runs.self, ["--where", "shuffle = 1 and batch_size = 16 and seed = 2", "--columns", "run_id,dropout,shuffle", "--format", "csv", "--limit", "1"])
        XCTAssertEqual(output, "run_id,dropout,shuffle\n9,0,1\n")
    }

    func testSweepAndStatusFilters() throws {
        let fixture = try QueryFixture()
        XCTAssertEqual(try fixture.output(Runs.self, ["--sweep", "\(fixture.sweepID)", "--format", "csv", "--columns", "run_id"]).split(separator: "\n").count, 17)
        XCTAssertEqual(try fixture.output(Runs.self, ["--sweep", "999", "--format", "json"]), "[]\n")
        XCTAssertEqual(try fixture.output(Runs.self, ["--status", "failed,diverged", "--format", "json"]), "[]\n")
    }

    func testBadInputIsOneClearLine() throws {
        let fixture = try QueryFixture()
        func message(_ arguments: [String]) -> String {
            do {
                _ = try fixture.output(Runs.self, arguments)
                return "no error"
            } catch {
                return Logbook.message(for: error)
            }
        }
        XCTAssertEqual(message(["--where", "batchsize > 1"]), "invalid filter: unknown field 'batchsize'; did you mean 'batch_size'?")
        XCTAssertEqual(message(["--sort", "-test_acuracy"]), "invalid filter: unknown field 'test_acuracy'; did you mean 'test_accuracy'?")
        XCTAssertTrue(message(["--sort", "-acuracy"]).contains("did you mean '"))
        XCTAssertEqual(message(["--where", "seed = "]), "invalid --where \"seed = \": expected a value (number, 'text', null, true, false), found the end of the filter (at character 8)")
        XCTAssertEqual(message(["--status", "done"]), "invalid --status 'done': expected one of pending, running, completed, failed, diverged, stopped, interrupted, pruned")
        XCTAssertEqual(message(["--limit", "-1"]), "invalid --limit -1: must be 0 or more")
        XCTAssertTrue(message(["--columns", "run_id,nope"]).contains("unknown field 'nope'"))
        let missing = fixture.directory.appendingPathComponent("missing.sqlite").path
        XCTAssertThrowsError(try (Logbook.parseAsRoot(["runs", "--db", missing]) as! Runs).output(colour: false)) { error in
            XCTAssertEqual(Logbook.message(for: error), "database '\(missing)' does not exist")
        }
    }

    func testInjectionThroughWhereStaysALiteral() throws {
        let fixture = try QueryFixture()
        let output = try fixture.output(Runs.self, ["--where", "name = 'x''; DROP TABLE runs; --'", "--format", "json"])
        XCTAssertEqual(output, "[]\n")
        XCTAssertEqual(try fixture.output(Runs.self, ["--format", "csv", "--columns", "run_id"]).split(separator: "\n").count, 17)
    }
}
