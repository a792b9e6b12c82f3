import Dashboard
import Foundation
import LogbookBench
import Store
import XCTest

/// Bound to a non-loopback address (0.0.0.0) the dashboard needs its token: refused without it or with a wrong one
/// (401, one line), answered with it in a header, in `?token=` (which sets the cookie) or in that cookie.
final class DashboardTokenTests: XCTestCase {
    func testANonLoopbackBindNeedsItsToken() throws {
        let (path, _) = try DashboardServerTests.recorded.get()
        XCTAssertThrowsError(try DashboardServer(location: path, configuration: .init(host: "0.0.0.0", port: 0))) { error in
            XCTAssertEqual("\(error)", "serving on '0.0.0.0' (not loopback) needs a token")
        }
        let token = AccessToken.generate()
        XCTAssertEqual(token.value.count, 64)
        let served = try ServedStore(location: path, configuration: .init(host: "0.0.0.0", port: 0, token: token))
        defer { served.stop() }
        for target in ["/api/runs", "/runs", "/assets/dashboard.js"] {
            let refused = try served.get(target)
            XCTAssertEqual(refused.status, 401, target)
            XCTAssertFalse(refused.text.contains(token.value))
        }
        XCTAssertEqual(try served.get("/api/runs?token=" + String(repeating: "0", count: 64)).status, 401)
        XCTAssertEqual(try served.get("/api/runs", headers: [("Authorization", "Bearer \(token.value)")]).status, 200)
        XCTAssertEqual(try served.get("/api/runs", headers: [("X-Logbook-Token", token.value)]).status, 200)
        let link = try served.get("/runs?token=\(token.value)")
        XCTAssertEqual(link.status, 200)
        XCTAssertEqual(link.headers["set-cookie"], "logbook_token=\(token.value); Path=/; HttpOnly; SameSite=Strict")
        XCTAssertEqual(try served.get("/api/runs/1", headers: [("Cookie", "other=1; logbook_token=\(token.value)")]).status, 200)
        XCTAssertTrue(AccessToken.isLoopback("127.0.0.1") && AccessToken.isLoopback("::1") && !AccessToken.isLoopback("0.0.0.0"))
    }
}
