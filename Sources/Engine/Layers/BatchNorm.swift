/// Batch normalization over features (`BatchNorm1d`): for each feature j over the batch,
///
///     μ_j = (1/B) Σ_i x_ij        σ²_j = (1/B) Σ_i (x_ij − μ_j)²
///     x̂_ij = (x_ij − μ_j) / √(σ²_j + ε)        y_ij = γ_j · x̂_ij + β_j
///
/// in training, with running statistics updated as `r ← (1 − m)·r + m·s` (m = momentum; the running variance
/// takes the unbiased batch variance, as PyTorch does). In evaluation the running statistics replace μ and σ².
/// γ and β are parameters; the running mean and variance are buffers. Backward (training mode):
///
///     ∂L/∂γ_j = Σ_i g_ij·x̂_ij        ∂L/∂β_j = Σ_i g_ij
///     ∂L/∂x_ij = γ_j / (B·√(σ²_j + ε)) · (B·g_ij − Σ_k g_kj − x̂_ij · Σ_k g_kj·x̂_kj)
public final class BatchNorm: Layer {
    public let kind = "batch_norm"
    public let inputWidth: Int
    public var outputWidth: Int { inputWidth }
    public let momentum: Float
    public let epsilon: Float
    public let gamma: Parameter
    public let beta: Parameter
    public let runningMean: StateBuffer
    public let runningVariance: StateBuffer
    public var parameters: [Parameter] { [gamma, beta] }
    public var buffers: [StateBuffer] { [runningMean, runningVariance] }

    private let output = Workspace()
    private let normalized = Workspace()
    private let inputGradient = Workspace()
    private let inverseStd = Workspace()
    private let sums = Workspace()
    private var usedBatchStatistics = false

    public init(width: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        inputWidth = width
        self.momentum = momentum
        self.epsilon = epsilon
        gamma = Parameter(name: "weight", shape: [width])
        beta = Parameter(name: "bias", shape: [width])
        gamma.value.update(repeating: 1, count: width)
        runningMean = StateBuffer(name: "running_mean", shape: [width], initialValue: 0)
        runningVariance = StateBuffer(name: "running_var", shape: [width], initialValue: 1)
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let width = inputWidth
        let y = output.reserve(batch * width)
        let xHat = normalized.reserve(batch * width)
        let invStd = inverseStd.reserve(width)
        let mean = sums.reserve(2 * width)
        let variance = mean + width
        usedBatchStatistics = training
        if training {
            mean.update(repeating: 0, count: 2 * width)
            for row in 0..<batch {
                let x = input + row * width
                for j in 0..<width { mean[j] += x[j] }
            }
            let scale = 1 / Float(batch)
            for j in 0..<width { mean[j] *= scale }
            for row in 0..<batch {
                let x = input + row * width
                for j in 0..<width {
                    let centred = x[j] - mean[j]
                    variance[j] += centred * centred
                }
            }
            let unbiased = batch > 1 ? Float(batch) / Float(batch - 1) : 1
            for j in 0..<width {
                variance[j] *= scale
                runningMean.value[j] = (1 - momentum) * runningMean.value[j] + momentum * mean[j]
                runningVariance.value[j] = (1 - momentum) * runningVariance.value[j] + momentum * variance[j] * unbiased
                invStd[j] = 1 / (variance[j] + epsilon).squareRoot()
            }
        } else {
            for j in 0..<width {
                mean[j] = runningMean.value[j]
                invStd[j] = 1 / (runningVariance.value[j] + epsilon).squareRoot()
            }
        }
        for row in 0..<batch {
            let x = input + row * width
            let normalizedRow = xHat + row * width
            let outputRow = y + row * width
            for j in 0..<width {
                let value = (x[j] - mean[j]) * invStd[j]
                normalizedRow[j] = value
                outputRow[j] = gamma.value[j] * value + beta.value[j]
            }
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int, needInputGradient: Bool)
        -> UnsafePointer<Float>?
    {
        let width = inputWidth
        let xHat = normalized.pointer
        let invStd = inverseStd.pointer
        let dGamma = gamma.gradient
        let dBeta = beta.gradient
        dGamma.update(repeating: 0, count: width)
        dBeta.update(repeating: 0, count: width)
        for row in 0..<batch {
            let g = outputGradient + row * width
            let normalizedRow = xHat + row * width
            for j in 0..<width {
                dGamma[j] += g[j] * normalizedRow[j]
                dBeta[j] += g[j]
            }
        }
        guard needInputGradient else { return nil }
        let dx = inputGradient.reserve(batch * width)
        if usedBatchStatistics {
            let count = Float(batch)
            for row in 0..<batch {
                let g = outputGradient + row * width
                let normalizedRow = xHat + row * width
                let out = dx + row * width
                for j in 0..<width {
                    out[j] = gamma.value[j] * invStd[j] / count
                        * (count * g[j] - dBeta[j] - normalizedRow[j] * dGamma[j])
                }
            }
        } else {
            // Evaluation-mode statistics are constants: y = γ·(x − r_μ)·invStd + β.
            for row in 0..<batch {
                let g = outputGradient + row * width
                let out = dx + row * width
                for j in 0..<width { out[j] = g[j] * gamma.value[j] * invStd[j] }
            }
        }
        return UnsafePointer(dx)
    }
}
