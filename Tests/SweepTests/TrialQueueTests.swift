import Engine
import Foundation
@testable import Store
import XCTest

import StoreTesting
@testable import Sweep

/// The store's trial queue and the worker loop, in process, with fake training functions, on both stores.
final class TrialQueueTests: StoreContractTestCase {
    func testASweepAndAllItsTrialsAreWrittenPendingInOneGo() throws {
        try forEachStore { location, store in
            let plan = try SweepTestSupport.tinyPlan(batchSizes: [8, 16, 32], seeds: 2)
            let sweepID = try SweepTestSupport.createSweep(plan, in: store)
            let sweep = try store.sweep(id: sweepID)
            XCTAssertEqual(sweep.plannedTrials, 12)
            XCTAssertEqual(sweep.statusCounts, [.pending: 12])
            let runs = try store.runs(sweepID: sweepID).sorted { $0.trialIndex! < $1.trialIndex! }
            XCTAssertEqual(runs.map(\.trialIndex), Array(0..<12))
            XCTAssertEqual(runs.map(\.configuration), plan.trials.map(\.configuration), "full configuration kept per trial")
            XCTAssertEqual(try location.integer("SELECT COUNT(DISTINCT run_id) FROM params"), 12)
            XCTAssertEqual(SweepSpec.variedParameterNames(fromJSON: sweep.specJSON), ["batch_size", "learning_rate"])
        }
    }

