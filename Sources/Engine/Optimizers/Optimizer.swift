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

    /// The optimizer's hyperparameters, as `TrainingConfiguration` holds them (ranges are checked there, by the
    /// parameter registry, before an optimizer is built).
    public struct Settings: Sendable, Equatable {
        public var kind: OptimizerKind
        public var momentum: Double
        public var beta1: Double
        public var beta2: Double
        public var epsilon: Double
        public var weightDecay: Double

        public init(
            kind: OptimizerKind, momentum: Double = 0, beta1: Double = 0.9, beta2: Double = 0.999,
            epsilon: Double = 1e-8, weightDecay: Double = 0
        ) {
            self.kind = kind
            self.momentum = momentum
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    public init(_ settings: Settings) {
        kind = settings.kind
        let defaultMomentum = (kind == .momentum || kind == .nesterov) && settings.momentum == 0
        momentum = Float(defaultMomentum ? 0.9 : settings.momentum)
        nesterov = kind == .nesterov
        beta1 = Float(settings.beta1)
        beta2 = Float(settings.beta2)
        epsilon = Float(settings.epsilon)
        weightDecay = Float(settings.weightDecay)
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
