/// One bucket of a downsampled series: the steps it covers and the min, max and mean of its values, so that a
/// plot of the buckets keeps the noise (min/max envelope) as well as the trend (mean).
public struct SeriesBucket: Sendable, Equatable {
    public var firstStep: Int
    public var lastStep: Int
    public var count: Int
    public var minimum: Double
    public var maximum: Double
    public var mean: Double
}

/// Streams `(step, value)` pairs (steps 1…`lastStep`, increasing) into at most `points` buckets of equal step
/// width: step `s` goes to bucket `⌊(s − 1)·points / lastStep⌋`. NaN values are skipped (they carry no extent).
/// With `points ≥ lastStep` every step is its own bucket. One pass, O(points) memory.
public struct SeriesDownsampler: Sendable {
    public let points: Int
    public let lastStep: Int
    private var buckets: [SeriesBucket?]
    private var sums: [Double]

    public init(points: Int, lastStep: Int) {
        self.points = max(1, min(points, max(1, lastStep)))
        self.lastStep = max(1, lastStep)
        buckets = Array(repeating: nil, count: self.points)
        sums = Array(repeating: 0, count: self.points)
    }

    public mutating func add(step: Int, value: Double) {
        guard !value.isNaN, step >= 1, step <= lastStep else { return }
        let index = (step - 1) * points / lastStep
        sums[index] += value
        if var bucket = buckets[index] {
            bucket.firstStep = min(bucket.firstStep, step)
            bucket.lastStep = max(bucket.lastStep, step)
            bucket.count += 1
            bucket.minimum = min(bucket.minimum, value)
            bucket.maximum = max(bucket.maximum, value)
            buckets[index] = bucket
        } else {
            buckets[index] = SeriesBucket(firstStep: step, lastStep: step, count: 1, minimum: value, maximum: value, mean: value)
        }
    }

    /// The non-empty buckets in step order, with their means.
    public func result() -> [SeriesBucket] {
        buckets.indices.compactMap { index in
            guard var bucket = buckets[index] else { return nil }
            bucket.mean = sums[index] / Double(bucket.count)
            return bucket
        }
    }

    /// Downsamples a whole series whose element `i` is step `i + 1`.
    public static func downsample(_ values: [Double], points: Int) -> [SeriesBucket] {
        var sampler = SeriesDownsampler(points: points, lastStep: values.count)
        for (index, value) in values.enumerated() { sampler.add(step: index + 1, value: value) }
        return sampler.result()
    }
}

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
