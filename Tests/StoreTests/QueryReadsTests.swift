import Engine
import Foundation
import XCTest

@testable import Store

/// The typed reads of `StoreQueries` against the rows the recorder wrote (checked with SQL of their own).
final class QueryReadsTests: XCTestCase {
    /// A store with one recorded run (`Synthetic.events`: 24 iterations, 3 epochs, one test evaluation).
    static func recordedRun() throws -> (TemporaryDirectory, LogbookStore, Int64) {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("reads.sqlite"))
        let configuration = Synthetic.configuration()
        let runID = try store.createRun(configuration)
        let recorder = try store.recorder(for: runID)
        for event in Synthetic.events(configuration: configuration) { try recorder.handle(event) }
        try recorder.close()
        return (directory, store, runID)
    }

    /// The filter language's column whitelist is the `run_summary` view, column for column and in order.
    func testRunSummaryColumnsAreTheViewsColumns() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("columns.sqlite"))
        let columns = try store.read { connection in
            var names: [String] = []
            try connection.forEachRow("PRAGMA table_info(run_summary)") { names.append($0.text(1)) }
            return names
        }
        XCTAssertEqual(columns.count, 35)
        XCTAssertEqual(FilterFields.runSummaryColumns, columns)
    }

    func testRunDetailHoldsTheRecordedRun() throws {
        let (_, store, runID) = try Self.recordedRun()
        let detail = try store.runDetail(id: runID)
        XCTAssertEqual(detail.run.id, runID)
        XCTAssertEqual(detail.run.parameterCount, 99)
        XCTAssertEqual([detail.run.trainSize, detail.run.validationSize, detail.run.testSize], [4000, 0, 1000])
        XCTAssertEqual(detail.parameters.map(\.key), detail.parameters.map(\.key).sorted())
        XCTAssertEqual(detail.parameters.first { $0.key == "batch_size" }?.value, .integer(500))
        XCTAssertEqual(detail.epochs.map(\.epoch), [1, 2, 3])
        XCTAssertEqual(detail.epochs.map(\.step), [8, 16, 24])
        XCTAssertEqual(detail.epochs[1].trainLoss, 0.5)
        XCTAssertNil(detail.epochs[0].validationLoss)
        XCTAssertEqual(detail.epochs[2].learningRate, 0.05, accuracy: 1e-7)
        let test = try XCTUnwrap(detail.test)
        XCTAssertEqual(test.split, "test")
        XCTAssertEqual(test.sampleCount, 1000)
        XCTAssertEqual(test.accuracy, 0.875)
        XCTAssertEqual(test.confusion, [[300, 10, 0], [20, 290, 5], [0, 90, 285]])
        XCTAssertNil(test.meanSquaredError)
        XCTAssertEqual(try store.epochs(run: runID), detail.epochs)
        XCTAssertThrowsError(try store.runDetail(id: 999)) { XCTAssertEqual("\($0)", "no run with id 999") }
        XCTAssertThrowsError(try store.epochs(run: 999)) { XCTAssertEqual("\($0)", "no run with id 999") }
    }

    func testIterationLogAndSeriesReads() throws {
        let (_, store, runID) = try Self.recordedRun()
        let log = try store.iterationLog(run: runID)
        XCTAssertEqual(log.map(\.step), Array(1...24))
        XCTAssertEqual(log[9].epoch, 2)
        XCTAssertEqual(log[9].batchIndex, 1)
        XCTAssertEqual(log[0].learningRate, 0.1, accuracy: 1e-7)
        XCTAssertEqual(log[23].learningRate, 0.05, accuracy: 1e-7)
        let expected = (1...24).map { Double(Synthetic.loss(step: $0)) }
        XCTAssertEqual(log.map(\.loss), expected)
        // The streaming downsample equals downsampling the whole curve; a window reads just its steps.
        XCTAssertEqual(try store.downsampledLosses(run: runID, points: 5), SeriesDownsampler.downsample(expected, points: 5))
        XCTAssertEqual(try store.losses(run: runID, fromStep: 20, count: 10), Array(expected[19...]))
        XCTAssertEqual(try store.losses(run: runID, fromStep: 3, count: 2), [expected[2], expected[3]])
        XCTAssertThrowsError(try store.iterationLog(run: 42))
        XCTAssertThrowsError(try store.downsampledLosses(run: 42, points: 5))
    }

    func testRunOverviewIsTheSummaryRowAndParameters() throws {
        let (_, store, runID) = try Self.recordedRun()
        let overview = try store.runOverview(id: runID)
        XCTAssertEqual(overview.summary["run_id"], .integer(runID))
        XCTAssertEqual(overview.summary["status"], .text("completed"))
        XCTAssertEqual(overview.summary["test_accuracy"], .real(0.875))
        XCTAssertEqual(Set(overview.summary.keys), Set(FilterFields.runSummaryColumns))
        XCTAssertEqual(overview.parameters["learning_rate"], .real(0.1))
        XCTAssertThrowsError(try store.runOverview(id: 7)) { XCTAssertEqual("\($0)", "no run with id 7") }
    }

    func testSweepResultsAndExportStreams() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("sweep.sqlite"))
        let configurations = [Synthetic.configuration(learningRate: 0.1), Synthetic.configuration(learningRate: 0.2)]
        let sweepID = try store.createSweep(
            name: "s", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{}",
            trials: configurations)
        let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w#1"))
        let recorder = try store.recorder(for: trial.runID)
        for event in Synthetic.events(configuration: trial.configuration) { try recorder.handle(event) }
        try recorder.close()

        let results = try store.sweepResults(sweepID: sweepID)
        XCTAssertEqual(results.sweep.name, "s")
        XCTAssertEqual(results.runs.map(\.overview.runID), [trial.runID, trial.runID + 1])
        let recorded = results.runs[0]
        XCTAssertEqual(recorded.epochs, try store.epochs(run: trial.runID))
        XCTAssertEqual(recorded.stepsPerEpoch, 8)
        XCTAssertEqual(recorded.testSampleCount, 1000)
        XCTAssertEqual(recorded.testClassCount, 3)
        XCTAssertEqual(recorded.overview.parameters["learning_rate"], .real(0.1))
        XCTAssertEqual(results.runs[1].overview.summary["status"], .text("pending"))
        XCTAssertNil(results.runs[1].testClassCount)
        XCTAssertTrue(results.runs[1].epochs.isEmpty)

        var header: [String] = []
        var rows: [[SQLValue]] = []
        try store.exportSweep(.iterations, sweepID: sweepID, header: { header = $0 }, row: { rows.append($0) })
        XCTAssertEqual(header, ["run_id", "trial_index", "seed", "batch_size", "base_learning_rate", "initializer", "step", "epoch", "loss", "learning_rate"])
        XCTAssertEqual(rows.count, 24)
        XCTAssertEqual(rows[9][7], .integer(2))
        try store.exportSweep(.runs, sweepID: sweepID, header: { header = $0 }, row: { _ in })
        XCTAssertEqual(Array(header.prefix(35)), FilterFields.runSummaryColumns)
        XCTAssertTrue(header.contains("warmup_steps") && !header.dropFirst(35).contains("batch_size"), "\(header)")
        XCTAssertThrowsError(try store.sweepResults(sweepID: 9)) { XCTAssertEqual("\($0)", "no sweep with id 9") }
        XCTAssertThrowsError(try store.exportSweep(.runs, sweepID: 9, header: { _ in }, row: { _ in })) {
            XCTAssertEqual("\($0)", "no sweep with id 9")
        }
    }

    /// One staleness rule: the view (SQL, 10 s) and the Swift side (`Heartbeat.staleAfter`) agree on either side of it.
    func testHeartbeatStalenessIsOneRule() throws {
        XCTAssertEqual(Heartbeat.staleAfter, 10)
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("stale.sqlite"))
        let stale = try store.createRun(Synthetic.configuration())
        let fresh = try store.createRun(Synthetic.configuration())
        let now = Date().timeIntervalSince1970
        try store.write { connection in
            try connection.execute("UPDATE runs SET heartbeat_at = ? WHERE id = ?", [.real(now - Heartbeat.staleAfter - 2), .integer(stale)])
            try connection.execute("UPDATE runs SET heartbeat_at = ? WHERE id = ?", [.real(now - Heartbeat.staleAfter + 2), .integer(fresh)])
        }
        let statuses = try store.runSummaries(RunQuery(columns: ["run_id", "status", "stop_reason"])).rows
        XCTAssertEqual(statuses[0], [.integer(stale), .text("interrupted"), .text("heartbeat_lost")])
        XCTAssertEqual(statuses[1], [.integer(fresh), .text("running"), .null])
        XCTAssertEqual(try store.markStaleRunsInterrupted(), [stale])
        XCTAssertEqual(try store.run(id: fresh).status, .running)
    }

    /// Runs and claimed trials record the same host name, the one `Provenance` defines, and the version.
    func testProvenanceIsRecordedOneWay() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("host.sqlite"))
        let runID = try store.createRun(Synthetic.configuration())
        let sweepID = try store.createSweep(
            name: "h", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{}",
            trials: [Synthetic.configuration()])
        let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w#2"))
        XCTAssertFalse(Provenance.hostName.isEmpty)
        XCTAssertEqual(try store.run(id: runID).host, Provenance.hostName)
        XCTAssertEqual(try store.run(id: trial.runID).host, Provenance.hostName)
        XCTAssertEqual(try store.run(id: runID).logbookVersion, Provenance.logbookVersion)
    }

    /// The stored model description is the engine's (`Sequential.describe`), dropout included, from creation on.
    func testModelDescriptionIsTheEnginesFromCreation() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("model.sqlite"))
        var configuration = Synthetic.configuration()
        configuration.batchNorm = true
        configuration.dropout = 0.25
        let runID = try store.createRun(configuration, status: .pending)
        XCTAssertEqual(try store.run(id: runID).model, "2-16-3 relu +bn dropout=0.25")
        XCTAssertEqual(
            try store.run(id: runID).model,
            Sequential.describe(widths: [2, 16, 3], activation: "relu", batchNorm: true, dropout: 0.25))
    }
}
