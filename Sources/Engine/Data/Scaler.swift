/// Feature scaling fitted on the training split and applied unchanged to the other splits:
/// `x' = (x − offset[j]) · factor[j]` per column j.
///
/// - `none`: offset 0, factor 1.
/// - `standardize`: offset = mean, factor = 1/σ with σ the population standard deviation (divisor N, as
///   scikit-learn's `StandardScaler`); a column with σ = 0 is only centred (factor 1).
/// - `minmax`: offset = min, factor = 1/(max − min), mapping the training range to [0, 1]; a constant column
///   becomes 0 (factor 1).
/// Statistics are accumulated in Double.
public struct Scaler: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        case none, standardize, minmax
    }

    public var method: Method
    public var offsets: [Float]
    public var factors: [Float]

    public init(method: Method, offsets: [Float], factors: [Float]) {
        self.method = method
        self.offsets = offsets
        self.factors = factors
    }

    /// Fits `method` to the columns of `features`.
    public static func fit(_ method: Method, to features: Matrix) -> Scaler {
        let columns = features.columns
        let rows = features.rows
        var offsets = [Float](repeating: 0, count: columns)
        var factors = [Float](repeating: 1, count: columns)
        guard method != .none, rows > 0 else { return Scaler(method: method, offsets: offsets, factors: factors) }
        features.values.withUnsafeBufferPointer { values in
            switch method {
            case .none:
                break
            case .standardize:
                var sums = [Double](repeating: 0, count: columns)
                for row in 0 ..< rows {
                    for column in 0 ..< columns { sums[column] += Double(values[row * columns + column]) }
                }
                let means = sums.map { $0 / Double(rows) }
                var squares = [Double](repeating: 0, count: columns)
                for row in 0 ..< rows {
                    for column in 0 ..< columns {
                        let deviation = Double(values[row * columns + column]) - means[column]
                        squares[column] += deviation * deviation
                    }
                }
                for column in 0 ..< columns {
                    offsets[column] = Float(means[column])
                    let deviation = (squares[column] / Double(rows)).squareRoot()
                    factors[column] = deviation > 0 ? Float(1 / deviation) : 1
                }
            case .minmax:
                var minimums = [Float](repeating: .infinity, count: columns)
                var maximums = [Float](repeating: -.infinity, count: columns)
                for row in 0 ..< rows {
                    for column in 0 ..< columns {
                        let value = values[row * columns + column]
                        minimums[column] = Swift.min(minimums[column], value)
                        maximums[column] = Swift.max(maximums[column], value)
                    }
                }
                for column in 0 ..< columns {
                    offsets[column] = minimums[column]
                    let range = Double(maximums[column]) - Double(minimums[column])
                    factors[column] = range > 0 ? Float(1 / range) : 1
                }
            }
        }
        return Scaler(method: method, offsets: offsets, factors: factors)
    }

    /// `features` scaled column by column.
    public func transform(_ features: Matrix) -> Matrix {
        guard method != .none else { return features }
        precondition(features.columns == offsets.count, "scaler fitted to another number of columns")
        var result = features
        let columns = features.columns
        result.values.withUnsafeMutableBufferPointer { values in
            for row in 0 ..< features.rows {
                for column in 0 ..< columns {
                    values[row * columns + column] = (values[row * columns + column] - offsets[column]) * factors[column]
                }
            }
        }
        return result
    }

    /// `dataset` with its features scaled.
    public func apply(to dataset: Dataset) -> Dataset {
        var result = dataset
        result.features = transform(dataset.features)
        return result
    }
}
