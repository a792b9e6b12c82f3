import Foundation
import XCTest

@testable import Engine

/// One OpenBLAS kernel family on every host (`BLAS+KernelFamily.swift`): the rule, and this process's selection.
final class KernelFamilyTests: XCTestCase {
    func testTheRuleKeepsAFamilyTheEnvironmentNames() {
        XCTAssertEqual(BLAS.kernelFamilyToSelect(environment: [:], cpuHasAVX2: true), "Haswell")
        XCTAssertEqual(BLAS.kernelFamilyToSelect(environment: ["OPENBLAS_CORETYPE": ""], cpuHasAVX2: true), "Haswell")
        XCTAssertNil(BLAS.kernelFamilyToSelect(environment: ["OPENBLAS_CORETYPE": "Zen"], cpuHasAVX2: true))
        XCTAssertNil(BLAS.kernelFamilyToSelect(environment: [:], cpuHasAVX2: false))
    }

    /// This test process runs the Haswell kernels — or the family its environment names — and leaves
    /// OPENBLAS_CORETYPE as it found it.
    func testThisProcessRunsThePortableFamily() {
        let named = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
        let family = BLAS.kernelFamily
        if let named, !named.isEmpty {
            XCTAssertEqual(family.lowercased(), named.lowercased())
        } else {
            XCTAssertEqual(family, SparseBatch.isAvailable ? "Haswell" : family)
            XCTAssertNil(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
        }
    }
}
