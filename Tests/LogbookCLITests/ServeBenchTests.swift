import Foundation
import Store
import StoreTesting
import XCTest

@testable import LogbookCLI

final class ServeBenchTests: XCTestCase {
    /// A small `bench serve` run: a store of 301 runs (a 100-trial sweep, a 1,000-step curve), every line JSON with
    /// its figures, every probe answered, the load test without error; `--keep` reuses the store it kept.
    func testBenchServeEmitsJSONLinesAndReusesAKeptStore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try assertBenchServe(kept: directory.appendingPathComponent("kept.sqlite").path, directory: directory)
    }

    /// The same on PostgreSQL: `--keep URL` records into an empty database, and the second run reuses it.
    func testBenchServeOnPostgreSQL() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = try TestStoreLocation(.postgreSQL)
        try assertBenchServe(kept: location.location, directory: directory)
        XCTAssertEqual(try location.integer("SELECT count(*) FROM runs"), 301)
    }

    private func assertBenchServe(kept: String, directory: URL) throws {
        let arguments = [
            "bench", "serve", "--runs", "301", "--sweep-trials", "100", "--steps-per-run", "5", "--curve-steps", "1000",
            "--clients", "4", "--seconds", "1", "--repeat", "2", "--directory", directory.path, "--keep", kept,
        ]
        func measure(_ arguments: [String]) throws -> [[String: Any]] {
            let command = try XCTUnwrap(Logbook.parseAsRoot(arguments) as? BenchServe)
            var lines: [String] = []
            try command.measure { lines.append($0) }
            return try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        }
        let objects = try measure(arguments)
        XCTAssertEqual(
            objects.compactMap { $0["bench"] as? String },
            ["serve.build", "serve.server", "serve.runs_page", "serve.api_runs", "serve.series", "serve.parallel", "serve.load"])
        XCTAssertEqual(objects[0]["iteration_rows"] as? Int, 300 * 5 + 1000)
        XCTAssertEqual(objects[0]["reused"] as? Bool, false)
        XCTAssertEqual(objects[1]["host"] as? String, "127.0.0.1")
        for (index, target) in [(2, 100), (3, 100), (4, 20), (5, 200)] {
            XCTAssertEqual(objects[index]["target_milliseconds"] as? Int, target)
            XCTAssertGreaterThan(objects[index]["milliseconds_median"] as? Double ?? 0, 0)
            XCTAssertEqual(objects[index]["repeats"] as? Int, 2)
        }
        XCTAssertTrue((1...100).contains(objects[2]["rows_shown"] as? Int ?? 0))
        XCTAssertEqual(objects[3]["rows_shown"] as? Int, min(100, objects[3]["rows_matching"] as? Int ?? -1))
        XCTAssertEqual(objects[4]["points"] as? Int, 1000)
        XCTAssertEqual(objects[5]["trials"] as? Int, 100)
        XCTAssertEqual(objects[5]["axes"] as? Int, 3)  // batch size, learning rate, initializer
        let load = objects[6]
        XCTAssertEqual(load["clients"] as? Int, 4)
        XCTAssertEqual(load["errors"] as? Int, 0, "\(load["first_error"] ?? "")")
        XCTAssertGreaterThan(load["requests"] as? Int ?? 0, 4)
        XCTAssertLessThanOrEqual(load["p50_milliseconds"] as? Double ?? .infinity, load["p99_milliseconds"] as? Double ?? 0)

        let again = try measure(arguments)
        XCTAssertEqual(again[0]["reused"] as? Bool, true)
        XCTAssertNil(again[0]["seconds"])
        var otherSizes = arguments
        otherSizes[3] = "401"
        XCTAssertThrowsError(try measure(otherSizes)) { error in
            XCTAssertTrue("\(error)".contains("--keep \(StoreLocation.displayed(kept)) holds a different store (301 runs, not 401)"), "\(error)")
        }
        var otherSteps = arguments
        otherSteps[7] = "6"
        XCTAssertThrowsError(try measure(otherSteps)) { error in
            XCTAssertTrue("\(error)".contains("holds a different store (its runs do not have 6 steps)"), "\(error)")
        }
        XCTAssertThrowsError(try Logbook.parseAsRoot(["bench", "serve", "--sweep-trials", "150"]))
        XCTAssertThrowsError(try Logbook.parseAsRoot(["bench", "serve", "--runs", "100", "--sweep-trials", "100"]))
    }
}
