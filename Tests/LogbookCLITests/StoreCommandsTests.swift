import Engine
import Foundation
@testable import Store
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `rerun`, `weights export` and `--init run:ID`/`file:PATH`, through the built executable.
final class StoreCommandsTests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-store-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func logbook(_ arguments: [String]) throws -> LogbookProcess.Output {
        let output = try LogbookProcess.run(arguments + ["--db", database])
        XCTAssertEqual(output.status, 0, "logbook \(arguments.joined(separator: " ")): \(output.standardError)")
        return output
    }

    func testRerunIsBitIdenticalAndWeightsExportRoundTrips() throws {
        _ = try logbook([
            "train", "--quiet", "--data", "wine", "--layers", "13-16-3", "--batch-norm", "--dropout", "0.1",
            "--optimizer", "adam", "--lr", "0.01", "--schedule", "cosine", "--epochs", "5", "--batch-size", "16",
            "--seed", "11",
        ])
        let rerun = try logbook(["rerun", "1", "--quiet"])
        XCTAssertTrue(rerun.standardOutput.contains("run 2 re-ran run 1: identical: 45/45 steps"), rerun.standardOutput)

        let exported = directory.appendingPathComponent("model.safetensors").path
        _ = try logbook(["weights", "export", "1", "--out", exported])
        let tensors = try Safetensors.read(path: exported)
        // PyTorch nn.Sequential names: 0 dense, 1 batch norm, 2 ReLU, 3 dropout, 4 dense; then the feature scaler.
        XCTAssertEqual(tensors.map(\.name), [
            "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.1.running_mean",
            "layers.1.running_var", "layers.4.weight", "layers.4.bias", "scaler.offset", "scaler.scale",
        ])
        XCTAssertEqual(tensors.first { $0.name == "scaler.offset" }?.shape, [13])
        XCTAssertEqual(tensors.first { $0.name == "layers.0.weight" }?.shape, [16, 13])
        XCTAssertEqual(tensors.first { $0.name == "layers.1.running_var" }?.role, .buffer)

        // Pretrained initialization, from the stored run and from the exported file, starts from the same weights.
        let fromRun = try logbook(["train", "--quiet", "--data", "wine", "--layers", "13-16-3", "--batch-norm", "--dropout", "0.1", "--init", "run:1", "--epochs", "1"])
        let fromFile = try logbook(["train", "--quiet", "--data", "wine", "--layers", "13-16-3", "--batch-norm", "--dropout", "0.1", "--init", "file:\(exported)", "--epochs", "1"])
        XCTAssertTrue(fromRun.standardOutput.hasPrefix("run 3:"), fromRun.standardOutput)
        XCTAssertTrue(fromFile.standardOutput.hasPrefix("run 4:"), fromFile.standardOutput)
        let first = try logbook(["sql", "SELECT loss FROM iterations WHERE run_id = 3 AND step = 1", "--format", "csv"])
        let second = try logbook(["sql", "SELECT loss FROM iterations WHERE run_id = 4 AND step = 1", "--format", "csv"])
        XCTAssertEqual(first.standardOutput, second.standardOutput)
        let parent = try logbook(["sql", "SELECT parent_run_id FROM runs WHERE id = 3", "--format", "csv"])
        XCTAssertEqual(parent.standardOutput.split(separator: "\n").last, "1")
    }

    func testUnknownRunAndMismatchedPretrainedWeightsAreOneLineErrors() throws {
        _ = try logbook(["train", "--quiet", "--data", "iris", "--layers", "4-8-3", "--epochs", "1"])
        let directoryOut = try LogbookProcess.run(["weights", "export", "1", "--out", directory.path, "--db", database])
        XCTAssertNotEqual(directoryOut.status, 0)
        XCTAssertEqual(
            directoryOut.standardError,
            "error: cannot write \(directory.path): it is a directory (give a file name, e.g. \(directory.path)/model.safetensors)\n")
        for arguments in [["rerun", "99"], ["weights", "export", "99", "--out", directory.appendingPathComponent("x.safetensors").path]] {
            let output = try LogbookProcess.run(arguments + ["--db", database])
            XCTAssertNotEqual(output.status, 0)
            XCTAssertEqual(output.standardError.split(separator: "\n").count, 1, output.standardError)
            XCTAssertTrue(output.standardError.contains("99"), output.standardError)
        }
        // A failed export leaves nothing at --out (it is written beside it and renamed when complete), nor beside it.
        let table = directory.appendingPathComponent("iterations.csv").path
        let failedExport = try LogbookProcess.run(
            ["export", "--sweep", "99", "--what", "iterations", "--format", "csv", "--out", table, "--db", database])
        XCTAssertNotEqual(failedExport.status, 0)
        XCTAssertTrue(failedExport.standardError.contains("99"), failedExport.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: table))
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("iterations.csv") }, [])
        let mismatch = try LogbookProcess.run(["train", "--data", "iris", "--layers", "4-9-3", "--init", "run:1", "--db", database])
        XCTAssertNotEqual(mismatch.status, 0)
        XCTAssertTrue(mismatch.standardError.contains("has shape [8, 4], the model needs [9, 4]"), mismatch.standardError)
        let count = try logbook(["sql", "SELECT count(*) FROM runs", "--format", "csv"])
        XCTAssertEqual(count.standardOutput.split(separator: "\n").last, "1", "a rejected run must not be recorded")
    }
}

