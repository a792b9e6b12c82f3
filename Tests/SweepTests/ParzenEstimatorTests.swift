import Engine
import Foundation
import XCTest

@testable import Sweep

/// The Parzen estimator against densities computed by hand (Python's math.erfc, formulas in the comments).
final class ParzenEstimatorTests: XCTestCase {
    let unit = SearchDimension.numeric(low: 0, high: 1, log: false, step: nil)

    /// Sorted with the bounds: [0, .1, .3, .9, 1]. Neighbour gaps: .1 → max(.1, .2); .3 → max(.2, .6); .9 → max(.6, .1);
    /// the end observations take their inner gap: .1 → .2, .9 → .6. Clip: min 1/min(100, 3 + 2) = .2, max 1.
    func testBandwidthsFromNeighbourGapsWithEndRuleAndClip() {
        let sigmas = ParzenEstimator.bandwidths([0.1, 0.3, 0.9], low: 0, high: 1)
        XCTAssertEqual(sigmas[0], 0.2, accuracy: 1e-12)
        XCTAssertEqual(sigmas[1], 0.6, accuracy: 1e-12)
        XCTAssertEqual(sigmas[2], 0.6, accuracy: 1e-12)
        // Two close observations: inner gaps .02, clipped up to 1/min(100, 4) = .25; the order of the input is kept.
        XCTAssertEqual(ParzenEstimator.bandwidths([0.52, 0.5], low: 0, high: 1), [0.25, 0.25])
        // One observation: the larger gap to a bound, max(.2, .8) = .8 (min 1/3).
        XCTAssertEqual(ParzenEstimator.bandwidths([0.2], low: 0, high: 1)[0], 0.8, accuracy: 1e-12)
    }

    /// l(0.3) for observations .5 and .52 on [0, 1]: ⅓·(TN(.3; .5, .25) + TN(.3; .52, .25) + TN(.3; .5, 1)),
    /// TN(x; μ, σ) = φ((x − μ)/σ) / (σ·(Φ((1 − μ)/σ) − Φ(−μ/σ))) = 1.123709784025913 (hand-computed).
    func testContinuousDensityMatchesHandComputedMixture() {
        let estimator = ParzenEstimator(observations: [[0.5], [0.52]], dimensions: [unit], observationWeights: [1, 1])
        XCTAssertEqual(estimator.weights, [1.0 / 3, 1.0 / 3, 1.0 / 3])
        XCTAssertEqual(exp(estimator.logDensity([0.3])), 1.123709784025913, accuracy: 1e-12)
        XCTAssertEqual(estimator.logDensity([1.2]), -.infinity)
    }

    /// log_uniform [1e-3, 1], one observation .01: in ln-space μ = ln .01, σ = max(ln .01 − ln 1e-3, 0 − ln .01) = ln 100;
    /// prior μ = ½ ln 1e-3, σ = ln 1000. At x = .1 (ln .1): ½·(TN + TN prior) = 0.14611263492361032.
    func testLogAxisDensityLivesInLogSpace() {
        let axis = SearchDimension.numeric(low: 1e-3, high: 1, log: true, step: nil)
        let estimator = ParzenEstimator(observations: [[0.01]], dimensions: [axis], observationWeights: [1])
        XCTAssertEqual(exp(estimator.logDensity([0.1])), 0.14611263492361032, accuracy: 1e-12)
    }

    /// int_uniform 1…3, one observation 1: bounds widened to [.5, 3.5]; σ = max(.5, 2.5) = 2.5; prior μ 2, σ 3.
    /// Cell masses of 1, 2, 3 (hand-computed): .35202358095439007, .3469764952322095, .30099992381340046 — summing to 1.
    func testDiscreteAxisUsesCellMasses() {
        let axis = SearchDimension.numeric(low: 1, high: 3, log: false, step: 1)
        let estimator = ParzenEstimator(observations: [[1]], dimensions: [axis], observationWeights: [1])
        let masses = [1.0, 2, 3].map { exp(estimator.logDensity([$0])) }
        XCTAssertEqual(masses[0], 0.35202358095439007, accuracy: 1e-12)
        XCTAssertEqual(masses[1], 0.3469764952322095, accuracy: 1e-12)
        XCTAssertEqual(masses[2], 0.30099992381340046, accuracy: 1e-12)
        XCTAssertEqual(masses.reduce(0, +), 1, accuracy: 1e-12)
        var generator = Xoshiro256StarStar(seed: 3)
        for _ in 0..<200 { XCTAssertTrue([1.0, 2, 3].contains(estimator.sample(using: &generator)[0])) }
    }

    /// Choices observed 0, 0, 2 of 3, prior weight 1: each row is ¼ everywhere + 1 at its choice, normalised
    /// (5/7, 1/7, 1/7); the prior row is ⅓; the four components weigh ¼ each.
    /// P(0) = (2·5/7 + 1/7 + ⅓)/4 = 10/21, P(1) = (3/7 + ⅓)/4 = 4/21, P(2) = (2/7 + 5/7 + ⅓)/4 = ⅓.
    func testCategoricalSmoothedCounts() {
        let estimator = ParzenEstimator(observations: [[0], [0], [2]], dimensions: [.categorical(count: 3)], observationWeights: [1, 1, 1])
        XCTAssertEqual(exp(estimator.logDensity([0])), 10.0 / 21, accuracy: 1e-12)
        XCTAssertEqual(exp(estimator.logDensity([1])), 4.0 / 21, accuracy: 1e-12)
        XCTAssertEqual(exp(estimator.logDensity([2])), 1.0 / 3, accuracy: 1e-12)
    }

    /// The joint estimator multiplies each component's kernels: with one observation (.5, choice 1) and the prior,
    /// l(.5, 1) = ½·TN(.5; .5, .5)·(1 + ½)/(1 + 3·½) + ½·TN(.5; .5, 1)·⅓.
    func testJointDensityMultipliesKernelsPerComponent() {
        let estimator = ParzenEstimator(
            observations: [[0.5, 1]], dimensions: [unit, .categorical(count: 3)], observationWeights: [1])
        func truncated(_ x: Double, _ mean: Double, _ sigma: Double) -> Double {
            let phi = { (z: Double) in 0.5 * erfc(-z / 2.0.squareRoot()) }
            let z = (x - mean) / sigma
            return exp(-z * z / 2) / (2 * Double.pi).squareRoot() / sigma / (phi((1 - mean) / sigma) - phi(-mean / sigma))
        }
        let expected = 0.5 * truncated(0.5, 0.5, 0.5) * (1.5 / 2.5) + 0.5 * truncated(0.5, 0.5, 1) / 3
        XCTAssertEqual(exp(estimator.logDensity([0.5, 1])), expected, accuracy: 1e-12)
    }

    /// Optuna's default_weights: ones below 25 observations, then linspace(1/n, 1, n − 25) for the oldest.
    func testObservationWeights() {
        XCTAssertEqual(TPESampler.observationWeights(count: 3), [1, 1, 1])
        XCTAssertEqual(TPESampler.observationWeights(count: 25), Array(repeating: 1, count: 25))
        let weights = TPESampler.observationWeights(count: 28)
        XCTAssertEqual(weights.count, 28)
        XCTAssertEqual(weights[0], 1.0 / 28, accuracy: 1e-12)
        XCTAssertEqual(weights[1], (1.0 / 28 + 1) / 2, accuracy: 1e-12)
        XCTAssertEqual(weights[2], 1, accuracy: 1e-12)
        XCTAssertEqual(Array(weights[3...]), Array(repeating: 1, count: 25))
    }
}
