import Engine
import Foundation
import XCTest

@testable import Sweep

final class TPESamplerTests: XCTestCase {
    let unit = SearchDimension.numeric(low: 0, high: 1, log: false, step: nil)

    func testGoodCountIsTenPercentRoundedUpAtMost25() {
        XCTAssertEqual([0, 1, 10, 11, 20, 21, 250, 251, 1000].map { TPESampler.goodCount(finished: $0) }, [0, 1, 1, 2, 2, 3, 25, 25, 25])
    }

    /// 12 finished trials ⇒ γ = 2. Only one completed, so the longest-trained stopped trial fills the good group;
    /// a diverged one (NaN) is last among equals; running trials are bad (constant liar) or ignored.
    func testSplitFillsGoodWithStoppedTrialsAndCountsRunningAsBad() {
        var history: [TPEObservation] = [TPEObservation(trialIndex: 0, point: [0.1], outcome: .completed(0.9))]
        for index in 1...9 { history.append(TPEObservation(trialIndex: index, point: [0.5], outcome: .stopped(epoch: 1, value: 0.5))) }
        history.append(TPEObservation(trialIndex: 10, point: [0.7], outcome: .stopped(epoch: 3, value: .nan)))
        history.append(TPEObservation(trialIndex: 11, point: [0.8], outcome: .stopped(epoch: 3, value: 0.4)))
        history.append(TPEObservation(trialIndex: 12, point: [0.3], outcome: .running))
        let sampler = TPESampler(dimensions: [unit], goal: .maximize)
        let (good, bad) = sampler.split(history)
        XCTAssertEqual(good.map(\.trialIndex), [0, 11])
        XCTAssertEqual(bad.map(\.trialIndex), Array(1...10) + [12])
        var withoutLiar = sampler
        withoutLiar.settings.constantLiar = false
        XCTAssertEqual(withoutLiar.split(history).bad.map(\.trialIndex), Array(1...10))
        // Minimising turns the order of completed trials around.
        let completed = [0.3, 0.1, 0.2].enumerated().map { TPEObservation(trialIndex: $0, point: [0.5], outcome: .completed($1)) }
        let minimise = TPESampler(settings: TPESettings(startupTrials: 0), dimensions: [unit], goal: .minimize)
        XCTAssertEqual(minimise.split(completed).good.map(\.trialIndex), [1])
        XCTAssertEqual(TPESampler(dimensions: [unit], goal: .maximize).split(completed).good.map(\.trialIndex), [0])
    }

    func testNoSuggestionDuringStartupAndTheSameHistoryGivesTheSameSuggestion() {
        let spec = Self.spec(seed: 4)
        let suggester = TrialSuggester(spec: spec)
        let history = (0..<9).map { index in
            TPEObservation(trialIndex: index, point: suggester.space.point(of: suggester.suggest(trialIndex: index, history: []))!, outcome: .completed(Double(index)))
        }
        var generator = suggester.generator(forTrial: 9)
        XCTAssertNil(suggester.sampler.suggest(history: history, using: &generator))
        let more = history + [TPEObservation(trialIndex: 9, point: history[8].point, outcome: .completed(9))]
        generator = suggester.generator(forTrial: 10)
        XCTAssertNotNil(suggester.sampler.suggest(history: more, using: &generator))
        let first = suggester.suggest(trialIndex: 10, history: more)
        let second = TrialSuggester(spec: spec).suggest(trialIndex: 10, history: more)
        XCTAssertEqual(first.map(\.1), second.map(\.1))
        XCTAssertEqual(first.map(\.0), ["learning_rate", "momentum", "epochs"])
        XCTAssertEqual(first[2].1, .int(3))
        // Another sweep seed draws other candidates.
        XCTAssertNotEqual(TrialSuggester(spec: Self.spec(seed: 5)).suggest(trialIndex: 10, history: more).map(\.1), first.map(\.1))
    }

    /// A running trial pushes suggestions away from itself: with the liar, g has a kernel at the running point.
    func testConstantLiarLowersTheScoreAtARunningTrial() {
        let finished = (0..<10).map { TPEObservation(trialIndex: $0, point: [Double($0) / 10], outcome: .completed(Double($0))) }
        let running = TPEObservation(trialIndex: 10, point: [0.9], outcome: .running)
        let sampler = TPESampler(dimensions: [unit], goal: .maximize)
        let (good, badWith) = sampler.split(finished + [running])
        XCTAssertEqual(good.map(\.trialIndex), [9])
        let l = ParzenEstimator(observations: good.map(\.point), dimensions: [unit], observationWeights: [1])
        let gWith = ParzenEstimator(observations: badWith.map(\.point), dimensions: [unit], observationWeights: TPESampler.observationWeights(count: badWith.count))
        let badWithout = Array(badWith.dropLast())
        let gWithout = ParzenEstimator(observations: badWithout.map(\.point), dimensions: [unit], observationWeights: TPESampler.observationWeights(count: badWithout.count))
        XCTAssertLessThan(l.logDensity([0.9]) - gWith.logDensity([0.9]), l.logDensity([0.9]) - gWithout.logDensity([0.9]))
    }

    static func spec(seed: UInt64, multivariate: Bool = false) -> SweepSpec {
        SweepSpec(
            name: "tpe", method: .random, metric: .init(name: "validation_loss"),
            parameters: [
                .init(name: "learning_rate", domain: .logUniform(min: 1e-4, max: 1)),
                .init(name: "momentum", domain: .uniform(min: 0, max: 0.99)),
                .init(name: "epochs", domain: .fixed(.int(3))),
            ], runCap: 40, sweepSeed: seed)
    }

    /// A noisy bowl in (log₁₀ learning rate, momentum), minimised at (−1.5, 0.9): the shape of a validation loss.
    static func objective(_ assignments: [(String, ParameterValue)], noise: inout Xoshiro256StarStar) -> Double {
        let rate = log10(assignments[0].1.number!)
        let momentum = assignments[1].1.number!
        return 0.25 * (rate + 1.5) * (rate + 1.5) + 2 * (momentum - 0.9) * (momentum - 0.9) + noise.normal(mean: 0, standardDeviation: 0.02)
    }

    /// Sequential sweeps of 40 trials: TPE (10 random, then TPE) against random search (`SweepPlan`'s draws).
    func testTPEBeatsRandomSearchInAtLeast8Of10Seeds() throws {
        for multivariate in [false, true] {
            var wins = 0
            for seed in UInt64(0)..<10 {
                let spec = Self.spec(seed: seed)
                var noise = Xoshiro256StarStar(seed: seed, stream: "noise")
                let randomBest = SweepPlan.randomAssignments(spec).map { Self.objective($0, noise: &noise) }.min()!
                let suggester = TrialSuggester(spec: spec, settings: TPESettings(multivariate: multivariate))
                noise = Xoshiro256StarStar(seed: seed, stream: "noise")
                var history: [TPEObservation] = []
                for index in 0..<40 {
                    let assignments = suggester.suggest(trialIndex: index, history: history)
                    let value = Self.objective(assignments, noise: &noise)
                    history.append(TPEObservation(trialIndex: index, point: suggester.space.point(of: assignments)!, outcome: .completed(value)))
                }
                let tpeBest = history.compactMap { if case .completed(let value) = $0.outcome { value } else { nil } }.min()!
                if tpeBest < randomBest { wins += 1 }
            }
            XCTAssertGreaterThanOrEqual(wins, 8, "multivariate \(multivariate): TPE won \(wins) of 10")
        }
    }
}
