/// A fully connected layer: `y = x·Wᵀ + b`.
///
/// `W` is `outputWidth × inputWidth` (PyTorch's `nn.Linear` layout, the one `weightMatrix`, exports and imports
/// use) and `b` has `outputWidth` entries. The parameter `weight` stores `S = Wᵀ` (`inputWidth × outputWidth`) so
/// that every GEMM reads its operands in the order the BLAS kernels prefer. For a batch `X` (`B × in`) and upstream
/// gradient `G = ∂L/∂Y` (`B × out`):
///
///     Y = X·S + b        ∂L/∂S = Xᵀ·G  (= (∂L/∂W)ᵀ)        ∂L/∂b = Σ_rows G        ∂L/∂X = G·Sᵀ
///
/// With `acceptsSparseInput` (a network's first layer, whose input is the data), a batch that is mostly zeros
/// (`SparseBatch.maximumDensity`) takes the products over its non-zero entries instead of the GEMM.
public final class Dense: Layer {
    public let kind = "dense"
    public let inputWidth: Int
    public let outputWidth: Int
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }

    private let output = Workspace()
    private let inputGradient = Workspace()
    private let biasScratch = Workspace()
    private var lastInput: UnsafePointer<Float>?
    /// Set on a network's first layer: its input may be compressed to its non-zeros (see `SparseBatch`).
    public var acceptsSparseInput = false
    private let sparseInput = SparseBatch()
    /// Whether the last forward batch went through `sparseInput`.
    private var lastInputWasSparse = false

    public init(inputWidth: Int, outputWidth: Int) {
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
        weight = Parameter(name: "weight", shape: [inputWidth, outputWidth])
        bias = Parameter(name: "bias", shape: [outputWidth])
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        lastInput = input
        let result = output.reserve(batch * outputWidth)
        lastInputWasSparse = acceptsSparseInput && sparseInput.compress(input, rows: batch, columns: inputWidth)
        if lastInputWasSparse {
            sparseInput.multiply(weights: weight.value, bias: bias.value, width: outputWidth, into: result)
            return UnsafePointer(result)
        }
        // Broadcast the bias into every row, then accumulate X·Wᵀ on top of it (β = 1).
        let width = outputWidth
        for row in 0..<batch {
            (result + row * width).update(from: bias.value, count: width)
        }
        BLAS.gemm(
            transposeA: false, transposeB: false, m: batch, n: outputWidth, k: inputWidth,
            a: input, lda: inputWidth, b: weight.value, ldb: outputWidth, beta: 1, c: result, ldc: outputWidth)
        return UnsafePointer(result)
    }

    /// The forward pass of a batch given as rows of a dataset's non-zeros (`SparseRows`): row `i` of the batch is
    /// row `row(i)` of `source`. The same products (and the same results) as `forward` on those rows gathered dense;
    /// nil, with nothing done, when this layer does not take sparse input or the batch is too dense — the caller
    /// then gathers the rows and calls `forward`.
    func forward(sparse source: SparseRows, batch: Int, row: (Int) -> Int) -> UnsafePointer<Float>? {
        guard acceptsSparseInput, source.columnCount == inputWidth, sparseInput.gather(source, count: batch, row: row)
        else { return nil }
        lastInput = nil
        lastInputWasSparse = true
        let result = output.reserve(batch * outputWidth)
        sparseInput.multiply(weights: weight.value, bias: bias.value, width: outputWidth, into: result)
        return UnsafePointer(result)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int, needInputGradient: Bool)
        -> UnsafePointer<Float>?
    {
        if lastInputWasSparse {
            sparseInput.multiplyTransposed(outputGradient, width: outputWidth, alpha: 1, accumulate: false, into: weight.gradient)
        } else {
            guard let input = lastInput else { preconditionFailure("Dense.backward before forward") }
            BLAS.gemm(
                transposeA: true, transposeB: false, m: inputWidth, n: outputWidth, k: batch,
                a: input, lda: inputWidth, b: outputGradient, ldb: outputWidth, beta: 0, c: weight.gradient,
                ldc: outputWidth)
        }
        columnSums(outputGradient, rows: batch, into: bias.gradient, scale: 1, accumulate: false)
        return needInputGradient ? computeInputGradient(outputGradient, batch: batch) : nil
    }

    /// Backward pass fused with a plain SGD step, `S ← S − η·Xᵀ·G`, `b ← b − η·Σ G`, done by the GEMM itself
    /// (α = −η, β = 1) so that the weight gradient is never materialised. ∂L/∂X is computed first, from the
    /// weights before the update.
    public func backwardApplyingSGD(
        _ outputGradient: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, learningRate: Float
    ) -> UnsafePointer<Float>? {
        let result = needInputGradient ? computeInputGradient(outputGradient, batch: batch) : nil
        if lastInputWasSparse {
            sparseInput.multiplyTransposed(
                outputGradient, width: outputWidth, alpha: -learningRate, accumulate: true, into: weight.value)
        } else {
            guard let input = lastInput else { preconditionFailure("Dense.backward before forward") }
            BLAS.gemm(
                transposeA: true, transposeB: false, m: inputWidth, n: outputWidth, k: batch,
                alpha: -learningRate, a: input, lda: inputWidth, b: outputGradient, ldb: outputWidth, beta: 1,
                c: weight.value, ldc: outputWidth)
        }
        columnSums(outputGradient, rows: batch, into: bias.value, scale: -learningRate, accumulate: true)
        return result
    }

    /// `W` in PyTorch's layout, `outputWidth × inputWidth` row-major (the transpose of the stored `S`).
    public var weightMatrix: [Float] {
        get { Dense.transpose(weight.value, rows: inputWidth, columns: outputWidth) }
        set {
            precondition(newValue.count == weight.count)
            let transposed = newValue.withUnsafeBufferPointer {
                Dense.transpose($0.baseAddress!, rows: outputWidth, columns: inputWidth)
            }
            weight.values = transposed
        }
    }

    /// `∂L/∂W` in PyTorch's layout, `outputWidth × inputWidth`.
    public var weightGradientMatrix: [Float] { Dense.transpose(weight.gradient, rows: inputWidth, columns: outputWidth) }

    static func transpose(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int) -> [Float] {
        var result = [Float](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns { result[column * rows + row] = matrix[row * columns + column] }
        }
        return result
    }

    private func computeInputGradient(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let result = inputGradient.reserve(batch * inputWidth)
        BLAS.gemm(
            transposeA: false, transposeB: true, m: batch, n: inputWidth, k: outputWidth,
            a: outputGradient, lda: outputWidth, b: weight.value, ldb: outputWidth, beta: 0, c: result,
            ldc: inputWidth)
        return UnsafePointer(result)
    }

    /// `target[j] (+)= scale · Σ_r matrix[r, j]` for a `rows × outputWidth` matrix (summed row by row, so the
    /// inner loop runs over contiguous memory and vectorises).
    private func columnSums(
        _ matrix: UnsafePointer<Float>, rows: Int, into target: UnsafeMutablePointer<Float>, scale: Float,
        accumulate: Bool
    ) {
        let width = outputWidth
        let sums = biasScratch.reserve(width)
        sums.update(repeating: 0, count: width)
        for row in 0..<rows {
            let source = matrix + row * width
            for column in 0..<width { sums[column] += source[column] }
        }
        if accumulate {
            for column in 0..<width { target[column] += scale * sums[column] }
        } else {
            for column in 0..<width { target[column] = scale * sums[column] }
        }
    }
}
