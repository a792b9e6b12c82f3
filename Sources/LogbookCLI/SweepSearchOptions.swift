import ArgumentParser
import Sweep

/// `--method` as the command line accepts it (`bayes` is W&B's name for tpe).
enum SearchMethodChoice: String, ExpressibleByArgument, CaseIterable {
    case grid, random, tpe, bayes

    var method: SweepSpec.Method { self == .bayes ? .tpe : SweepSpec.Method(rawValue: rawValue)! }
}

extension EarlyTermination.Kind: ExpressibleByArgument {}

/// How a sweep searches and whether it stops trials early: `--method`, TPE's options, `--early-terminate` and its
/// options. Each option overrides the spec's setting; options of a rule not chosen are refused.
struct SweepSearchOptions: ParsableArguments {
    @Option(help: "Search method: grid, random, tpe (alias bayes). tpe needs --run-cap.")
    var method: SearchMethodChoice?
    @Option(name: .customLong("startup-trials"), help: "tpe: random trials before TPE suggests (default 10).")
    var startupTrials: Int?
    @Flag(help: "tpe: one joint model of all parameters instead of one per parameter.")
    var multivariate = false
    @Option(name: .customLong("early-terminate"), help: "Stop hopeless trials at epoch ends: median, asha or hyperband.")
    var earlyTerminate: EarlyTermination.Kind?
    @Option(name: .customLong("warmup-epochs"), help: "median: epochs before any decision (default 0).")
    var warmupEpochs: Int?
    @Option(name: .customLong("min-trials"), help: "median: completed trials needed at an epoch before a decision (default 5).")
    var minTrials: Int?
    @Option(name: .customLong("min-epochs"), help: "asha, hyperband: the first rung's epoch (default 1).")
    var minEpochs: Int?
    @Option(help: "asha, hyperband: reduction factor; a rung keeps the top 1/eta (default 3).")
    var eta: Int?

    func validate() throws {
        if let startupTrials, startupTrials < 0 { throw ValidationError("invalid --startup-trials \(startupTrials): must be ≥ 0") }
        let kind = earlyTerminate
        if kind != .median, let option = [("--warmup-epochs", warmupEpochs), ("--min-trials", minTrials)].first(where: { $0.1 != nil }) {
            throw ValidationError("\(option.0) goes with --early-terminate median")
        }
        if kind != .asha && kind != .hyperband, let option = [("--min-epochs", minEpochs), ("--eta", eta)].first(where: { $0.1 != nil }) {
            throw ValidationError("\(option.0) goes with --early-terminate asha or hyperband")
        }
    }

    /// True when any option was given.
    var isEmpty: Bool { method == nil && startupTrials == nil && !multivariate && earlyTerminate == nil }

    /// The spec with these options applied (the checks of the values themselves are the spec's, in `validate()`).
    func apply(to spec: inout SweepSpec) {
        if let method { spec.method = method.method }
        if let startupTrials { spec.tpe.startupTrials = startupTrials }
        if multivariate { spec.tpe.multivariate = true }
        if let earlyTerminate {
            spec.earlyTermination = EarlyTermination.make(
                kind: earlyTerminate, warmupEpochs: warmupEpochs, minTrials: minTrials, minEpochs: minEpochs, eta: eta)
        }
    }
}
