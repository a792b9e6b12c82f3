import Engine

/// The Tree-structured Parzen Estimator's settings (Optuna's `TPESampler` defaults).
public struct TPESettings: Sendable, Equatable {
    /// Trials drawn at random before TPE takes over: TPE suggests once this many trials are finished
    /// (completed, pruned or diverged).
    public var startupTrials: Int
    /// Candidates drawn from the good mixture l; the one with the largest l(x)/g(x) is suggested.
    public var candidates: Int
    /// One joint estimator over all parameters (true) or one per parameter, each chosen on its own (false).
    public var multivariate: Bool
    /// Running trials join the bad group g at their parameters ("constant liar"), so parallel workers spread out.
    public var constantLiar: Bool
    /// The prior kernel's weight before normalisation (each observation weighs at most 1).
    public var priorWeight: Double

    public init(startupTrials: Int = 10, candidates: Int = 24, multivariate: Bool = false, constantLiar: Bool = true, priorWeight: Double = 1) {
        self.startupTrials = startupTrials
        self.candidates = candidates
        self.multivariate = multivariate
        self.constantLiar = constantLiar
        self.priorWeight = priorWeight
    }
}

/// What TPE knows about one earlier trial: its parameters (internal representation, one per search dimension) and
/// how it stands.
public struct TPEObservation: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Finished with its metric.
        case completed(Double)
        /// Stopped early (pruned, or diverged: value NaN) after `epoch` epochs, `value` being its metric then.
        case stopped(epoch: Int, value: Double)
        /// Still training.
        case running
    }

    public var trialIndex: Int
    public var point: [Double]
    public var outcome: Outcome

    public init(trialIndex: Int, point: [Double], outcome: Outcome) {
        self.trialIndex = trialIndex
        self.point = point
        self.outcome = outcome
    }
}

/// TPE's suggestion for the next trial, Optuna's algorithm (Bergstra et al. 2011; Watanabe 2023):
/// 1. n = the finished trials (completed and stopped). While n < `startupTrials` there is no suggestion (the caller
///    draws at random).
/// 2. Split: the good group takes the best γ(n) = min(⌈0.1·n⌉, 25) completed trials by the goal; if fewer completed
///    trials exist, stopped trials fill it, those that trained longest first, then by their last value (NaN last).
///    Every other finished trial, and with `constantLiar` every running trial, is bad.
/// 3. Each group (in trial order) gives a Parzen estimator (`ParzenEstimator`) with observation weights
///    `observationWeights`: l(x) from the good, g(x) from the bad.
/// 4. `candidates` points are drawn from l; the first with the largest ln l(x) − ln g(x) is suggested.
/// Univariate (the default): steps 3–4 run per parameter on its own axis, in parameter order, from one generator;
/// multivariate: once, on the joint space. The same history and the same generator state give the same suggestion.
public struct TPESampler: Sendable {
    public var settings: TPESettings
    public var dimensions: [SearchDimension]
    public var goal: SweepSpec.Goal

    public init(settings: TPESettings = TPESettings(), dimensions: [SearchDimension], goal: SweepSpec.Goal) {
        self.settings = settings
        self.dimensions = dimensions
        self.goal = goal
    }

    /// γ(n) = min(⌈0.1·n⌉, 25): how many finished trials form the good group.
    public static func goodCount(finished n: Int) -> Int { Swift.min((n + 9) / 10, 25) }

    /// Optuna's `default_weights`: 1 each for fewer than 25 observations; otherwise the oldest n − 25 ramp linearly
    /// from 1/n to 1 (numpy's linspace(1/n, 1, n − 25)) and the newest 25 weigh 1.
    public static func observationWeights(count n: Int) -> [Double] {
        guard n >= 25 else { return Array(repeating: 1, count: n) }
        let ramp = n - 25
        let start = 1 / Double(n)
        let rampWeights: [Double] = (0..<ramp).map { ramp == 1 ? start : start + (1 - start) * Double($0) / Double(ramp - 1) }
        return rampWeights + Array(repeating: 1, count: 25)
    }

    /// The good and the bad group, each in trial order (step 2).
    public func split(_ history: [TPEObservation]) -> (good: [TPEObservation], bad: [TPEObservation]) {
        let finished = history.filter { $0.outcome != .running }
        var remaining = TPESampler.goodCount(finished: finished.count)
        let sign: Double = goal == .maximize ? -1 : 1  // sort keys: smaller is better
        var completed: [(TPEObservation, Double)] = []
        var stopped: [(TPEObservation, Int, Double)] = []
        for observation in finished {
            switch observation.outcome {
            case .completed(let value): completed.append((observation, value.isNaN ? .infinity : sign * value))
            case .stopped(let epoch, let value): stopped.append((observation, epoch, value.isNaN ? .infinity : sign * value))
            case .running: break
            }
        }
        completed.sort { ($0.1, $0.0.trialIndex) < ($1.1, $1.0.trialIndex) }
        stopped.sort { (-$0.1, $0.2, $0.0.trialIndex) < (-$1.1, $1.2, $1.0.trialIndex) }
        var good = Array(completed.prefix(remaining).map(\.0))
        var bad = Array(completed.dropFirst(remaining).map(\.0))
        remaining = Swift.max(0, remaining - good.count)
        good += stopped.prefix(remaining).map(\.0)
        bad += stopped.dropFirst(remaining).map(\.0)
        if settings.constantLiar { bad += history.filter { $0.outcome == .running } }
        return (good.sorted { $0.trialIndex < $1.trialIndex }, bad.sorted { $0.trialIndex < $1.trialIndex })
    }

    /// The suggested point (internal representation), or nil during the startup trials.
    public func suggest(history: [TPEObservation], using generator: inout Xoshiro256StarStar) -> [Double]? {
        let finished = history.filter { $0.outcome != .running }.count
        guard finished >= settings.startupTrials, !dimensions.isEmpty else { return nil }
        let (good, bad) = split(history)
        if settings.multivariate {
            return choose(good: good.map(\.point), bad: bad.map(\.point), dimensions: dimensions, using: &generator)
        }
        return dimensions.indices.map { axis in
            choose(
                good: good.map { [$0.point[axis]] }, bad: bad.map { [$0.point[axis]] }, dimensions: [dimensions[axis]],
                using: &generator)[0]
        }
    }

    /// Steps 3–4 on one space.
    func choose(good: [[Double]], bad: [[Double]], dimensions: [SearchDimension], using generator: inout Xoshiro256StarStar) -> [Double] {
        let below = ParzenEstimator(
            observations: good, dimensions: dimensions, observationWeights: TPESampler.observationWeights(count: good.count),
            priorWeight: settings.priorWeight)
        let above = ParzenEstimator(
            observations: bad, dimensions: dimensions, observationWeights: TPESampler.observationWeights(count: bad.count),
            priorWeight: settings.priorWeight)
        var best: [Double] = []
        var bestScore = -Double.infinity
        for _ in 0..<Swift.max(1, settings.candidates) {
            let candidate = below.sample(using: &generator)
            let score = below.logDensity(candidate) - above.logDensity(candidate)
            if best.isEmpty || score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best
    }
}
