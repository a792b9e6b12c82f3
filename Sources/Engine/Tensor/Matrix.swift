/// A dense row-major Float32 matrix: element (row r, column c) is `values[r * columns + c]`.
public struct Matrix: Sendable, Equatable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns, "matrix shape does not match its values")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: value, count: rows * columns))
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The rows at `indices`, in that order.
    public func gatherRows(_ indices: [Int]) -> Matrix {
        var result = [Float](repeating: 0, count: indices.count * columns)
        let width = columns
        values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { destination in
                for (outputRow, inputRow) in indices.enumerated() {
                    let from = source.baseAddress! + inputRow * width
                    let to = destination.baseAddress! + outputRow * width
                    to.update(from: from, count: width)
                }
            }
        }
        return Matrix(rows: indices.count, columns: columns, values: result)
    }
}
