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
