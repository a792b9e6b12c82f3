import Foundation
import XCTest

/// An `mlflow server` on a free loopback port (SQLite backend and artifacts in a temporary folder), run by
/// `Readers/mlflow_server.py`, which stops the server's whole process group when its standard input closes — when
/// `stop()` closes it, or when this process dies. Every wait is bounded.
final class MLflowServer {
    let process = Process()
    let input = Pipe()
    let port: Int
    let directory: String

    var trackingURI: String { "http://127.0.0.1:\(port)" }

    init(directory: String, startTimeout: Double = 150) throws {
        self.directory = directory
        process.executableURL = URL(fileURLWithPath: try PythonReaders.requirePython())
        process.arguments = [PythonReaders.scripts.appendingPathComponent("mlflow_server.py").path, directory]
        process.environment = PythonReaders.environment
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is the port, printed once the server answers /health.
        nonisolated(unsafe) var line = ""
        let ready = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var bytes: [UInt8] = []
            while true {
                let data = output.fileHandleForReading.readData(ofLength: 1)
                guard let byte = data.first, byte != 10 else { break }
                bytes.append(byte)
            }
            line = String(decoding: bytes, as: UTF8.self)
            ready.signal()
        }
        let answered = ready.wait(timeout: .now() + startTimeout) == .success
        guard answered, let port = Int(line) else {
            process.terminate()
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw ReaderError("mlflow server did not start within \(Int(startTimeout)) s: \(line) \(log.suffix(2000))")
        }
        self.port = port
    }

    /// Closes the wrapper's input (it then stops the server group) and waits for it, at most `timeout` seconds.
    func stop(timeout: Double = 40) {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
