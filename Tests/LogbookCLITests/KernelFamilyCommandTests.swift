import Foundation
import XCTest

/// The `logbook` process selects OpenBLAS's Haswell kernels unless its environment names a family: trained without
/// the variable, a run's every loss equals, to the bit, the same run trained with `OPENBLAS_CORETYPE=Haswell` —
/// what a host of another CPU (a Zen 3, whose own choice is Haswell) computes. On this kind of machine OpenBLAS's
/// own choice would be its AVX-512 kernels, whose sums differ in the last bits.
final class KernelFamilyCommandTests: XCTestCase {
    func testARunOnThisHostEqualsTheSameRunOnTheHaswellKernels() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-kernels-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func losses(coreType: String?) throws -> String {
            let path = directory.appendingPathComponent("\(coreType ?? "default").sqlite").path
            try run(["train", "--data", "digits", "--layers", "64-256-128-10", "--lr", "0.05", "--batch-size", "64",
                     "--epochs", "3", "--seed", "1", "--db", path, "--quiet"], coreType: coreType)
            return try run(["sql", "--db", path, "--format", "csv",
                            "SELECT loss FROM iteration_log ORDER BY step"], coreType: coreType)
        }
        let chosen = try losses(coreType: nil)
        XCTAssertEqual(chosen.split(separator: "\n").count, 1 + 3 * 23, chosen)  // header + ⌈1,437 / 64⌉ steps × 3
        XCTAssertEqual(chosen, try losses(coreType: "Haswell"))
        let bench = try run(["bench", "engine", "--only", "digits-mlp", "--repeat", "1", "--no-recording"], coreType: nil)
        XCTAssertTrue(bench.contains("\"blas_kernels\": \"Haswell\""), bench)
        let named = try run(["bench", "engine", "--only", "digits-mlp", "--repeat", "1", "--no-recording"], coreType: "Zen")
        XCTAssertTrue(named.contains("\"blas_kernels\": \"Zen\""), "a family the environment names is kept: \(named)")
    }

    /// Runs `logbook` with OPENBLAS_CORETYPE set to `coreType`, or removed from the environment; its output.
    @discardableResult
    private func run(_ arguments: [String], coreType: String?) throws -> String {
        let output = try LogbookProcess.run(
            arguments, environment: coreType.map { ["OPENBLAS_CORETYPE": $0] } ?? [:],
            removing: coreType == nil ? ["OPENBLAS_CORETYPE"] : [])
        XCTAssertEqual(output.status, 0, arguments.joined(separator: " ") + ": " + output.standardError)
        return output.standardOutput
    }
}
