#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The training objectives. Each is the mean over the batch (and, for MSE/BCE, over outputs).
public enum LossKind: String, CaseIterable, Sendable, Codable {
    /// Softmax cross-entropy on logits `z` with class labels `c`, computed with a stable log-sum-exp:
    /// `ℓ_i = log Σ_k e^(z_ik) − z_ic`, `L = (1/B) Σ_i ℓ_i`, `∂L/∂z_ik = (softmax(z_i)_k − [k = c_i]) / B`.
    ///
    /// With label smoothing ε (PyTorch's `CrossEntropyLoss(label_smoothing=ε)`) the target of row i over K classes
    /// is `q_ik = (1 − ε)·[k = c_i] + ε/K`, and since `Σ_k q_ik = 1`:
    /// `ℓ_i = −Σ_k q_ik log softmax(z_i)_k = log Σ_k e^(z_ik) − (1 − ε)·z_ic − (ε/K)·Σ_k z_ik`,
    /// `∂L/∂z_ik = (softmax(z_i)_k − q_ik) / B`. ε = 0 is the plain loss above.
    case crossEntropy = "cross-entropy"
    /// Mean squared error against real targets (regression) or one-hot labels (classification):
    /// `L = (1/(B·C)) Σ (y − t)²`, `∂L/∂y = 2(y − t)/(B·C)`.
    case meanSquaredError = "mse"
    /// Sigmoid binary cross-entropy on logits, per output (one output: the label is the target; several: one-hot):
    /// `ℓ = max(z, 0) − z·t + log(1 + e^(−|z|))`, `L = mean ℓ`, `∂L/∂z = (σ(z) − t)/(B·C)`.
    case binaryCrossEntropy = "bce"
}

/// What the network is trained to predict for one batch: class labels or real targets (`batch × width`).
public enum BatchTargets {
    case labels(UnsafePointer<Int32>)
    case values(UnsafePointer<Float>)
}

/// Computes a loss, its gradient with respect to the network's output, and how many predictions were right.
public final class LossFunction {
    public let kind: LossKind
    public let width: Int
    /// Label smoothing ε of cross-entropy (`LossKind.crossEntropy`), in [0, 1); 0 for the other losses.
    public let labelSmoothing: Float
    private let gradientStorage = Workspace()

    public init(kind: LossKind, width: Int, labelSmoothing: Float = 0) {
        precondition(labelSmoothing == 0 || kind == .crossEntropy, "label smoothing is defined for cross-entropy only")
        self.kind = kind
        self.width = width
        self.labelSmoothing = labelSmoothing
    }

    /// ∂L/∂output of the last `evaluate(…, computeGradient: true)`.
    public var gradient: UnsafePointer<Float> { UnsafePointer(gradientStorage.pointer) }

    /// Mean loss of `batch` rows of `output`. `correct` counts right predictions (classification only), and
    /// `predictions`, when given, receives each row's predicted class.
    public func evaluate(
        _ output: UnsafePointer<Float>, batch: Int, targets: BatchTargets, computeGradient: Bool,
        predictions: UnsafeMutablePointer<Int32>? = nil
    ) -> (loss: Double, correct: Int) {
        let gradient = gradientStorage.reserve(batch * width)
        switch kind {
        case .crossEntropy:
            guard case .labels(let labels) = targets else { preconditionFailure("cross-entropy needs labels") }
            return crossEntropy(output, batch, labels, computeGradient ? gradient : nil, predictions)
        case .meanSquaredError:
            return meanSquaredError(output, batch, targets, computeGradient ? gradient : nil, predictions)
        case .binaryCrossEntropy:
            return binaryCrossEntropy(output, batch, targets, computeGradient ? gradient : nil, predictions)
        }
    }

