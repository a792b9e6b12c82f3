#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
import Engine

/// The normal distribution N(μ, σ²) truncated to [low, high], the kernel of TPE's Parzen estimators.
///
/// With Φ the standard normal CDF, Φ(z) = ½·erfc(−z/√2), and the standardised bounds α = (low − μ)/σ,
/// β = (high − μ)/σ, the truncated density is
///     p(x) = φ((x − μ)/σ) / (σ·(Φ(β) − Φ(α)))   for low ≤ x ≤ high, 0 outside,
/// with φ(z) = exp(−z²/2)/√(2π). A discrete kernel (a value on a grid of spacing `step`) has the mass of the cell
/// around it: P(x) = (Φ((x + step/2 − μ)/σ) − Φ((x − step/2 − μ)/σ)) / (Φ(β) − Φ(α)), with low and high the outer
/// edges of the first and last cells (Optuna's `_BatchedDiscreteTruncNormDistributions`).
///
/// ln σ and ln(Φ(β) − Φ(α)) depend on the kernel alone, so they are computed once, when it is made, and not at
/// each density: TPE evaluates every kernel at 24 candidates per axis, and those two logarithms (with the two erfc
/// behind the mass) were most of a suggestion's time. The densities add the same terms in the same order as
/// computing them each time would, so their values are the same to the bit.
struct TruncatedNormal: Sendable, Equatable {
    let mean: Double
    let standardDeviation: Double
    let low: Double
    let high: Double
    /// ln σ.
    private let logStandardDeviation: Double
    /// ln(Φ(β) − Φ(α)): the log of the mass the truncation keeps.
    private let logMassInside: Double

    init(mean: Double, standardDeviation: Double, low: Double, high: Double) {
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.low = low
        self.high = high
        logStandardDeviation = log(standardDeviation)
        let alpha = (low - mean) / standardDeviation, beta = (high - mean) / standardDeviation
        logMassInside = TruncatedNormal.logMass(from: alpha, to: beta)
    }

    /// ln(Φ(b) − Φ(a)) for a < b, computed on the side of zero where the difference does not cancel:
    /// for a ≥ 0, Φ(b) − Φ(a) = Φ(−a) − Φ(−b) (upper tail), otherwise as written (lower tail).
    static func logMass(from a: Double, to b: Double) -> Double {
        if a >= 0 { return log(standardCDF(-a) - standardCDF(-b)) }
        return log(standardCDF(b) - standardCDF(a))
    }

    /// ln√(2π), as ½·ln(2π).
    private static let logSquareRootOfTwoPi = 0.5 * log(2 * Double.pi)

    /// Φ(z) = ½·erfc(−z/√2).
    static func standardCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// ln p(x) for the continuous kernel: −z²/2 − ln√(2π) − ln σ − ln(Φ(β) − Φ(α)), z = (x − μ)/σ; −∞ outside.
    func logDensity(_ x: Double) -> Double {
        guard x >= low, x <= high else { return -.infinity }
        let z = (x - mean) / standardDeviation
        return -0.5 * z * z - TruncatedNormal.logSquareRootOfTwoPi - logStandardDeviation - logMassInside
    }

    /// ln P(x) for the discrete kernel: the mass of [x − step/2, x + step/2] over the mass of [low, high].
    func logCellMass(_ x: Double, step: Double) -> Double {
        let left = (Swift.max(low, x - step / 2) - mean) / standardDeviation
        let right = (Swift.min(high, x + step / 2) - mean) / standardDeviation
        guard left < right else { return -.infinity }
        return TruncatedNormal.logMass(from: left, to: right) - logMassInside
    }

    /// A draw by rejection: normal draws (Box–Muller, one generator number pair each) until one falls in [low, high].
    /// The kernels TPE builds have μ inside [low, high] and σ ≤ high − low, so the accepted share is at least
    /// Φ(1) − Φ(0) ≈ 0.34; after 1,000 rejections the draw is clamped (never reached in practice).
    func sample(using generator: inout Xoshiro256StarStar) -> Double {
        for _ in 0..<1_000 {
            let x = generator.normal(mean: mean, standardDeviation: standardDeviation)
            if x >= low, x <= high { return x }
        }
        return Swift.min(high, Swift.max(low, mean))
    }
}
