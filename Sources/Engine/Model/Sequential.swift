/// A stack of layers applied in order. Built from a compact description: widths `[64, 128, 10]` give
/// `Dense(64→128) → [BatchNorm] → activation → [Dropout] → Dense(128→10)`; the last layer emits logits.
public final class Sequential {
    public let layers: [Layer]

    /// The first layer, if dense, may take mostly-zero data batches through its sparse products (`SparseBatch`).
    public init(layers: [Layer]) {
        self.layers = layers
        (layers.first as? Dense)?.acceptsSparseInput = true
    }

    /// Builds the classic multilayer perceptron described by `widths`.
    public convenience init(
        widths: [Int], activation: ActivationKind, batchNorm: Bool, batchNormMomentum: Float = 0.1,
        batchNormEpsilon: Float = 1e-5, dropout: Float = 0, seed: UInt64 = 0
    ) {
        var layers: [Layer] = []
        for index in 0..<(widths.count - 1) {
            layers.append(Dense(inputWidth: widths[index], outputWidth: widths[index + 1]))
            guard index < widths.count - 2 else { break }
            if batchNorm {
                layers.append(BatchNorm(width: widths[index + 1], momentum: batchNormMomentum, epsilon: batchNormEpsilon))
            }
            layers.append(Activation(activation, width: widths[index + 1]))
            if dropout > 0 {
                layers.append(Dropout(width: widths[index + 1], probability: dropout, seed: seed &+ UInt64(index)))
            }
        }
        self.init(layers: layers)
    }

    public var inputWidth: Int { layers.first?.inputWidth ?? 0 }
    public var outputWidth: Int { layers.last?.outputWidth ?? 0 }

    /// All trainable parameters, in layer order.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        var activations = input
        for layer in layers {
            activations = layer.forward(activations, batch: batch, training: training)
        }
        return activations
    }

    /// The forward pass of a batch given as rows of a dataset's non-zeros (row `i` is `source`'s row `row(i)`): the
    /// first layer takes them through its sparse products, the others as in `forward`. Nil, with nothing done, when
    /// the first layer cannot (not a sparse-input dense layer, or the batch too dense): gather the rows and call
    /// `forward` instead. The same results as `forward` on the gathered rows.
    public func forward(sparse source: SparseRows, batch: Int, training: Bool, row: (Int) -> Int) -> UnsafePointer<Float>? {
        guard let first = layers.first as? Dense, var activations = first.forward(sparse: source, batch: batch, row: row)
        else { return nil }
        for layer in layers.dropFirst() {
            activations = layer.forward(activations, batch: batch, training: training)
        }
        return activations
    }

    /// Backpropagates ∂L/∂output through every layer, filling each parameter's gradient. The input gradient of
    /// the first layer is never needed, so it is not computed.
    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) {
        var gradient = outputGradient
        for (index, layer) in layers.enumerated().reversed() {
            guard let next = layer.backward(gradient, batch: batch, needInputGradient: index > 0) else { return }
            gradient = next
        }
    }

    /// Backpropagation fused with plain gradient descent `w ← w − η·∂L/∂w`: dense layers update their weights
    /// inside the weight-gradient GEMM; other parameters are updated right after their layer's backward pass.
    /// Equivalent to `backward` followed by an SGD step (up to floating-point rounding of the fused product).
    public func backwardApplyingSGD(_ outputGradient: UnsafePointer<Float>, batch: Int, learningRate: Float) {
        var gradient: UnsafePointer<Float>? = outputGradient
        for (index, layer) in layers.enumerated().reversed() {
            guard let current = gradient else { return }
            if let dense = layer as? Dense {
                gradient = dense.backwardApplyingSGD(
                    current, batch: batch, needInputGradient: index > 0, learningRate: learningRate)
            } else {
                gradient = layer.backward(current, batch: batch, needInputGradient: index > 0)
                for parameter in layer.parameters {
                    for element in 0..<parameter.count {
                        parameter.value[element] -= learningRate * parameter.gradient[element]
                    }
                }
            }
        }
    }

    /// Every tensor of the model — parameters and buffers — named `layers.<index>.<name>` (PyTorch's
    /// `nn.Sequential` naming under an attribute `layers`), dense weights in PyTorch's `[out, in]` layout.
    public func namedTensors() -> [NamedTensor] {
        var tensors: [NamedTensor] = []
        for (index, layer) in layers.enumerated() {
            for parameter in layer.parameters {
                let name = "layers.\(index).\(parameter.name)"
                if let dense = layer as? Dense, parameter === dense.weight {
                    tensors.append(
                        NamedTensor(
                            name: name, role: .parameter, shape: [dense.outputWidth, dense.inputWidth],
                            values: dense.weightMatrix))
                } else {
                    tensors.append(NamedTensor(name: name, role: .parameter, shape: parameter.shape, values: parameter.values))
                }
            }
            for buffer in layer.buffers {
                tensors.append(
                    NamedTensor(
                        name: "layers.\(index).\(buffer.name)", role: .buffer, shape: buffer.shape, values: buffer.values))
            }
        }
        return tensors
    }

    /// Weights drawn from `initializer` (biases from `biasInitializer`); batch-norm γ = 1, β = 0.
    public func initialize(
        weights initializer: Initializer, biases biasInitializer: Initializer, using generator: inout Xoshiro256StarStar
    ) {
        for layer in layers {
            guard let dense = layer as? Dense else { continue }
            // Drawn row-major in PyTorch's [out, in] layout, then stored transposed.
            var matrix = [Float](repeating: 0, count: dense.weight.count)
            matrix.withUnsafeMutableBufferPointer {
                initializer.fill($0.baseAddress!, fanOut: dense.outputWidth, fanIn: dense.inputWidth, using: &generator)
            }
            dense.weightMatrix = matrix
            biasInitializer.fill(dense.bias.value, fanOut: dense.outputWidth, fanIn: 1, using: &generator)
        }
    }

    /// E.g. `64-128-10 relu +bn`.
    public static func describe(widths: [Int], activation: String, batchNorm: Bool, dropout: Double) -> String {
        var text = widths.map(String.init).joined(separator: "-") + " " + activation
        if batchNorm { text += " +bn" }
        if dropout > 0 { text += " dropout=\(dropout)" }
        return text
    }
}
