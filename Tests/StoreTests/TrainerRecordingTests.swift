import Engine
import Foundation
import XCTest

@testable import Store

/// The real engine recording into the store: row counts, weights, and a bit-identical re-run.
final class TrainerRecordingTests: XCTestCase {
    private func record(_ configuration: TrainingConfiguration, in store: LogbookStore, parentRunID: Int64? = nil)
        throws -> (runID: Int64, result: TrainingResult)
    {
        let trainer = try Trainer(configuration: configuration)
        let runID = try store.createRun(configuration, parentRunID: parentRunID, status: .running)
        let recorder = try store.recorder(for: runID)
        trainer.observers.append(recorder)
        let result = try trainer.run()
        try recorder.close()
        return (runID, result)
    }

    func testFourThousandSamplesAtBatch500ForThreeEpochsGiveExactlyTheirRows() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("trainer.sqlite"))
        var configuration = Synthetic.configuration()
        configuration.batchNorm = true
        let (runID, result) = try record(configuration, in: store)
        XCTAssertEqual(result.losses.count, 24)
        let counts = try store.read { connection in
            try ["iterations", "epochs", "evaluations"].map {
                try connection.scalarInt("SELECT count(*) FROM \($0) WHERE run_id = ?", [.integer(runID)])
            }
        }
        XCTAssertEqual(counts, [24, 3, 1])
        let run = try store.run(id: runID)
        XCTAssertEqual(run.status, .completed)
        XCTAssertEqual(run.stepsPerEpoch, 8)
        XCTAssertEqual(run.testAccuracy, result.test?.accuracy)
        XCTAssertEqual(bits(try store.lossCurve(run: runID)), bits(result.losses))
        let final = try store.finalWeights(run: runID)
        XCTAssertTrue(final.contains { $0.role == .buffer && $0.name.hasSuffix("running_mean") }, "\(final.map(\.name))")
        XCTAssertEqual(try store.weights(run: runID, kind: .initial).map(\.name), final.map(\.name))
    }

    func testRerunFromTheStoredConfigurationIsBitIdentical() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("rerun.sqlite"))
        var configuration = Synthetic.configuration(seed: 42)
        configuration.dropout = 0.1
        configuration.momentum = 0.9
        let (original, _) = try record(configuration, in: store)
        let stored = try store.run(id: original)
        let (rerun, _) = try record(stored.configuration, in: store, parentRunID: original)
        XCTAssertEqual(try store.run(id: rerun).parentRunID, original)
        let originalLosses = try store.lossCurve(run: original)
        XCTAssertEqual(originalLosses.count, 24)
        XCTAssertEqual(bits(try store.lossCurve(run: rerun)), bits(originalLosses))
        XCTAssertEqual(try store.finalWeights(run: rerun), try store.finalWeights(run: original))
    }
}
