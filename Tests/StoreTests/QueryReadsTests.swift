import Engine
import Foundation
import XCTest

@testable import Store
import StoreTesting

/// The typed reads of `StoreQueries` against the rows the recorder wrote (checked with SQL of their own), on both
/// stores.
final class QueryReadsTests: StoreContractTestCase {
    /// One recorded run in `store` (`Synthetic.events`: 24 iterations, 3 epochs, one test evaluation); its id.
    static func recordRun(in store: any LogbookStoring) throws -> Int64 {
        let configuration = Synthetic.configuration()
        let runID = try store.createRun(configuration)
        let recorder = try store.makeRecorder(for: runID)
        for event in Synthetic.events(configuration: configuration) { try recorder.handle(event) }
        try recorder.close()
        return runID
    }

    /// The filter language's column whitelist is the `run_summary` view, column for column and in order.
    func testRunSummaryColumnsAreTheViewsColumns() throws {
        try forEachStore { location, store in
            let columns = try location.query("SELECT * FROM run_summary LIMIT 0").columns
            XCTAssertEqual(columns.count, 35)
            XCTAssertEqual(FilterFields.runSummaryColumns, columns)
        }
    }

    func testRunDetailHoldsTheRecordedRun() throws {
        try forEachStore { location, store in
            let runID = try Self.recordRun(in: store)
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
    }

    func testIterationLogAndSeriesReads() throws {
        try forEachStore { location, store in
            let runID = try Self.recordRun(in: store)
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
    }

    /// The same 602 steps on both stores — 1…600 (step 7's loss NULL) then 700 and 701 after a gap; on PostgreSQL
    /// in blocks of 256, 256, 88 and 2 — read back alike: windows across a block boundary and across the gap
    /// (`count` rows, not steps), past the end, and the downsampled curve (NaN skipped).
    func testLossWindowsAndSeriesAcrossBlocksAndGaps() throws {
        func loss(_ step: Int) -> Double? { step == 7 ? nil : 1 / Double(step) }
        let steps = Array(1...600) + [700, 701]
        var series: [StoreBackend: [SeriesBucket]] = [:]
        try forEachStore { location, store in
            let runID = try store.createRun(Synthetic.configuration())
            switch location.backend {
            case .sqlite:
                _ = try location.query(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) INSERT INTO iterations (run_id, step, loss) SELECT ?, i, CASE WHEN i = 7 THEN NULL ELSE 1.0 / i END FROM n",
                    [.integer(runID)])
                _ = try location.query("INSERT INTO iterations (run_id, step, loss) VALUES (?, 700, 1.0 / 700), (?, 701, 1.0 / 701)", [.integer(runID), .integer(runID)])
            case .postgreSQL:
                for (first, last) in [(1, 256), (257, 512), (513, 600), (700, 701)] {
                    _ = try location.query(
                        "INSERT INTO iteration_blocks (run_id, first_step, last_step, losses) SELECT ?, ?, ?, array_agg(CASE WHEN g = 7 THEN NULL ELSE 1.0::float8 / g END ORDER BY g) FROM generate_series(?::bigint, ?::bigint) AS g",
                        [.integer(runID), .integer(Int64(first)), .integer(Int64(last)), .integer(Int64(first)), .integer(Int64(last))])
                }
            }
            func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }
            func expected(_ selected: [Int]) -> [UInt64] { bits(selected.map { loss($0) ?? .nan }) }
            XCTAssertEqual(bits(try store.losses(run: runID, fromStep: 1, count: 10_000)), expected(steps))
            XCTAssertEqual(bits(try store.losses(run: runID, fromStep: 250, count: 10)), expected(Array(250...259)))
            XCTAssertEqual(bits(try store.losses(run: runID, fromStep: 5, count: 4)), expected([5, 6, 7, 8]))
            XCTAssertEqual(bits(try store.losses(run: runID, fromStep: 599, count: 5)), expected([599, 600, 700, 701]))
            XCTAssertEqual(bits(try store.losses(run: runID, fromStep: 650, count: 1)), expected([700]))
            XCTAssertEqual(try store.losses(run: runID, fromStep: 702, count: 5), [])
            let buckets = try store.downsampledLosses(run: runID, points: 7)
            XCTAssertEqual(buckets.last?.lastStep, 701)
            XCTAssertEqual(buckets.reduce(0) { $0 + $1.count }, steps.count - 1, "step 7's NaN carries no extent")
            series[location.backend] = buckets
        }
        XCTAssertEqual(series[.postgreSQL], series[.sqlite])
    }

