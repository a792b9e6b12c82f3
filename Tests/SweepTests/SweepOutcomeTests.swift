import Engine
import Foundation
import Report
import Store
import XCTest

@testable import Sweep

/// Real training through the engine: divergence isolated, Ctrl-C, and bad specs that write nothing.
final class SweepOutcomeTests: XCTestCase {
    /// A learning rate of 100 diverges (NaN/Inf loss): that trial is `diverged` with its rows kept, the others complete.
    func testADivergingLearningRateIsIsolatedWhileTheOthersComplete() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("d.sqlite").path)
        let spec = SweepSpec(
            parameters: [
                .init(name: "data", domain: .fixed(.string("iris"))),
                .init(name: "layers", domain: .fixed(.string("0-16-0"))),
                .init(name: "epochs", domain: .fixed(.int(20))),
                .init(name: "initializer", domain: .fixed(.string("he-uniform"))),
                .init(name: "learning_rate", domain: .values([.double(0.1), .double(100), .double(0.3)])),
            ])
        let sweepID = try SweepTestSupport.createSweep(try SweepPlan(spec: spec), in: store)
        let summary = try SweepWorker(store: store, sweepID: sweepID, workerID: "w#1", train: EngineTrialTraining.train).run()
        XCTAssertEqual(summary.outcomes, [.completed: 2, .diverged: 1])
        let runs = Dictionary(uniqueKeysWithValues: try store.runs(sweepID: sweepID).map { ($0.configuration.learningRate, $0) })
        let diverged = try XCTUnwrap(runs[100])
        XCTAssertEqual(diverged.status, .diverged)
        XCTAssertEqual(diverged.stopReason, "diverged")
        XCTAssertGreaterThan(try SweepTestSupport.count(store, "SELECT COUNT(*) FROM iterations WHERE run_id = \(diverged.id)"), 0, "rows kept")
        for learningRate in [0.1, 0.3] {
            let run = try XCTUnwrap(runs[learningRate])
            XCTAssertEqual(run.status, .completed)
            XCTAssertEqual(run.epochsCompleted, 20)
            XCTAssertGreaterThan(run.testAccuracy ?? 0, 0.5)
        }
        let leaderboard = try Leaderboard.load(sweepID: sweepID, from: store)
        XCTAssertEqual(leaderboard.rows.count, 2, "only completed trials are ranked")
        XCTAssertGreaterThanOrEqual(leaderboard.rows[0].mean, leaderboard.rows[1].mean)
    }

    /// A worker whose trial was re-queued and claimed by another worker (its heartbeat had gone stale) drops the
    /// attempt at its next lease check and records nothing into the other worker's run.
    func testAWorkerThatLostItsTrialRecordsNothingMore() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("lease.sqlite").path)
        let sweepID = try SweepTestSupport.createSweep(try SweepTestSupport.tinyPlan(batchSizes: [16], learningRates: [0.1]), in: store)
        let first = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "slow#1"))
        XCTAssertEqual(try store.requeueStaleTrials(sweepID: sweepID, staleAfter: 3600) { _, _ in false }, [first.runID])
        let second = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "fast#2"))
        XCTAssertNotEqual(second.runID, first.runID)
        XCTAssertEqual(second.trialIndex, first.trialIndex)
        XCTAssertEqual(try store.run(id: second.runID).parentRunID, first.runID)
        XCTAssertThrowsError(try EngineTrialTraining.train(first, store, { false })) { error in
            XCTAssertTrue(String(describing: error).contains("was re-queued while slow#1 trained it"), "\(error)")
        }
        let superseded = try store.run(id: first.runID)
        XCTAssertEqual(superseded.status, .interrupted)
        XCTAssertNil(superseded.trialIndex)
        let run = try store.run(id: second.runID)
        XCTAssertEqual(run.status, .running)
        XCTAssertEqual(run.worker, "fast#2")
        for id in [first.runID, second.runID] {
            XCTAssertEqual(try SweepTestSupport.count(store, "SELECT COUNT(*) FROM iterations WHERE run_id = \(id)"), 0)
            XCTAssertEqual(try SweepTestSupport.count(store, "SELECT COUNT(*) FROM weights WHERE run_id = \(id)"), 0)
        }
    }

    /// Bad specs through the command: one line on stderr naming the problem, a non-zero exit, and no database written.
    func testABadSpecWritesNothing() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("nothing.sqlite").path
        let specPath = directory.appendingPathComponent("bad.yaml").path
        try "method: grid\nparameters:\n  initializer: {values: [zeros, he-unifrom]}\n".write(toFile: specPath, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--spec", specPath], "unknown initializer 'he-unifrom' (did you mean 'he-uniform'?)"),
            (["--data", "iris", "--batch-size", "16,500"], "invalid batch_size 500: larger than the training split of 'iris' (105 samples)"),  // 150 − 30 test − 15 validation
            (["--data", "digitz", "--batch-size", "16"], "unknown data 'digitz' (did you mean 'digits'?)"),
            (["--data", "iris", "--lr", "0.1,-2"], "invalid learning_rate -2: must be > 0 and finite"),
        ]
        for (arguments, expected) in cases {
            let (status, _, errors) = try SweepTestSupport.runLogbook(["sweep", "run", "--db", path] + arguments)
            XCTAssertNotEqual(status, 0)
            XCTAssertTrue(errors.contains(expected), "expected «\(expected)» in «\(errors)»")
            XCTAssertEqual(errors.split(separator: "\n").count, 1, errors)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), "nothing written for \(arguments)")
        }
    }

    /// SIGINT (Ctrl-C) to `sweep run`: workers mark their trials `interrupted`, the command exits 130, and
    /// `sweep resume` finishes every trial.
    func testCtrlCStopsGracefullyAndResumeFinishes() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("c.sqlite").path
        let parent = try SweepTestSupport.startLogbook([
            "sweep", "run", "--db", path, "--data", "digits", "--layers", "64-32-10", "--epochs", "20",
            "--batch-size", "16,32", "--lr", "0.05,0.1", "--workers", "2", "--quiet",
        ])
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            if let store = try? LogbookStore(path: path, mode: .readOnly), let sweep = try? store.sweeps().first,
                sweep.count(.running) >= 1, try store.runningTrials(sweepID: sweep.id).contains(where: { $0.step != nil })
            { break }
        }
        kill(parent.processIdentifier, SIGINT)
        let output = String(decoding: (parent.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        parent.waitUntilExit()
        XCTAssertEqual(parent.terminationStatus, 130, output)
        XCTAssertTrue(output.contains("logbook sweep resume"), output)
        let store = try LogbookStore(path: path)
        let sweep = try XCTUnwrap(try store.sweeps().first)
        XCTAssertGreaterThanOrEqual(sweep.count(.interrupted), 1, "\(sweep.statusCounts)")
        XCTAssertEqual(sweep.count(.running), 0, "no trial left running")
        let (status, resumed, errors) = try SweepTestSupport.runLogbook(["sweep", "resume", "\(sweep.id)", "--db", path, "--quiet"])
        XCTAssertEqual(status, 0, errors)
        XCTAssertEqual(try store.sweep(id: sweep.id).statusCounts, [.completed: 4], resumed)
    }
}
