import XCTest

@testable import Engine

/// A dense layer's sparse-input products (`SparseBatch`): by hand, and against the GEMM path on a mostly-zero batch.
final class SparseInputTests: XCTestCase {
    func testThisMachineRunsTheSparseKernels() {
        // The benchmarks' machines are x86-64 with AVX2 + FMA; elsewhere the dense path is taken and the
        // comparisons below would compare the GEMM with itself.
        XCTAssertTrue(SparseBatch.isAvailable)
    }

    /// 3 samples of 5 features, 2 non-zeros each (density 0.4 > 0.3 would be refused, so 4 of 15 here: 0.27).
    func testSparseForwardAndBackwardByHand() {
        let dense = Dense(inputWidth: 5, outputWidth: 2)
        dense.acceptsSparseInput = true
        // S (5 × 2): row c is input c's weights to the 2 units.
        dense.weight.values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        dense.bias.values = [0.5, -1]
        let input: [Float] = [0, 2, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0.5, 0, 1]
        input.withUnsafeBufferPointer { x in
            let y = dense.forward(x.baseAddress!, batch: 3, training: true)
            // row 1: b + 2·S[1] = (0.5 + 6, −1 + 8); row 2: b − S[3] = (0.5 − 7, −1 − 8);
            // row 3: b + 0.5·S[2] + S[4] = (0.5 + 2.5 + 9, −1 + 3 + 10)
            XCTAssertEqual(Array(UnsafeBufferPointer(start: y, count: 6)), [6.5, 7, -6.5, -9, 12, 12])
            let g: [Float] = [1, -1, 2, 0, 0.5, 4]
            g.withUnsafeBufferPointer { gradient in
                _ = dense.backward(gradient.baseAddress!, batch: 3, needInputGradient: false)
            }
        }
        // ∂L/∂S[c] = Σ_r X[r, c]·G[r]: c0 and c4 … column 0 has no non-zero ⇒ zeros; c1 = 2·(1, −1);
        // c2 = 0.5·(0.5, 4); c3 = −1·(2, 0); c4 = 1·(0.5, 4)
        XCTAssertEqual(dense.weight.gradients, [0, 0, 2, -2, 0.25, 2, -2, 0, 0.5, 4])
        XCTAssertEqual(dense.bias.gradients, [3.5, 3])
    }

    func testADenseBatchTakesTheGEMM() {
        let batch = SparseBatch()
        let input = [Float](repeating: 1, count: 12)
        XCTAssertFalse(input.withUnsafeBufferPointer { batch.compress($0.baseAddress!, rows: 3, columns: 4) })
    }

