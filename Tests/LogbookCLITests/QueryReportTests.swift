import Foundation
import XCTest

@testable import LogbookCLI

final class QueryReportTests: XCTestCase {
    func testReportCommandWritesHTMLAndMarkdown() throws {
        let fixture = try QueryFixture()
        let html = fixture.directory.appendingPathComponent("report.html").path
        let written = try fixture.command(ReportCommand.self, ["--sweep", "1", "--out", html]).write()
        XCTAssertEqual(written, html)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\""))
        XCTAssertFalse(text.contains("<script"))
        let markdown = fixture.directory.appendingPathComponent("report.md").path
        try fixture.command(ReportCommand.self, ["--sweep", "1", "--out", markdown, "--format", "markdown"]).write()
        let charts = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.appendingPathComponent("report-charts").path)
        XCTAssertTrue(charts.contains("loss-curves.svg") && charts.contains("heatmap.svg"), "\(charts)")
    }

    func testBadInput() throws {
        let fixture = try QueryFixture()
        XCTAssertThrowsError(try fixture.command(ReportCommand.self, ["--sweep", "1", "--out", "/nonexistent/dir/r.html"])) { error in
            XCTAssertEqual(Logbook.message(for: error), "invalid --out '/nonexistent/dir/r.html': directory '/nonexistent/dir' does not exist")
        }
        let out = fixture.directory.appendingPathComponent("r.html").path
        XCTAssertThrowsError(try fixture.command(ReportCommand.self, ["--sweep", "7", "--out", out]).write()) { error in
            XCTAssertEqual(Logbook.message(for: error), "no sweep with id 7")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}

final class QueryBenchTests: XCTestCase {
    /// A small `bench query` run: every measurement line is JSON with its figures.
    func testBenchQueryEmitsJSONLines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let command = try XCTUnwrap(
            Logbook.parseAsRoot(["bench", "query", "--trials", "20", "--steps", "100", "--runs", "200", "--repeat", "1", "--directory", directory.path])
                as? BenchQuery)
        var lines: [String] = []
        try command.measure { lines.append($0) }
        let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(objects.compactMap { $0["bench"] as? String }, ["query.build", "query.report", "query.all_curves_downsampled", "query.runs", "query.runs_params_key"])
        XCTAssertEqual(objects[0]["iteration_rows"] as? Int, 2000)
        XCTAssertNotNil(objects[1]["seconds_median"] as? Double)
        XCTAssertEqual(objects[2]["buckets"] as? Int, 20 * 100)  // 100 steps per run: one bucket per step
        XCTAssertEqual(objects[3]["runs"] as? Int, 200)
        XCTAssertTrue((1...50).contains(objects[3]["rows_shown"] as? Int ?? 0))
        XCTAssertThrowsError(try Logbook.parseAsRoot(["bench", "query", "--trials", "15"]))
    }
}
