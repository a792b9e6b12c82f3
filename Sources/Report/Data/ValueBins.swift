/// Equal-count bins of numbers by rank: value x goes to bin ⌊rank(x) · bins / n⌋, where rank(x) is the first
/// position of x among the n values sorted, so equal values share a bin and each bin holds about n / bins values.
/// What a report groups a continuous hyperparameter by (random and TPE search draw a new value for every trial).
enum ValueBins {
    /// The bin (0 ..< `bins`) of each of `values`, in their order.
    static func bins(of values: [Double], count bins: Int) -> [Int] {
        let sorted = values.sorted()
        var firstRank: [Double: Int] = [:]
        for (rank, value) in sorted.enumerated() where firstRank[value] == nil { firstRank[value] = rank }
        return values.map { firstRank[$0]! * bins / max(values.count, 1) }
    }
}
