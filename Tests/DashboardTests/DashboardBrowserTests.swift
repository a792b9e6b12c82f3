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
    }
}
