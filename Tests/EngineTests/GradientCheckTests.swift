import XCTest

@testable import Engine

final class GradientCheckTests: XCTestCase {
    /// Backpropagation agrees with central finite differences for every layer type, activation and loss.
    func testEveryLayerActivationAndLossMatchesFiniteDifferences() {
        let results = GradientCheck.standardSuite()
        XCTAssertEqual(results.count, 9)
        for result in results {
            XCTAssertFalse(result.tensors.isEmpty)
            for tensor in result.tensors {
                XCTAssertGreaterThan(tensor.checkedElements, 0)
                XCTAssertLessThan(tensor.maxRelativeError, 2e-2, "\(result.name): \(tensor.name)")
            }
        }
        let names = results.map(\.name).joined(separator: " ")
        for kind in ["relu", "leaky-relu", "sigmoid", "tanh", "gelu", "batch-norm", "cross-entropy", "mse", "binary"] {
            XCTAssertTrue(names.contains(kind), "no gradient check covers \(kind)")
        }
    }

    /// The check itself can fail: a model whose backward pass is wrong is caught.
    func testCheckDetectsAWrongGradient() {
        final class WrongTanh: Layer {
            let kind = "wrong"
            let inputWidth: Int
            var outputWidth: Int { inputWidth }
            private let inner: Activation
            init(width: Int) {
                inputWidth = width
                inner = Activation(.tanh, width: width)
            }
            func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
                inner.forward(input, batch: batch, training: training)
            }
            func backward(_ outputGradient: UnsafePointer<Float>, batch: Int, needInputGradient: Bool) -> UnsafePointer<Float>? {
                outputGradient  // forgets the derivative 1 − tanh²
            }
        }
        let model = Sequential(layers: [Dense(inputWidth: 3, outputWidth: 4), WrongTanh(width: 4), Dense(inputWidth: 4, outputWidth: 2)])
        var generator = Xoshiro256StarStar(seed: 1)
        model.initialize(weights: .normal(1.5), biases: .normal(0.5), using: &generator)
        let input = Matrix(rows: 4, columns: 3, values: (0..<12).map { _ in Float(generator.normal()) })
        let results = GradientCheck.check(
            model: model, lossFunction: LossFunction(kind: .crossEntropy, width: 2), input: input,
            targets: .labels([0, 1, 1, 0]))
        XCTAssertGreaterThan(results[0].maxRelativeError, 0.05, "the wrong first-layer gradient went unnoticed")
        XCTAssertLessThan(results[2].maxRelativeError, 2e-2, "the last layer's gradient does not depend on the bug")
    }
}
