import CSparseKernels

/// A whole dataset's features kept as their non-zero entries, row by row (CSR), made once when the data is prepared
/// so that no batch has to search its rows for non-zeros again (`SparseBatch.gather`): row `r`'s entries are
/// `columns[rowStart[r] ..< rowStart[r + 1]]` with their `values`, in increasing column order — exactly what
/// `SparseBatch.compress` finds in that row of the dense matrix.
public struct SparseRows: Sendable, Equatable {
    public let rowCount: Int
    public let columnCount: Int
    let rowStart: [Int64]
    let columns: [Int32]
    let values: [Float]

    /// The non-zeros of `matrix`, or nil when more than `SparseBatch.maximumDensity` of its entries are non-zero
    /// (then no batch of it could take the sparse products on average) or the CPU lacks the sparse kernels.
    public init?(_ matrix: Matrix) {
        guard SparseBatch.isAvailable, matrix.rows > 0, matrix.columns > 0 else { return nil }
        let limit = SparseBatch.nonZeroLimit(rows: matrix.rows, columns: matrix.columns)
        var rowStart = [Int64](repeating: 0, count: matrix.rows + 1)
        // The kernel writes every entry at its cursor before it knows whether it is zero: room for one more row.
        var columns = [Int32](repeating: 0, count: limit + matrix.columns)
        var values = [Float](repeating: 0, count: limit + matrix.columns)
        let count = matrix.values.withUnsafeBufferPointer { input in
            logbook_csr_compress(
                input.baseAddress!, Int64(matrix.rows), Int64(matrix.columns), Int64(limit), &rowStart, &columns, &values)
        }
        guard count >= 0 else { return nil }
        columns.removeLast(columns.count - Int(count))
        values.removeLast(values.count - Int(count))
        self.rowCount = matrix.rows
        self.columnCount = matrix.columns
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }

    /// The number of non-zero entries.
    public var nonZeroCount: Int { values.count }
}

extension Dataset {
    /// This dataset with `sparseFeatures` made from its features (nil when they are too dense).
    public func withSparseFeatures() -> Dataset {
        var result = self
        result.sparseFeatures = SparseRows(features)
        return result
    }
}
