/// Mean and sample standard deviation (n − 1 in the denominator; 0 for a single value or identical values).
public struct MeanAndDeviation: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double

    public init(_ values: [Double]) {
        let finite = values.filter { $0.isFinite }
        count = finite.count
        mean = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        if finite.count > 1 {
            let mean = self.mean
            let deviation = (finite.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(finite.count - 1)).squareRoot()
            // Identical values can leave rounding residue (1e-17): report it as the 0 it is.
            standardDeviation = deviation <= 1e-12 * max(1, abs(mean)) ? 0 : deviation
        } else {
            standardDeviation = finite.isEmpty ? .nan : 0
        }
    }

    /// `0.9123 ± 0.0120 (n=3)`.
    public var text: String {
        guard count > 0 else { return "" }
        return "\(CellText.formatReal(mean)) ± \(CellText.formatReal(standardDeviation)) (n=\(count))"
    }
}

/// A unicode sparkline of `values` (`▁▂▃▄▅▆▇█`), min to max of the finite values; NaN shows as a space.
public func sparkline(_ values: [Double]) -> String {
    let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    let finite = values.filter { $0.isFinite }
    guard let low = finite.min(), let high = finite.max() else { return "" }
    let span = high - low
    return String(values.map { value -> Character in
        guard value.isFinite else { return " " }
        let level = span > 0 ? Int(((value - low) / span * 7).rounded()) : 3
        return blocks[min(7, max(0, level))]
    })
}
