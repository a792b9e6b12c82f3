import Foundation

/// The temporary folder of a benchmark's databases and files.
enum BenchDirectory {
    /// Runs `body` with a fresh folder `logbook-bench-NAME-PID` under `parent`, removed again afterwards.
    static func withTemporary<T>(_ name: String, in parent: String, _ body: (URL) throws -> T) throws -> T {
        let directory = URL(fileURLWithPath: parent)
            .appendingPathComponent("logbook-bench-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }
}