    /// An MNIST-like batch (≈ 20 % non-zeros, 40 × 300 → 70 units: the 64-wide vector blocks, the 8-wide ones and
    /// the scalar tail): forward output, weight gradient and the fused SGD step equal the GEMM path's to rounding.
    func testSparseProductsEqualTheGEMMOnAMostlyZeroBatch() {
        var generator = Xoshiro256StarStar(seed: 7, stream: "test")
        let (rows, inputs, outputs) = (40, 300, 70)
        let input: [Float] = (0..<(rows * inputs)).map { _ in
            generator.nextUnit() < 0.2 ? Float(generator.nextUnit()) : 0
        }
        let weights: [Float] = (0..<(inputs * outputs)).map { _ in Float(generator.nextUnit() - 0.5) }
        let bias: [Float] = (0..<outputs).map { _ in Float(generator.nextUnit()) }
        let gradient: [Float] = (0..<(rows * outputs)).map { _ in Float(generator.nextUnit() - 0.5) }
        func layer(sparse: Bool) -> Dense {
            let dense = Dense(inputWidth: inputs, outputWidth: outputs)
            dense.acceptsSparseInput = sparse
            dense.weight.values = weights
            dense.bias.values = bias
            return dense
        }
        let (sparse, plain) = (layer(sparse: true), layer(sparse: false))
        input.withUnsafeBufferPointer { x in
            gradient.withUnsafeBufferPointer { g in
                let a = Array(UnsafeBufferPointer(start: sparse.forward(x.baseAddress!, batch: rows, training: true), count: rows * outputs))
                let b = Array(UnsafeBufferPointer(start: plain.forward(x.baseAddress!, batch: rows, training: true), count: rows * outputs))
                for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-4) }
                _ = sparse.backward(g.baseAddress!, batch: rows, needInputGradient: false)
                _ = plain.backward(g.baseAddress!, batch: rows, needInputGradient: false)
                for (u, v) in zip(sparse.weight.gradients, plain.weight.gradients) { XCTAssertEqual(u, v, accuracy: 1e-4) }
                _ = sparse.backwardApplyingSGD(g.baseAddress!, batch: rows, needInputGradient: false, learningRate: 0.1)
                _ = plain.backwardApplyingSGD(g.baseAddress!, batch: rows, needInputGradient: false, learningRate: 0.1)
                for (u, v) in zip(sparse.weight.values, plain.weight.values) { XCTAssertEqual(u, v, accuracy: 1e-5) }
            }
        }
        XCTAssertNotEqual(sparse.weight.values, weights, "the fused step moved the weights")
    }

    /// The 512-bit kernels run where the CPU has AVX-512F (as /proc/cpuinfo lists it) and give the 256-bit ones'
    /// results bit for bit: forward outputs, weight gradients and fused SGD steps, for widths that exercise every
    /// block (256, 128, 64 and 16 columns, masked tails of 1–15) and a column without non-zeros.
    func testTheWideKernelsGiveTheNarrowOnesResultsBitForBit() throws {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }.map { Set($0.split(separator: " ")) } ?? []
        XCTAssertEqual(SparseBatch.usesAVX512, flags.contains("avx512f"))
        SparseBatch.withoutAVX512 { XCTAssertFalse(SparseBatch.usesAVX512) }
        var generator = Xoshiro256StarStar(seed: 11, stream: "test")
        for outputs in [1, 7, 16, 33, 64, 100, 128, 200, 256, 300, 527] {
            let (rows, inputs) = (24, 90)
            let input: [Float] = (0..<(rows * inputs)).map { index in
                index % inputs == 5 || generator.nextUnit() >= 0.2 ? 0 : Float(generator.nextUnit() - 0.3)
            }
            let weights: [Float] = (0..<(inputs * outputs)).map { _ in Float(generator.nextUnit() - 0.5) }
            let bias: [Float] = (0..<outputs).map { _ in Float(generator.nextUnit()) }
            let gradient: [Float] = (0..<(rows * outputs)).map { _ in Float(generator.nextUnit() - 0.5) }
            func products() -> (output: [Float], gradient: [Float], stepped: [Float]) {
                let dense = Dense(inputWidth: inputs, outputWidth: outputs)
                dense.acceptsSparseInput = true
                dense.weight.values = weights
                dense.bias.values = bias
                return input.withUnsafeBufferPointer { x in
                    gradient.withUnsafeBufferPointer { g in
                        let y = dense.forward(x.baseAddress!, batch: rows, training: true)
                        let output = Array(UnsafeBufferPointer(start: y, count: rows * outputs))
                        _ = dense.backward(g.baseAddress!, batch: rows, needInputGradient: false)
                        let weightGradient = dense.weight.gradients
                        _ = dense.backwardApplyingSGD(g.baseAddress!, batch: rows, needInputGradient: false, learningRate: 0.1)
                        return (output, weightGradient, dense.weight.values)
                    }
                }
            }
            let wide = products()
            let narrow = SparseBatch.withoutAVX512 { products() }
            XCTAssertEqual(wide.output.map(\.bitPattern), narrow.output.map(\.bitPattern), "forward, width \(outputs)")
            XCTAssertEqual(wide.gradient.map(\.bitPattern), narrow.gradient.map(\.bitPattern), "gradient, width \(outputs)")
            XCTAssertEqual(wide.stepped.map(\.bitPattern), narrow.stepped.map(\.bitPattern), "SGD step, width \(outputs)")
            XCTAssertEqual(Array(wide.gradient[(5 * outputs)..<(6 * outputs)]), Array(repeating: 0, count: outputs))
            XCTAssertNotEqual(wide.stepped, weights)
        }
    }

    /// Only the network's first layer compresses its input (the data); hidden layers take the GEMM.
    func testOnlyTheFirstLayerAcceptsSparseInput() {
        let model = Sequential(widths: [784, 64, 32, 10], activation: .relu, batchNorm: false)
        let denseLayers = model.layers.compactMap { $0 as? Dense }
        XCTAssertEqual(denseLayers.map(\.acceptsSparseInput), [true, false, false])
    }
}
