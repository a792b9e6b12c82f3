import Dashboard
import Foundation
import LogbookFixtures
@testable import Store
import XCTest

/// The sweeps page's "best so far" ranks by the sweep's metric; a sweep ranked by validation of which no run
/// recorded validation (no validation split) falls back to the test figure and says so.
final class DashboardBestChoiceTests: XCTestCase {
    func testASweepWithoutValidationRowsShowsItsTestBestAndSaysSo() throws {
        let directory = NSTemporaryDirectory() + "logbook-dashboard-best-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/store.sqlite"
        let store = try LogbookStore(path: path)
        var fixture = FixtureSweep()
        fixture.seeds = 1
        fixture.epochs = 1
        fixture.training.recordsWeights = false
        try fixture.record(into: store)  // validation_fraction 0: no run has validation figures
        try store.write { try $0.execute("UPDATE sweeps SET metric_name = 'validation_accuracy'") }
        let expected = try store.runSummaries(
            RunQuery(sweepID: 1, sort: [SortKey(field: "test_accuracy", descending: true)], limit: 1, columns: ["run_id", "test_accuracy"]))
        let served = try ServedStore(location: path)
        defer { served.stop() }
        let sweeps = try served.json("/api/sweeps").value as? [[String: Any]] ?? []
        let best = object(sweeps.first?["best"] as Any)
        XCTAssertEqual(best["metric"] as? String, "test_accuracy")
        XCTAssertEqual(best["run"] as? Int, expected.rows.first?[0].double.map { Int($0) })
        XCTAssertEqual(best["value"] as? Double, expected.rows.first?[1].double)
        let page = try served.get("/sweeps").text
        XCTAssertTrue(page.contains(" by test_accuracy (no validation rows)"), page)
    }
}
