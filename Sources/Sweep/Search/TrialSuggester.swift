import Engine

/// Chooses the parameters of a sweep's next trial for the methods that create trials on demand (tpe).
///
/// Determinism: the suggestion for trial index i uses only the sweep seed, i and the history given, through the
/// generator `Xoshiro256StarStar(seed: sweepSeed, stream: "tpe-<i>")`: the same sweep seed and the same completions
/// give the same suggestions, whichever worker asks. During the startup trials every swept parameter is drawn as
/// random search draws it (`SweepSpec.Domain.draw`), in spec order; afterwards `TPESampler` suggests.
public struct TrialSuggester: Sendable {
    public var space: SearchSpace
    public var sampler: TPESampler
    public var sweepSeed: UInt64

    public init(spec: SweepSpec, settings: TPESettings = TPESettings()) {
        space = SearchSpace(spec)
        sampler = TPESampler(settings: settings, dimensions: space.axes.map(\.dimension), goal: spec.metric.goal)
        sweepSeed = spec.sweepSeed
    }

    /// The generator for trial `index`'s suggestion.
    public func generator(forTrial index: Int) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: sweepSeed, stream: "tpe-\(index)")
    }

    /// Trial `index`'s parameters in spec order (fixed ones included), from `history` (the sweep's other trials).
    public func suggest(trialIndex index: Int, history: [TPEObservation]) -> [(String, ParameterValue)] {
        var generator = generator(forTrial: index)
        if let point = sampler.suggest(history: history, using: &generator) { return space.assignments(of: point) }
        return space.parameters.map { ($0.name, $0.domain.draw(using: &generator)) }
    }
}
