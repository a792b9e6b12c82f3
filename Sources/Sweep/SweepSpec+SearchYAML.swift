import Engine
import Yams

extension SweepSpec {
    /// Keys of `early_terminate` (W&B's key): `type` and the rule's options; `min_iter` is W&B's name for min_epochs.
    public static let earlyTerminateKeys = ["type", "warmup_epochs", "min_trials", "min_epochs", "min_iter", "eta"]
    /// Keys of `tpe`.
    public static let tpeKeys = ["startup_trials", "candidates", "multivariate", "constant_liar"]
}

extension YAMLReader {
    /// `{type: median, warmup_epochs: W, min_trials: K}`, `{type: asha|hyperband, min_epochs: R, eta: η}`, or a bare
    /// type name (`early_terminate: asha`) for the defaults. An option of another rule is refused.
    func earlyTermination(_ node: Node) throws -> EarlyTermination {
        if node.scalar != nil { return EarlyTermination.make(kind: try kind(node)) }
        guard let mapping = node.mapping else { throw error(node, "early_terminate must be a mapping {type: median|asha|hyperband, …}") }
        var entries: [String: Node] = [:]
        for (keyNode, valueNode) in mapping {
            let key = try key(keyNode, allowed: SweepSpec.earlyTerminateKeys, context: "key", location: " in early_terminate")
            entries[key == "min_iter" ? "min_epochs" : key] = valueNode
        }
        guard let typeNode = entries["type"] else { throw error(node, "early_terminate needs type (median, asha or hyperband)") }
        let kind = try kind(typeNode)
        let allowed: Set<String> = kind == .median ? ["type", "warmup_epochs", "min_trials"] : ["type", "min_epochs", "eta"]
        if let (name, misplaced) = entries.first(where: { !allowed.contains($0.key) }) {
            throw error(misplaced, "early_terminate: \(name) does not apply to type \(kind.rawValue)")
        }
        return EarlyTermination.make(
            kind: kind, warmupEpochs: try entries["warmup_epochs"].map { try integer($0, field: "early_terminate warmup_epochs") },
            minTrials: try entries["min_trials"].map { try integer($0, field: "early_terminate min_trials") },
            minEpochs: try entries["min_epochs"].map { try integer($0, field: "early_terminate min_epochs") },
            eta: try entries["eta"].map { try integer($0, field: "early_terminate eta") })
    }

    private func kind(_ node: Node) throws -> EarlyTermination.Kind {
        let text = try self.text(node, field: "early_terminate type")
        guard let kind = EarlyTermination.Kind(rawValue: text) else {
            throw error(node, "unknown early_terminate type '\(text)'" + NameSuggestion.hint(for: text, in: EarlyTermination.Kind.allCases.map(\.rawValue)))
        }
        return kind
    }

    /// `{startup_trials: 10, candidates: 24, multivariate: false, constant_liar: true}`; omitted keys keep the defaults.
    func tpeSettings(_ node: Node) throws -> TPESettings {
        guard let mapping = node.mapping else { throw error(node, "tpe must be a mapping {startup_trials, candidates, multivariate, constant_liar}") }
        var settings = TPESettings()
        for (keyNode, valueNode) in mapping {
            switch try key(keyNode, allowed: SweepSpec.tpeKeys, context: "key", location: " in tpe") {
            case "startup_trials": settings.startupTrials = try integer(valueNode, field: "tpe startup_trials")
            case "candidates": settings.candidates = try integer(valueNode, field: "tpe candidates")
            case "multivariate": settings.multivariate = try flag(valueNode, field: "tpe multivariate")
            default: settings.constantLiar = try flag(valueNode, field: "tpe constant_liar")
            }
        }
        return settings
    }

    func flag(_ node: Node, field: String) throws -> Bool {
        guard case .bool(let value) = try value(node, field: field) else { throw error(node, "\(field): expected true or false") }
        return value
    }
}