/// A `logbook train` killed with SIGKILL leaves a `running` row; once its heartbeat is stale the run shows as
/// `interrupted` (stop reason `heartbeat_lost`), and the next writer records it so.
final class KilledRunTests: XCTestCase {
    func testAKilledTrainingRunShowsAsInterruptedOnceItsHeartbeatIsStale() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-killed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("runs.sqlite").path
        let process = Process()
        process.executableURL = LogbookProcess.executable
        process.arguments = [
            "train", "--db", database, "--quiet", "--data", "digits", "--layers", "64-512-512-10", "--batch-size", "8",
            "--epochs", "1000",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until iterations are committed, then kill the process mid-run.
        let deadline = Date().addingTimeInterval(60)
        var committed = 0
        while committed == 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            let output = try? LogbookProcess.run(["sql", "--db", database, "--format", "csv", "SELECT count(*) FROM iterations"])
            committed = Int(output?.standardOutput.split(separator: "\n").last ?? "") ?? 0
        }
        XCTAssertGreaterThan(committed, 0, "the run never committed an iteration")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        func status() throws -> String {
            let output = try LogbookProcess.run(["runs", "--db", database, "--format", "csv", "--columns", "status,stop_reason"])
            XCTAssertEqual(output.status, 0, output.standardError)
            return String(output.standardOutput.split(separator: "\n").last ?? "")
        }
        XCTAssertEqual(try status(), "running,", "a fresh heartbeat: still running")
        // Let the heartbeat age by a minute (what waiting would do), without opening the store read-write.
        let connection = try SQLiteConnection(path: database, mode: .readWrite)
        try connection.execute("UPDATE runs SET heartbeat_at = heartbeat_at - 60")
        XCTAssertEqual(try status(), "interrupted,heartbeat_lost", "shown as interrupted by the run_summary view")
        // The next read-write open records it; the committed rows are all there and the file is sound.
        XCTAssertEqual(try LogbookProcess.run(["db", "migrate", "--db", database]).status, 0)
        let stored = try LogbookProcess.run([
            "sql", "--db", database, "--format", "csv",
            "SELECT status || ' ' || stop_reason || ' ' || (SELECT count(*) >= \(committed) FROM iterations) FROM runs",
        ])
        XCTAssertEqual(stored.standardOutput.split(separator: "\n").last, "interrupted heartbeat_lost 1")
        let integrity = try LogbookProcess.run(["sql", "--db", database, "--format", "csv", "PRAGMA integrity_check"])
        XCTAssertEqual(integrity.standardOutput.split(separator: "\n").last, "ok")
    }
}

