import Dashboard
import Foundation
import LogbookBench
import Report
import Store
import XCTest

/// The dashboard over HTTP on a free loopback port against a recorded store: pages, the JSON API's answers and
/// shapes, escaping, refusals (400, 404), path traversal, and that the store file is never written.
final class DashboardServerTests: XCTestCase {
    static let recorded = Result { try DashboardFixture.record() }
    var served: ServedStore!
    var scriptRun: Int64 = 0

    override func setUpWithError() throws {
        let (path, run) = try DashboardServerTests.recorded.get()
        scriptRun = run
        served = try ServedStore(location: path)
    }

    override func tearDown() { served?.stop() }

    func testPagesAnswerAndEscapeEveryName() throws {
        for path in ["/", "/sweeps", "/runs", "/runs/\(scriptRun)", "/sweeps/1", "/compare?runs=1,\(scriptRun)"] {
            let response = try served.get(path)
            XCTAssertEqual(response.status, 200, path)
            XCTAssertEqual(response.headers["content-type"], "text/html; charset=utf-8", path)
            XCTAssertFalse(response.text.contains(DashboardFixture.scriptName), "\(path) pastes the run's name")
            XCTAssertFalse(response.text.contains("<b>sweep</b>"), "\(path) pastes the sweep's name")
        }
        let runs = try served.get("/runs").text
        XCTAssertTrue(runs.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertEqual(runs.components(separatedBy: "<input type=\"checkbox\" class=\"select\"").count - 1, 9)
        let run = try served.get("/runs/\(scriptRun)").text
        XCTAssertTrue(run.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; · Logbook</title>"))
        XCTAssertTrue(run.contains("Confusion matrix"))
        XCTAssertTrue(try served.get("/sweeps").text.contains("grid &lt;b&gt;sweep&lt;/b&gt;"))
        let compare = try served.get("/compare?runs=1,\(scriptRun)").text
        XCTAssertTrue(compare.contains("\\u003cscript>alert(1)\\u003c/script>"), "the name inside the script is JSON with < escaped")
        let script = try served.get("/assets/dashboard.js")
        XCTAssertEqual(script.status, 200)
        XCTAssertEqual(script.text, DashboardAssets.script)
        XCTAssertEqual(try served.get("/assets/dashboard.css").text, DashboardAssets.stylesheet)
    }

    /// Every page runs only the served script: the policy allows no inline script or style, and the pages carry
    /// none — their one inline `<script>` is the JSON data block naming a starter the served script defines.
    func testPagesRunOnlyTheServedScriptUnderAStrictPolicy() throws {
        let script = try served.get("/assets/dashboard.js").text
        let starters = ["/sweeps": "sweeps", "/runs": "runs", "/runs/\(scriptRun)": "run", "/sweeps/1": "sweep",
                        "/compare?runs=1,\(scriptRun)": "compare"]
        for (path, starter) in starters {
            let response = try served.get(path)
            let policy = try XCTUnwrap(response.headers["content-security-policy"], path)
            let directives = Dictionary(uniqueKeysWithValues: policy.split(separator: ";").map {
                let words = $0.split(separator: " ").map(String.init)
                return (words[0], Array(words.dropFirst()))
            })
            XCTAssertEqual(directives["script-src"], ["'self'"], policy)
            XCTAssertEqual(directives["style-src"], ["'self'"], policy)
            XCTAssertEqual(directives["frame-ancestors"], ["'none'"], policy)
            XCTAssertEqual(directives["object-src"], ["'none'"], policy)
            let html = response.text
            let tags = html.components(separatedBy: "<script").dropFirst().map { String($0.prefix { $0 != ">" }) }
            XCTAssertEqual(tags, [" src=\"/assets/dashboard.js\"", " type=\"application/json\" id=\"logbook-page\""], path)
            XCTAssertNil(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression), "\(path) has an inline handler")
            XCTAssertNil(html.range(of: #"\sstyle\s*="#, options: .regularExpression), "\(path) has an inline style")
            let block = try XCTUnwrap(html.components(separatedBy: "id=\"logbook-page\">").last?.components(separatedBy: "</script>").first)
            let page = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: Any], block)
            XCTAssertEqual(page["name"] as? String, starter, path)
            XCTAssertTrue(script.contains("pages.\(starter) = function"), starter)
        }
    }

    func testRunsAPIFiltersSortsAndPages() throws {
        let (status, value) = try served.json("/api/runs?where=batch_size%20%3E%3D%2064&sort=-run_id&limit=3&offset=1&columns=batch_size,name")
        XCTAssertEqual(status, 200)
        let page = object(value)
        XCTAssertEqual(page["total"] as? Int, 4)  // the sweep's runs with batch size 64: 2 learning rates × 2 initializers
        XCTAssertEqual(page["offset"] as? Int, 1)
        XCTAssertEqual(page["limit"] as? Int, 3)
        XCTAssertEqual(page["columns"] as? [String], ["run_id", "batch_size", "name"])
        let rows = page["rows"] as? [[String: Any]] ?? []
        XCTAssertEqual(rows.map { $0["id"] as? Int }, [7, 6, 5])  // runs 5…8 have batch size 64; -run_id, skip one
        XCTAssertEqual((rows.first?["values"] as? [String: Any])?["batch_size"] as? Int, 64)
        let all = object(try served.json("/api/runs").value)
        XCTAssertEqual(all["total"] as? Int, 9)
        XCTAssertEqual((all["columns"] as? [String])?.first, "run_id")
        let named = (all["rows"] as? [[String: Any]])?.last?["values"] as? [String: Any]
        XCTAssertEqual(named?["name"] as? String, DashboardFixture.scriptName)
    }

    func testBadRequestsAre400WithTheCLIsOneLine() throws {
        let cases: [(String, String)] = [
            ("/api/runs?where=batch_size%20%3E%3D",
             "invalid --where \"batch_size >=\": expected a value (number, 'text', null, true, false), found the end of the filter (at character 14)"),
            ("/api/runs?sort=-", "invalid --sort '-': empty sort key '-'"),
            ("/api/runs?limit=0", "invalid limit '0': must be an integer, 1…1000"),
            ("/api/runs/1/series?metric=accuracy", "invalid metric 'accuracy': expected one of loss, train_loss, validation_loss, train_accuracy, validation_accuracy, test_loss, test_accuracy"),
            ("/api/runs/1/series?x=wall", "invalid x 'wall': expected one of step, epoch, time"),
        ]
        for (target, message) in cases {
            let response = try served.get(target)
            XCTAssertEqual(response.status, 400, target)
            XCTAssertEqual(response.headers["content-type"], "application/json; charset=utf-8")
            XCTAssertEqual(object(try JSONSerialization.jsonObject(with: Data(response.body)))["error"] as? String, message, target)
            XCTAssertFalse(response.text.contains("\n"))
        }
        let unknown = try served.json("/api/runs?where=nonsense%20%3E%201")
        XCTAssertEqual(unknown.status, 400)
        XCTAssertTrue((object(unknown.value)["error"] as? String ?? "").contains("nonsense"), "\(unknown.value)")
        let page = try served.get("/runs?where=batch_size%20%3E%3D%20%3Cb%3E")
        XCTAssertEqual(page.status, 400)
        XCTAssertTrue(page.text.contains("<p class=\"error\" role=\"alert\">invalid --where &quot;batch_size &gt;= &lt;b&gt;&quot;"), page.text)
    }

    func testUnknownIDsAndPathsAre404() throws {
        for target in [
            "/api/runs/999", "/api/runs/abc", "/api/runs/999/series", "/api/runs/999/events", "/api/sweeps/9",
            "/api/sweeps/9/parallel", "/api/nothing", "/runs/999", "/sweeps/9", "/nothing", "/compare?runs=999",
        ] {
            XCTAssertEqual(try served.get(target).status, 404, target)
        }
        XCTAssertEqual(object(try served.json("/api/runs/999").value)["error"] as? String, "no run with id 999")
    }

    /// Nothing outside the two embedded assets can be read through a path, however it is spelled.
    func testPathTraversalIsRefused() throws {
        for target in [
            "/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fPackage.swift",
            "/assets/dashboard.js/../../Package.swift", "//etc/passwd", "/assets/", "/assets/dashboard.js%00.txt",
            "/../Package.swift", "/etc/passwd",
        ] {
            let response = try served.client().get(target)
            XCTAssertEqual(response.status, 404, target)
            XCTAssertFalse(response.text.contains("root:"), target)
            XCTAssertFalse(response.text.contains("PackageDescription"), target)
        }
    }

    func testSeriesAreDownsampledWithMinMaxAndMean() throws {
        let series = object(try served.json("/api/runs/\(scriptRun)/series?metric=loss&x=step&points=7").value)
        XCTAssertEqual(series["run"] as? Int, Int(scriptRun))
        XCTAssertEqual(series["metric"] as? String, "loss")
        let points = series["points"] as? [[String: Double]] ?? []
        // 30 steps in 7 buckets: step s in bucket ⌊7(s−1)/30⌋, each point at its bucket's last step.
        XCTAssertEqual(points.map { $0["x"]! }, [5, 9, 13, 18, 22, 26, 30])
        for point in points {
            XCTAssertLessThanOrEqual(point["min"]!, point["mean"]!)
            XCTAssertLessThanOrEqual(point["mean"]!, point["max"]!)
        }
        XCTAssertEqual(points.map { $0["x"]! }, points.map { $0["x"]! }.sorted())
        let epochs = object(try served.json("/api/runs/\(scriptRun)/series?metric=train_loss&x=epoch").value)
        XCTAssertEqual((epochs["points"] as? [[String: Double]])?.map { $0["x"]! }, [1, 2, 3])
        let byEpoch = object(try served.json("/api/runs/\(scriptRun)/series?x=epoch&points=30").value)
        XCTAssertEqual((byEpoch["points"] as? [[String: Double]])?.last?["x"], 3)  // step 30 ends epoch 3
        let byTime = object(try served.json("/api/runs/\(scriptRun)/series?x=time&points=30").value)
        let times = (byTime["points"] as? [[String: Double]] ?? []).map { $0["x"]! }
        XCTAssertEqual(times, times.sorted())
        XCTAssertGreaterThan(times.last ?? 0, 0)
    }

    func testSweepsAndParallelCoordinates() throws {
        let sweeps = try served.json("/api/sweeps").value as? [[String: Any]] ?? []
        XCTAssertEqual(sweeps.count, 1)
        XCTAssertEqual(sweeps[0]["name"] as? String, "grid <b>sweep</b>")
        XCTAssertEqual(sweeps[0]["method"] as? String, "grid")
        XCTAssertEqual(sweeps[0]["counts"] as? [String: Int], ["completed": 8])
        let runs = object(try served.json("/api/runs?where=sweep_id%20%3D%201&sort=-test_accuracy,run_id&limit=1&columns=test_accuracy").value)
        let bestRow = (runs["rows"] as? [[String: Any]])?.first
        let best = object(sweeps[0]["best"] as Any)
        XCTAssertEqual(best["run"] as? Int, bestRow?["id"] as? Int)
        XCTAssertEqual(best["value"] as? Double, (bestRow?["values"] as? [String: Any])?["test_accuracy"] as? Double)

        let parallel = object(try served.json("/api/sweeps/1/parallel").value)
        XCTAssertEqual(parallel["metricName"] as? String, "test_accuracy")
        let axes = parallel["axes"] as? [[String: Any]] ?? []
        XCTAssertEqual(axes.map { $0["name"] as? String }, ["batch_size", "learning_rate", "initializer"])
        XCTAssertEqual(axes.map { $0["kind"] as? String }, ["linear", "linear", "categorical"])
        XCTAssertEqual(axes[2]["categories"] as? [String], ["he-uniform", "zeros"])
        let rows = parallel["rows"] as? [[String: Any]] ?? []
        XCTAssertEqual(rows.count, 8)
        XCTAssertEqual(rows[0]["values"] as? [AnyHashable], [16, 0.01, "he-uniform"])
        XCTAssertNotNil(rows[0]["metric"] as? Double)
        let sweep = object(try served.json("/api/sweeps/1").value)
        XCTAssertEqual(object(sweep["metric"] as Any)["goal"] as? String, "maximize")
        XCTAssertEqual(sweep["planned"] as? Int, 8)
    }

    func testRunAPIHoldsConfigurationEpochsAndConfusion() throws {
        let run = object(try served.json("/api/runs/\(scriptRun)").value)
        XCTAssertEqual(object(run["run"] as Any)["name"] as? String, DashboardFixture.scriptName)
        XCTAssertEqual(object(run["run"] as Any)["status"] as? String, "completed")
        XCTAssertEqual(object(run["configuration"] as Any)["batch_size"] as? Int, 32)
        XCTAssertEqual((run["epochs"] as? [[String: Any]])?.count, 3)
        let confusion = object(run["test"] as Any)["confusion"] as? [[Int]] ?? []
        XCTAssertEqual(confusion.count, 10)
        XCTAssertEqual(confusion.flatMap { $0 }.reduce(0, +), object(run["test"] as Any)["sample_count"] as? Int)
    }

    /// Flags (`batch_norm` in `run_summary`, `shuffle` in `params`) are JSON booleans in the runs table and in a
    /// run's configuration, not the 0/1 the store keeps or the text `true`/`false` the CLI shows (read as JSON text:
    /// Foundation's parser would hand 0 and false alike back as an NSNumber).
    func testFlagsAreJSONBooleans() throws {
        let page = try served.get("/api/runs?where=run_id%20%3D%20\(scriptRun)&columns=batch_norm,shuffle,batch_size")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(
            page.text.contains("\"values\":{\"run_id\":\(scriptRun),\"batch_norm\":false,\"shuffle\":true,\"batch_size\":32}"),
            page.text)
        let run = try served.get("/api/runs/\(scriptRun)").text
        for member in ["\"batch_norm\":false", "\"shuffle\":true", "\"drop_last\":false", "\"batch_size\":32", "\"optimizer\":\"sgd\""] {
            XCTAssertTrue(run.contains(member), "\(member) in \(run.prefix(400))")
        }
    }

    /// Every page and API answer read; the store file's bytes are unchanged (the server opens it read-only).
    func testTheServerNeverWritesTheStore() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: served.location))
        for target in ["/", "/runs", "/runs/1", "/sweeps/1", "/compare?runs=1,2", "/api/runs", "/api/sweeps/1/parallel", "/api/runs/1/series"] {
            XCTAssertEqual(try served.get(target).status, 200, target)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: served.location)), before)
    }
}
