/// Sample indices of a train/validation/test split. Each list is in increasing order; together they cover
/// `0 ..< sampleCount` exactly once.
public struct SplitIndices: Sendable, Equatable {
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// Seeded train/validation/test splits.
///
/// Sizes: `testSize = round(N · testFraction)` and `validationSize = round(N · validationFraction)` (halves away from
/// zero), each at least 1 when its fraction is above 0; the training set gets the rest and must not be empty.
/// Randomness: `Xoshiro256StarStar(seed: seed, stream: "split")`.
///
/// - Plain: one Fisher–Yates shuffle of `0 ..< N`; the first `testSize` indices are test, the next `validationSize`
///   validation.
/// - Stratified (labels given): the test size is shared among the classes in proportion to their sizes by the
///   largest-remainder method (ties to the lower class index), then the validation size among what is left of each
///   class the same way; each class's indices are shuffled (classes in increasing order, one generator) and cut in the
///   same order as the plain split. So every split holds each class in proportion, to within one sample.
public enum DataSplit {
    public static func indices(
        sampleCount: Int, labels: [Int32]?, validationFraction: Double, testFraction: Double, stratify: Bool,
        seed: UInt64
    ) throws -> SplitIndices {
        try checkFractions(validation: validationFraction, test: testFraction)
        let testSize = size(of: sampleCount, fraction: testFraction)
        let validationSize = size(of: sampleCount, fraction: validationFraction)
        guard testSize + validationSize < sampleCount else {
            throw EngineError(
                "invalid split: test_fraction \(testFraction) and validation_fraction \(validationFraction) of "
                    + "\(sampleCount) samples leave no training samples")
        }
        var random = Xoshiro256StarStar(seed: seed, stream: "split")
        guard stratify, let labels else {
            var order = Array(0 ..< sampleCount)
            random.shuffle(&order)
            return SplitIndices(
                train: order[(testSize + validationSize)...].sorted(),
                validation: order[testSize ..< (testSize + validationSize)].sorted(),
                test: order[..<testSize].sorted())
        }
        precondition(labels.count == sampleCount, "one label per sample")
        let classCount = Int(labels.max() ?? -1) + 1
        var members = [[Int]](repeating: [], count: classCount)
        for (index, label) in labels.enumerated() { members[Int(label)].append(index) }
        let classSizes = members.map(\.count)
        let testShares = apportion(testSize, among: classSizes)
        let remaining = zip(classSizes, testShares).map { $0 - $1 }
        let validationShares = apportion(validationSize, among: remaining, total: sampleCount - testSize)

        var split = SplitIndices(train: [], validation: [], test: [])
        for k in 0 ..< classCount {
            var order = members[k]
            random.shuffle(&order)
            split.test += order[..<testShares[k]]
            split.validation += order[testShares[k] ..< (testShares[k] + validationShares[k])]
            split.train += order[(testShares[k] + validationShares[k])...]
        }
        split.train.sort()
        split.validation.sort()
        split.test.sort()
        return split
    }

    /// Splits `dataset` into train, validation (nil when empty) and test (nil when empty) subsets, by `indices`.
    /// The subsets keep the dataset's name, class count and names.
    public static func split(
        _ dataset: Dataset, validationFraction: Double, testFraction: Double, stratify: Bool, seed: UInt64
    ) throws -> (train: Dataset, validation: Dataset?, test: Dataset?) {
        let split = try indices(
            sampleCount: dataset.sampleCount, labels: dataset.labels, validationFraction: validationFraction,
            testFraction: testFraction, stratify: stratify, seed: seed)
        return (
            dataset.subset(split.train),
            split.validation.isEmpty ? nil : dataset.subset(split.validation),
            split.test.isEmpty ? nil : dataset.subset(split.test)
        )
    }

    /// The one check of the split fractions: each in [0, 1) (the registry's rule), and together below 1.
    public static func checkFractions(validation: Double, test: Double) throws {
        try Hyperparameter.testFraction.validate(value: .double(test))
        try Hyperparameter.validationFraction.validate(value: .double(validation))
        guard validation + test < 1 else {
            throw EngineError.invalid(
                "validation_fraction", validation, "validation and test fractions together must be below 1")
        }
    }

    /// `round(count · fraction)`, at least 1 when the fraction is above 0.
    static func size(of count: Int, fraction: Double) -> Int {
        guard fraction > 0 else { return 0 }
        return max(1, Int((Double(count) * fraction).rounded()))
    }

    /// Shares `amount` among groups in proportion to `sizes` (proportion relative to `total`, default their sum) by
    /// the largest-remainder method; no share exceeds its group's size. Ties go to the lower index.
    static func apportion(_ amount: Int, among sizes: [Int], total: Int? = nil) -> [Int] {
        let whole = Double(total ?? sizes.reduce(0, +))
        guard amount > 0, whole > 0 else { return sizes.map { _ in 0 } }
        let scale = Double(amount) / whole
        var shares = sizes.map { min($0, Int((Double($0) * scale).rounded(.down))) }
        var left = amount - shares.reduce(0, +)
        let order = sizes.indices.sorted { a, b in
            let ra = Double(sizes[a]) * scale - Double(shares[a])
            let rb = Double(sizes[b]) * scale - Double(shares[b])
            return ra != rb ? ra > rb : a < b
        }
        // Hand out the remainder, largest remainders first; repeat in case some groups are full.
        while left > 0 {
            var progressed = false
            for index in order where left > 0 && shares[index] < sizes[index] {
                shares[index] += 1
                left -= 1
                progressed = true
            }
            if !progressed { break }
        }
        return shares
    }
}
