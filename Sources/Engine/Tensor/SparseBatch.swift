import CSparseKernels

/// A batch of a mostly-zero input (MNIST pixels are ≈ 19 % non-zero) kept as its non-zero entries, row by row
/// (CSR) for the forward product and column by column (CSC) for the weight gradient, so that a dense layer's
/// products skip the zeros. For a `B × in` batch `X` with non-zeros `(r, c, v)` and weights `S` (`in × out`):
///
///     Y[r, :] = b + Σ_{(c, v) in row r} v · S[c, :]        (∂L/∂S)[c, :] = Σ_{(r, v) in column c} v · G[r, :]
///
/// Each sum runs over the non-zeros in a fixed order (increasing column, increasing row), so results are
/// deterministic; they equal the dense GEMM's up to floating-point rounding. Used only when at most
/// `maximumDensity` of the entries are non-zero and the CPU has the vector kernels (AVX2 + FMA).
final class SparseBatch {
    /// Above this share of non-zero entries the dense GEMM is faster.
    static let maximumDensity = 0.3
    static let isAvailable = logbook_sparse_available() != 0

    /// Whether the products take their 512-bit form (AVX-512F): bit-identical results to the 256-bit form (every
    /// lane sums the same non-zeros in the same order with the same FMA), fewer instructions per multiply-add.
    static var usesAVX512: Bool { logbook_sparse_uses_avx512() != 0 }

    /// Runs `body` with the 512-bit form switched off (the 256-bit kernels only), for comparing the two.
    static func withoutAVX512<Result>(_ body: () throws -> Result) rethrows -> Result {
        logbook_sparse_allow_avx512(0)
        defer { logbook_sparse_allow_avx512(1) }
        return try body()
    }

    /// The most non-zero entries a `rows × columns` matrix may have and still take the sparse products.
    static func nonZeroLimit(rows: Int, columns: Int) -> Int { Int(maximumDensity * Double(rows * columns)) }

    private(set) var rows = 0
    private(set) var columns = 0
    private var capacity = 0
    private var rowStart = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
    private var columnIndex = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var values = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var columnStart = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
    private var rowIndex = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var columnValues = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var transposed = false

    deinit {
        for pointer in [rowStart, columnStart] as [UnsafeMutablePointer<Int64>] { pointer.deallocate() }
        columnIndex.deallocate()
        rowIndex.deallocate()
        values.deallocate()
        columnValues.deallocate()
    }

    /// Compresses the `rows × columns` matrix `input`; false (and nothing kept) when it is too dense or the CPU
    /// lacks the kernels.
    func compress(_ input: UnsafePointer<Float>, rows: Int, columns: Int) -> Bool {
        guard SparseBatch.isAvailable else { return false }
        let limit = SparseBatch.nonZeroLimit(rows: rows, columns: columns)
        reserve(rows: rows, columns: columns, nonZeros: limit)
        guard logbook_csr_compress(input, Int64(rows), Int64(columns), Int64(limit), rowStart, columnIndex, values) >= 0
        else { return false }
        self.rows = rows
        self.columns = columns
        transposed = false
        return true
    }

    /// Takes the rows `row(0), row(1), …, row(count − 1)` of `source` as the batch: the entries `compress` would
    /// find in those rows of the dense data, without reading the zeros. False (nothing kept) when the batch is too
    /// dense — the same decision `compress` makes for the same rows — or the CPU lacks the kernels.
    func gather(_ source: SparseRows, count: Int, row: (Int) -> Int) -> Bool {
        guard SparseBatch.isAvailable else { return false }
        let limit = SparseBatch.nonZeroLimit(rows: count, columns: source.columnCount)
        var nonZeros = 0
        for index in 0..<count {
            let sourceRow = row(index)
            nonZeros += Int(source.rowStart[sourceRow + 1] - source.rowStart[sourceRow])
        }
        guard nonZeros <= limit else { return false }
        reserve(rows: count, columns: source.columnCount, nonZeros: nonZeros)
        source.columns.withUnsafeBufferPointer { columns in
            source.values.withUnsafeBufferPointer { values in
                var cursor: Int64 = 0
                rowStart[0] = 0
                for index in 0..<count {
                    let sourceRow = row(index)
                    let begin = Int(source.rowStart[sourceRow]), length = Int(source.rowStart[sourceRow + 1]) - begin
                    (columnIndex + Int(cursor)).update(from: columns.baseAddress! + begin, count: length)
                    (self.values + Int(cursor)).update(from: values.baseAddress! + begin, count: length)
                    cursor += Int64(length)
                    rowStart[index + 1] = cursor
                }
            }
        }
        rows = count
        columns = source.columnCount
        transposed = false
        return true
    }

    /// `output` (`rows × width`) ← the compressed batch times `weights` (`columns × width`) plus `bias`.
    func multiply(weights: UnsafePointer<Float>, bias: UnsafePointer<Float>, width: Int, into output: UnsafeMutablePointer<Float>) {
        logbook_sparse_forward(Int64(rows), Int64(width), rowStart, columnIndex, values, weights, bias, output)
    }

    /// `target` (`columns × width`) ← Xᵀ·G (`accumulate` false), or `target + alpha · Xᵀ·G` (`accumulate` true).
    func multiplyTransposed(
        _ gradient: UnsafePointer<Float>, width: Int, alpha: Float, accumulate: Bool, into target: UnsafeMutablePointer<Float>
    ) {
        if !transposed {
            logbook_csr_to_csc(Int64(rows), Int64(columns), rowStart, columnIndex, values, columnStart, rowIndex, columnValues)
            transposed = true
        }
        logbook_sparse_weight_update(
            Int64(columns), Int64(width), columnStart, rowIndex, columnValues, gradient, alpha, accumulate ? 1 : 0, target)
    }

    private func reserve(rows: Int, columns: Int, nonZeros: Int) {
        let needed = nonZeros + columns
        if needed > capacity {
            for pointer in [columnIndex, rowIndex] { pointer.deallocate() }
            values.deallocate()
            columnValues.deallocate()
            columnIndex = .allocate(capacity: needed)
            rowIndex = .allocate(capacity: needed)
            values = .allocate(capacity: needed)
            columnValues = .allocate(capacity: needed)
            capacity = needed
        }
        if rows + 1 > self.rowStartCapacity {
            rowStart.deallocate()
            rowStart = .allocate(capacity: rows + 1)
            rowStartCapacity = rows + 1
        }
        if columns + 1 > columnStartCapacity {
            columnStart.deallocate()
            columnStart = .allocate(capacity: columns + 1)
            columnStartCapacity = columns + 1
        }
    }

    private var rowStartCapacity = 1
    private var columnStartCapacity = 1
}
