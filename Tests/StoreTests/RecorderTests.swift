import Engine
import Foundation
import XCTest

@testable import Store

final class RecorderTests: XCTestCase {
    func testSyntheticRunGivesExactlyItsRows() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("run.sqlite"))
        let configuration = Synthetic.configuration()
        let runID = try store.createRun(configuration, name: nil, sweepID: nil, trialIndex: nil, parentRunID: nil, status: .running)
        let created = try store.run(id: runID)
        XCTAssertEqual(created.status, .running)
        XCTAssertEqual(created.name, "run-\(runID)")
        XCTAssertNotNil(created.heartbeatAt)
        XCTAssertEqual(created.configuration, configuration)

        let recorder = try store.recorder(for: runID)
        for event in Synthetic.events(configuration: configuration) { try recorder.handle(event) }
        try recorder.close()
        try recorder.close()  // idempotent

        let counts = try store.read { connection in
            try ["iterations", "epochs", "evaluations"].map {
                try connection.scalarInt("SELECT count(*) FROM \($0) WHERE run_id = ?", [.integer(runID)])
            }
        }
        XCTAssertEqual(counts, [24, 3, 1])

        let run = try store.run(id: runID)
        XCTAssertEqual(run.status, .completed)
        XCTAssertEqual(run.stopReason, "max_epochs")
        XCTAssertEqual(run.stepsPerEpoch, 8)
        XCTAssertEqual(run.model, "2-16-3 relu")
        XCTAssertEqual(run.epochsCompleted, 3)
        XCTAssertEqual(run.stepsCompleted, 24)
        XCTAssertEqual(run.testAccuracy, 0.875)
        XCTAssertEqual(run.testLoss, 0.4)
        XCTAssertEqual(run.finalTrainLoss, 1.0 / 3.0)
        XCTAssertEqual(run.finalTrainAccuracy ?? 0, 0.8, accuracy: 1e-12)
        XCTAssertEqual(run.duration, 0.05)
        XCTAssertNil(run.error)

        // Loss curve bit-exact; learning rate stored only where it differs from the base (epoch 3).
        XCTAssertEqual(bits(try store.lossCurve(run: runID)), bits((1...24).map(Synthetic.loss(step:))))
        let storedRates = try store.read { connection in
            try connection.scalarInt("SELECT count(learning_rate) FROM iterations WHERE run_id = ?", [.integer(runID)])
        }
        XCTAssertEqual(storedRates, 8)

        // The view derives epoch, batch index and the effective learning rate for every step.
        var log: [(step: Int, epoch: Int, batch: Int, rate: Double)] = []
        try store.read { connection in
            try connection.forEachRow(
                "SELECT step, epoch, batch_index, learning_rate FROM iteration_log WHERE run_id = ? ORDER BY step",
                [.integer(runID)]
            ) { log.append(($0.int(0), $0.int(1), $0.int(2), $0.double(3))) }
        }
        XCTAssertEqual(log.count, 24)
        for entry in log {
            XCTAssertEqual(entry.epoch, (entry.step - 1) / 8 + 1)
            XCTAssertEqual(entry.batch, (entry.step - 1) % 8)
            XCTAssertEqual(Float(entry.rate), entry.epoch == 3 ? Float(0.05) : Float(0.1))
        }

        let confusion = try store.read {
            try $0.scalarText("SELECT confusion FROM evaluations WHERE run_id = ?", [.integer(runID)])
        }
        XCTAssertEqual(confusion, "[[300,10,0],[20,290,5],[0,90,285]]")
        let summary = try store.read { connection in
            try connection.scalarDouble("SELECT test_accuracy FROM run_summary WHERE run_id = ?", [.integer(runID)])
        }
        XCTAssertEqual(summary, 0.875)
        let parameters = try store.read { connection in
            var values: [String: SQLValue] = [:]
            try connection.forEachRow("SELECT key, value FROM params WHERE run_id = ?", [.integer(runID)]) {
                values[$0.text(0)] = $0.value(1)
            }
            return values
        }
        XCTAssertEqual(parameters["batch_size"], .integer(500))
        XCTAssertEqual(parameters["learning_rate"], .real(0.1))
        XCTAssertEqual(parameters["initializer"], .text("he-uniform"))
        XCTAssertEqual(parameters["layers"], .text("2-16-3"))
        XCTAssertEqual(parameters["batch_norm"], .integer(0))
        XCTAssertEqual(parameters["epochs"], .integer(3))
        XCTAssertEqual(parameters["seed"], .integer(7))
        XCTAssertEqual(parameters["scaling"], .text(configuration.scaling.rawValue))
        // Every field, under the snake-case name that JSONEncoder's key strategy (and sweep specs) use.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let fields = try XCTUnwrap(JSONSerialization.jsonObject(with: encoder.encode(configuration)) as? [String: Any])
        XCTAssertEqual(Set(parameters.keys), Set(fields.keys))
    }

    func testDivergedRunKeepsRowsAndStoresNaNAsNull() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("diverged.sqlite"))
        let runID = try store.createRun(Synthetic.configuration())
        let recorder = try store.recorder(for: runID)
        try recorder.handle(.iteration(IterationEnded(step: 1, epoch: 1, batchIndex: 0, loss: 3, learningRate: 0.1)))
        try recorder.handle(.iteration(IterationEnded(step: 2, epoch: 1, batchIndex: 1, loss: .infinity, learningRate: 0.1)))
        try recorder.handle(.iteration(IterationEnded(step: 3, epoch: 1, batchIndex: 2, loss: .nan, learningRate: 0.1)))
        try recorder.handle(
            .finished(RunFinished(reason: .diverged, epochsCompleted: 0, stepsCompleted: 3, seconds: 0.1, detail: "loss NaN at step 3")))
        try recorder.close()
        let run = try store.run(id: runID)
        XCTAssertEqual(run.status, .diverged)
        XCTAssertEqual(run.stopReason, "diverged")
        XCTAssertEqual(run.error, "loss NaN at step 3")
        let curve = try store.lossCurve(run: runID)
        XCTAssertEqual(curve.count, 3)
        XCTAssertEqual(curve[0], 3)
        XCTAssertEqual(curve[1], .infinity)
        XCTAssertTrue(curve[2].isNaN)
    }

    func testRecordingThroughTheRunStoreProtocol() throws {
        let directory = try TemporaryDirectory()
        let store: any RunStore = try LogbookStore(path: directory.file("protocol.sqlite"))
        let configuration = Synthetic.configuration()
        let runID = try store.createRun(
            configuration, name: "via-protocol", sweepID: nil, trialIndex: nil, parentRunID: nil, status: .running,
            worker: "w1")
        let recorder = try store.makeRecorder(for: runID)
        XCTAssertEqual(recorder.runID, runID)
        for event in Synthetic.events(configuration: configuration) { try recorder.handle(event) }
        try recorder.close()
        let run = try store.run(id: runID)
        XCTAssertEqual(run.name, "via-protocol")
        XCTAssertEqual(run.worker, "w1")
        XCTAssertEqual(run.status, .completed)
        XCTAssertEqual(try store.lossCurve(run: runID).count, 24)
        XCTAssertEqual(try store.finalWeights(run: runID), Synthetic.tensors(seed: 100))
    }

    func testStopReasonsMapToStatuses() {
        XCTAssertEqual(RunStatus(.maxEpochs), .completed)
        XCTAssertEqual(RunStatus(.targetLoss), .completed)
        XCTAssertEqual(RunStatus(.earlyStopping), .completed)
        XCTAssertEqual(RunStatus(.diverged), .diverged)
        XCTAssertEqual(RunStatus(.interrupted), .interrupted)
    }

    func testHeartbeatAdvancesWhileIdleAndStaleRunsBecomeInterrupted() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("heartbeat.sqlite"))
        let runID = try store.createRun(Synthetic.configuration())
        let first = try XCTUnwrap(store.run(id: runID).heartbeatAt)
        let recorder = try store.recorder(for: runID, flushInterval: 0.02, heartbeatInterval: 0.05)
        Thread.sleep(forTimeInterval: 0.3)
        let later = try XCTUnwrap(store.run(id: runID).heartbeatAt)
        XCTAssertGreaterThan(later, first)
        XCTAssertEqual(try store.markStaleRunsInterrupted(olderThan: 5), [], "a live run is not stale")
        try recorder.close()
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(try store.markStaleRunsInterrupted(olderThan: 0.1), [runID])
        let run = try store.run(id: runID)
        XCTAssertEqual(run.status, .interrupted)
        XCTAssertEqual(run.stopReason, "heartbeat_lost")
    }

    func testFailedRunAndUnknownRun() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("failed.sqlite"))
        let runID = try store.createRun(Synthetic.configuration())
        try store.markRunFailed(runID, message: "invalid batch_size 0: must be at least 1")
        let run = try store.run(id: runID)
        XCTAssertEqual(run.status, .failed)
        XCTAssertEqual(run.error, "invalid batch_size 0: must be at least 1")
        XCTAssertNotNil(run.endedAt)
        for action in [
            { _ = try store.run(id: 999) }, { _ = try store.lossCurve(run: 999) }, { _ = try store.finalWeights(run: 999) },
            { try store.markRunFailed(999, message: "x") }, { _ = try store.recorder(for: 999) },
        ] {
            XCTAssertThrowsError(try action()) { XCTAssertEqual("\($0)", "no run with id 999") }
        }
        XCTAssertThrowsError(try store.finalWeights(run: runID)) { error in
            XCTAssertTrue("\(error)".hasPrefix("run \(runID) has no final weights"), "\(error)")
        }
    }

    func testManyIterationsFlushInBatchesAndAllArrive() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("many.sqlite"))
        let runID = try store.createRun(Synthetic.configuration())
        let recorder = try store.recorder(for: runID, flushThreshold: 1000)
        let count = 25_037  // not a multiple of the 100-row statement
        for step in 1...count {
            try recorder.handle(.iteration(IterationEnded(step: step, epoch: 1, batchIndex: step - 1, loss: Float(step), learningRate: 0.1)))
        }
        try recorder.close()
        let curve = try store.lossCurve(run: runID)
        XCTAssertEqual(curve, (1...count).map(Float.init))
        XCTAssertThrowsError(
            try recorder.handle(.iteration(IterationEnded(step: 1, epoch: 1, batchIndex: 0, loss: 1, learningRate: 0.1))))
    }
}