/// A write that the file system refuses mid-run (here a file-size limit, as a full disk would): one line, a
/// non-zero exit, the run marked failed, and every run recorded before intact.
final class WriteFailureTests: XCTestCase {
    func testAWriteFailureKeepsEverythingRecordedBefore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("runs.sqlite").path
        let first = try LogbookProcess.run(["train", "--db", database, "--data", "iris", "--epochs", "5", "--quiet"])
        XCTAssertEqual(first.status, 0, first.standardError)

        // 64-4096-10 has 1 MB of weights; the process may not grow any file past 600 kB (SIGXFSZ ignored, so the
        // write fails with EFBIG instead of killing the process).
        let limited = Process()
        limited.executableURL = URL(fileURLWithPath: "/bin/sh")
        limited.arguments = [
            "-c", "trap '' XFSZ; ulimit -f 1200; exec \"$0\" \"$@\"", LogbookProcess.executable.path,
            "train", "--db", database, "--data", "digits", "--layers", "64-4096-10", "--epochs", "2", "--quiet",
        ]
        let errorPipe = Pipe()
        limited.standardOutput = FileHandle.nullDevice
        limited.standardError = errorPipe
        limited.environment = ["SWIFT_BACKTRACE": "enable=no", "PATH": "/usr/bin:/bin"]
        try limited.run()
        let errors = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        limited.waitUntilExit()
        XCTAssertNotEqual(limited.terminationStatus, 0)
        XCTAssertEqual(errors.split(separator: "\n").count, 1, errors)
        XCTAssertTrue(errors.hasPrefix("error: ") && errors.contains(database), errors)

        let store = try LogbookStore(path: database, mode: .readOnly)
        XCTAssertEqual(try store.run(id: 1).status, .completed)
        XCTAssertEqual(try store.lossCurve(run: 1).count, 5 * 4, "iris: 120 samples at batch 32, 4 steps × 5 epochs")
        XCTAssertEqual(try store.finalWeights(run: 1).count, 4)
        XCTAssertEqual(try store.run(id: 2).status, .failed)
        XCTAssertEqual(try store.read { try $0.scalarText("PRAGMA integrity_check") }, "ok")
    }
}

/// The whole path a user takes: a real sweep trained and recorded by worker processes, then the report of it.
final class RecordedSweepReportTests: XCTestCase {
    func testReportOfASweepTrainedThroughTheEngine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-sweep-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("runs.sqlite").path
        let sweep = try LogbookProcess.run([
            "sweep", "run", "--db", database, "--data", "iris", "--layers", "4-8-3", "--batch-size", "8,32",
            "--lr", "0.05,0.3", "--init", "zeros,he-uniform", "--epochs", "6", "--seeds", "2", "--workers", "2", "--quiet",
        ])
        XCTAssertEqual(sweep.status, 0, sweep.standardError)
        XCTAssertTrue(sweep.standardOutput.contains("16/16 done (16 completed)"), sweep.standardOutput)

        let report = directory.appendingPathComponent("report.html").path
        let written = try LogbookProcess.run(["report", "--db", database, "--sweep", "1", "--out", report])
        XCTAssertEqual(written.status, 0, written.standardError)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        final class Elements: NSObject, XMLParserDelegate {
            var names: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                names.append(name)
            }
        }
        let parser = XMLParser(data: Data(html.utf8))
        let elements = Elements()
        parser.delegate = elements
        XCTAssertTrue(parser.parse(), "well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(elements.names.filter { $0 == "section" }.count, 6)
        XCTAssertGreaterThanOrEqual(elements.names.filter { $0 == "svg" }.count, 6)
        XCTAssertFalse(elements.names.contains("script"))
        // The initializer section judges the recorded zeros trials against chance (3 classes) and their loss.
        XCTAssertTrue(html.contains("Zero initialization did not learn"), "the verdict on the zeros trials")
    }
}
