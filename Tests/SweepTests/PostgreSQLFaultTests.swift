import Foundation
import StoreTesting
import XCTest

@testable import Store

/// Faults of a shared PostgreSQL server: a restart in the middle of a sweep loses no committed row, and the sweep
/// completes with exactly the planned trials (workers reconnect with backoff and keep the batches they hold).
final class PostgreSQLFaultTests: XCTestCase {
    /// The test cluster's folder (`scripts/postgres-test-cluster.sh run` sets it), to restart the server.
    static func clusterDirectory() throws -> String {
        guard let directory = ProcessInfo.processInfo.environment["LOGBOOK_TEST_POSTGRES_CLUSTER"], !directory.isEmpty else {
            throw StoreError(
                "LOGBOOK_TEST_POSTGRES_CLUSTER is not set: the restart test needs the throwaway cluster of `make test` (scripts/postgres-test-cluster.sh run swift test)")
        }
        return directory
    }

    static func restartServer() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/postgres-test-cluster.sh").path
        // posix_spawn + waitpid: Foundation's Process may miss the exit of a child whose grandchild (the daemonized
        // postmaster) lives on.
        let arguments = ["/bin/bash", script, "restart", try clusterDirectory()]
        var pid: pid_t = 0
        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/bash", nil, nil, cArguments, environ) == 0 else {
            throw StoreError("cannot run \(script)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else { throw StoreError("restarting the test PostgreSQL server failed (status \(status))") }
    }

    func testARestartMidSweepLosesNoCommittedRowAndTheSweepCompletes() throws {
        _ = try Self.clusterDirectory()
        let location = try TestStoreLocation(.postgreSQL)
        let store = try location.open()
        let epochs = 6
        let parent = try SweepTestSupport.startLogbook([
            "sweep", "run", "--db", location.location, "--data", "digits", "--layers", "64-32-10", "--epochs", "\(epochs)",
            "--batch-size", "16,32", "--lr", "0.05,0.1", "--init", "zeros,he-uniform", "--workers", "2", "--quiet",
        ])
        XCTAssertTrue(PostgreSQLWorkerProcessTests.waitUntilMidSweep(location, completed: 1), "sweep did not get going")
        let before = try PostgreSQLWorkerProcessTests.rowCounts(location, status: nil)
        XCTAssertTrue(before.values.contains { $0.iterations > 0 })
        try Self.restartServer()
        let output = String(decoding: (parent.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: (parent.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        parent.waitUntilExit()
        XCTAssertEqual(parent.terminationStatus, 0, output + errors)

        let sweep = try XCTUnwrap(try store.sweeps().first)
        XCTAssertEqual(sweep.statusCounts, [.completed: 8], output + errors)
        XCTAssertEqual(
            try location.integer(
                "SELECT count(DISTINCT trial_index) FROM runs WHERE sweep_id = ? AND status = 'completed'", [.integer(sweep.id)]), 8)
        let after = try PostgreSQLWorkerProcessTests.rowCounts(location, status: nil)
        for (runID, counts) in before {
            let now = try XCTUnwrap(after[runID])
            XCTAssertGreaterThanOrEqual(now.iterations, counts.iterations, "run \(runID) lost committed iterations")
            XCTAssertGreaterThanOrEqual(now.epochs, counts.epochs, "run \(runID) lost committed epochs")
        }
        for run in try store.runs(sweepID: sweep.id, status: .completed) {
            let counts = try XCTUnwrap(after[run.id])
            XCTAssertEqual(counts.epochs, epochs, "run \(run.id): one row per epoch")
            XCTAssertEqual(counts.iterations, (run.stepsPerEpoch ?? 0) * epochs, "run \(run.id): one row per step")
            XCTAssertEqual(counts.evaluations, 1, "run \(run.id): one test evaluation")
        }
    }
}
