import Engine
import Foundation
@testable import Store
import XCTest

@testable import Sweep

/// Temporary databases, tiny sweeps and the built `logbook` binary, shared by the sweep tests.
enum SweepTestSupport {
    /// A fresh directory under the system temporary directory, removed by the caller's `addTeardownBlock`.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("logbook-sweep-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    /// A grid over xor (tiny, synthetic): `batchSizes.count × learningRates.count` trials of `epochs` epochs.
    static func tinyPlan(
        data: String = "xor", samples: Int = 200, layers: String = "0-8-0", batchSizes: [Int] = [16, 32],
        learningRates: [Double] = [0.05, 0.1], epochs: Int = 2, seeds: Int = 1
    ) throws -> SweepPlan {
        let spec = SweepSpec(
            name: "test",
            parameters: [
                .init(name: "data", domain: .fixed(.string(data))),
                .init(name: "synthetic_samples", domain: .fixed(.int(samples))),
                .init(name: "layers", domain: .fixed(.string(layers))),
                .init(name: "epochs", domain: .fixed(.int(epochs))),
                .init(name: "batch_size", domain: .values(batchSizes.map { .int($0) })),
                .init(name: "learning_rate", domain: .values(learningRates.map { .double($0) })),
            ], seeds: seeds)
        return try SweepPlan(spec: spec)
    }

    static func createSweep(_ plan: SweepPlan, in store: any TrialQueue) throws -> Int64 {
        try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
    }

    /// The `logbook` executable built next to this test bundle (same scratch directory).
    static func logbookBinary() throws -> String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = testBinary.deletingLastPathComponent().appendingPathComponent("logbook").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw SweepError("the logbook executable is not built at \(candidate) (run `swift build` first)")
        }
        return candidate
    }

    /// Runs the binary to completion; returns (exit status, stdout, stderr).
    @discardableResult
    static func runLogbook(_ arguments: [String]) throws -> (Int32, String, String) {
        let process = try startLogbook(arguments)
        let output = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        let errors = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    /// Waits for each `logbook worker` process, asserts it exited 0, and reads its closing JSON line: the run ids
    /// each worker claimed, by worker id.
    static func claimsByWorker(_ workers: [Process], file: StaticString = #filePath, line: UInt = #line) throws -> [String: [Int64]] {
        var claimedBy: [String: [Int64]] = [:]
        for process in workers {
            let output = String(decoding: (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, errors, file: file, line: line)
            let summaryLine = try XCTUnwrap(output.split(separator: "\n").last { $0.hasPrefix("{") }, output, file: file, line: line)
            let summary = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(summaryLine.utf8)) as? [String: Any], file: file, line: line)
            let worker = try XCTUnwrap(summary["worker"] as? String, file: file, line: line)
            claimedBy[worker] = try XCTUnwrap(summary["claimed"] as? [Int], file: file, line: line).map(Int64.init)
        }
        return claimedBy
    }

    static func startLogbook(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try logbookBinary())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
    }

    /// One integer from SQL.
    static func count(_ store: LogbookStore, _ sql: String) throws -> Int {
        try store.read { Int(try $0.scalarInt(sql) ?? -1) }
    }
}
