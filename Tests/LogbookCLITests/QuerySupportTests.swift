import ArgumentParser
import Foundation
import LogbookFixtures
import Report
@testable import Store
import XCTest

@testable import LogbookCLI

/// A temporary database holding a small fixture sweep (2 batch sizes × 2 learning rates × 2 initializers × 2
/// seeds = 16 completed runs, 3 epochs each), recorded through the trial queue and the recorder, shared by the query
/// command tests. Trials run in plan order: seed 1 first (runs 1–8), the initializer varying fastest.
final class QueryFixture {
    let directory: URL
    let path: String
    let sweepID: Int64

    init(_ configure: (inout FixtureSweep) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("logbook.sqlite").path
        var sweep = FixtureSweep()
        configure(&sweep)
        let store = try LogbookStore(path: path)
        sweepID = try sweep.record(into: store)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Parses `arguments` as the `logbook` root would, with `--db` pointing at the fixture.
    func command<C: ParsableCommand>(_ type: C.Type, _ arguments: [String]) throws -> C {
        guard let command = try Logbook.parseAsRoot([C._commandName, "--db", path] + arguments) as? C else {
            throw StoreError("parsed the wrong command for \(arguments)")
        }
        return command
    }

    /// The output `logbook <command> <arguments>` prints (without colour).
    func output<C: ParsableCommandWithOutput>(_ type: C.Type, _ arguments: [String]) throws -> String {
        try command(type, arguments).output(colour: false)
    }
}

final class QuerySupportTests: XCTestCase {
    func testSplitListAcceptsRepeatsAndCommas() {
        XCTAssertEqual(QuerySupport.splitList(["a,b", " c ", ",,"]), ["a", "b", "c"])
    }

    func testFixtureRecordsTheWholeGrid() throws {
        let fixture = try QueryFixture()
        let counts = Dictionary(
            uniqueKeysWithValues: try LogbookStore(path: fixture.path, mode: .readOnly).info().rowCounts.map { ($0.table, $0.rows) })
        // 16 runs; steps per epoch ⌈320/16⌉ = 20 and ⌈320/64⌉ = 5, 3 epochs: 8·60 + 8·15 = 600 iterations; initial and
        // final weights of 2 dense layers (weight and bias): 16 · 2 · 4 = 128 tensors.
        XCTAssertEqual(counts["runs"], 16)
        XCTAssertEqual(counts["epochs"], 48)
        XCTAssertEqual(counts["evaluations"], 16)
        XCTAssertEqual(counts["iterations"], 600)
        XCTAssertEqual(counts["weights"], 128)
    }
}
