import Engine
import Foundation
import Report
@testable import Store
import XCTest

@testable import Sweep

/// Trials created on demand (method tpe) and early termination through the store and worker processes.
final class OnDemandTrialTests: XCTestCase {
    static func tpeSpec(runCap: Int, epochs: Int = 2, earlyTermination: EarlyTermination? = nil, samples: Int = 300) -> SweepSpec {
        var spec = SweepSpec(
            name: "tpe", method: .tpe,
            parameters: [
                .init(name: "data", domain: .fixed(.string("xor"))),
                .init(name: "synthetic_samples", domain: .fixed(.int(samples))),
                .init(name: "layers", domain: .fixed(.string("0-8-0"))),
                .init(name: "epochs", domain: .fixed(.int(epochs))),
                .init(name: "learning_rate", domain: .logUniform(min: 0.001, max: 1)),
                .init(name: "batch_size", domain: .values([.int(16), .int(32)])),
            ], runCap: runCap, sweepSeed: 5)
        spec.tpe.startupTrials = 3
        spec.earlyTermination = earlyTermination
        return spec
    }

    /// A trial's point is read from its configuration's axis parameters only; it is the point the whole registry's
    /// values give (what `observations` read before), for numbers, a log axis, integers and a categorical.
    func testObservationsReadTheSamePointsAsEveryParameterWould() throws {
        var spec = Self.tpeSpec(runCap: 20)
        spec.parameters.append(.init(name: "initializer", domain: .values([.string("he-uniform"), .string("xavier-uniform")])))
        spec.parameters.append(.init(name: "momentum", domain: .uniform(min: 0, max: 0.99)))
        spec.parameters.append(.init(name: "warmup_steps", domain: .intUniform(min: 0, max: 50)))
        let trials = OnDemandTrials(spec: spec, base: TrainingConfiguration())
        var generator = Xoshiro256StarStar(seed: 9)
        let history = try (0..<20).map { index -> TrialHistoryRecord in
            var configuration = TrainingConfiguration()
            configuration.learningRate = exp(Double.random(in: log(0.001)...0, using: &generator))
            configuration.batchSize = [16, 32][index % 2]
            configuration.initializer = index % 3 == 0 ? .xavierUniform : .heUniform
            configuration.momentum = Double.random(in: 0...0.99, using: &generator)
            try configuration.setParameter("warmup_steps", .int(index * 2))
            return TrialHistoryRecord(
                runID: Int64(index + 1), trialIndex: index, status: index < 15 ? .completed : .running, configuration: configuration,
                epochsCompleted: 2, figures: ["validation_accuracy": Double(index) / 20])
        }
        let points = trials.observations(history).map(\.point)
        let everyParameter = history.compactMap { trials.suggester.space.point(of: $0.configuration.parameterValues()) }
        XCTAssertEqual(points.count, 20)
        XCTAssertEqual(points, everyParameter)
        XCTAssertEqual(points.first?.count, 5, "learning rate, batch size, initializer, momentum, warmup steps")
    }