    private func crossEntropy(
        _ logits: UnsafePointer<Float>, _ batch: Int, _ labels: UnsafePointer<Int32>,
        _ gradient: UnsafeMutablePointer<Float>?, _ predictions: UnsafeMutablePointer<Int32>?
    ) -> (loss: Double, correct: Int) {
        var total: Double = 0
        var correct = 0
        let inverseBatch = 1 / Float(batch)
        let smoothing = labelSmoothing
        let uniformShare = smoothing / Float(width)  // ε/K, the target every class gets
        for row in 0..<batch {
            let z = logits + row * width
            let (best, maximum) = argmax(z)
            var sum: Float = 0
            for k in 0..<width { sum += expf(z[k] - maximum) }
            let label = Int(labels[row])
            if smoothing == 0 {
                total += Double(maximum + logf(sum) - z[label])
            } else {
                var logitSum: Float = 0
                for k in 0..<width { logitSum += z[k] }
                total += Double(maximum + logf(sum) - (1 - smoothing) * z[label] - uniformShare * logitSum)
            }
            if best == label { correct += 1 }
            predictions?[row] = Int32(best)
            if let gradient {
                let g = gradient + row * width
                let scale = inverseBatch / sum
                for k in 0..<width { g[k] = expf(z[k] - maximum) * scale }
                if smoothing == 0 {
                    g[label] -= inverseBatch
                } else {
                    for k in 0..<width { g[k] -= uniformShare * inverseBatch }
                    g[label] -= (1 - smoothing) * inverseBatch
                }
            }
        }
        return (total / Double(batch), correct)
    }

    private func meanSquaredError(
        _ output: UnsafePointer<Float>, _ batch: Int, _ targets: BatchTargets,
        _ gradient: UnsafeMutablePointer<Float>?, _ predictions: UnsafeMutablePointer<Int32>?
    ) -> (loss: Double, correct: Int) {
        var total: Double = 0
        var correct = 0
        let scale = 2 / Float(batch * width)
        for row in 0..<batch {
            let y = output + row * width
            var rowSum: Float = 0
            for k in 0..<width {
                let difference = y[k] - target(targets, row, k)
                rowSum += difference * difference
                gradient?[row * width + k] = scale * difference
            }
            total += Double(rowSum)
            if case .labels(let labels) = targets {
                let best = argmax(y).index
                if best == Int(labels[row]) { correct += 1 }
                predictions?[row] = Int32(best)
            }
        }
        return (total / Double(batch * width), correct)
    }

    private func binaryCrossEntropy(
        _ logits: UnsafePointer<Float>, _ batch: Int, _ targets: BatchTargets,
        _ gradient: UnsafeMutablePointer<Float>?, _ predictions: UnsafeMutablePointer<Int32>?
    ) -> (loss: Double, correct: Int) {
        var total: Double = 0
        var correct = 0
        let scale = 1 / Float(batch * width)
        for row in 0..<batch {
            let z = logits + row * width
            for k in 0..<width {
                let t = target(targets, row, k)
                let value = z[k]
                total += Double(max(value, 0) - value * t + log1pf(expf(-abs(value))))
                gradient?[row * width + k] = scale * (1 / (1 + expf(-value)) - t)
            }
            if case .labels(let labels) = targets {
                let predicted = width == 1 ? (z[0] > 0 ? 1 : 0) : argmax(z).index
                if predicted == Int(labels[row]) { correct += 1 }
                predictions?[row] = Int32(predicted)
            }
        }
        return (total / Double(batch * width), correct)
    }

    /// The target of output `k` for `row`: the real target, the binary label (one output) or the one-hot label.
    @inline(__always)
    private func target(_ targets: BatchTargets, _ row: Int, _ k: Int) -> Float {
        switch targets {
        case .values(let values): return values[row * width + k]
        case .labels(let labels):
            if width == 1 { return Float(labels[row]) }
            return Int(labels[row]) == k ? 1 : 0
        }
    }

    @inline(__always)
    private func argmax(_ row: UnsafePointer<Float>) -> (index: Int, value: Float) {
        var best = 0
        var maximum = row[0]
        for k in 1..<max(width, 1) where row[k] > maximum {
            maximum = row[k]
            best = k
        }
        return (best, maximum)
    }
}
