import Foundation
import XCTest

@testable import Engine

/// Label smoothing of softmax cross-entropy, as PyTorch defines it (`CrossEntropyLoss(label_smoothing=ε)`).
final class LabelSmoothingTests: XCTestCase {
    /// A 2 × 3 batch by hand, ε = 0.3, K = 3 (so ε/K = 0.1 and the label's target is 0.7 + 0.1 = 0.8):
    ///
    ///     row 1: z = (0, 0, 0), label 0: softmax p = (1/3, 1/3, 1/3), q = (0.8, 0.1, 0.1)
    ///            ℓ₁ = −Σ q log p = log 3 ≈ 1.0986123
    ///            ∂ℓ/∂z = (p − q)/B = (1/3 − 0.8, 1/3 − 0.1, 1/3 − 0.1)/2 = (−0.2333333, 0.1166667, 0.1166667)
    ///     row 2: z = (0, ln 2, 0), label 1: p = (1/4, 1/2, 1/4), q = (0.1, 0.8, 0.1)
    ///            ℓ₂ = −(0.1·ln ¼ + 0.8·ln ½ + 0.1·ln ¼) = 0.4 ln 2 + 0.8 ln 2 = 1.2 ln 2 ≈ 0.8317766
    ///            ∂ℓ/∂z = (0.25 − 0.1, 0.5 − 0.8, 0.25 − 0.1)/2 = (0.075, −0.15, 0.075)
    ///     L = (ℓ₁ + ℓ₂)/2 = (log 3 + 1.2 ln 2)/2 ≈ 0.9651944
    func testHandComputedBatch() {
        let loss = LossFunction(kind: .crossEntropy, width: 3, labelSmoothing: 0.3)
        let logits: [Float] = [0, 0, 0, 0, Float(log(2.0)), 0]
        let labels: [Int32] = [0, 1]
        let result = logits.withUnsafeBufferPointer { z in
            labels.withUnsafeBufferPointer {
                loss.evaluate(z.baseAddress!, batch: 2, targets: .labels($0.baseAddress!), computeGradient: true)
            }
        }
        XCTAssertEqual(result.loss, (log(3.0) + 1.2 * log(2.0)) / 2, accuracy: 1e-6)
        XCTAssertEqual(result.loss, 0.9651944, accuracy: 1e-6)
        XCTAssertEqual(result.correct, 2, "row 1 ties, broken to class 0 (its label); row 2 predicts class 1 (its label)")
        let expected: [Float] = [-0.2333333, 0.1166667, 0.1166667, 0.075, -0.15, 0.075]
        let gradient = Array(UnsafeBufferPointer(start: loss.gradient, count: 6))
        for (index, value) in expected.enumerated() {
            XCTAssertEqual(gradient[index], value, accuracy: 1e-6, "∂L/∂z[\(index)]")
        }
        // ε = 0 is the plain cross-entropy: log 3 and ln 2.
        let plain = LossFunction(kind: .crossEntropy, width: 3)
        let unsmoothed = logits.withUnsafeBufferPointer { z in
            labels.withUnsafeBufferPointer {
                plain.evaluate(z.baseAddress!, batch: 2, targets: .labels($0.baseAddress!), computeGradient: false)
            }
        }
        XCTAssertEqual(unsmoothed.loss, (log(3.0) + log(2.0)) / 2, accuracy: 1e-6)
    }

    /// Backpropagation through a smoothed loss agrees with finite differences.
    func testGradientMatchesFiniteDifferences() {
        var generator = Xoshiro256StarStar(seed: 5, stream: "label-smoothing")
        let model = Sequential(widths: [5, 7, 4], activation: .tanh, batchNorm: false)
        model.initialize(weights: .xavierNormal, biases: .normal(0.1), using: &generator)
        let input = Matrix(rows: 6, columns: 5, values: (0..<30).map { _ in Float(generator.normal()) })
        let labels = (0..<6).map { _ in Int32(generator.nextInt(below: 4)) }
        for smoothing: Float in [0.1, 0.5] {
            let results = GradientCheck.check(
                model: model, lossFunction: LossFunction(kind: .crossEntropy, width: 4, labelSmoothing: smoothing),
                input: input, targets: .labels(labels))
            XCTAssertEqual(results.count, 4)
            for tensor in results {
                XCTAssertLessThan(tensor.maxRelativeError, 2e-2, "ε = \(smoothing): \(tensor.name)")
            }
        }
    }

    /// A parameter like any other: range [0, 1), sweepable by name, cross-entropy only.
    func testRangeAndLossRules() throws {
        var configuration = TrainingConfiguration()
        try configuration.setParameter("label_smoothing", .double(0.1))
        XCTAssertEqual(configuration.labelSmoothing, 0.1)
        XCTAssertEqual(configuration.parameterValues().first { $0.0 == "label_smoothing" }?.1, .double(0.1))
        XCTAssertThrowsError(try configuration.setParameter("label_smoothing", .int(1))) {
            XCTAssertEqual("\($0)", "invalid label_smoothing 1: must be in [0, 1)")
        }
        configuration.loss = .meanSquaredError
        XCTAssertThrowsError(try configuration.validate()) {
            XCTAssertEqual("\($0)", "invalid label_smoothing 0.1: applies to the cross-entropy loss only (the loss is mse)")
        }
        // The loss inferred from a regression set is checked when the trainer resolves it.
        configuration.loss = nil
        configuration.data = "sine"
        configuration.layers = [0, 8, 0]
        XCTAssertThrowsError(try Trainer(configuration: configuration)) {
            XCTAssertEqual("\($0)", "invalid label_smoothing 0.1: applies to the cross-entropy loss only (the loss is mse)")
        }
        // Training with it runs and lowers the (smoothed) loss.
        configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.labelSmoothing = 0.1
        configuration.epochs = 5
        configuration.batchSize = 16
        let result = try Trainer(configuration: configuration).run()
        XCTAssertLessThan(result.epochs.last!.trainLoss, result.epochs.first!.trainLoss)
    }
}