    func testClaimOrCreateStopsAtRunCapAndNeverWritesWhenTheSuggestionFails() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("d.sqlite").path)
        let plan = try SweepPlan(spec: Self.tpeSpec(runCap: 3))
        let sweepID = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
        XCTAssertEqual(try store.sweep(id: sweepID).plannedTrials, 3)
        XCTAssertEqual(try store.sweep(id: sweepID).openTrials, 3)
        let (spec, base) = try SweepSpec.stored(json: try store.sweep(id: sweepID).specJSON)
        let trials = OnDemandTrials(spec: spec, base: base)
        var histories: [Int] = []
        func claim(_ worker: String) throws -> ClaimedTrial? {
            try store.claimOrCreateTrial(sweepID: sweepID, worker: worker) { index, history in
                histories.append(history.count)
                return try trials.configuration(trialIndex: index, history: history)
            }
        }
        XCTAssertThrowsError(try store.claimOrCreateTrial(sweepID: sweepID, worker: "x") { _, _ in throw SweepError("no suggestion") })
        XCTAssertEqual(try SweepTestSupport.count(store, "SELECT count(*) FROM runs"), 0, "nothing written when the suggestion fails")
        let first = try XCTUnwrap(try claim("a"))
        let second = try XCTUnwrap(try claim("b"))
        XCTAssertEqual([first.trialIndex, second.trialIndex], [0, 1])
        XCTAssertEqual(histories, [0, 1], "the second suggestion saw the first trial (running)")
        XCTAssertEqual(try store.run(id: second.runID).status, .running)
        XCTAssertEqual(try store.run(id: second.runID).worker, "b")
        // A re-queued trial is claimed before a new one is created.
        try store.finishTrial(runID: first.runID, worker: "a", status: .interrupted)
        try store.requeueStaleTrials(sweepID: sweepID, staleAfter: 60)
        let retry = try XCTUnwrap(try claim("c"))
        XCTAssertEqual(retry.trialIndex, 0)
        XCTAssertEqual(retry.configuration, first.configuration)
        XCTAssertEqual(try XCTUnwrap(try claim("c")).trialIndex, 2)
        XCTAssertNil(try claim("d"), "run_cap reached")
        XCTAssertEqual(histories, [0, 1, 2])
        XCTAssertEqual(try store.sweep(id: sweepID).openTrials, 0)
        // The suggestion is the one TrialSuggester makes for that index: learning rate and batch size from trial 0's draw.
        let expected = trials.suggester.suggest(trialIndex: 0, history: [])
        XCTAssertEqual(first.configuration.learningRate, expected[4].1.number)
    }

    /// Two `logbook worker` processes on one TPE sweep create exactly run_cap trials, each index once.
    func testTwoWorkerProcessesCreateExactlyRunCapTrials() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("w.sqlite").path
        let store = try LogbookStore(path: path)
        let runCap = 16
        // Trials long enough (tens of ms) that the second worker, once it has the file open, asks before the first has
        // made every trial: xor with 300 samples and 2 epochs let one worker do all 16 in 0.2 s under load.
        let spec = Self.tpeSpec(runCap: runCap, epochs: 30, samples: 2000)
        let sweepID = try SweepExecution.create(plan: try SweepPlan(spec: spec), base: TrainingConfiguration(), store: store)
        // As in WorkerProcessTests: the queue stays closed (this test holds the write lock) until both processes have
        // the database open, so that neither can create every trial before the other asks.
        let workers = try store.write { _ in
            let workers = try (1...2).map { index in
                try SweepTestSupport.startLogbook(["worker", "--db", path, "--sweep", "\(sweepID)", "--worker-id", "p\(index)"])
            }
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, !workers.allSatisfy({ WorkerProcessTests.hasOpen(path, process: $0.processIdentifier) }) {
                Thread.sleep(forTimeInterval: 0.01)
            }
            return workers
        }
        let claimed = try SweepTestSupport.claimsByWorker(workers)
        XCTAssertTrue(claimed.values.allSatisfy { !$0.isEmpty }, "both workers took part: \(claimed)")
        XCTAssertEqual(claimed.values.flatMap { $0 }.count, runCap)
        XCTAssertEqual(try SweepTestSupport.count(store, "SELECT count(*) FROM runs WHERE sweep_id = \(sweepID)"), runCap)
        XCTAssertEqual(try SweepTestSupport.count(store, "SELECT count(DISTINCT trial_index) FROM runs WHERE sweep_id = \(sweepID)"), runCap)
        XCTAssertEqual(try SweepTestSupport.count(store, "SELECT max(trial_index) FROM runs WHERE sweep_id = \(sweepID)"), runCap - 1)
        XCTAssertEqual(try store.sweep(id: sweepID).statusCounts, [.completed: runCap])
        // After the startup trials TPE chose: the later learning rates are not all random draws of the startup stream.
        let rates = try store.runs(sweepID: sweepID, status: .completed).sorted { $0.trialIndex! < $1.trialIndex! }.map(\.configuration.learningRate)
        XCTAssertEqual(rates.count, runCap)
        XCTAssertTrue(rates.allSatisfy { $0 >= 0.001 && $0 <= 1 })
    }

    /// `sweep run --method tpe` SIGKILLed mid-sweep, then `sweep resume`: exactly run_cap trials, every index once.
    func testASIGKILLedTPESweepResumesToExactlyRunCap() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("k.sqlite").path
        let arguments = [
            "sweep", "run", "--db", path, "--data", "digits", "--layers", "64-32-10", "--epochs", "10",
            "--batch-size", "16,32,64", "--lr", "0.02,0.05,0.1,0.2", "--method", "tpe", "--run-cap", "12", "--startup-trials", "4",
            "--workers", "2", "--quiet",
        ]
        let parent = try SweepTestSupport.startLogbook(arguments)
        // As in WorkerProcessTests: freeze every process mid-sweep, kill them all, and resume only once the kernel has
        // torn the workers down.
        let (frozenMidSweep, children) = WorkerProcessTests.freezeMidSweep(parent: parent, path: path, completed: 2)
        XCTAssertTrue(frozenMidSweep, "sweep did not get going")
        kill(parent.processIdentifier, SIGKILL)
        for child in children { kill(child, SIGKILL) }
        parent.waitUntilExit()
        XCTAssertTrue(WorkerProcessTests.waitUntilGone(children), "killed workers exited")
        let store = try LogbookStore(path: path)
        let sweep = try XCTUnwrap(try store.sweeps().first)
        XCTAssertEqual(sweep.method, "tpe")
        XCTAssertLessThan(sweep.count(.completed), 12, "killed before the end")
        let (status, output, errors) = try SweepTestSupport.runLogbook(["sweep", "resume", "\(sweep.id)", "--db", path, "--workers", "2", "--quiet"])
        XCTAssertEqual(status, 0, errors + output)
        XCTAssertEqual(try store.sweep(id: sweep.id).statusCounts, [.completed: 12], output)
        XCTAssertEqual(try SweepTestSupport.count(store, "SELECT count(DISTINCT trial_index) FROM runs WHERE sweep_id = \(sweep.id) AND status = 'completed'"), 12)
        XCTAssertEqual(try SweepTestSupport.count(store, "SELECT max(trial_index) FROM runs WHERE sweep_id = \(sweep.id)"), 11)
        XCTAssertEqual(try store.read { try $0.scalarText("PRAGMA integrity_check") }, "ok")
    }

    /// In-process: a TPE + ASHA sweep over xor; every pruned trial keeps its iterations and epochs up to the rung
    /// that stopped it, records rule, rung and detail, and gets no test evaluation; completed trials train all epochs.
    func testAPrunedTrialKeepsItsRowsAndRecordsTheDecision() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("p.sqlite").path)
        let epochs = 4
        var spec = Self.tpeSpec(runCap: 10, epochs: epochs, earlyTermination: .asha(minEpochs: 1, eta: 2))
        spec.parameters[4] = .init(name: "learning_rate", domain: .logUniform(min: 1e-4, max: 1))
        let plan = try SweepPlan(spec: spec)
        XCTAssertEqual(plan.spec.metric.name, "validation_accuracy")
        let sweepID = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
        let search = try SweepWorker.search(of: try store.sweep(id: sweepID))
        var worker = SweepWorker(store: store, sweepID: sweepID, workerID: "solo#1", train: EngineTrialTraining.train(pruning: search.pruning))
        worker.onDemand = search.onDemand
        let summary = try worker.run()
        XCTAssertEqual(summary.claimedRunIDs.count, 10)
        let pruned = try store.runs(sweepID: sweepID, status: .pruned)
        XCTAssertFalse(pruned.isEmpty, "ASHA with eta 2 stopped some of 10 trials")
        for run in pruned {
            let epochsKept = try SweepTestSupport.count(store, "SELECT count(*) FROM epochs WHERE run_id = \(run.id)")
            let steps = try SweepTestSupport.count(store, "SELECT count(*) FROM iterations WHERE run_id = \(run.id)")
            let (rule, rung, detail) = try store.read { connection in
                (try connection.scalarText("SELECT pruned_rule FROM runs WHERE id = \(run.id)"),
                 try connection.scalarInt("SELECT pruned_rung FROM runs WHERE id = \(run.id)"),
                 try connection.scalarText("SELECT pruned_detail FROM runs WHERE id = \(run.id)") ?? "")
            }
            XCTAssertEqual(rule, "asha")
            XCTAssertEqual(run.stopReason, "asha")
            let rungEpoch = 1 << Int(try XCTUnwrap(rung))  // R·η^r = 2^r
            XCTAssertEqual(epochsKept, rungEpoch, "epochs up to the rung that stopped it")
            XCTAssertEqual(run.epochsCompleted, rungEpoch)
            XCTAssertEqual(steps, (run.stepsPerEpoch ?? 0) * rungEpoch, "every step up to the rung")
            XCTAssertTrue(detail.hasPrefix("asha: rung \(rung!) (epoch \(rungEpoch)):"), detail)
            XCTAssertNotNil(run.finalValidationAccuracy)
            XCTAssertEqual(try SweepTestSupport.count(store, "SELECT count(*) FROM evaluations WHERE run_id = \(run.id)"), 0)
        }
        for run in try store.runs(sweepID: sweepID, status: .completed) {
            XCTAssertEqual(try SweepTestSupport.count(store, "SELECT count(*) FROM epochs WHERE run_id = \(run.id)"), epochs)
        }
        let sweep = try store.sweep(id: sweepID)
        XCTAssertEqual(sweep.count(.pruned) + sweep.count(.completed), 10)
        XCTAssertEqual(sweep.finishedTrials, 10)
        // Chosen on validation, measured on test: the leaderboard ranks completed trials by validation accuracy and
        // reports the chosen one's test accuracy beside it.
        let completed = try store.runs(sweepID: sweepID, status: .completed)
        let chosen = try XCTUnwrap(completed.max { ($0.finalValidationAccuracy ?? 0, -$0.id) < ($1.finalValidationAccuracy ?? 0, -$1.id) })
        let leaderboard = try Leaderboard.load(sweepID: sweepID, from: store)
        XCTAssertEqual(leaderboard.rows.first?.trialIndices, [chosen.trialIndex!])
        XCTAssertEqual(leaderboard.bestMeasuredOnTest?.name, "test_accuracy")
        XCTAssertEqual(leaderboard.bestMeasuredOnTest?.value, chosen.testAccuracy)
        XCTAssertTrue(
            leaderboard.render().contains(
                "chosen by validation_accuracy (10 % validation split); measured on test: test_accuracy \(String(format: "%.4f", chosen.testAccuracy ?? -1)) (reported, never used to choose)"),
            leaderboard.render())
        // The report of a sweep that searched and pruned gains its history, pruning and importance sections.
        let document = try SweepReport().build(sweepID: sweepID, store: store)
        XCTAssertEqual(Array(document.sections.map(\.id).suffix(3)), ["optimisation-history", "pruning", "parameter-importance"])
        let paragraphs = document.sections[0].blocks.compactMap { block -> String? in if case .paragraph(let text) = block { text } else { nil } }
        XCTAssertTrue(paragraphs.contains { $0 == "Chosen by validation_accuracy (10 % validation split); test_accuracy reported, never used to choose." }, "\(paragraphs)")
        let pruningTable = document.sections.first { $0.id == "pruning" }?.blocks.compactMap { block -> ResultTable? in
            if case .table(let table) = block { return table } else { return nil }
        }.first
        let stopped = pruningTable?.rows.map { $0[2] }.compactMap { if case .integer(let count) = $0 { Int(count) } else { nil } }.reduce(0, +)
        XCTAssertEqual(stopped, pruned.count, "trials stopped per rung add up to the pruned trials")
    }

    /// A planned (grid) sweep with the median rule: each pruned trial's decision holds against the store afterwards —
    /// its best validation accuracy by its last epoch is below the median of the trials that had completed before it
    /// stopped, at that epoch.
    func testMedianRuleOnAGridSweepPrunesAgainstWhatTheStoreHeld() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("m.sqlite").path)
        var spec = SweepSpec(
            name: "median",
            parameters: [
                .init(name: "data", domain: .fixed(.string("digits"))), .init(name: "layers", domain: .fixed(.string("64-16-10"))),
                .init(name: "epochs", domain: .fixed(.int(3))),
                .init(name: "learning_rate", domain: .values([0.1, 0.2, 0.0005, 0.15, 0.0003, 0.12, 0.0002, 0.0001].map { .double($0) })),
            ])
        spec.earlyTermination = .median(warmupEpochs: 0, minTrials: 2)
        let plan = try SweepPlan(spec: spec)
        let sweepID = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
        let search = try SweepWorker.search(of: try store.sweep(id: sweepID))
        XCTAssertNil(search.onDemand, "a grid sweep plans its trials")
        let worker = SweepWorker(store: store, sweepID: sweepID, workerID: "solo#1", train: EngineTrialTraining.train(pruning: search.pruning))
        _ = try worker.run()
        let pruned = try store.runs(sweepID: sweepID, status: .pruned)
        XCTAssertFalse(pruned.isEmpty, "tiny learning rates fall below the median")
        let curves = try store.sweepEpochCurves(sweepID: sweepID, metric: .validationAccuracy)
        for run in pruned {
            XCTAssertEqual(run.stopReason, "median")
            let epoch = try XCTUnwrap(run.epochsCompleted)
            let own = try XCTUnwrap(curves.first { $0.runID == run.id })
            let best = own.values.filter { $0.key <= epoch }.map(\.value).max()!
            let earlier = try store.runs(sweepID: sweepID, status: .completed).filter { ($0.endedAt ?? .infinity) < (run.endedAt ?? 0) }
            let reference = earlier.compactMap { done in curves.first { $0.runID == done.id }?.values[epoch] }
            XCTAssertGreaterThanOrEqual(reference.count, 2)
            XCTAssertLessThan(best, MedianRule.median(reference), "run \(run.id) at epoch \(epoch)")
        }
    }

    /// Hyperband in a worker: each pruned trial stopped at a rung of its own bracket, epoch R·η^(b + r) for the bracket
    /// b that the sweep name and its trial index give (R = 1, η = 2, 4 epochs ⇒ brackets 0, 1, 2).
    func testHyperbandPrunesAtTheRungsOfEachTrialsBracket() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("h.sqlite").path)
        var spec = Self.tpeSpec(runCap: 16, epochs: 4, earlyTermination: .hyperband(minEpochs: 1, eta: 2))
        spec.parameters[4] = .init(name: "learning_rate", domain: .logUniform(min: 1e-4, max: 1))
        let sweepID = try SweepExecution.create(plan: try SweepPlan(spec: spec), base: TrainingConfiguration(), store: store)
        let search = try SweepWorker.search(of: try store.sweep(id: sweepID))
        XCTAssertEqual(search.pruning?.maximumEpochs, 4)
        var worker = SweepWorker(store: store, sweepID: sweepID, workerID: "solo#1", train: EngineTrialTraining.train(pruning: search.pruning))
        worker.onDemand = search.onDemand
        XCTAssertEqual(try worker.run().claimedRunIDs.count, 16)
        let brackets = HyperbandBrackets(minEpochs: 1, maximumEpochs: 4, eta: 2)
        XCTAssertEqual(brackets.count, 3)
        let pruned = try store.runs(sweepID: sweepID, status: .pruned)
        XCTAssertFalse(pruned.isEmpty)
        for run in pruned {
            let bracket = brackets.bracket(sweepName: "tpe", trialIndex: run.trialIndex!)
            let rung = try XCTUnwrap(try store.read { try $0.scalarInt("SELECT pruned_rung FROM runs WHERE id = \(run.id)") })
            XCTAssertEqual(run.epochsCompleted, 1 << (bracket + Int(rung)), "trial \(run.trialIndex!) in bracket \(bracket)")
            XCTAssertLessThan(run.epochsCompleted ?? 4, 4, "no decision at the last epoch")
            XCTAssertEqual(run.stopReason, "hyperband")
        }
    }
}
