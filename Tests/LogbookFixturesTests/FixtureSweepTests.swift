import Engine
import Foundation
import Store
import Sweep
import XCTest

@testable import LogbookFixtures

final class FixtureSweepTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// The sweep is the one its spec plans: every trial claimed by a worker and completed by the recorder, in plan
    /// order, with the spec stored as production stores it.
    func testTrialsFollowThePlanAndAreRecordedByWorkers() throws {
        let fixture = FixtureSweep()
        let store = try LogbookStore(path: directory.appendingPathComponent("a.sqlite").path)
        let sweepID = try fixture.record(into: store)
        let plan = try fixture.plan()
        XCTAssertEqual(plan.count, 16)
        let sweep = try store.sweep(id: sweepID)
        XCTAssertEqual(sweep.specJSON, try fixture.spec.json(base: fixture.base))
        XCTAssertEqual(SweepSpec.variedParameterNames(fromJSON: sweep.specJSON), ["batch_size", "learning_rate", "initializer"])
        XCTAssertEqual(sweep.statusCounts, [.completed: 16])
        let runs = try store.runs(sweepID: sweepID).sorted { $0.trialIndex ?? -1 < $1.trialIndex ?? -1 }
        XCTAssertEqual(runs.map(\.configuration), plan.trials.map(\.configuration))
        XCTAssertEqual(runs.map(\.seed), [UInt64](repeating: 1, count: 8) + [UInt64](repeating: 2, count: 8))
        for run in runs {
            XCTAssertEqual(run.stopReason, "max_epochs")
            XCTAssertEqual(run.epochsCompleted, 3)
            XCTAssertTrue(run.worker?.hasPrefix("fixture-0#") ?? false, "\(run.worker ?? "nil")")
            XCTAssertNotNil(run.testAccuracy)
            // ⌈320 / batch⌉ steps per epoch, 3 epochs.
            XCTAssertEqual(run.stepsCompleted, 3 * ((320 + run.configuration.batchSize - 1) / run.configuration.batchSize))
            XCTAssertEqual(try store.lossCurve(run: run.id).count, run.stepsCompleted)
            XCTAssertEqual(try store.finalWeights(run: run.id).map(\.name), ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])
        }
    }

    /// Same fixture ⇒ the same losses, whatever the number of workers; a zero-initialized run stays at chance.
    func testRecordingIsDeterministicAndZerosDoNotLearn() throws {
        var fixture = FixtureSweep()
        fixture.batchSizes = [16]
        fixture.learningRates = [0.1]
        let one = try LogbookStore(path: directory.appendingPathComponent("one.sqlite").path)
        try fixture.record(into: one)
        fixture.workers = 2
        let two = try LogbookStore(path: directory.appendingPathComponent("two.sqlite").path)
        try fixture.record(into: two)
        for runID: Int64 in 1...4 {
            XCTAssertEqual(try one.lossCurve(run: runID), try two.lossCurve(run: runID))
            XCTAssertEqual(try one.run(id: runID).testAccuracy, try two.run(id: runID).testAccuracy)
        }
        // Trials: (he-uniform, zeros) × seeds 1, 2. Zeros: L(t) = ln 10 + ε, one right answer in ten per class.
        let zeros = try one.run(id: 2)
        XCTAssertEqual(zeros.configuration.initializer, .zeros)
        XCTAssertEqual(zeros.testAccuracy, 0.1)
        let zeroLosses = try one.lossCurve(run: 2).map(Double.init)
        XCTAssertEqual(zeroLosses.reduce(0, +) / Double(zeroLosses.count), log(10), accuracy: 0.05)
        let learned = try one.lossCurve(run: 1)
        XCTAssertLessThan(Double(learned.last!), 0.5 * log(10))
        XCTAssertGreaterThan(try XCTUnwrap(one.run(id: 1).testAccuracy), 0.5)
    }

    /// The made-up curve against hand-computed values: no noise ⇒ L(t) = floor + (L₀ − floor)·exp(−t·k).
    func testLossCurveFormula() {
        var configuration = TrainingConfiguration()
        configuration.batchSize = 16
        configuration.learningRate = 0.1
        configuration.initializer = .heUniform
        let curve = LossCurve(configuration: configuration, classCount: 10)
        // B = 16, lr = 0.1: floor = 0.05, k·totalSteps = 6.
        XCTAssertEqual(curve.loss(step: 0, totalSteps: 100, noise: 0), log(10), accuracy: 1e-12)
        XCTAssertEqual(curve.loss(step: 50, totalSteps: 100, noise: 0), 0.05 + (log(10) - 0.05) * exp(-3), accuracy: 1e-12)
        // Noise scales with 0.25/√B of the clean loss: +1σ at t = 0 is L₀·(1 + 0.0625).
        XCTAssertEqual(curve.loss(step: 0, totalSteps: 100, noise: 1), log(10) * 1.0625, accuracy: 1e-12)
        XCTAssertEqual(curve.accuracy(log(10) / 2), 0.55, accuracy: 1e-12)
        XCTAssertEqual(curve.accuracy(10), 0.1)
        let test = curve.testEvaluation(finalLoss: log(10) / 2, epoch: 3, testSize: 100)
        // Gap at B = 16 is 0.02: 10 per class × (0.55 − 0.02) = 5.3 ⇒ 5 right per class.
        XCTAssertEqual(test.accuracy, 0.5)
        XCTAssertEqual(test.confusion?[0], [5, 1, 1, 1, 1, 1, 0, 0, 0, 0])
        XCTAssertEqual(test.sampleCount, 100)
    }
}
