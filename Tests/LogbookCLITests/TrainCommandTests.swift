import ArgumentParser
import Engine
import Foundation
import XCTest

@testable import LogbookCLI

/// Runs the built `logbook` executable (it sits beside the test bundle) and captures its output.
enum LogbookProcess {
    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static var executable: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("logbook").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("logbook")
    }

    /// `environment` is added to this process's; the variables in `removing` are left out.
    static func run(_ arguments: [String], environment: [String: String] = [:], removing: [String] = []) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["SWIFT_BACKTRACE"] = "enable=no"
        merged.merge(environment) { $1 }
        for name in removing { merged[name] = nil }
        process.environment = merged
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }
}

final class TrainCommandTests: XCTestCase {
    /// Compares `text` with the committed snapshot `Fixtures/NAME`; `LOGBOOK_UPDATE_SNAPSHOTS=1` rewrites it.
    static func assertSnapshot(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        if ProcessInfo.processInfo.environment["LOGBOOK_UPDATE_SNAPSHOTS"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(text, try String(contentsOf: url, encoding: .utf8), "snapshot \(name)", file: file, line: line)
    }

    /// The help text is part of the interface: any change to an option, default or wording shows up here.
    func testTrainHelpMatchesSnapshot() throws {
        try Self.assertSnapshot(Logbook.helpMessage(for: Train.self, columns: 100) + "\n", named: "help-train.txt")
        try Self.assertSnapshot(Logbook.helpMessage(for: Gradcheck.self, columns: 100) + "\n", named: "help-gradcheck.txt")
        try Self.assertSnapshot(Logbook.helpMessage(for: BenchEngine.self, columns: 100) + "\n", named: "help-bench-engine.txt")
    }

    /// Every command's help, in one snapshot: options, defaults and wording are part of the interface.
    func testEveryCommandsHelpMatchesSnapshot() throws {
        var text = ""
        func visit(_ command: ParsableCommand.Type, path: [String]) {
            text += "=== logbook \(path.joined(separator: " "))\n"
            text += Logbook.helpMessage(for: command, columns: 100) + "\n"
            for subcommand in command.configuration.subcommands {
                visit(subcommand, path: path + [subcommand._commandName])
            }
        }
        visit(Logbook.self, path: [])
        try Self.assertSnapshot(text, named: "help-all.txt")
    }

    func testRootHelpListsEveryCommand() throws {
        let help = Logbook.helpMessage(columns: 100)
        for command in ["train", "gradcheck", "bench", "db", "runs", "show", "compare", "best", "metrics", "sql", "export", "sweep", "sweeps", "worker", "rerun", "weights"] {
            XCTAssertTrue(help.contains("  \(command) "), "logbook --help does not list \(command)")
        }
    }

    /// Bad input: one line on standard error naming the field and the value, a non-zero exit, nothing written.
    func testBadInputGivesOneLineErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ragged = directory.appendingPathComponent("ragged.csv")
        try "a,b,label\n1,2,0\n3,4\n".write(to: ragged, atomically: true, encoding: .utf8)
        let wordy = directory.appendingPathComponent("wordy.csv")
        try "a,b,label\n1,2,0\n3,x,1\n".write(to: wordy, atomically: true, encoding: .utf8)
        let foreign = directory.appendingPathComponent("foreign-images")
        try Data([0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1]).write(to: foreign)
        let truncated = directory.appendingPathComponent("truncated-images")
        try Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3]).write(to: truncated)
        let database = directory.appendingPathComponent("runs.sqlite").path
        let cases: [([String], String)] = [
            (["--init", "glorot-sideways"], "unknown initializer 'glorot-sideways' (valid: zeros, constant:V,"),
            (["--init", "he-unifrom"], "unknown initializer 'he-unifrom' (did you mean 'he-uniform'?)"),
            (["--activation", "swish"], "unknown activation 'swish' (valid: relu, leaky-relu, sigmoid, tanh, gelu)"),
            (["--data", "cifar"], "unknown data 'cifar' (valid: digits, iris, wine, breast-cancer,"),
            (["--batch-size", "0"], "invalid batch_size 0"),
            (["--batch-size", "100000"], "invalid batch_size 100000: larger than the training split of 'digits' (1438 samples)"),
            (["--lr", "0"], "invalid learning_rate 0.0"),
            (["--lr", "inf"], "invalid learning_rate inf"),
            (["--layers", "10-32-10"], "invalid layers '10-32-10': the input layer has 10 units but digits has 64 features"),
            (["--layers", "64-32-3"], "invalid layers '64-32-3': the output layer has 3 units but digits has 10 classes"),
            (["--data", "csv:\(ragged.path)"], "ragged.csv: line 3 has 2 columns, expected 3"),
            (["--data", "csv:\(wordy.path)"], "wordy.csv: line 3, column 2 ('x'): not a number"),
            (["--data", "idx:\(foreign.path),\(foreign.path)"], "foreign-images: not an IDX file (magic 0x12345678)"),
            (["--data", "idx:\(truncated.path),\(truncated.path)"], "truncated-images: truncated"),
        ]
        for (arguments, expected) in cases {
            let output = try LogbookProcess.run(["train", "--db", database, "--quiet"] + arguments)
            XCTAssertNotEqual(output.status, 0, "\(arguments)")
            let lines = output.standardError.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(arguments): \(output.standardError)")
            XCTAssertTrue(output.standardError.hasPrefix("error: "), output.standardError)
            XCTAssertTrue(output.standardError.contains(expected), "\(arguments): \(output.standardError)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "a rejected run must write nothing")
    }

    func testTrainRecordsARunAndPrintsTheTestEvaluation() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("runs.sqlite").path
        let output = try LogbookProcess.run([
            "train", "--db", database, "--data", "iris", "--layers", "4-16-3", "--optimizer", "adam", "--lr", "0.01",
            "--epochs", "40", "--batch-size", "16",
        ])
        XCTAssertEqual(output.status, 0, output.standardError)
        XCTAssertTrue(output.standardOutput.contains("epoch 40/40"), output.standardOutput)
        XCTAssertTrue(output.standardOutput.contains("test (30 samples)"), output.standardOutput)
        XCTAssertTrue(output.standardOutput.contains("run 1: max_epochs, test accuracy"), output.standardOutput)
        XCTAssertTrue(FileManager.default.fileExists(atPath: database))
    }

    /// A PyTorch `nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))` state dict into a model with batch norm:
    /// training starts, and stderr says in one line that batch norm starts fresh.
    func testTrainFromAStateDictWithoutBatchNormSaysBatchNormStartsFresh() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("torch.safetensors").path
        let shapes = [("0.weight", [8, 4]), ("0.bias", [8]), ("2.weight", [3, 8]), ("2.bias", [3])]
        try Safetensors.write(
            shapes.map { NamedTensor(name: $0.0, role: .parameter, shape: $0.1, values: [Float](repeating: 0.1, count: $0.1.reduce(1, *))) },
            to: path)
        let output = try LogbookProcess.run([
            "train", "--no-record", "--quiet", "--data", "iris", "--layers", "4-8-3", "--batch-norm", "--init", "file:\(path)",
            "--epochs", "1",
        ])
        XCTAssertEqual(output.status, 0, output.standardError)
        XCTAssertEqual(
            output.standardError,
            "initializer file:\(path): the file has no batch-norm tensors; batch norm starts at γ = 1, β = 0 with fresh running statistics\n")
        XCTAssertTrue(output.standardOutput.contains("run (not recorded): max_epochs"), output.standardOutput)
    }
}

