/// Loading a model from tensors named as PyTorch names the `state_dict()` of an `nn.Sequential`.
///
/// A name is `PREFIX INDEX.ATTRIBUTE`: the prefix is anything ending in a dot (`layers.` — Logbook's own files —,
/// `net.`, `model.net.`) or nothing (`0.weight`: a bare `nn.Sequential`), the same for every tensor; the index is the
/// module's position in the sequence; the attribute is `weight`, `bias`, `running_mean`, `running_var` or
/// `num_batches_tracked`. Modules are matched by kind and order, not by index: the k-th linear module of the file
/// (a group without running statistics) loads into the k-th `Dense` layer, the k-th batch-norm module (a group with
/// `running_mean`, `running_var` or `num_batches_tracked`) into the k-th `BatchNorm`. Activations and dropout hold
/// no tensors, so their positions do not matter, and a file written without batch norm numbers its linear modules
/// differently from a model with it — which is why the index only orders.
///
/// A file without batch-norm tensors loads into a model with batch norm: batch norm then starts as freshly built
/// (γ = 1, β = 0, running mean 0, running variance 1) and `load` returns a note saying so. Any other disagreement —
/// a missing tensor, a wrong shape, more or fewer layers — is an error naming the tensor (as the file names it).
/// `scaler.offset` and `scaler.scale` (the feature scaler of Logbook's exported files) are not layers and are skipped.
extension Sequential {
    /// The feature scaler Logbook's weight files carry beside the layers (`logbook weights export`): not part of the
    /// model, so loading skips them.
    public static let scalerTensorNames: Set<String> = ["scaler.offset", "scaler.scale"]

    /// Loads `tensors` (parameters and buffers, dense weights in PyTorch's `[out, in]` layout) and returns the notes
    /// a user should see (at most one line: batch norm started fresh). `source` names the origin in messages
    /// (`file:model.safetensors`, `run:7`).
    @discardableResult
    public func load(_ tensors: [NamedTensor], source: String) throws -> [String] {
        let modules = try StateDictionaryModules(
            tensors.filter { !Sequential.scalerTensorNames.contains($0.name) }, source: source)
        let denseLayers = layers.compactMap { $0 as? Dense }
        let batchNormLayers = layers.compactMap { $0 as? BatchNorm }
        guard modules.linear.count == denseLayers.count else {
            throw EngineError(
                "initializer \(source): the file has \(modules.linear.count) linear layer(s) (\(modules.describe(modules.linear))), the model has \(denseLayers.count)")
        }
        var notes: [String] = []
        if modules.batchNorm.isEmpty && !batchNormLayers.isEmpty {
            notes.append(
                "initializer \(source): the file has no batch-norm tensors; batch norm starts at γ = 1, β = 0 with fresh running statistics")
        } else if modules.batchNorm.count != batchNormLayers.count {
            throw EngineError(
                "initializer \(source): the file has \(modules.batchNorm.count) batch-norm layer(s) (\(modules.describe(modules.batchNorm))), the model has \(batchNormLayers.count)")
        }
        for (module, dense) in zip(modules.linear, denseLayers) {
            dense.weightMatrix = try module.values("weight", shape: [dense.outputWidth, dense.inputWidth], source: source)
            dense.bias.values = try module.values("bias", shape: dense.bias.shape, source: source)
        }
        if !modules.batchNorm.isEmpty {
            for (module, batchNorm) in zip(modules.batchNorm, batchNormLayers) {
                for parameter in batchNorm.parameters {
                    parameter.values = try module.values(parameter.name, shape: parameter.shape, source: source)
                }
                for buffer in batchNorm.buffers {
                    buffer.values = try module.values(buffer.name, shape: buffer.shape, source: source)
                }
            }
        }
        return notes
    }
}

/// The tensors of a state dict grouped into modules (`PREFIX INDEX.ATTRIBUTE`), in index order, split by kind.
struct StateDictionaryModules {
    struct Module {
        var index: Int
        /// The full name of each tensor by attribute, as the file spells it.
        var tensors: [String: NamedTensor]
        var prefix: String

        func values(_ attribute: String, shape: [Int], source: String) throws -> [Float] {
            let name = prefix + "\(index)." + attribute
            guard let tensor = tensors[attribute] else {
                throw EngineError("initializer \(source): no tensor '\(name)' (the model needs shape \(shape))")
            }
            guard tensor.shape == shape, tensor.values.count == shape.reduce(1, *) else {
                throw EngineError("initializer \(source): tensor '\(name)' has shape \(tensor.shape), the model needs \(shape)")
            }
            return tensor.values
        }
    }

    static let batchNormAttributes: Set<String> = ["running_mean", "running_var", "num_batches_tracked"]

    var linear: [Module] = []
    var batchNorm: [Module] = []

    init(_ tensors: [NamedTensor], source: String) throws {
        var prefix: String?
        var modules: [Int: Module] = [:]
        for tensor in tensors {
            let parts = tensor.name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 2, let index = Int(parts[parts.count - 2]), index >= 0, !parts[parts.count - 1].isEmpty
            else {
                throw EngineError(
                    "initializer \(source): tensor '\(tensor.name)' is not named like an nn.Sequential entry (PREFIX.INDEX.NAME, e.g. 0.weight or net.0.weight)")
            }
            let tensorPrefix = parts.dropLast(2).map { $0 + "." }.joined()
            if let prefix, prefix != tensorPrefix {
                let both = [prefix, tensorPrefix].sorted()
                throw EngineError(
                    "initializer \(source): tensors under two prefixes, '\(both[0])' and '\(both[1])' (expected one nn.Sequential)")
            }
            prefix = tensorPrefix
            let attribute = String(parts[parts.count - 1])
            modules[index, default: Module(index: index, tensors: [:], prefix: tensorPrefix)].tensors[attribute] = tensor
        }
        for index in modules.keys.sorted() {
            let module = modules[index]!
            if module.tensors.keys.contains(where: StateDictionaryModules.batchNormAttributes.contains) {
                batchNorm.append(module)
            } else {
                linear.append(module)
            }
        }
    }

    /// `0, 2` — the indices, for messages.
    func describe(_ modules: [Module]) -> String {
        modules.isEmpty ? "none" : modules.map { "\($0.prefix)\($0.index)" }.joined(separator: ", ")
    }
}