    /// Short blocks (a live run's flushes): steps 1…100 in PostgreSQL blocks of 5, so a window needs more blocks
    /// than its first statement asks for (count / 256 + 2) and the read goes on after the last step it read, asking
    /// twice as many each time; the windows match SQLite's rows.
    func testLossWindowsOverManyShortBlocks() throws {
        try forEachStore { location, store in
            let runID = try store.createRun(Synthetic.configuration())
            try Self.recordShortBlocks(location, runID: runID, segments: [1...100])
            func expected(_ steps: ClosedRange<Int>) -> [Double] { steps.map { 1 / Double($0) } }
            XCTAssertEqual(try store.losses(run: runID, fromStep: 3, count: 60), expected(3...62))
            XCTAssertEqual(try store.losses(run: runID, fromStep: 1, count: 1000), expected(1...100))
            XCTAssertEqual(try store.losses(run: runID, fromStep: 98, count: 10), expected(98...100))
            XCTAssertEqual(try store.losses(run: runID, fromStep: 50, count: 1), expected(50...50))
            XCTAssertEqual(try store.losses(run: runID, fromStep: -5, count: 2), expected(1...2))
            XCTAssertEqual(try store.losses(run: runID, fromStep: 101, count: 3), [])
        }
    }

    /// `losses(windows:)` answers every window as `losses(run:fromStep:count:)` does: over 5-step PostgreSQL blocks,
    /// a NaN loss, a gap in the steps (a window that runs into it goes on past it), windows past the end, of length
    /// 0, of an unknown run, and more windows than one PostgreSQL statement takes (`windowsPerStatement`).
    func testLossWindowsAtOnceMatchOneByOne() throws {
        try forEachStore { location, store in
            let steady = try store.createRun(Synthetic.configuration())  // steps 1…100, step 7's loss NaN
            let gapped = try store.createRun(Synthetic.configuration())  // steps 1…20 and 41…60
            try Self.recordShortBlocks(location, runID: steady, segments: [1...100], nullStep: 7)
            try Self.recordShortBlocks(location, runID: gapped, segments: [1...20, 41...60])
            var windows = [
                LossWindow(run: steady, firstStep: 3, count: 10), LossWindow(run: gapped, firstStep: 18, count: 6),
                LossWindow(run: gapped, firstStep: 25, count: 3), LossWindow(run: steady, firstStep: 99, count: 5),
                LossWindow(run: steady, firstStep: 50, count: 0), LossWindow(run: 999, firstStep: 1, count: 4),
                LossWindow(run: gapped, firstStep: 61, count: 2), LossWindow(run: steady, firstStep: -3, count: 2),
            ]
            for index in 0..<600 {  // more than a statement's worth, deterministic
                windows.append(LossWindow(run: index % 2 == 0 ? steady : gapped, firstStep: (index * 37) % 110 - 5, count: (index * 11) % 30))
            }
            func comparable(_ losses: [Double]) -> [Double] { losses.map { $0.isNaN ? -1 : $0 } }
            let atOnce = try store.losses(windows: windows).map(comparable)
            let oneByOne = try windows.map { comparable(try store.losses(run: $0.run, fromStep: $0.firstStep, count: $0.count)) }
            XCTAssertEqual(atOnce.count, windows.count)
            for (index, window) in windows.enumerated() { XCTAssertEqual(atOnce[index], oneByOne[index], "\(window)") }
            // By hand: steps 3…12 with 7's NaN; across the gap 18, 19, 20, 41, 42, 43; in the gap, its far side.
            XCTAssertEqual(atOnce[0], [3, 4, 5, 6, -1, 8, 9, 10, 11, 12].map { $0 < 0 ? -1 : 1 / $0 })
            XCTAssertEqual(atOnce[1], [18, 19, 20, 41, 42, 43].map { 1 / $0 })
            XCTAssertEqual(atOnce[2], [41, 42, 43].map { 1 / $0 })
            XCTAssertEqual(atOnce[3], [99, 100].map { 1 / $0 })
            XCTAssertEqual(atOnce[4], [])
            XCTAssertEqual(atOnce[5], [])
            XCTAssertEqual(atOnce[6], [])
            XCTAssertEqual(atOnce[7], [1, 0.5])
        }
    }

