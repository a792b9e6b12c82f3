import Engine
import Foundation
@testable import Store
import Sweep
import XCTest

@testable import LogbookCLI

/// The piped `sweep run` display: one line per finished trial, each exactly once, whatever the refreshes between.
final class SweepDisplayTests: XCTestCase {
    func testEachFinishedTrialIsShownOnceAndOnlyWhenItFinished() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-display-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LogbookStore(path: directory.appendingPathComponent("d.sqlite").path)
        let spec = SweepSpec(
            name: "shown",
            parameters: [
                .init(name: "data", domain: .fixed(.string("xor"))),
                .init(name: "learning_rate", domain: .values([.double(0.1), .double(0.2), .double(0.3), .double(0.4)])),
            ])
        let sweepID = try SweepExecution.create(plan: try SweepPlan(spec: spec), base: TrainingConfiguration(), store: store)
        var lines: [String] = []
        let display = SweepDisplay(store: store, sweepID: sweepID, live: false) { text in
            lines += text.split(separator: "\n").map(String.init)
        }
        func finish(_ status: RunStatus) throws {
            let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w#1"))
            try store.finishTrial(runID: trial.runID, worker: "w#1", status: status)
        }
        try display.refresh()
        XCTAssertEqual(lines, [])
        try finish(.completed)
        try display.refresh()
        try display.refresh()
        XCTAssertEqual(lines.map { String($0.prefix(26)) }, ["[1/4] trial 0 completed le"])
        // A running trial is not shown; an interrupted one is not counted as finished.
        let running = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w#1"))
        try display.refresh()
        XCTAssertEqual(lines.count, 1)
        try store.finishTrial(runID: running.runID, worker: "w#1", status: .interrupted)
        try display.refresh()
        XCTAssertEqual(lines.count, 1)
        try store.requeueStaleTrials(sweepID: sweepID, staleAfter: 60)
        try finish(.failed)
        try finish(.diverged)
        try display.refresh()
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].hasPrefix("[2/4] trial 1 failed"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("[3/4] trial 2 diverged"), lines[2])
        try display.refresh()
        XCTAssertEqual(lines.count, 3)
    }
}
