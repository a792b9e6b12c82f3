import Store

/// Equal-count bins of numbers by rank: value x goes to bin ⌊rank(x) · bins / n⌋, where rank(x) is the first
/// position of x among the n values sorted, so equal values share a bin and each bin holds about n / bins values.
/// What a report, a pivot or the dashboard groups a hyperparameter by when the spec draws it from a distribution:
/// random and TPE search draw a new value for every trial, and one group per trial shows nothing. Grid values and
/// lists to choose from are never binned: they are the groups the user asked for.
enum ValueBins {
    /// Above this many distinct numbers a parameter is grouped in `binCount` bins rather than by value.
    static let maximumDistinctValues = 10
    /// Equal-count bins of a parameter with more than `maximumDistinctValues` distinct numbers.
    static let binCount = 4

    /// The bin (0 ..< `bins`) of each of `values`, in their order.
    static func bins(of values: [Double], count bins: Int) -> [Int] {
        let sorted = values.sorted()
        var firstRank: [Double: Int] = [:]
        for (rank, value) in sorted.enumerated() where firstRank[value] == nil { firstRank[value] = rank }
        return values.map { firstRank[$0]! * bins / max(values.count, 1) }
    }

    /// Whether `values` are binned: `drawn` from a distribution, all numbers, more than `maximumDistinctValues` of
    /// them distinct.
    static func isBinned(_ values: [SQLValue], drawn: Bool) -> Bool {
        drawn && values.allSatisfy { $0.double != nil } && Set(values).count > maximumDistinctValues
    }

    /// The group of each of `values` and the groups in order: the values themselves (numbers ascending, then text),
    /// or when `isBinned` their bin, labelled with its range (`0.001005–0.01234`), bins ascending.
    static func groups(_ values: [SQLValue], drawn: Bool) -> (labels: [SQLValue], order: [SQLValue]) {
        guard isBinned(values, drawn: drawn) else { return (values, SweepPivot.orderedDistinct(values)) }
        let numbers = values.map { $0.double! }
        let bins = bins(of: numbers, count: binCount)
        var low: [Int: Int] = [:], high: [Int: Int] = [:]  // bin → index of its smallest and largest value
        for (index, bin) in bins.enumerated() {
            if low[bin].map({ numbers[index] < numbers[$0] }) ?? true { low[bin] = index }
            if high[bin].map({ numbers[index] > numbers[$0] }) ?? true { high[bin] = index }
        }
        let label = { (bin: Int) -> SQLValue in .text("\(values[low[bin]!].label)–\(values[high[bin]!].label)") }
        return (bins.map(label), low.keys.sorted().map(label))
    }
}