    /// Steps `segments` of `runID` with loss 1 / step (NULL at `nullStep`), written as a live run's flushes leave
    /// them: PostgreSQL blocks of 5 steps (each segment a multiple of 5 long), SQLite rows.
    private static func recordShortBlocks(
        _ location: TestStoreLocation, runID: Int64, segments: [ClosedRange<Int>], nullStep: Int = 0
    ) throws {
        for segment in segments {
            for first in stride(from: segment.lowerBound, through: segment.upperBound, by: 5) {
                let (from, through) = (Int64(first), Int64(first + 4))
                switch location.backend {
                case .sqlite:
                    _ = try location.query(
                        "WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO iterations (run_id, step, loss) SELECT ?, i, CASE WHEN i = ? THEN NULL ELSE 1.0 / i END FROM n",
                        [.integer(from), .integer(through), .integer(runID), .integer(Int64(nullStep))])
                case .postgreSQL:
                    _ = try location.query(
                        "INSERT INTO iteration_blocks (run_id, first_step, last_step, losses) SELECT ?, ?, ?, array_agg(CASE WHEN g = ? THEN NULL ELSE 1.0::float8 / g END ORDER BY g) FROM generate_series(?::bigint, ?::bigint) AS g",
                        [.integer(runID), .integer(from), .integer(through), .integer(Int64(nullStep)), .integer(from), .integer(through)])
                }
            }
        }
    }

    func testRunOverviewIsTheSummaryRowAndParameters() throws {
        try forEachStore { location, store in
            let runID = try Self.recordRun(in: store)
            let overview = try store.runOverview(id: runID)
            XCTAssertEqual(overview.summary["run_id"], .integer(runID))
            XCTAssertEqual(overview.summary["status"], .text("completed"))
            XCTAssertEqual(overview.summary["test_accuracy"], .real(0.875))
            XCTAssertEqual(Set(overview.summary.keys), Set(FilterFields.runSummaryColumns))
            XCTAssertEqual(overview.parameters["learning_rate"], .real(0.1))
            XCTAssertThrowsError(try store.runOverview(id: 7)) { XCTAssertEqual("\($0)", "no run with id 7") }
        }
    }

    func testSweepResultsAndExportStreams() throws {
        try forEachStore { location, store in
            let configurations = [Synthetic.configuration(learningRate: 0.1), Synthetic.configuration(learningRate: 0.2)]
            let sweepID = try store.createSweep(
                name: "s", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{}",
                trials: configurations)
            let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w#1"))
            let recorder = try store.makeRecorder(for: trial.runID)
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
    }

    /// One staleness rule: the view (SQL, 10 s) and the Swift side (`Heartbeat.staleAfter`) agree on either side of it.
    func testHeartbeatStalenessIsOneRule() throws {
        try forEachStore { location, store in
            XCTAssertEqual(Heartbeat.staleAfter, 10)
            let stale = try store.createRun(Synthetic.configuration())
            let fresh = try store.createRun(Synthetic.configuration())
            // Relative to the store's clock: this machine's for SQLite, the server's (now()) for PostgreSQL.
            let now = location.backend == .sqlite ? "(julianday('now') - 2440587.5) * 86400.0" : "extract(epoch FROM now())"
            _ = try location.query("UPDATE runs SET heartbeat_at = \(now) - ? WHERE id = ?", [.real(Heartbeat.staleAfter + 2), .integer(stale)])
            _ = try location.query("UPDATE runs SET heartbeat_at = \(now) - ? WHERE id = ?", [.real(Heartbeat.staleAfter - 2), .integer(fresh)])
            let statuses = try store.runSummaries(RunQuery(columns: ["run_id", "status", "stop_reason"])).rows
            XCTAssertEqual(statuses[0], [.integer(stale), .text("interrupted"), .text("heartbeat_lost")])
            XCTAssertEqual(statuses[1], [.integer(fresh), .text("running"), .null])
            XCTAssertEqual(try store.markStaleRunsInterrupted(), [stale])
            XCTAssertEqual(try store.run(id: fresh).status, .running)
        }
    }

    /// Runs and claimed trials record the same host name, the one `Provenance` defines, and the version.
    func testProvenanceIsRecordedOneWay() throws {
        try forEachStore { location, store in
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
    }

    /// The stored model description is the engine's (`Sequential.describe`), dropout included, from creation on.
    func testModelDescriptionIsTheEnginesFromCreation() throws {
        try forEachStore { location, store in
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
}
