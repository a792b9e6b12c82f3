import Engine

/// A trained network as an ONNX graph: raw features in (`features`, float32 `[batch, F]`), class scores out
/// (`logits`, float32 `[batch, C]`), in inference form.
///
/// - The fitted feature scaling first, as the engine applies it: `Sub(features, scaler.offset)` then
///   `Mul(·, scaler.scale)`, i.e. `x' = (x − offset) · scale` per column (offset 0 and scale 1 for `none`).
/// - Each dense layer: `Gemm(x, W, b, transB = 1)` = `x·Wᵀ + b` with W in PyTorch's `[out, in]` layout.
/// - Batch norm: `BatchNormalization(x, γ, β, running mean, running variance, epsilon)` in inference mode,
///   `y = γ·(x − mean)/√(var + ε) + β`.
/// - Activations: `Relu`; `LeakyRelu` (alpha 0.01); `Sigmoid`; `Tanh`; exact GELU as
///   `0.5·x·(1 + Erf(x·0.70710677))` (the engine's formula, from opset-9 operators); identity adds no node.
/// - Dropout is left out (it is the identity at inference).
enum ONNXNetwork {
    static func graph(model: Sequential, scaler: Scaler, name: String) throws -> ONNXModelWriter {
        var graph = ONNXModelWriter(graphName: name)
        let featureCount = model.inputWidth
        guard scaler.offsets.count == featureCount, scaler.factors.count == featureCount else {
            throw ExportError("the scaler has \(scaler.offsets.count) columns, the network \(featureCount) inputs")
        }
        graph.inputs = [.init(name: "features", shape: [nil, featureCount])]
        graph.initializers.append(.init(name: "scaler.offset", shape: [featureCount], values: scaler.offsets))
        graph.initializers.append(.init(name: "scaler.scale", shape: [featureCount], values: scaler.factors))
        graph.nodes.append(.init(operation: "Sub", inputs: ["features", "scaler.offset"], outputs: ["centred"], name: "scaler.sub"))
        graph.nodes.append(.init(operation: "Mul", inputs: ["centred", "scaler.scale"], outputs: ["scaled"], name: "scaler.mul"))
        var current = "scaled"
        for (index, layer) in model.layers.enumerated() {
            let prefix = "layers.\(index)"
            switch layer {
            case let dense as Dense:
                graph.initializers.append(
                    .init(name: prefix + ".weight", shape: [dense.outputWidth, dense.inputWidth], values: dense.weightMatrix))
                graph.initializers.append(.init(name: prefix + ".bias", shape: [dense.outputWidth], values: dense.bias.values))
                graph.nodes.append(
                    .init(
                        operation: "Gemm", inputs: [current, prefix + ".weight", prefix + ".bias"], outputs: [prefix],
                        name: prefix + ".gemm", attributes: [.integer("transB", 1)]))
            case let batchNorm as BatchNorm:
                let tensors = [
                    ("weight", batchNorm.gamma.values), ("bias", batchNorm.beta.values),
                    ("running_mean", batchNorm.runningMean.values), ("running_var", batchNorm.runningVariance.values),
                ]
                for (suffix, values) in tensors {
                    graph.initializers.append(.init(name: prefix + "." + suffix, shape: [batchNorm.inputWidth], values: values))
                }
                graph.nodes.append(
                    .init(
                        operation: "BatchNormalization", inputs: [current] + tensors.map { prefix + "." + $0.0 },
                        outputs: [prefix], name: prefix + ".batch_norm",
                        attributes: [.float("epsilon", batchNorm.epsilon), .float("momentum", 1 - batchNorm.momentum)]))
            case let activation as Activation:
                guard let output = activationNodes(activation.function, input: current, prefix: prefix, graph: &graph) else {
                    continue
                }
                current = output
                continue
            case is Dropout:
                continue
            default:
                throw ExportError("ONNX: no operator for layer \(index) (\(layer.kind))")
            }
            current = prefix
        }
        graph.nodes.append(.init(operation: "Identity", inputs: [current], outputs: ["logits"], name: "logits"))
        graph.outputs = [.init(name: "logits", shape: [nil, model.outputWidth])]
        return graph
    }

    /// Appends the nodes of `function` and returns their output's name (nil for the identity).
    private static func activationNodes(
        _ function: ActivationKind, input: String, prefix: String, graph: inout ONNXModelWriter
    ) -> String? {
        func node(_ operation: String, _ inputs: [String], _ output: String, _ attributes: [ONNXModelWriter.Attribute] = []) {
            graph.nodes.append(.init(operation: operation, inputs: inputs, outputs: [output], name: output, attributes: attributes))
        }
        switch function {
        case .relu: node("Relu", [input], prefix)
        case .leakyRelu: node("LeakyRelu", [input], prefix, [.float("alpha", Activation.leakySlope)])
        case .sigmoid: node("Sigmoid", [input], prefix)
        case .tanh: node("Tanh", [input], prefix)
        case .gelu:
            let constants: [(String, Float)] = [("gelu.inverse_sqrt2", 0.707_106_77), ("gelu.one", 1), ("gelu.half", 0.5)]
            for (name, value) in constants where !graph.initializers.contains(where: { $0.name == name }) {
                graph.initializers.append(.init(name: name, shape: [], values: [value]))
            }
            node("Mul", [input, "gelu.inverse_sqrt2"], prefix + ".scaled")
            node("Erf", [prefix + ".scaled"], prefix + ".erf")
            node("Add", [prefix + ".erf", "gelu.one"], prefix + ".one_plus_erf")
            node("Mul", [input, prefix + ".one_plus_erf"], prefix + ".product")
            node("Mul", [prefix + ".product", "gelu.half"], prefix)
        case .identity: return nil
        }
        return prefix
    }
}
