import Foundation
import LogbookFixtures
@testable import Store
import XCTest

@testable import Report

final class SweepReportTests: XCTestCase {
    var directory: URL!
    var store: LogbookStore!
    var sweepID: Int64 = 0

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("logbook.sqlite").path
        var sweep = FixtureSweep()
        sweep.batchSizes = [16, 64, 128]
        sweep.training.trainSize = 1280
        sweep.epochs = 4
        sweepID = try sweep.record(into: LogbookStore(path: path))
        store = try LogbookStore(path: path, mode: .readOnly)
    }

    override func tearDownWithError() throws {
        store = nil
        try? FileManager.default.removeItem(at: directory)
    }

    func testHTMLIsWellFormedWithOneChartPerSection() throws {
        let document = try SweepReport().build(sweepID: sweepID, store: store)
        XCTAssertEqual(document.sections.map(\.id), ["leaderboard", "loss-curves", "accuracy", "effects", "batch-size", "initializers"])
        for section in document.sections {
            XCTAssertGreaterThanOrEqual(section.charts.count, 1, section.id)
        }
        let html = document.html()
        let elements = parseXML(html)
        XCTAssertEqual(elements.first, "html")
        XCTAssertEqual(elements.filter { $0 == "section" }.count, 6)
        XCTAssertEqual(elements.filter { $0 == "svg" }.count, document.sections.map(\.charts.count).reduce(0, +))
        // Effects: one bar chart per swept key and the heatmap. The swept keys follow the spec's `parameters` list,
        // which the fixture's spec (written by SweepSpec, as production writes it) holds in this order.
        XCTAssertEqual(document.sections[3].charts.map(\.fileName), ["effect-batch_size.svg", "effect-learning_rate.svg", "effect-initializer.svg", "heatmap.svg"])
        // Self-contained: no scripts, nothing fetched from elsewhere.
        XCTAssertFalse(elements.contains("script") || elements.contains("link") || elements.contains("img"))
        XCTAssertFalse(html.contains("http://") && html.replacingOccurrences(of: "http://www.w3.org/", with: "").contains("http://"))
        XCTAssertFalse(html.contains("https://"))
    }

    func testSectionsMeasureWhatTheyClaim() throws {
        let document = try SweepReport().build(sweepID: sweepID, store: store)
        let html = document.html()
        XCTAssertTrue(html.contains("Zero initialization did not learn"))
        // The batch-size table: noise falls as the batch grows (the synthetic noise scales as 1/√B).
        guard case .table(let batchTable)? = document.sections[4].blocks.first(where: { if case .table = $0 { return true } else { return false } }) else {
            return XCTFail("no batch-size table")
        }
        XCTAssertEqual(batchTable.column("batch_size"), [.integer(16), .integer(64), .integer(128)])
        XCTAssertEqual(batchTable.column("iterations_per_epoch")?.map(\.double), [80, 20, 10])
        // Zero-initialized runs never learn, so they stay out of the batch-size measurements.
        XCTAssertEqual(batchTable.column("runs"), [.integer(4), .integer(4), .integer(4)])
        XCTAssertTrue(html.contains("Measured over the 12 of 24 completed runs whose loss fell"))
        let noise = try XCTUnwrap(batchTable.column("loss_noise (mean ± std)")).map { Double($0.label.split(separator: " ")[0])! }
        XCTAssertGreaterThan(noise[0], noise[1])
        XCTAssertGreaterThan(noise[1], noise[2])
        // Initializers: zeros at chance, he-uniform above.
        guard case .table(let initTable)? = document.sections[5].blocks.last(where: { if case .table = $0 { return true } else { return false } }) else {
            return XCTFail("no initializer table")
        }
        XCTAssertEqual(initTable.column("learned"), [.text("yes"), .text("no")])
        XCTAssertEqual(initTable.column("chance"), [.real(0.1), .real(0.1)])
        // The loss curves run from ≈ ln 10 down to ≈ 0.05: more than 1.5 decades, so the axis is logarithmic.
        XCTAssertTrue(document.sections[1].charts[0].svg.contains("(log scale)"))
    }

    func testMarkdownLinksChartFilesWrittenBesideIt() throws {
        let path = directory.appendingPathComponent("report.md").path
        try SweepReport().build(sweepID: sweepID, store: store).write(to: path, markdown: true)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let links = text.components(separatedBy: "](report-charts/").dropFirst().map { String($0.prefix { $0 != ")" }) }
        XCTAssertEqual(links.count, 9)
        for link in links {
            let svg = try String(contentsOfFile: directory.appendingPathComponent("report-charts/\(link)").path, encoding: .utf8)
            XCTAssertEqual(parseXML(svg).first, "svg")
        }
        XCTAssertTrue(text.contains("| batch_size | runs | iterations_per_epoch |"))
    }

    func testUnknownSweep() {
        XCTAssertThrowsError(try SweepReport().build(sweepID: 99, store: store)) { error in
            XCTAssertEqual(String(describing: error), "no sweep with id 99")
        }
    }

    /// Diverged, failed and pending runs are listed in the subtitle but left out of every statistic; a sweep with no
    /// completed run still gives a well-formed report.
    func testUnfinishedRunsAreLeftOut() throws {
        let path = directory.appendingPathComponent("logbook.sqlite").path
        let writer = try LogbookStore(path: path)
        try writer.write { connection in
            try connection.execute("UPDATE runs SET status = 'diverged', test_accuracy = NULL WHERE trial_index IN (0, 1)")
            try connection.execute("UPDATE runs SET status = 'pending', test_accuracy = NULL WHERE trial_index = 2")
        }
        let document = try SweepReport().build(sweepID: sweepID, store: store)
        XCTAssertTrue(document.subtitle.contains("21 completed, 2 diverged, 1 pending"), document.subtitle)
        // The fixture sweep names test_accuracy: the report says the test split chose (nothing measured apart).
        guard case .paragraph(let choice) = document.sections[0].blocks[1] else { return XCTFail("no choice paragraph") }
        XCTAssertEqual(choice, "Chosen by test_accuracy on the test split; no separate measurement: the figure is optimistic, the test data took part in the choice.")
        guard case .table(let leaderboard) = document.sections[0].blocks[2] else { return XCTFail("no leaderboard table") }
        XCTAssertEqual(leaderboard.rows.count, 10)
        XCTAssertFalse(leaderboard.column("run_id")!.contains(.integer(1)))
        try writer.write { try $0.execute("UPDATE runs SET status = 'failed'") }
        let empty = try SweepReport().build(sweepID: sweepID, store: store)
        parseXML(empty.html())
        XCTAssertTrue(empty.html().contains("no data"))
    }
}
