#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
import Engine

/// One axis of a TPE search space, in the sampler's internal representation (a Double per parameter).
public enum SearchDimension: Sendable, Equatable {
    /// A real interval [low, high]. `log`: the kernels live in ln-space (log_uniform). `step`: only the grid
    /// low, low + step, …, high is possible (int_uniform: step 1; q_uniform: the multiple's index, step 1).
    case numeric(low: Double, high: Double, log: Bool, step: Double?)
    /// One of `count` choices, represented by its index 0 ..< count.
    case categorical(count: Int)
}

/// A Parzen estimator: a weighted mixture of product kernels over a search space, one kernel per observation plus a
/// prior kernel — Optuna's `_ParzenEstimator` with its defaults (prior_weight 1, consider_magic_clip, no endpoints).
///
/// Numeric axes (in ln-space for `log`; bounds widened by step/2 for discrete axes, so that the grid's end cells are
/// whole):
/// - kernel i is a normal truncated to [low, high] centred on observation μᵢ;
/// - its bandwidth comes from the gaps to its neighbours among the sorted observations with low and high added
///   as end points: σᵢ = max(μᵢ − μᵢ₋₁, μᵢ₊₁ − μᵢ); the lowest and the highest observation (when there are at
///   least two) take the gap to their only observed neighbour instead of the gap to the bound;
/// - σᵢ is clipped to [(high − low)/min(100, n + 2), high − low] (the "magic clip", n observations);
/// - the prior kernel has μ = (low + high)/2 and σ = high − low.
/// Categorical axes: kernel i puts weight 1 + w/(n + 1) on the observed choice and w/(n + 1) on every choice, then is
/// normalised (w = prior weight); the prior kernel is uniform.
///
/// Mixture weights: the observations' weights (`observationWeights`) followed by the prior weight, normalised.
/// The mixture density is l(x) = Σₖ wₖ·Πd pₖ,d(x_d); a discrete axis contributes its cell's mass, a log axis the
/// density of ln x (the 1/x Jacobian is the same for l and g and cancels in l/g). With one axis this is one
/// parameter's univariate estimator; with all axes it is the joint (multivariate) estimator.
struct ParzenEstimator: Sendable {
    enum Kernel: Sendable, Equatable {
        case numeric(TruncatedNormal)
        case categorical([Double])
    }

    let dimensions: [SearchDimension]
    /// Normalised mixture weights; the last is the prior kernel's.
    let weights: [Double]
    /// ln wₖ, once (each density starts from them).
    private let logWeights: [Double]
    /// kernels[d][k]: component k's kernel on axis d.
    let kernels: [[Kernel]]

    /// `observations[i][d]`: observation i's internal value on axis d; `observationWeights` one per observation.
    init(observations: [[Double]], dimensions: [SearchDimension], observationWeights: [Double], priorWeight: Double = 1) {
        precondition(observations.count == observationWeights.count)
        self.dimensions = dimensions
        var weights = observations.isEmpty ? [1] : observationWeights + [priorWeight]
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        self.weights = weights
        logWeights = weights.map { log($0) }
        kernels = dimensions.enumerated().map { axis, dimension in
            let column = observations.map { $0[axis] }
            switch dimension {
            case .categorical(let count):
                return ParzenEstimator.categoricalKernels(column, count: count, priorWeight: priorWeight)
            case .numeric(let low, let high, let log, let step):
                return ParzenEstimator.numericKernels(column, low: low, high: high, log: log, step: step)
            }
        }
    }

    /// Smoothed counts: each observation's row is w/(n + 1) everywhere plus 1 at its choice, normalised; the prior
    /// row is uniform.
    static func categoricalKernels(_ observed: [Double], count: Int, priorWeight: Double) -> [Kernel] {
        let uniform = Kernel.categorical(Array(repeating: 1 / Double(count), count: count))
        guard !observed.isEmpty else { return [uniform] }
        let fill = priorWeight / Double(observed.count + 1)
        let rows = observed.map { choice -> Kernel in
            var row = Array(repeating: fill, count: count)
            row[Int(choice)] += 1
            let sum = row.reduce(0, +)
            return .categorical(row.map { $0 / sum })
        }
        return rows + [uniform]
    }

    /// The axis's bounds in kernel space: widened by step/2 when discrete, then ln when `log`.
    static func kernelBounds(low: Double, high: Double, log isLog: Bool, step: Double?) -> (Double, Double) {
        let half = (step ?? 0) / 2
        let (lower, upper) = (low - half, high + half)
        return isLog ? (log(lower), log(upper)) : (lower, upper)
    }