final class BenchEngineCommandTests: XCTestCase {
    /// Without the MNIST files the bench says so plainly (and still measures digits-mlp, with the peer's fields).
    func testMissingMNISTIsReportedAndDigitsIsMeasured() throws {
        let output = try LogbookProcess.run([
            "bench", "engine", "--mnist", "/nonexistent/mnist", "--repeat", "1", "--no-recording",
        ])
        XCTAssertEqual(output.status, 0, output.standardError)
        let lines = output.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, output.standardOutput)
        let skipped = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(skipped["workload"] as? String, "mnist-mlp")
        XCTAssertEqual(skipped["skipped"] as? Bool, true)
        XCTAssertEqual(skipped["reason"] as? String, "MNIST files not found in /nonexistent/mnist (pass --mnist DIR)")
        let digits = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        XCTAssertEqual(digits["workload"] as? String, "digits-mlp")
        XCTAssertEqual(digits["batch"] as? Int, 32)
        XCTAssertEqual(digits["threads"] as? Int, 1)
        XCTAssertEqual(digits["steps"] as? Int, 57 * 20, "⌈1797/32⌉ = 57 steps per epoch, 20 epochs")
        XCTAssertGreaterThan(try XCTUnwrap(digits["samples_per_s"] as? Double), 0)
        XCTAssertLessThan(try XCTUnwrap(digits["final_loss"] as? Double), 0.5, "the recipe trains")
    }
}

