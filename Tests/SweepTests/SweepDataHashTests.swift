import Engine
import Foundation
import Store
import XCTest

@testable import Sweep

/// Data on many machines: the sweep keeps the hashes of its file-backed data sources from planning, and a worker
/// whose host loads other data for a trial fails that trial with one line; the sweep goes on.
final class SweepDataHashTests: XCTestCase {
    /// 40 rows, two features, a binary label; `shift` changes every first feature (other content, same shape).
    static func csv(shift: Int = 0) -> String {
        "x,y,label\n" + (0..<40).map { "\($0 + shift),\(($0 * 7) % 11),\($0 % 2)" }.joined(separator: "\n") + "\n"
    }

    func testACSVChangedAfterPlanningFailsItsTrialsWithOneLineAndTheOthersComplete() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let stable = directory.appendingPathComponent("a.csv").path
        let changed = directory.appendingPathComponent("b.csv").path
        try Self.csv().write(toFile: stable, atomically: true, encoding: .utf8)
        try Self.csv().write(toFile: changed, atomically: true, encoding: .utf8)
        let spec = try SweepSpec.parse(yaml: """
            parameters:
              data: {values: ['csv:\(stable)', 'csv:\(changed)']}
              layers: {value: '0-4-0'}
              epochs: {value: 1}
              batch_size: {value: 8}
            seeds: 2
            """)
        let plan = try SweepPlan(spec: spec)
        XCTAssertEqual(plan.trials.count, 4)
        var settings = plan.trials[1].configuration.dataSettings
        XCTAssertEqual(settings.data, "csv:\(changed)")
        let recorded = try DataPipeline.prepare(settings).summary.contentHash
        XCTAssertEqual(plan.dataHashes.hashes.count, 2)
        XCTAssertEqual(plan.dataHashes.hashes[try XCTUnwrap(SweepDataHashes.key(settings))], recorded)

        let store = try LogbookStore(path: directory.appendingPathComponent("s.sqlite").path)
        let sweepID = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
        // Between planning and the worker's claim, b.csv changes on the worker's host.
        try Self.csv(shift: 1).write(toFile: changed, atomically: true, encoding: .utf8)
        settings.seed = 0
        let here = try DataPipeline.prepare(settings).summary.contentHash
        XCTAssertNotEqual(here, recorded)

        let sweep = try store.sweep(id: sweepID)
        let worker = SweepWorker(
            store: store, sweepID: sweepID, workerID: "solo#1",
            train: EngineTrialTraining.train(
                pruning: nil, dataCache: PreparedDataCache(capacity: 2), dataHashes: SweepDataHashes.stored(json: sweep.specJSON)))
        let summary = try worker.run()
        XCTAssertEqual(summary.claimedRunIDs.count, 4)
        XCTAssertEqual(try store.sweep(id: sweepID).statusCounts, [.completed: 2, .failed: 2])
        let expected = "dataset 'csv:\(changed)' on host \(Provenance.hostName) differs from the sweep's (hash \(here) here, \(recorded) recorded)"
        for run in try store.runs(sweepID: sweepID) {
            if run.configuration.data == "csv:\(changed)" {
                XCTAssertEqual(run.status, .failed)
                XCTAssertEqual(run.error, expected)
                XCTAssertEqual(try SweepTestSupport.count(store, "SELECT count(*) FROM iterations WHERE run_id = \(run.id)"), 0)
            } else {
                XCTAssertEqual(run.status, .completed, run.error ?? "")
                XCTAssertEqual(try SweepTestSupport.count(store, "SELECT count(*) FROM epochs WHERE run_id = \(run.id)"), 1)
            }
        }
    }

    /// Synthetic and bundled sources are decided by the configuration (synthetic by its seed), not by a host's files:
    /// nothing is recorded for them, and their trials are never refused.
    func testSyntheticAndBundledSourcesAreNotRecorded() throws {
        let spec = try SweepSpec.parse(yaml: "parameters:\n  data: {values: [xor, iris]}\n  batch_size: {value: 8}\nseeds: 2\n")
        XCTAssertEqual(try SweepPlan(spec: spec).dataHashes, SweepDataHashes())
        var settings = TrainingConfiguration().dataSettings
        settings.data = "spirals:classes=3"
        XCTAssertNil(SweepDataHashes.key(settings))
        settings.data = "csv:/data/x.csv"
        XCTAssertEqual(SweepDataHashes.key(settings), "csv:/data/x.csv|||")
        let hashes = SweepDataHashes(hashes: ["csv:/data/x.csv|||": "abc"])
        let summary = DatasetSummary(
            name: "csv:/data/x.csv", contentHash: "def", featureCount: 2, classCount: 2, trainSize: 1, validationSize: 0, testSize: 0)
        XCTAssertThrowsError(try hashes.check(summary, for: settings, host: "B")) { error in
            XCTAssertEqual(String(describing: error), "dataset 'csv:/data/x.csv' on host B differs from the sweep's (hash def here, abc recorded)")
        }
        var same = summary
        same.contentHash = "abc"
        XCTAssertNoThrow(try hashes.check(same, for: settings, host: "B"))
    }
}
