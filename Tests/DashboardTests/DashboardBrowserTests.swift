import BrowserTesting
import Dashboard
import Foundation
import XCTest

/// The served pages in headless Chromium (Debian's `chromium`) with the real embedded script: the runs page's rows
/// and the compare page's chart, one `g.series[data-id]` per selected run.
final class DashboardBrowserTests: XCTestCase {
    func testRunsPageRowsAndCompareChartHoldTheSelectedRuns() throws {
        let (path, scriptRun) = try DashboardServerTests.recorded.get()
        let served = try ServedStore(location: path)
        defer { served.stop() }
        let runs = try HeadlessChromium.dumpDOM(url: "http://127.0.0.1:\(served.port)/runs", virtualTimeBudgetMilliseconds: 3000)
        XCTAssertEqual(runs.components(separatedBy: "class=\"select\"").count - 1, 9, runs)
        XCTAssertTrue(runs.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let compare = try HeadlessChromium.dumpDOM(
            url: "http://127.0.0.1:\(served.port)/compare?runs=1,\(scriptRun)", virtualTimeBudgetMilliseconds: 5000)
        for id in ["1", String(scriptRun)] {
            XCTAssertTrue(compare.contains("class=\"series\" data-id=\"\(id)\""), "no series for run \(id) in the compare chart")
        }
        XCTAssertEqual(compare.components(separatedBy: "class=\"series\" data-id=").count - 1, 2, compare)
        // The legend's colours are set through element.style, which the policy (style-src 'self') allows.
        XCTAssertEqual(compare.components(separatedBy: "class=\"swatch\" style=\"background: rgb(").count - 1, 2, compare)
    }

    /// The sweep page's three views, drawn by its starter under the served policy: one parallel-coordinates row
    /// per run of the 8-run grid, one scatter per numeric hyperparameter, the 2 × 2 batch size × learning rate
    /// heatmap.
    func testSweepPageDrawsItsViewsUnderThePolicy() throws {
        let (path, _) = try DashboardServerTests.recorded.get()
        let served = try ServedStore(location: path)
        defer { served.stop() }
        let sweep = try HeadlessChromium.dumpDOM(url: "http://127.0.0.1:\(served.port)/sweeps/1", virtualTimeBudgetMilliseconds: 5000)
        XCTAssertEqual(sweep.components(separatedBy: "class=\"row\" data-id=").count - 1, 8, sweep)
        XCTAssertEqual(sweep.components(separatedBy: "class=\"chart scatter\"").count - 1, 2, sweep)
        XCTAssertEqual(sweep.components(separatedBy: "class=\"cell\" data-x=").count - 1, 4, sweep)
    }
}