    /// Four threads, each with its own connection, claim until the queue is empty: every trial exactly once.
    func testConcurrentClaimsNeverHandOutATrialTwice() throws {
        try forEachStore { location, store in
            let plan = try SweepTestSupport.tinyPlan(batchSizes: [4, 8, 16, 32, 64], learningRates: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
            let sweepID = try SweepTestSupport.createSweep(plan, in: store)
            let claims = LockedArray<(String, Int64)>()
            let errors = LockedArray<String>()
            DispatchQueue.concurrentPerform(iterations: 4) { thread in
                do {
                    let own = try location.open()
                    while let trial = try own.claimNextTrial(sweepID: sweepID, worker: "t\(thread)#0") {
                        claims.append(("t\(thread)#0", trial.runID))
                    }
                } catch {
                    errors.append("thread \(thread): \(error)")
                }
            }
            XCTAssertEqual(errors.values, [], "no claimer may fail (e.g. 'database is locked')")
            let claimed = claims.values
            XCTAssertEqual(claimed.count, 40)
            XCTAssertEqual(Set(claimed.map(\.1)).count, 40, "no trial claimed twice")
            for (worker, runID) in claimed {
                let run = try store.run(id: runID)
                XCTAssertEqual(run.status, .running)
                XCTAssertEqual(run.worker, worker)
                XCTAssertNotNil(run.heartbeatAt)
            }
            XCTAssertNil(try store.claimNextTrial(sweepID: sweepID, worker: "late#0"))
        }
    }

    func testRequeuePlansInterruptedAndAbandonedTrialsAgainAndKeepsTheirRows() throws {
        try forEachStore { location, store in
            let sweepID = try SweepTestSupport.createSweep(try SweepTestSupport.tinyPlan(), in: store)
            let planned = try store.sweep(id: sweepID).plannedTrials
            let alive = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "alive#1"))
            let dead = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "dead#2"))
            let interrupted = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "alive#1"))
            for run in [alive, dead, interrupted] {
                _ = try location.query("INSERT INTO iterations (run_id, step, loss) VALUES (?, 1, 0.5), (?, 2, 0.4)", [.integer(run.runID), .integer(run.runID)])
                _ = try location.query(
                    "INSERT INTO epochs (run_id, epoch, step, train_loss, learning_rate, seconds, samples_per_second) VALUES (?, 1, 2, 0.45, 0.1, 1, 1)",
                    [.integer(run.runID)])
            }
            XCTAssertTrue(try store.finishTrial(runID: interrupted.runID, worker: "alive#1", status: .interrupted, stopReason: "interrupted"))
            let requeued = try store.requeueStaleTrials(sweepID: sweepID, staleAfter: 3600) { worker, _ in worker != "dead#2" }
            XCTAssertEqual(requeued, [dead.runID, interrupted.runID])
            for (attempt, reason) in [(dead, "heartbeat_lost"), (interrupted, "interrupted")] {
                // The attempt keeps every committed row and leaves the queue as a superseded, interrupted run…
                let run = try store.run(id: attempt.runID)
                XCTAssertEqual(run.status, .interrupted)
                XCTAssertEqual(run.stopReason, reason)
                XCTAssertNil(run.trialIndex)
                XCTAssertEqual(try location.integer("SELECT COUNT(*) FROM iterations WHERE run_id = \(attempt.runID)"), 2)
                XCTAssertEqual(try location.integer("SELECT COUNT(*) FROM epochs WHERE run_id = \(attempt.runID)"), 1)
                // …and a new pending run with the same trial index, configuration and parameters takes its place.
                let retryID = try location.integer("SELECT id FROM runs WHERE parent_run_id = \(attempt.runID)")
                let retry = try store.run(id: Int64(retryID))
                XCTAssertEqual(retry.status, .pending)
                XCTAssertEqual(retry.trialIndex, attempt.trialIndex)
                XCTAssertEqual(retry.configuration, attempt.configuration)
                XCTAssertNil(retry.worker)
                XCTAssertEqual(
                    try location.integer("SELECT COUNT(*) FROM params WHERE run_id = \(retryID)"),
                    try location.integer("SELECT COUNT(*) FROM params WHERE run_id = \(attempt.runID)"))
                XCTAssertEqual(try location.integer("SELECT COUNT(*) FROM iterations WHERE run_id = \(retryID)"), 0)
            }
            // Progress counts trials only: still exactly the planned number.
            let record = try store.sweep(id: sweepID)
            XCTAssertEqual(record.statusCounts.values.reduce(0, +), planned)
            XCTAssertEqual(record.count(.interrupted), 0)
            XCTAssertEqual(try store.run(id: alive.runID).status, .running, "a live worker keeps its trial")
            XCTAssertEqual(try location.integer("SELECT COUNT(*) FROM iterations WHERE run_id = \(alive.runID)"), 2)
            // The dead worker lost its trial: its heartbeat and final update are refused.
            XCTAssertFalse(try store.heartbeat(runID: dead.runID, worker: "dead#2"))
            XCTAssertFalse(try store.finishTrial(runID: dead.runID, worker: "dead#2", status: .completed))
            XCTAssertTrue(try store.heartbeat(runID: alive.runID, worker: "alive#1"))
            // A stale heartbeat re-queues too.
            Thread.sleep(forTimeInterval: 0.05)
            XCTAssertEqual(try store.requeueStaleTrials(sweepID: sweepID, staleAfter: 0.01), [alive.runID])
            // The next claim takes the lowest trial index again, and nothing is left to re-queue.
            XCTAssertEqual(try store.claimNextTrial(sweepID: sweepID, worker: "w#3")?.trialIndex, 0)
            XCTAssertEqual(try store.requeueStaleTrials(sweepID: sweepID, staleAfter: 3600), [])
        }
    }

    /// A trial whose stored configuration cannot be read is not lost to the claimer: the claim throws, naming the
    /// run, and the trial is pending again (no worker, no start, no heartbeat); once readable it is claimed as usual.
    func testAnUnreadableConfigurationLeavesTheTrialPending() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("q.sqlite").path)
        let plan = try SweepTestSupport.tinyPlan(batchSizes: [8, 16])
        let sweepID = try SweepTestSupport.createSweep(plan, in: store)
        let first = try XCTUnwrap(try store.runs(sweepID: sweepID).first { $0.trialIndex == 0 })
        let json = try XCTUnwrap(try store.read { try $0.scalarText("SELECT config FROM runs WHERE id = ?", [.integer(first.id)]) })
        try store.write { try $0.execute("UPDATE runs SET config = '[1, 2]' WHERE id = ?", [.integer(first.id)]) }
        XCTAssertThrowsError(try store.claimNextTrial(sweepID: sweepID, worker: "w#1")) { error in
            XCTAssertTrue("\(error)".hasPrefix("run \(first.id) has an unreadable configuration"), "\(error)")
        }
        // Readable again (the run read below decodes it): the trial is as it was before the claim.
        try store.write { try $0.execute("UPDATE runs SET config = ? WHERE id = ?", [.text(json), .integer(first.id)]) }
        let pending = try store.run(id: first.id)
        XCTAssertEqual(pending.status, .pending)
        XCTAssertNil(pending.worker)
        XCTAssertNil(pending.startedAt)
        XCTAssertEqual(try SweepTestSupport.count(store, "SELECT COUNT(*) FROM runs WHERE id = \(first.id) AND heartbeat_at IS NULL"), 1)
        XCTAssertEqual(try store.sweep(id: sweepID).statusCounts, [.pending: plan.count])
        let claimed = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w#1"))
        XCTAssertEqual(claimed.runID, first.id)
        XCTAssertEqual(claimed.configuration, first.configuration)
    }

    /// The worker loop with an injected training function: each outcome lands in the trial's status, a thrown error
    /// is stored, and the sweep goes on.
    func testWorkerLoopRecordsEveryOutcomeAndGoesOn() throws {
        try forEachStore { location, store in
            let plan = try SweepTestSupport.tinyPlan(batchSizes: [8, 16, 32], learningRates: [0.1, 0.5])
            let sweepID = try SweepTestSupport.createSweep(plan, in: store)
            struct Boom: Error, CustomStringConvertible { var description: String { "boom at trial 2" } }
            let worker = SweepWorker(
                store: store, sweepID: sweepID, workerID: "fake#1",
                train: { trial, _, _ in
                    switch trial.trialIndex {
                    case 1: return .diverged
                    case 2: throw Boom()
                    default: return .completed
                    }
                })
            let summary = try worker.run()
            XCTAssertEqual(summary.claimedRunIDs.count, 6)
            XCTAssertEqual(summary.outcomes, [.completed: 4, .diverged: 1, .failed: 1])
            XCTAssertFalse(summary.stoppedEarly)
            let runs = Dictionary(uniqueKeysWithValues: try store.runs(sweepID: sweepID).map { ($0.trialIndex!, $0) })
            XCTAssertEqual(runs[1]?.status, .diverged)
            XCTAssertEqual(runs[2]?.status, .failed)
            XCTAssertEqual(runs[2]?.error, "boom at trial 2")
            XCTAssertEqual(runs.values.filter { $0.status == .completed }.count, 4)
        }
    }

    func testAStopRequestInterruptsTheCurrentTrialAndLeavesTheRestPending() throws {
        try forEachStore { location, store in
            let sweepID = try SweepTestSupport.createSweep(try SweepTestSupport.tinyPlan(), in: store)
            let stop = StopFlag()
            let worker = SweepWorker(
                store: store, sweepID: sweepID, workerID: "fake#1",
                train: { trial, _, shouldStop in
                    if trial.trialIndex == 1 { stop.raise() }
                    return shouldStop() ? .interrupted : .completed
                }, shouldStop: { stop.isRaised })
            let summary = try worker.run()
            XCTAssertTrue(summary.stoppedEarly)
            XCTAssertEqual(try store.sweep(id: sweepID).statusCounts, [.completed: 1, .interrupted: 1, .pending: 2])
        }
    }
}

/// An array appended to from several threads.
final class LockedArray<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []

    func append(_ element: Element) {
        lock.lock()
        storage.append(element)
        lock.unlock()
    }

    var values: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
