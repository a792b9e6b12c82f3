/// Compares backpropagated gradients with central finite differences, element by element, refined by one step
/// of Richardson extrapolation to cancel the O(h²) truncation error:
///
///     D(h) = (L(w + h) − L(w − h)) / 2h        ∂L/∂w ≈ (4·D(h/2) − D(h)) / 3
///
/// The relative error of an element is `|g_backprop − g_numeric| / max(|g_backprop|, |g_numeric|, floor)`; the
/// floor keeps near-zero gradients from dividing by noise. Float32 arithmetic with h = 10⁻² puts correct
/// gradients well below 10⁻² on these small models.
public enum GradientCheck {
    public struct TensorResult: Sendable, Equatable {
        public var name: String
        public var checkedElements: Int
        public var maxAbsoluteError: Double
        public var maxRelativeError: Double
    }

    public struct CaseResult: Sendable {
        public var name: String
        public var tensors: [TensorResult]
        public var maxRelativeError: Double { tensors.map(\.maxRelativeError).max() ?? 0 }
    }

    public static let defaultStep: Float = 1e-2
    public static let floor: Double = 1e-3

    /// Checks every parameter tensor of `model` (up to `elementsPerTensor` elements each, spread evenly) on one
    /// batch, in training mode.
    public static func check(
        model: Sequential, lossFunction: LossFunction, input: Matrix, targets: BatchTargetsStorage,
        step: Float = defaultStep, elementsPerTensor: Int = 48
    ) -> [TensorResult] {
        let batch = input.rows
        func loss() -> Double {
            input.values.withUnsafeBufferPointer { x in
                let output = model.forward(x.baseAddress!, batch: batch, training: true)
                return targets.withTargets { lossFunction.evaluate(output, batch: batch, targets: $0, computeGradient: false).loss }
            }
        }
        // Analytic gradients.
        input.values.withUnsafeBufferPointer { x in
            let output = model.forward(x.baseAddress!, batch: batch, training: true)
            _ = targets.withTargets { lossFunction.evaluate(output, batch: batch, targets: $0, computeGradient: true) }
            model.backward(lossFunction.gradient, batch: batch)
        }
        var results: [TensorResult] = []
        for (layerIndex, layer) in model.layers.enumerated() {
            for parameter in layer.parameters {
                let analytic = parameter.gradients
                let stride = max(1, parameter.count / elementsPerTensor)
                var maxAbsolute = 0.0
                var maxRelative = 0.0
                var checked = 0
                for element in Swift.stride(from: 0, to: parameter.count, by: stride) {
                    let original = parameter.value[element]
                    func centralDifference(_ h: Float) -> Double {
                        parameter.value[element] = original + h
                        let plus = loss()
                        parameter.value[element] = original - h
                        let minus = loss()
                        parameter.value[element] = original
                        return (plus - minus) / (2 * Double(h))
                    }
                    let numeric = (4 * centralDifference(step / 2) - centralDifference(step)) / 3
                    let difference = abs(Double(analytic[element]) - numeric)
                    let scale = max(abs(Double(analytic[element])), abs(numeric), floor)
                    maxAbsolute = max(maxAbsolute, difference)
                    maxRelative = max(maxRelative, difference / scale)
                    checked += 1
                }
                results.append(
                    TensorResult(
                        name: "layers.\(layerIndex).\(parameter.name)", checkedElements: checked,
                        maxAbsoluteError: maxAbsolute, maxRelativeError: maxRelative))
            }
        }
        return results
    }

    /// One small model per layer type, activation and loss, each checked on a random batch.
    public static func standardSuite(seed: UInt64 = 7) -> [CaseResult] {
        struct Case {
            var name: String
            var widths: [Int]
            var activation: ActivationKind
            var batchNorm = false
            var loss: LossKind
            var regression = false
        }
        let cases: [Case] = [
            Case(name: "dense+relu, cross-entropy", widths: [5, 7, 4], activation: .relu, loss: .crossEntropy),
            Case(name: "dense+leaky-relu, cross-entropy", widths: [5, 6, 3], activation: .leakyRelu, loss: .crossEntropy),
            Case(name: "dense+sigmoid, cross-entropy", widths: [4, 6, 3], activation: .sigmoid, loss: .crossEntropy),
            Case(name: "dense+tanh, mse (regression)", widths: [4, 6, 2], activation: .tanh, loss: .meanSquaredError, regression: true),
            Case(name: "dense+gelu, mse (one-hot)", widths: [4, 6, 3], activation: .gelu, loss: .meanSquaredError),
            Case(name: "batch-norm+gelu, cross-entropy", widths: [5, 8, 6, 3], activation: .gelu, batchNorm: true, loss: .crossEntropy),
            Case(name: "batch-norm+tanh, mse (regression)", widths: [3, 5, 2], activation: .tanh, batchNorm: true, loss: .meanSquaredError, regression: true),
            Case(name: "dense+tanh, binary cross-entropy (1 output)", widths: [4, 5, 1], activation: .tanh, loss: .binaryCrossEntropy),
            Case(name: "dense+sigmoid, binary cross-entropy (one-hot)", widths: [4, 5, 3], activation: .sigmoid, loss: .binaryCrossEntropy),
        ]
        var generator = Xoshiro256StarStar(seed: seed, stream: "gradcheck")
        return cases.map { testCase in
            let batch = 6
            let model = Sequential(widths: testCase.widths, activation: testCase.activation, batchNorm: testCase.batchNorm)
            model.initialize(weights: .xavierNormal, biases: .normal(0.1), using: &generator)
            for layer in model.layers {
                guard let norm = layer as? BatchNorm else { continue }
                for index in 0..<norm.inputWidth {
                    norm.gamma.value[index] = Float(generator.uniform(0.5, 1.5))
                    norm.beta.value[index] = Float(generator.uniform(-0.5, 0.5))
                }
            }
            let inputWidth = testCase.widths[0]
            let outputWidth = testCase.widths[testCase.widths.count - 1]
            let input = Matrix(
                rows: batch, columns: inputWidth,
                values: (0..<(batch * inputWidth)).map { _ in Float(generator.normal()) })
            let targets: BatchTargetsStorage
            if testCase.regression {
                targets = .values((0..<(batch * outputWidth)).map { _ in Float(generator.normal()) })
            } else {
                let classes = max(outputWidth, 2)
                targets = .labels((0..<batch).map { _ in Int32(generator.nextInt(below: classes)) })
            }
            let lossFunction = LossFunction(kind: testCase.loss, width: outputWidth)
            let tensors = check(model: model, lossFunction: lossFunction, input: input, targets: targets)
            return CaseResult(name: testCase.name, tensors: tensors)
        }
    }
}

/// Owned batch targets (labels or real values) that can lend a `BatchTargets` view.
public enum BatchTargetsStorage: Sendable {
    case labels([Int32])
    case values([Float])

    public func withTargets<Result>(_ body: (BatchTargets) -> Result) -> Result {
        switch self {
        case .labels(let labels): return labels.withUnsafeBufferPointer { body(.labels($0.baseAddress!)) }
        case .values(let values): return values.withUnsafeBufferPointer { body(.values($0.baseAddress!)) }
        }
    }
}
