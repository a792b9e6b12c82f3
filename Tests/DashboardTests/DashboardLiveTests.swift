import BrowserTesting
import Dashboard
import Foundation
import Store
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// What the other dashboard tests leave out: a run page in headless Chromium receiving new points while `logbook
/// train` records into the same file, the event stream's API, the printed token of `logbook serve` off loopback,
/// slow clients, and methods other than GET.
final class DashboardLiveTests: XCTestCase {
    func testTheCommandPrintsAGeneratedTokenOffLoopback() throws {
        let fixture = try LiveFixture()
        let serve = Process()
        serve.executableURL = DashboardLiveTests.logbookExecutable
        serve.arguments = ["serve", "--db", fixture.path, "--host", "0.0.0.0", "--port", "0"]
        let output = Pipe()
        serve.standardOutput = output
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer {
            serve.terminate()
            serve.waitUntilExit()
        }
        var text = ""
        while !text.contains("?token=") || !text.hasSuffix("\n") {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let tokenLine = try XCTUnwrap(text.split(separator: "\n").first.map(String.init))
        XCTAssertTrue(tokenLine.hasPrefix("serving \(fixture.path) read-only at http://0.0.0.0:"), tokenLine)
        let token = String(try XCTUnwrap(tokenLine.split(separator: "=").last))
        let port = Int(try XCTUnwrap(tokenLine.split(separator: ":").last?.split(separator: "/").first)) ?? 0
        XCTAssertEqual(try RawHTTP.get(port: port, "/api/sweeps").status, 401)
        XCTAssertEqual(try RawHTTP.get(port: port, "/api/sweeps", headers: ["X-Logbook-Token": token]).status, 200)
    }

    /// A client that sends half a request and stops is disconnected after the idle timeout; others are served meanwhile.
    func testASlowClientIsDisconnected() async throws {
        let fixture = try LiveFixture()
        let dashboard = try await RunningDashboard(
            location: fixture.path, configuration: .init(host: "127.0.0.1", port: 0, idleTimeout: .seconds(1)))
        defer { Task { await dashboard.stop() } }
        let slow = try (0..<20).map { _ in try RawHTTP.connect(port: dashboard.port) }
        defer { slow.forEach { close($0) } }
        for socket in slow { RawHTTP.send(socket, "GET /api/runs HTTP/1.1\r\nHost: x\r\n") }
        XCTAssertEqual(try RawHTTP.get(port: dashboard.port, "/api/runs").status, 200, "served while 20 clients stall")
        let started = Date()
        for socket in slow { XCTAssertEqual(RawHTTP.readToEnd(socket), [], "closed without an answer") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 15, "within the idle timeout, not the test's 20 s")
    }

    func testAFinishedRunsEventStreamSendsEveryPointOnceThenEnds() async throws {
        let fixture = try LiveFixture()
        let dashboard = try await RunningDashboard(location: fixture.path)
        defer { Task { await dashboard.stop() } }
        let id = fixture.sweepRunIDs[0]
        func get(_ target: String, headers: [String: String] = [:]) throws -> RawHTTP.Response {
            try RawHTTP.get(port: dashboard.port, target, headers: headers)
        }
        // A finished run's stream: every point once, its status, then the end.
        let events = try get("/api/runs/\(id)/events")
        XCTAssertEqual(events.status, 200)
        XCTAssertEqual(events.headers["content-type"], "text/event-stream; charset=utf-8")
        let data = events.body.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }
        XCTAssertEqual(data.count, 1, events.body)
        let event = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(data[0].dropFirst(6).utf8)) as? [String: Any])
        XCTAssertEqual(event["status"] as? String, "completed")
        XCTAssertEqual((event["points"] as? [[String: Double]])?.map { $0["x"]! }, (1...40).map(Double.init))
        XCTAssertTrue(events.body.contains("event: points\nid: 40\n"), events.body)
        // A reconnecting EventSource sends the last id it saw: the stream resumes after it.
        let resumed = try get("/api/runs/\(id)/events", headers: ["Last-Event-ID": "30"])
        let resumedData = resumed.body.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }
        let resumedEvent = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(resumedData[0].dropFirst(6).utf8)) as? [String: Any])
        XCTAssertEqual((resumedEvent["points"] as? [[String: Double]])?.map { $0["x"]! }, (31...40).map(Double.init))
    }

    func testOnlyGETIsAnswered() async throws {
        let fixture = try LiveFixture()
        let dashboard = try await RunningDashboard(location: fixture.path)
        defer { Task { await dashboard.stop() } }
        for method in ["POST", "PUT", "DELETE"] {
            let answer = try RawHTTP.request(
                port: dashboard.port, "\(method) /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
            XCTAssertEqual(answer.status, 405, method)
            XCTAssertEqual(answer.object["error"] as? String, "method \(method) not allowed: the dashboard only reads (GET)")
        }
    }

    func testRunPageReceivesNewPointsWhileTrainRecords() async throws {
        let fixture = try LiveFixture()
        let dashboard = try await RunningDashboard(location: fixture.path)
        defer { Task { await dashboard.stop() } }
        let base = "http://127.0.0.1:\(dashboard.port)"
        let train = Process()
        train.executableURL = DashboardLiveTests.logbookExecutable
        train.arguments = [
            "train", "--db", fixture.path, "--data", "digits", "--layers", "0-32-0", "--batch-size", "8", "--epochs", "1000",
            "--seed", "3", "--name", "live",
        ]
        train.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        train.standardOutput = FileHandle.nullDevice
        train.standardError = FileHandle.nullDevice
        try train.run()
        defer {
            train.terminate()
            train.waitUntilExit()
        }
        let reader = try LogbookStore(path: fixture.path, mode: .readOnly)
        let runID = fixture.scriptRunID + 1
        let deadline = Date().addingTimeInterval(60)
        while (try? reader.losses(run: runID, fromStep: 1, count: 1).count) != 1 {
            XCTAssertTrue(train.isRunning, "logbook train ended before recording")
            guard Date() < deadline, train.isRunning else { return XCTFail("no iteration recorded within 60 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
        XCTAssertEqual(try reader.run(id: runID).status, .running, "the page is opened while the run trains")
        // The event stream ends when the run does: Chromium dumps the DOM once the run has completed.
        let dom = try HeadlessChromium.dumpDOM(url: base + "/runs/\(runID)", virtualTimeBudgetMilliseconds: 5000)
        XCTAssertEqual(matches(of: #"<g class="series" data-id="(\d+)""#, in: dom), [String(runID)])
        let received = Int(matches(of: #"<span class="live-count">(\d+)</span>"#, in: dom).first ?? "") ?? 0
        XCTAssertGreaterThan(received, 0, "points pushed by the event stream after the page loaded")
        XCTAssertTrue(dom.contains("<span class=\"status\">completed</span>"), "the end pushed as a status event")
    }

    /// The first captured group of each match of `pattern` (the whole match when it has no group), in order.
    func matches(of pattern: String, in text: String) -> [String] {
        guard let expression = try? Regex(pattern) else {
            XCTFail("bad pattern \(pattern)")
            return []
        }
        return text.matches(of: expression).compactMap { $0.output[$0.output.count > 1 ? 1 : 0].substring.map(String.init) }
    }

    /// The built `logbook` executable, beside the test bundle.
    static var logbookExecutable: URL {
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("logbook").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("logbook")
    }
}