extension BenchEngineCommandTests {
    /// With MNIST-shaped IDX files present the mnist-mlp workload trains on them (200 samples of 28×28, batch 16:
    /// ⌈200/16⌉ = 13 steps), recording included — the configuration it records names the `mnist:DIR` source.
    func testMNISTWorkloadRunsOnMNISTShapedFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-mnist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let count = 200
        let pixels: [Double] = (0 ..< count * 784).map { (index: Int) -> Double in
            let value: Int = (index * 37 + (index / 784) * 11) % 256
            return Double(value)
        }
        let labels = (0 ..< count).map { Double($0 % 10) }
        try Data(IDXLoader.encode(shape: [count, 28, 28], values: pixels, type: .uint8))
            .write(to: directory.appendingPathComponent("train-images-idx3-ubyte"))
        try Data(IDXLoader.encode(shape: [count], values: labels, type: .uint8))
            .write(to: directory.appendingPathComponent("train-labels-idx1-ubyte"))
        let output = try LogbookProcess.run([
            "bench", "engine", "--mnist", directory.path, "--batches", "16", "--repeat", "1", "--only", "mnist-mlp",
        ])
        XCTAssertEqual(output.status, 0, output.standardError)
        let lines = output.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1, output.standardOutput)
        let first = try XCTUnwrap(lines.first, output.standardError)
        let line = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        XCTAssertEqual(line["workload"] as? String, "mnist-mlp")
        XCTAssertEqual(line["batch"] as? Int, 16)
        XCTAssertEqual(line["steps"] as? Int, 13)
        XCTAssertTrue(try XCTUnwrap(line["final_loss"] as? Double).isFinite)
        XCTAssertNotNil(line["recording_overhead_percent"] as? Double, "the recorded run was measured too")
    }
}

/// `label_smoothing` reaches `train` and `sweep run --set` through the parameter registry alone.
final class LabelSmoothingCommandTests: XCTestCase {
    func testTrainFlagAndSweepSetRecordTheSmoothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("runs.sqlite").path
        let common = ["--db", database, "--data", "iris", "--layers", "4-8-3", "--epochs", "2", "--quiet"]
        let trained = try LogbookProcess.run(["train", "--label-smoothing", "0.2"] + common)
        XCTAssertEqual(trained.status, 0, trained.standardError)
        let swept = try LogbookProcess.run(["sweep", "run", "--set", "label_smoothing=0,0.1"] + common)
        XCTAssertEqual(swept.status, 0, swept.standardError)
        let runs = try LogbookProcess.run(["runs", "--db", database, "--columns", "run_id,label_smoothing", "--format", "csv"])
        XCTAssertEqual(runs.status, 0, runs.standardError)
        XCTAssertEqual(Set(runs.standardOutput.split(separator: "\n").dropFirst()), ["1,0.2", "2,0", "3,0.1"])

        let refused = try LogbookProcess.run(["train", "--label-smoothing", "0.1", "--loss", "mse"] + common)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertEqual(
            refused.standardError,
            "error: invalid label_smoothing 0.1: applies to the cross-entropy loss only (the loss is mse)\n")
        let outOfRange = try LogbookProcess.run(["sweep", "run", "--set", "label_smoothing=0,1"] + common)
        XCTAssertNotEqual(outOfRange.status, 0)
        XCTAssertTrue(
            outOfRange.standardError.contains("invalid label_smoothing 1: must be in [0, 1)"), outOfRange.standardError)
    }
}
