import Store

/// The correlation ratio η² = Σ_g n_g·(ȳ_g − ȳ)² / Σ_i (y_i − ȳ)²: how much of a metric's variance the groups of a
/// parameter's values explain (0: none, 1: all). Numeric values are grouped into `bins` equal-count bins by rank
/// (ties kept together); others by value. 0 when the metric does not vary.
///
/// Beside it, two answers to "would a parameter without effect do as well?": the mean of η² over every relabelling
/// of the trials, (k − 1)/(n − 1) (`chanceShare`), and the permutation p-value, the share of relabellings that
/// explain at least as much (`permutationPValue`).
public enum ParameterImportance {
    public static let bins = 4

    public static func correlationRatio(metric: [Double], values: [SQLValue]) -> Double {
        guard metric.count == values.count else { return 0 }
        let (groups, sizes) = groupIndices(values)
        return correlationRatio(metric: metric, groups: groups, sizes: sizes)
    }

    /// How many groups `groupKeys` makes of `values`.
    public static func groupCount(_ values: [SQLValue]) -> Int { Set(groupKeys(values)).count }

    /// The mean of η² over every assignment of the `trials` metric values to groups of the same sizes — what a
    /// parameter without effect explains: (k − 1)/(n − 1) for k groups of n trials, whatever the sizes and the
    /// values (E[SS_between] = (k − 1)·σ² and SS_total = (n − 1)·σ² under random relabelling). 1 when every trial
    /// is a group of its own; 0 for fewer than two trials.
    public static func chanceShare(groups: Int, trials: Int) -> Double {
        guard trials > 1, groups > 0 else { return 0 }
        return Double(min(groups, trials) - 1) / Double(trials - 1)
    }

    /// Relabellings enumerated one by one up to this many; past it, this many random ones.
    public static let permutations = 9_999

    /// The permutation test of "the parameter has no effect": under it every assignment of the metric values to
    /// the groups (same sizes) is as likely as the one observed, so
    ///
    ///     p = #{assignments π : η²(π) ≥ η²(observed)} / #{assignments}
    ///
    /// counted exactly when the distinct assignments, n! / Π_g n_g!, number at most `permutations` (each once, in
    /// lexicographic order of the group labels); otherwise estimated from B = `permutations` seeded random shuffles
    /// as (1 + #{η²(π) ≥ η²(observed)}) / (B + 1), which never gives 0. "At least" allows a relative 1e-9 of
    /// rounding (the same split summed in another order). 1 when η² cannot vary (one group, or each trial its own).
    public static func permutationPValue(metric: [Double], values: [SQLValue], seed: UInt64 = 0) -> Double {
        guard metric.count == values.count, metric.count > 1 else { return 1 }
        let (groups, sizes) = groupIndices(values)
        // SS_total is the same for every assignment, so η²(π) ≥ η²(observed) compares SS_between alone, which for
        // values centred on their mean is Σ_g S_g² / n_g (S_g the group's sum): one pass per assignment.
        let mean = metric.reduce(0, +) / Double(metric.count)
        let centred = metric.map { $0 - mean }
        guard centred.contains(where: { $0 != 0 }) else { return 1 }
        var sums = [Double](repeating: 0, count: sizes.count)
        func between(_ labels: [Int], _ values: [Double]) -> Double {
            for index in sums.indices { sums[index] = 0 }
            for (group, value) in zip(labels, values) { sums[group] += value }
            var total = 0.0
            for (sum, size) in zip(sums, sizes) { total += sum * sum / Double(size) }
            return total
        }
        let threshold = between(groups, centred) * (1 - 1e-9)
        if let count = assignmentCount(sizes: sizes, limit: permutations) {
            var labels = groups.sorted()
            var atLeast = 0
            repeat {
                if between(labels, centred) >= threshold { atLeast += 1 }
            } while nextPermutation(&labels)
            return Double(atLeast) / Double(count)
        }
        var generator = SplitMix64(state: seed)
        var shuffled = centred
        var atLeast = 0
        for _ in 0..<permutations {
            for index in stride(from: shuffled.count - 1, to: 0, by: -1) {  // Fisher–Yates
                shuffled.swapAt(index, generator.index(below: index + 1))
            }
            if between(groups, shuffled) >= threshold { atLeast += 1 }
        }
        return Double(1 + atLeast) / Double(1 + permutations)
    }

    /// The group of each value: for all-numeric values the bin of its rank (equal values in one bin), else its label.
    static func groupKeys(_ values: [SQLValue]) -> [String] {
        let numbers = values.map(\.double)
        guard numbers.allSatisfy({ $0 != nil }), Set(numbers.map { $0! }).count > bins else { return values.map(\.label) }
        return ValueBins.bins(of: numbers.map { $0! }, count: bins).map { "bin \($0)" }
    }

    /// Each value's group as 0, 1, … (in order of first appearance) and each group's size.
    static func groupIndices(_ values: [SQLValue]) -> (groups: [Int], sizes: [Int]) {
        var index: [String: Int] = [:]
        var sizes: [Int] = []
        let groups = groupKeys(values).map { key -> Int in
            if let existing = index[key] {
                sizes[existing] += 1
                return existing
            }
            index[key] = sizes.count
            sizes.append(1)
            return sizes.count - 1
        }
        return (groups, sizes)
    }

    static func correlationRatio(metric: [Double], groups: [Int], sizes: [Int]) -> Double {
        guard metric.count > 1 else { return 0 }
        let mean = metric.reduce(0, +) / Double(metric.count)
        var total = 0.0
        var sums = [Double](repeating: 0, count: sizes.count)
        for (group, y) in zip(groups, metric) {
            total += (y - mean) * (y - mean)
            sums[group] += y
        }
        guard total > 0 else { return 0 }
        var between = 0.0
        for (sum, size) in zip(sums, sizes) where size > 0 {
            let deviation = sum / Double(size) - mean
            between += Double(size) * deviation * deviation
        }
        return between / total
    }

    /// n! / Π n_g!, the distinct assignments of groups of `sizes`, or nil when it is above `limit`.
    static func assignmentCount(sizes: [Int], limit: Int) -> Int? {
        var count = 1.0
        var placed = 0
        for size in sizes {
            for taken in 1...size {  // × C(placed + size, size), one factor at a time (each product a whole number)
                count = count * Double(placed + taken) / Double(taken)
            }
            placed += size
            if count > Double(limit) + 0.5 { return nil }
        }
        return Int(count.rounded())
    }

    /// The next lexicographic arrangement of `labels` (equal labels not told apart); false after the last.
    static func nextPermutation(_ labels: inout [Int]) -> Bool {
        guard labels.count > 1 else { return false }
        var pivot = labels.count - 2
        while pivot >= 0 && labels[pivot] >= labels[pivot + 1] { pivot -= 1 }
        guard pivot >= 0 else { return false }
        var successor = labels.count - 1
        while labels[successor] <= labels[pivot] { successor -= 1 }
        labels.swapAt(pivot, successor)
        labels[(pivot + 1)...].reverse()
        return true
    }
}

/// SplitMix64 (Steele, Lea & Flood): a seeded stream of 64-bit values, the same on every platform, for the
/// permutation test's shuffles.
struct SplitMix64 {
    var state: UInt64

    /// ⌊next() · m / 2⁶⁴⌋, an index below `m` (one multiplication; a bias below m / 2⁶⁴, nothing at these sizes).
    mutating func index(below m: Int) -> Int { Int(next().multipliedFullWidth(by: UInt64(m)).high) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
