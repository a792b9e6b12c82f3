import Foundation
import XCTest

/// The tools' own readers (TensorBoard, MLflow, ONNX Runtime) in the virtual environment `.venv-readers/` that
/// `scripts/python-readers.sh` makes (`make test` calls it). A test that needs them fails — never skips — when the
/// environment is missing.
enum PythonReaders {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let python = packageRoot.appendingPathComponent(".venv-readers/bin/python").path
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Readers")

    /// The readers' environment: no warnings on standard error, and no telemetry (MLflow reports usage to the
    /// network by default; these tests speak to loopback only).
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONWARNINGS"] = "ignore"
        environment["TF_CPP_MIN_LOG_LEVEL"] = "3"
        environment["MLFLOW_DISABLE_TELEMETRY"] = "true"
        environment["DO_NOT_TRACK"] = "true"
        return environment
    }

    /// Fails the test (and throws) when the environment is missing.
    static func requirePython(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            let message = "the Python readers are missing: \(python) does not exist; run scripts/python-readers.sh (make test does)"
            XCTFail(message, file: file, line: line)
            throw ReaderError(message)
        }
        return python
    }

    /// Runs `Readers/<script>` with `arguments` and returns its standard output; throws with its standard error
    /// when it exits non-zero or runs past `timeout` seconds.
    static func run(_ script: String, _ arguments: [String], timeout: Double = 120) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try requirePython())
        process.arguments = [scripts.appendingPathComponent(script).path] + arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes while the process runs, so that a full pipe never blocks it.
        nonisolated(unsafe) var outputData = Data()
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outputData = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw ReaderError("\(script) ran past \(timeout) s")
        }
        group.wait()
        guard process.terminationStatus == 0 else {
            throw ReaderError("\(script) exited \(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self))")
        }
        return outputData
    }

    static func json(_ script: String, _ arguments: [String], timeout: Double = 120) throws -> [String: Any] {
        let data = try run(script, arguments, timeout: timeout)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReaderError("\(script) did not print a JSON object: \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        return object
    }
}

struct ReaderError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
