import Engine
import Foundation
@testable import Store
import XCTest

@testable import Sweep

/// Worker processes (the built `logbook` binary) sharing one database: atomic claims, SIGKILL and resume.
final class WorkerProcessTests: XCTestCase {
    /// Two `logbook worker` processes drain one queue of short trials: each reports the run ids it claimed; the two
    /// sets are disjoint, cover every trial, and every trial completed under the worker that claimed it.
    func testTwoWorkerProcessesNeverClaimTheSameTrial() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("w.sqlite").path
        let store = try LogbookStore(path: path)
        // Trials long enough (tens of ms each) that the worker waiting on SQLite's busy handler (it sleeps up to
        // 100 ms between tries) wakes while the other trains: 400 samples and 2 epochs (≈ 8 ms a trial) let one
        // worker take all 24 under load on a CI run.
        let plan = try SweepTestSupport.tinyPlan(
            samples: 2000, batchSizes: [8, 16, 32, 48], learningRates: [0.01, 0.05, 0.1, 0.2, 0.3, 0.4], epochs: 20)
        let sweepID = try SweepTestSupport.createSweep(plan, in: store)
        // The queue stays closed (this test holds the write lock) until both processes have the database open, so
        // that a slow start (a loaded machine) cannot let one worker drain the queue before the other claims: both
        // then wait on the lock and race for every trial.
        let workers = try store.write { _ in
            let workers = try (1...2).map { index in
                try SweepTestSupport.startLogbook(["worker", "--db", path, "--sweep", "\(sweepID)", "--worker-id", "p\(index)"])
            }
            let deadline = Date().addingTimeInterval(20)  // within the workers' 30 s busy timeout
            while Date() < deadline, !workers.allSatisfy({ Self.hasOpen(path, process: $0.processIdentifier) }) {
                Thread.sleep(forTimeInterval: 0.01)
            }
            return workers
        }
        let claimedBy = try SweepTestSupport.claimsByWorker(workers)
        XCTAssertEqual(claimedBy.count, 2)
        XCTAssertTrue(claimedBy.values.allSatisfy { !$0.isEmpty }, "both workers took part: \(claimedBy)")
        print("claims per worker: \(claimedBy.mapValues(\.count))")
        let all = claimedBy.values.flatMap { $0 }
        XCTAssertEqual(all.count, plan.count, "claims: \(claimedBy)")
        XCTAssertEqual(Set(all).count, plan.count, "a trial was claimed twice: \(claimedBy)")
        for (worker, runIDs) in claimedBy {
            for runID in runIDs {
                let run = try store.run(id: runID)
                XCTAssertEqual(run.status, .completed, run.error ?? "")
                XCTAssertEqual(run.worker, worker)
            }
        }
    }

    /// `sweep run --workers 2` is SIGKILLed (parent and workers) mid-sweep; `sweep resume` then ends with exactly the
    /// planned number of completed trials, each recorded once, the rows committed before the kill unchanged, and a
    /// clean integrity check.
    func testASIGKILLedSweepResumesToExactlyThePlannedTrials() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("k.sqlite").path
        let epochs = 4
        let arguments = [
            "sweep", "run", "--db", path, "--data", "digits", "--layers", "64-32-10", "--epochs", "\(epochs)",
            "--batch-size", "16,32,64", "--lr", "0.05,0.1", "--init", "zeros,he-uniform", "--workers", "2", "--quiet",
        ]
        let parent = try SweepTestSupport.startLogbook(arguments)
        let (frozenMidSweep, children) = Self.freezeMidSweep(parent: parent, path: path, completed: 2)
        XCTAssertTrue(frozenMidSweep, "sweep did not get going")
        XCTAssertEqual(children.count, 2, "two worker processes")
        kill(parent.processIdentifier, SIGKILL)
        for child in children { kill(child, SIGKILL) }
        parent.waitUntilExit()
        XCTAssertEqual(parent.terminationReason, .uncaughtSignal)
        // kill() returns before the kernel has torn a process down; resume judges a worker gone once it is (as after
        // any crash), so wait for that.
        XCTAssertTrue(Self.waitUntilGone(children), "killed workers exited")

        let store = try LogbookStore(path: path)
        let sweep = try XCTUnwrap(try store.sweeps().first)
        XCTAssertLessThan(sweep.count(.completed), sweep.plannedTrials, "killed before the end")
        let before = try Self.rowCounts(store, status: nil)
        let partial = before.filter { id, counts in counts.iterations > 0 && (try? store.run(id: id).status) == .running }
        XCTAssertFalse(partial.isEmpty, "a trial had committed rows mid-way when the sweep was killed")

        let (status, output, errors) = try SweepTestSupport.runLogbook([
            "sweep", "resume", "\(sweep.id)", "--db", path, "--workers", "2", "--quiet",
        ])
        XCTAssertEqual(status, 0, errors + output)
        XCTAssertTrue(output.contains("re-queued"), output)

        let after = try store.sweep(id: sweep.id)
        XCTAssertEqual(after.statusCounts, [.completed: 12], output)
        XCTAssertEqual(try SweepTestSupport.count(store, "SELECT COUNT(DISTINCT trial_index) FROM runs WHERE sweep_id = \(sweep.id) AND status = 'completed'"), 12)
        let rows = try Self.rowCounts(store, status: nil)
        for (runID, counts) in before where counts.iterations > 0 {
            XCTAssertEqual(rows[runID]?.iterations, counts.iterations, "rows of run \(runID) kept as committed")
        }
        // The attempts cut short by the kill stay, with their rows, as superseded interrupted runs.
        for runID in partial.keys {
            let attempt = try store.run(id: runID)
            XCTAssertEqual(attempt.status, .interrupted)
            XCTAssertNil(attempt.trialIndex)
        }
        for run in try store.runs(sweepID: sweep.id, status: .completed) {
            let counts = try XCTUnwrap(rows[run.id])
            XCTAssertEqual(counts.epochs, epochs, "run \(run.id): one row per epoch, none twice")
            XCTAssertEqual(counts.iterations, (run.stepsPerEpoch ?? 0) * epochs, "run \(run.id): one row per step")
            XCTAssertEqual(counts.evaluations, 1, "run \(run.id): one test evaluation")
        }
        XCTAssertEqual(try store.read { try $0.scalarText("PRAGMA integrity_check") }, "ok")
    }

    /// SIGKILL of one worker while its trial is mid-way: the parent hands the trial back to the queue and starts a
    /// replacement worker; the sweep ends with every trial completed once — no resume needed. Trials of a 64-512-512-10 network (≈ 0.2 s each): a 64-32-10 one
    /// trains digits in a few milliseconds, and the sweep could end before a trial was caught running.
    func testAKilledWorkersTrialIsRequeuedAndFinishedWithoutResume() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("one.sqlite").path
        let parent = try SweepTestSupport.startLogbook([
            "sweep", "run", "--db", path, "--data", "digits", "--layers", "64-512-512-10", "--epochs", "4",
            "--batch-size", "16,32,64", "--lr", "0.05,0.1", "--init", "zeros,he-uniform", "--workers", "2", "--quiet",
        ])
        XCTAssertTrue(Self.waitUntilMidSweep(path: path, completed: 1), "sweep did not get going")
        let store = try LogbookStore(path: path)
        let sweepID = try XCTUnwrap(try store.sweeps().first).id
        // Freeze a worker mid-trial (SIGSTOP), check that its trial is still its own, then SIGKILL it.
        var victim: TrialActivity?
        var pid: Int32 = 0
        for _ in 0..<200 where victim == nil {
            guard let candidate = try store.runningTrials(sweepID: sweepID).first(where: { $0.step != nil }),
                let candidatePID = Int32(candidate.worker.split(separator: "#").last ?? "")
            else {
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            kill(candidatePID, SIGSTOP)
            let run = try store.run(id: candidate.runID)
            if run.status == .running && run.worker == candidate.worker {
                (victim, pid) = (candidate, candidatePID)
            } else {
                kill(candidatePID, SIGCONT)
            }
        }
        let victimTrial = try XCTUnwrap(victim, "no running trial to kill")
        kill(pid, SIGKILL)
        let output = String(decoding: (parent.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: (parent.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        parent.waitUntilExit()
        XCTAssertTrue(errors.contains("was killed by signal 9"), errors)
        let after = try store.sweep(id: sweepID)
        XCTAssertEqual(after.statusCounts, [.completed: 12], output + errors)
        // The killed attempt keeps its partial rows as a superseded run; a retry of it completed the trial.
        let attempt = try store.run(id: victimTrial.runID)
        XCTAssertEqual(attempt.status, .interrupted)
        XCTAssertEqual(attempt.stopReason, "heartbeat_lost")
        XCTAssertNil(attempt.trialIndex)
        let retryID = Int64(try SweepTestSupport.count(store, "SELECT id FROM runs WHERE parent_run_id = \(victimTrial.runID)"))
        let run = try store.run(id: retryID)
        XCTAssertEqual(run.status, .completed)
        XCTAssertEqual(run.trialIndex, victimTrial.trialIndex)
        XCTAssertNotEqual(run.worker, victimTrial.worker, "re-run by another worker")
        let counts = try XCTUnwrap(try Self.rowCounts(store, status: .completed)[retryID])
        XCTAssertEqual(counts.iterations, (run.stepsPerEpoch ?? 0) * 4, "the retry recorded every step once")
        XCTAssertEqual(counts.epochs, 4)
        XCTAssertEqual(try store.read { try $0.scalarText("PRAGMA integrity_check") }, "ok")
    }

    /// SIGKILL of the parent alone: its workers notice (their parent changed), mark their trials `interrupted` and
    /// exit; `sweep resume` finishes the sweep.
    func testWorkersStopGracefullyWhenTheirParentIsKilled() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("orphans.sqlite").path
        let parent = try SweepTestSupport.startLogbook([
            "sweep", "run", "--db", path, "--data", "digits", "--layers", "64-32-10", "--epochs", "12",
            "--batch-size", "16,32", "--lr", "0.05,0.1", "--init", "zeros,he-uniform", "--workers", "2", "--quiet",
        ])
        XCTAssertTrue(Self.waitUntilMidSweep(path: path, completed: 0), "sweep did not get going")
        let children = Self.childProcesses(of: parent.processIdentifier)
        XCTAssertEqual(children.count, 2)
        kill(parent.processIdentifier, SIGKILL)
        parent.waitUntilExit()
        XCTAssertTrue(Self.waitUntilGone(children), "workers exited")
        let store = try LogbookStore(path: path)
        let sweep = try XCTUnwrap(try store.sweeps().first)
        XCTAssertEqual(sweep.count(.running), 0, "\(sweep.statusCounts)")
        XCTAssertGreaterThanOrEqual(sweep.count(.interrupted), 1, "\(sweep.statusCounts)")
        let (status, output, errors) = try SweepTestSupport.runLogbook(["sweep", "resume", "\(sweep.id)", "--db", path, "--quiet"])
        XCTAssertEqual(status, 0, errors)
        XCTAssertEqual(try store.sweep(id: sweep.id).statusCounts, [.completed: 8], output)
    }

    /// Waits until some trials completed and another has committed rows mid-trial, then freezes the parent and its
    /// workers (SIGSTOP) and checks again — a trial may have ended meanwhile — so that a kill finds what was checked.
    /// Returns whether it froze the sweep mid-way (within 120 s) and the worker processes.
    static func freezeMidSweep(parent: Process, path: String, completed: Int) -> (frozen: Bool, children: [Int32]) {
        var children: [Int32] = []
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, waitUntilMidSweep(path: path, completed: completed) {
            children = childProcesses(of: parent.processIdentifier)
            let processes = [parent.processIdentifier] + children
            stop(processes)
            if isMidSweep(path: path, completed: completed) { return (true, children) }
            for pid in processes { kill(pid, SIGCONT) }
        }
        return (false, children)
    }

    /// Polls the database at `path` until `isMidSweep`. False after 60 s.
    static func waitUntilMidSweep(path: String, completed: Int) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
            if isMidSweep(path: path, completed: completed) { return true }
        }
        return false
    }

    /// Whether the sweep at `path` has `completed` completed trials and a running trial with committed iterations.
    static func isMidSweep(path: String, completed: Int) -> Bool {
        guard FileManager.default.fileExists(atPath: path), let store = try? LogbookStore(path: path, mode: .readOnly),
            let sweep = try? store.sweeps().first, sweep.count(.completed) >= completed,
            let running = try? store.runningTrials(sweepID: sweep.id)
        else { return false }
        return running.contains { $0.step != nil }
    }

    /// Sends SIGSTOP to each process and waits until each is stopped (state `T` in /proc), at most 10 s.
    static func stop(_ processes: [Int32]) {
        for pid in processes { kill(pid, SIGSTOP) }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !processes.allSatisfy({ state(of: $0) == "T" }) { Thread.sleep(forTimeInterval: 0.002) }
    }

    /// Waits (at most 30 s) until none of the worker processes is alive by `WorkerIdentity.isAlive`'s rule (gone, or
    /// a zombie); true when none is.
    static func waitUntilGone(_ processes: [Int32]) -> Bool {
        let host = Provenance.hostName
        func anyAlive() -> Bool { processes.contains { WorkerIdentity.isAlive(worker: "w#\($0)", host: host) } }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, anyAlive() { Thread.sleep(forTimeInterval: 0.01) }
        return !anyAlive()
    }

    /// Whether the process has the file at `path` open (one of /proc/PID/fd links to it).
    static func hasOpen(_ path: String, process pid: Int32) -> Bool {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return false }
        return descriptors.contains { descriptor in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)")) == target
        }
    }

    /// The state letter of /proc/PID/stat (`R`, `S`, `T` stopped, `Z` zombie, …); nil when there is no such process.
    static func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    }

    /// Iteration, epoch and evaluation row counts of each run with `status`.
    /// Rows per run, for the runs with `status` (every run when nil).
    static func rowCounts(_ store: LogbookStore, status: RunStatus?) throws -> [Int64: (iterations: Int, epochs: Int, evaluations: Int)] {
        try store.read { connection in
            var counts: [Int64: (Int, Int, Int)] = [:]
            try connection.forEachRow(
                """
                SELECT r.id, (SELECT COUNT(*) FROM iterations WHERE run_id = r.id), (SELECT COUNT(*) FROM epochs WHERE run_id = r.id),
                       (SELECT COUNT(*) FROM evaluations WHERE run_id = r.id)
                FROM runs AS r WHERE ?1 IS NULL OR r.status = ?1
                """, [status.map { .text($0.rawValue) } ?? .null]
            ) { counts[$0.int64(0)] = ($0.int(1), $0.int(2), $0.int(3)) }
            return counts
        }
    }

    /// Direct children of `pid`, from /proc.
    static func childProcesses(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { Int32($0) }.filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }
    }
}
