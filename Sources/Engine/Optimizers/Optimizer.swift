/// The optimizers, all one update rule with different settings (as in tinygrad's `optim.py`). For a parameter
/// `w` with gradient `g`, learning rate `η` and weight decay `λ`:
///
/// - `sgd`: `g ← g + λw`; with momentum μ > 0: `v ← μv + g` (v₀ = g); `w ← w − η·v` (PyTorch's SGD).
/// - `momentum`: `sgd` with μ (default 0.9).
/// - `nesterov`: `sgd` with μ (default 0.9) and the look-ahead step `w ← w − η·(g + μv)`.
/// - `adam`: `g ← g + λw`; `m ← β₁m + (1−β₁)g`; `v ← β₂v + (1−β₂)g²`; `m̂ = m/(1−β₁ᵗ)`; `v̂ = v/(1−β₂ᵗ)`;
///   `w ← w − η·m̂/(√v̂ + ε)`.
/// - `adamw`: as `adam` with decoupled decay: `w ← w − ηλw` before the Adam step, and no `λw` in `g`.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
    case sgd, momentum, nesterov, adam, adamw

    public static let names = allCases.map(\.rawValue)

    public init(name: String) throws {
        guard let kind = OptimizerKind(rawValue: name.lowercased()) else {
            throw EngineError.invalid("optimizer", name, "expected one of \(OptimizerKind.names.joined(separator: ", "))")
        }
        self = kind
    }
}

public final class Optimizer {
    public let kind: OptimizerKind
    public let momentum: Float
    public let nesterov: Bool
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public let decoupledWeightDecay: Bool
    private var stepCount = 0
    private var slots: [ObjectIdentifier: (first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>?)] = [:]

    /// Validates the hyperparameters (each error names the field and value).
    public init(configuration: TrainingConfiguration) throws {
        kind = try OptimizerKind(name: configuration.optimizer)
        func check(_ field: String, _ value: Double, _ valid: Bool, _ reason: String) throws {
            guard value.isFinite, valid else { throw EngineError.invalid(field, value, reason) }
        }
        try check("momentum", configuration.momentum, (0..<1).contains(configuration.momentum), "must be in [0, 1)")
        try check("beta1", configuration.beta1, (0..<1).contains(configuration.beta1), "must be in [0, 1)")
        try check("beta2", configuration.beta2, (0..<1).contains(configuration.beta2), "must be in [0, 1)")
        try check("adam_epsilon", configuration.adamEpsilon, configuration.adamEpsilon > 0, "must be positive")
        try check("weight_decay", configuration.weightDecay, configuration.weightDecay >= 0, "must be ≥ 0")
        let defaultMomentum = (kind == .momentum || kind == .nesterov) && configuration.momentum == 0
        momentum = Float(defaultMomentum ? 0.9 : configuration.momentum)
        nesterov = kind == .nesterov
        beta1 = Float(configuration.beta1)
        beta2 = Float(configuration.beta2)
        epsilon = Float(configuration.adamEpsilon)
        weightDecay = Float(configuration.weightDecay)
        decoupledWeightDecay = kind == .adamw
    }

    deinit {
        for slot in slots.values {
            slot.first.deallocate()
            slot.second?.deallocate()
        }
    }

    /// True when the update is `w ← w − η·g` exactly, so that layers may apply it inside their backward pass.
    public var isPlainGradientDescent: Bool {
        (kind == .sgd) && momentum == 0 && weightDecay == 0
    }

    /// Applies one update to every parameter with learning rate `learningRate`.
    public func step(_ parameters: [Parameter], learningRate: Float) {
        stepCount += 1
        for parameter in parameters {
            update(parameter, learningRate)
        }
    }

    private func slot(for parameter: Parameter, second: Bool) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) {
        let key = ObjectIdentifier(parameter)
        if let existing = slots[key] { return existing }
        let first = UnsafeMutablePointer<Float>.allocate(capacity: parameter.count)
        first.initialize(repeating: 0, count: parameter.count)
        var secondSlot: UnsafeMutablePointer<Float>?
        if second {
            secondSlot = .allocate(capacity: parameter.count)
            secondSlot!.initialize(repeating: 0, count: parameter.count)
        }
        slots[key] = (first, secondSlot)
        return (first, secondSlot)
    }

    private func update(_ parameter: Parameter, _ learningRate: Float) {
        let w = parameter.value
        let g = parameter.gradient
        let count = parameter.count
        let decay = weightDecay
        switch kind {
        case .sgd, .momentum, .nesterov:
            if decay != 0 {
                for index in 0..<count { g[index] += decay * w[index] }
            }
            guard momentum != 0 else {
                for index in 0..<count { w[index] -= learningRate * g[index] }
                return
            }
            let (velocity, _) = slot(for: parameter, second: false)
            let mu = momentum
            if stepCount == 1 {
                velocity.update(from: g, count: count)
            } else {
                for index in 0..<count { velocity[index] = mu * velocity[index] + g[index] }
            }
            if nesterov {
                for index in 0..<count { w[index] -= learningRate * (g[index] + mu * velocity[index]) }
            } else {
                for index in 0..<count { w[index] -= learningRate * velocity[index] }
            }
        case .adam, .adamw:
            let (m, vOptional) = slot(for: parameter, second: true)
            let v = vOptional!
            if decoupledWeightDecay {
                let shrink = 1 - learningRate * decay
                for index in 0..<count { w[index] *= shrink }
            } else if decay != 0 {
                for index in 0..<count { g[index] += decay * w[index] }
            }
            let b1 = beta1
            let b2 = beta2
            let correction1 = 1 - Float(pow(Double(b1), Double(stepCount)))
            let correction2 = 1 - Float(pow(Double(b2), Double(stepCount)))
            let stepSize = learningRate / correction1
            let inverseCorrection2 = 1 / correction2
            let eps = epsilon
            for index in 0..<count {
                let gradient = g[index]
                m[index] = b1 * m[index] + (1 - b1) * gradient
                v[index] = b2 * v[index] + (1 - b2) * gradient * gradient
                w[index] -= stepSize * m[index] / ((v[index] * inverseCorrection2).squareRoot() + eps)
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