    static func numericKernels(_ observed: [Double], low: Double, high: Double, log isLog: Bool, step: Double?) -> [Kernel] {
        let (lower, upper) = kernelBounds(low: low, high: high, log: isLog, step: step)
        let means = observed.map { isLog ? log($0) : $0 }
        let sigmas = bandwidths(means, low: lower, high: upper)
        var result = zip(means, sigmas).map {
            Kernel.numeric(TruncatedNormal(mean: $0, standardDeviation: $1, low: lower, high: upper))
        }
        result.append(.numeric(TruncatedNormal(mean: 0.5 * (lower + upper), standardDeviation: upper - lower, low: lower, high: upper)))
        return result
    }

    /// σᵢ from the neighbour gaps (see the type's comment), in the observations' order.
    static func bandwidths(_ means: [Double], low: Double, high: Double) -> [Double] {
        guard !means.isEmpty else { return [] }
        let order = means.indices.sorted { means[$0] < means[$1] }
        let sorted = [low] + order.map { means[$0] } + [high]
        var sortedSigmas: [Double] = []
        for position in 1..<(sorted.count - 1) {
            let leftGap: Double = sorted[position] - sorted[position - 1]
            let rightGap: Double = sorted[position + 1] - sorted[position]
            sortedSigmas.append(Swift.max(leftGap, rightGap))
        }
        if sorted.count >= 4 {
            sortedSigmas[0] = sorted[2] - sorted[1]
            sortedSigmas[sortedSigmas.count - 1] = sorted[sorted.count - 2] - sorted[sorted.count - 3]
        }
        let maximum = high - low
        let minimum = (high - low) / Swift.min(100, Double(means.count + 2))
        var sigmas = Array(repeating: 0.0, count: means.count)
        for (rank, index) in order.enumerated() { sigmas[index] = Swift.min(maximum, Swift.max(minimum, sortedSigmas[rank])) }
        return sigmas
    }

    /// ln l(x) = ln Σₖ exp(ln wₖ + Σd ln pₖ,d(x_d)), summed stably (log-sum-exp).
    func logDensity(_ point: [Double]) -> Double {
        var terms = logWeights
        for (axis, dimension) in dimensions.enumerated() {
            let x = point[axis]
            for component in terms.indices {
                switch (kernels[axis][component], dimension) {
                case (.categorical(let row), _):
                    terms[component] += log(row[Int(x)])
                case (.numeric(let kernel), .numeric(_, _, let isLog, let step)):
                    let value = isLog ? log(x) : x
                    terms[component] += step.map { kernel.logCellMass(value, step: $0) } ?? kernel.logDensity(value)
                default:
                    preconditionFailure("kernel and dimension disagree")
                }
            }
        }
        let largest = terms.max() ?? -.infinity
        guard largest > -.infinity else { return -.infinity }
        return largest + log(terms.reduce(0) { $0 + exp($1 - largest) })
    }

    /// One draw: a component k with probability wₖ (one generator number), then on each axis in order a draw from
    /// that component's kernel (a categorical choice by its cumulative row, one number; a truncated normal, rounded
    /// to the grid low + j·step when discrete and mapped back by exp when log).
    func sample(using generator: inout Xoshiro256StarStar) -> [Double] {
        let component = ParzenEstimator.pick(weights, uniform: generator.nextUnit())
        return dimensions.enumerated().map { axis, dimension in
            switch (kernels[axis][component], dimension) {
            case (.categorical(let row), _):
                return Double(ParzenEstimator.pick(row, uniform: generator.nextUnit()))
            case (.numeric(let kernel), .numeric(let low, let high, let isLog, let step)):
                let drawn = kernel.sample(using: &generator)
                let value = isLog ? exp(drawn) : drawn
                guard let step else { return Swift.min(high, Swift.max(low, value)) }
                return Swift.min(high, Swift.max(low, low + ((value - low) / step).rounded() * step))
            default:
                preconditionFailure("kernel and dimension disagree")
            }
        }
    }

    /// The first index whose cumulative weight exceeds `uniform` (the last one if rounding leaves it short).
    static func pick(_ probabilities: [Double], uniform: Double) -> Int {
        var cumulative = 0.0
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if uniform < cumulative { return index }
        }
        return probabilities.count - 1
    }
}
