import Engine
import Foundation
import XCTest

@testable import Store
import StoreTesting

/// The recorder against both stores (SQLite and PostgreSQL): the same rows, statuses and errors.
final class RecorderTests: StoreContractTestCase {
    func testSyntheticRunGivesExactlyItsRows() throws {
        try forEachStore { location, store in try checkSyntheticRun(location, store) }
    }

    private func checkSyntheticRun(_ location: TestStoreLocation, _ store: any LogbookStoring) throws {
        let configuration = Synthetic.configuration()
        let runID = try store.createRun(NewRun(configuration))
        let created = try store.run(id: runID)
        XCTAssertEqual(created.status, .running)
        XCTAssertEqual(created.name, "run-\(runID)")
        XCTAssertNotNil(created.heartbeatAt)
        XCTAssertEqual(created.configuration, configuration)

        let recorder = try store.makeRecorder(for: runID)
        for event in Synthetic.events(configuration: configuration) { try recorder.handle(event) }
        try recorder.close()
        try recorder.close()  // idempotent

        let counts = try ["iterations", "epochs", "evaluations"].map {
            try location.integer("SELECT count(*) FROM \($0) WHERE run_id = ?", [.integer(runID)])
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
        XCTAssertEqual(
            try location.integer("SELECT count(learning_rate) FROM iterations WHERE run_id = ?", [.integer(runID)]), 8)

        // The view derives epoch, batch index and the effective learning rate for every step.
        let log: [(step: Int, epoch: Int, batch: Int, rate: Double)] = try location.query(
            "SELECT step, epoch, batch_index, learning_rate FROM iteration_log WHERE run_id = ? ORDER BY step",
            [.integer(runID)]
        ).rows.map { row in
            guard case .integer(let step) = row[0], case .integer(let epoch) = row[1], case .integer(let batch) = row[2],
                case .real(let rate) = row[3]
            else { throw StoreError("unexpected iteration_log row \(row)") }
            return (Int(step), Int(epoch), Int(batch), rate)
        }
        XCTAssertEqual(log.count, 24)
        for entry in log {
            XCTAssertEqual(entry.epoch, (entry.step - 1) / 8 + 1)
            XCTAssertEqual(entry.batch, (entry.step - 1) % 8)
            XCTAssertEqual(Float(entry.rate), entry.epoch == 3 ? Float(0.05) : Float(0.1))
        }

        let confusion = try location.scalar("SELECT confusion FROM evaluations WHERE run_id = ?", [.integer(runID)])
        XCTAssertEqual(confusion, .text("[[300,10,0],[20,290,5],[0,90,285]]"))
        let summary = try location.scalar("SELECT test_accuracy FROM run_summary WHERE run_id = ?", [.integer(runID)])
        XCTAssertEqual(summary, .real(0.875))
        var parameters: [String: SQLValue] = [:]
        for row in try location.query("SELECT key, value FROM params WHERE run_id = ?", [.integer(runID)]).rows {
            if case .text(let key) = row[0] { parameters[key] = row[1] }
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
        try forEachStore { location, store in try checkDivergedRun(location, store) }
    }

    private func checkDivergedRun(_ location: TestStoreLocation, _ store: any LogbookStoring) throws {
        let runID = try store.createRun(Synthetic.configuration())
        let recorder = try store.makeRecorder(for: runID)
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
        XCTAssertEqual(try location.integer("SELECT count(*) FROM iterations WHERE loss IS NULL AND run_id = ?", [.integer(runID)]), 1)
    }

    /// Iteration values arrive exactly (PostgreSQL: binary COPY, the IEEE 754 bits of Float widened to Double):
    /// step, loss, and the learning rate only where it differs from the run's (NULL otherwise).
    func testIterationValuesArriveExactly() throws {
        try forEachStore { location, store in
            let runID = try store.createRun(Synthetic.configuration())
            let recorder = try store.makeRecorder(for: runID)
            let base = Float(Synthetic.configuration().learningRate)
            let values: [(Int, Float, Float)] = [(1, 2.302585, base), (2, 0.1, base * 0.5), (3_000_000_000, 1e-30, 0.000123)]
            for (step, loss, rate) in values {
                try recorder.handle(.iteration(IterationEnded(step: step, epoch: 1, batchIndex: 0, loss: loss, learningRate: rate)))
            }
            try recorder.close()
            let rows = try location.query("SELECT step, loss, learning_rate FROM iterations WHERE run_id = ? ORDER BY step", [.integer(runID)]).rows
            XCTAssertEqual(rows.count, 3)
            for (row, (step, loss, rate)) in zip(rows, values) {
                XCTAssertEqual(row[0], .integer(Int64(step)))
                XCTAssertEqual(row[1], .real(Double(loss)))
                XCTAssertEqual(row[2], rate == base ? .null : .real(Double(rate)))
            }
        }
    }

    func testRecordingThroughTheRunStoreProtocol() throws {
        try forEachStore { _, store in try checkRecordingThroughTheProtocol(store) }
    }

    private func checkRecordingThroughTheProtocol(_ store: any RunStore) throws {
        let configuration = Synthetic.configuration()
        let runID = try store.createRun(
            NewRun(
                configuration, name: "via-protocol", sweepID: nil, trialIndex: nil, parentRunID: nil, status: .running,
                worker: "w1"))
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
        try forEachStore { _, store in try checkHeartbeat(store) }
    }

    private func checkHeartbeat(_ store: any LogbookStoring) throws {
        let runID = try store.createRun(Synthetic.configuration())
        let first = try XCTUnwrap(store.run(id: runID).heartbeatAt)
        let recorder = try makeRecorder(store, runID: runID, flushInterval: 0.02, heartbeatInterval: 0.05)
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
        try forEachStore { _, store in try checkFailedAndUnknownRun(store) }
    }

    private func checkFailedAndUnknownRun(_ store: any LogbookStoring) throws {
        let runID = try store.createRun(Synthetic.configuration())
        try store.markRunFailed(runID, message: "invalid batch_size 0: must be at least 1")
        let run = try store.run(id: runID)
        XCTAssertEqual(run.status, .failed)
        XCTAssertEqual(run.error, "invalid batch_size 0: must be at least 1")
        XCTAssertNotNil(run.endedAt)
        for action in [
            { _ = try store.run(id: 999) }, { _ = try store.lossCurve(run: 999) }, { _ = try store.finalWeights(run: 999) },
            { try store.markRunFailed(999, message: "x") }, { _ = try store.makeRecorder(for: 999) },
        ] {
            XCTAssertThrowsError(try action()) { XCTAssertEqual("\($0)", "no run with id 999") }
        }
        XCTAssertThrowsError(try store.finalWeights(run: runID)) { error in
            XCTAssertTrue("\(error)".hasPrefix("run \(runID) has no final weights"), "\(error)")
        }
    }

    func testManyIterationsFlushInBatchesAndAllArrive() throws {
        try forEachStore { _, store in try checkManyIterations(store) }
    }

    private func checkManyIterations(_ store: any LogbookStoring) throws {
        let runID = try store.createRun(Synthetic.configuration())
        let recorder = try makeRecorder(store, runID: runID, flushThreshold: 1000)
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
