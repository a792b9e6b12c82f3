import Engine
import Foundation
import XCTest

@testable import Store

/// Child processes are this test binary re-executed (`/proc/self/exe`) on `RecordingChildTests`, with the work
/// described in environment variables.
enum ChildProcess {
    static let modeVariable = "LOGBOOK_STORE_CHILD"

    static func launch(_ environment: [String: String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["StoreTests.RecordingChildTests/testRecordingWorkload"]
        var variables = ProcessInfo.processInfo.environment
        variables["SWIFT_BACKTRACE"] = "enable=no"
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        try process.run()
        return (process, errors)
    }

    /// Records `runs` runs of `iterations` steps each (an epoch every 100 steps), committing often to contend.
    static func record(path: String, name: String, runs: Int, iterations: Int) throws {
        let store = try LogbookStore(path: path)
        for index in 0..<runs {
            let runID = try store.createRun(Synthetic.configuration(seed: UInt64(index)), name: "\(name)-\(index)")
            let recorder = try store.recorder(for: runID, flushInterval: 0.005, flushThreshold: 500)
            for step in 1...iterations {
                try recorder.handle(
                    .iteration(IterationEnded(step: step, epoch: (step - 1) / 100 + 1, batchIndex: (step - 1) % 100, loss: Float(step), learningRate: 0.1)))
                if step % 100 == 0 {
                    try recorder.handle(
                        .epoch(EpochEnded(epoch: step / 100, step: step, trainLoss: 1, trainAccuracy: nil, validationLoss: nil,
                            validationAccuracy: nil, learningRate: 0.1, seconds: 0.001, samplesPerSecond: 1)))
                }
            }
            try recorder.handle(.finished(RunFinished(reason: .maxEpochs, epochsCompleted: iterations / 100, stepsCompleted: iterations, seconds: 1)))
            try recorder.close()
        }
    }

    /// Records one run forever (until killed), flushing every few milliseconds, heartbeat every 0.1 s.
    static func recordUntilKilled(path: String) throws -> Never {
        let store = try LogbookStore(path: path)
        let runID = try store.createRun(Synthetic.configuration(), name: "crash")
        let recorder = try store.recorder(for: runID, flushInterval: 0.005, heartbeatInterval: 0.1, flushThreshold: 200)
        var step = 0
        while true {
            step += 1
            try recorder.handle(.iteration(IterationEnded(step: step, epoch: 1, batchIndex: step - 1, loss: Float(step), learningRate: 0.1)))
            if step % 50 == 0 { usleep(1000) }
        }
    }
}

final class RecordingChildTests: XCTestCase {
    /// In a child: does the work its environment asks for. Run directly: records a small workload in-process.
    func testRecordingWorkload() throws {
        let environment = ProcessInfo.processInfo.environment
        switch environment[ChildProcess.modeVariable] {
        case "record":
            try ChildProcess.record(
                path: environment["LOGBOOK_STORE_CHILD_DB"]!, name: environment["LOGBOOK_STORE_CHILD_NAME"]!,
                runs: Int(environment["LOGBOOK_STORE_CHILD_RUNS"]!)!, iterations: Int(environment["LOGBOOK_STORE_CHILD_STEPS"]!)!)
        case "crash":
            try ChildProcess.recordUntilKilled(path: environment["LOGBOOK_STORE_CHILD_DB"]!)
        default:
            let directory = try TemporaryDirectory()
            let path = directory.file("inprocess.sqlite")
            try ChildProcess.record(path: path, name: "local", runs: 2, iterations: 1000)
            let store = try LogbookStore(path: path)
            XCTAssertEqual(try store.read { try $0.scalarInt("SELECT count(*) FROM iterations") }, 2000)
            XCTAssertEqual(try store.runs(status: .completed).count, 2)
        }
    }
}

final class MultiProcessTests: XCTestCase {
    func testTwoProcessesCreatingAndRecordingAtOnceLoseNoRowAndAreNeverLocked() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("shared.sqlite")  // not created yet: both children create and migrate it at once
        let runs = 3, steps = 20_000
        let children = try ["A", "B"].map { name in
            try ChildProcess.launch([
                ChildProcess.modeVariable: "record", "LOGBOOK_STORE_CHILD_DB": path, "LOGBOOK_STORE_CHILD_NAME": name,
                "LOGBOOK_STORE_CHILD_RUNS": "\(runs)", "LOGBOOK_STORE_CHILD_STEPS": "\(steps)",
            ])
        }
        for (process, output) in children {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, text)
            XCTAssertFalse(text.lowercased().contains("locked"), text)
        }
        let store = try LogbookStore(path: path)
        try store.read { connection in
            XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM iterations"), Int64(2 * runs * steps))
            XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM epochs"), Int64(2 * runs * steps / 100))
            XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM runs WHERE status = 'completed'"), Int64(2 * runs))
            // Every run has exactly steps 1…N with loss = step.
            XCTAssertEqual(
                try connection.scalarInt(
                    "SELECT count(*) FROM (SELECT run_id FROM iterations GROUP BY run_id HAVING count(*) = ? AND min(step) = 1 AND max(step) = ? AND sum(loss) = ?)",
                    [.integer(Int64(steps)), .integer(Int64(steps)), .real(Double(steps * (steps + 1) / 2))]),
                Int64(2 * runs))
            XCTAssertEqual(try connection.scalarText("PRAGMA integrity_check"), "ok")
            XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM logbook_migrations"), Int64(Migrator().migrations.count), "migrated exactly once")
        }
    }

    func testSigkillMidRunKeepsCommittedRowsAndTheRunBecomesInterrupted() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("killed.sqlite")
        _ = try LogbookStore(path: path)
        let (process, _) = try ChildProcess.launch([ChildProcess.modeVariable: "crash", "LOGBOOK_STORE_CHILD_DB": path])
        let observer = try LogbookStore(path: path, mode: .readOnly)
        var committed: Int64 = 0
        let deadline = Date(timeIntervalSinceNow: 60)
        while committed < 3000 && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
            committed = try observer.read { try $0.scalarInt("SELECT count(*) FROM iterations") } ?? 0
        }
        XCTAssertTrue(process.isRunning, "the child stopped by itself")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertGreaterThanOrEqual(committed, 3000)

        let store = try LogbookStore(path: path)
        try store.read { connection in
            XCTAssertEqual(try connection.scalarText("PRAGMA integrity_check"), "ok")
            let count = try connection.scalarInt("SELECT count(*) FROM iterations") ?? 0
            XCTAssertGreaterThanOrEqual(count, committed, "a committed row was lost")
            // No gaps: steps 1…count, each with its loss.
            XCTAssertEqual(try connection.scalarInt("SELECT max(step) FROM iterations"), count)
            XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM iterations WHERE loss != step"), 0)
        }
        let run = try XCTUnwrap(store.runs().first)
        XCTAssertEqual(run.status, .running, "not yet stale")
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(try store.markStaleRunsInterrupted(olderThan: 0.4), [run.id])
        XCTAssertEqual(try store.run(id: run.id).status, .interrupted)
    }
}
