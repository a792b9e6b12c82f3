import XCTest

@testable import Sweep

/// Median, ASHA and Hyperband decisions against hand-built tables of (trial, epoch, value).
final class EarlyTerminationTests: XCTestCase {
    func curve(_ index: Int, _ status: TrialCurve.Status, _ values: [Double]) -> TrialCurve {
        TrialCurve(trialIndex: index, status: status, values: Dictionary(uniqueKeysWithValues: values.enumerated().map { ($0 + 1, $1) }))
    }

    func context(_ goal: SweepSpec.Goal = .maximize, epochs: Int = 10) -> PruningContext {
        PruningContext(goal: goal, trialEpochs: epochs, maximumEpochs: epochs, sweepName: "demo")
    }

    // MARK: median

    /// Completed trials at epoch 2: 0.5, 0.7, 0.9 ⇒ median 0.7. Best so far 0.65 < 0.7 stops; 0.7 (tie) goes on.
    func testMedianStopsBelowTheMedianOfCompletedTrialsAndATieGoesOn() {
        let others = [curve(0, .completed, [0.4, 0.5, 0.6]), curve(1, .completed, [0.6, 0.7, 0.8]), curve(2, .completed, [0.8, 0.9, 0.95]),
                      curve(3, .running, [0.1, 0.1]), curve(4, .stopped, [0.2, 0.2])]
        let rule = EarlyTermination.median(warmupEpochs: 1, minTrials: 3)
        let decision = rule.decide(trial: curve(9, .running, [0.65, 0.6]), epoch: 2, others: others, context: context())
        XCTAssertEqual(decision?.rule, .median)
        XCTAssertNil(decision?.rung)
        XCTAssertEqual(decision?.detail, "median: best 0.65 is worse than the median 0.7 of 3 completed trials at epoch 2")
        XCTAssertNil(rule.decide(trial: curve(9, .running, [0.7, 0.6]), epoch: 2, others: others, context: context()))
        // Warm-up: epoch 1 ≤ W makes no decision, however bad.
        XCTAssertNil(rule.decide(trial: curve(9, .running, [0.0]), epoch: 1, others: others, context: context()))
        // Minimising: losses 0.5, 0.7, 0.9 ⇒ a best loss of 0.75 > 0.7 stops.
        XCTAssertNotNil(rule.decide(trial: curve(9, .running, [0.8, 0.75]), epoch: 2, others: others, context: context(.minimize)))
        XCTAssertNil(rule.decide(trial: curve(9, .running, [0.8, 0.65]), epoch: 2, others: others, context: context(.minimize)))
    }

    /// Only completed trials count, and only once K of them have a value at the epoch; an even count takes the mean.
    func testMedianWaitsForMinTrialsCompletedTrialsAtTheEpoch() {
        let two = [curve(0, .completed, [0.5, 0.6]), curve(1, .completed, [0.7, 0.8]), curve(2, .running, [0.9, 0.9, 0.9])]
        let rule = EarlyTermination.median(warmupEpochs: 0, minTrials: 3)
        XCTAssertNil(rule.decide(trial: curve(9, .running, [0.1, 0.1]), epoch: 2, others: two, context: context()))
        let decision = EarlyTermination.median(warmupEpochs: 0, minTrials: 2)
            .decide(trial: curve(9, .running, [0.1, 0.69]), epoch: 2, others: two, context: context())
        XCTAssertEqual(decision?.detail, "median: best 0.69 is worse than the median 0.7 of 2 completed trials at epoch 2")
        // Epoch 3: no completed trial has one (the running trial's does not count).
        XCTAssertNil(rule.decide(trial: curve(9, .running, [0.1, 0.1, 0.1]), epoch: 3, others: two, context: context()))
        // The trial's last epoch makes no decision (it completes).
        XCTAssertNil(EarlyTermination.median(warmupEpochs: 0, minTrials: 1)
            .decide(trial: curve(9, .running, [0.1, 0.1]), epoch: 2, others: two, context: context(epochs: 2)))
    }

    /// The very first trial has nothing to compare with; a diverged trial (all NaN) stops once others completed.
    func testMedianFirstTrialGoesOnAndADivergedTrialStops() {
        let rule = EarlyTermination.median(warmupEpochs: 0, minTrials: 1)
        XCTAssertNil(rule.decide(trial: curve(0, .running, [0.1]), epoch: 1, others: [], context: context()))
        let decision = rule.decide(trial: curve(1, .running, [.nan]), epoch: 1, others: [curve(0, .completed, [0.1, 0.2])], context: context())
        XCTAssertEqual(decision?.detail, "median: the trial has no finite value by epoch 1 (diverged)")
    }

    // MARK: ASHA

    /// R = 1, η = 3: rungs at epochs 1, 3, 9.
    func testRungEpochs() {
        let rule = SuccessiveHalvingRule(minEpochs: 1, eta: 3, bracket: 0, kind: .asha)
        XCTAssertEqual((1...10).map { rule.rung(atEpoch: $0) }, [0, nil, 1, nil, nil, nil, nil, nil, 2, nil])
        let bracket1 = SuccessiveHalvingRule(minEpochs: 2, eta: 2, bracket: 1, kind: .hyperband)
        XCTAssertEqual((1...8).map { bracket1.rung(atEpoch: $0) }, [nil, nil, nil, 0, nil, nil, nil, 1])
    }

    /// The first η − 1 trials at a rung go on only when they are the best so far.
    func testASHAFirstTrialsAtARungMustBeTheBestSoFar() {
        let rule = EarlyTermination.asha(minEpochs: 1, eta: 3)
        XCTAssertNil(rule.decide(trial: curve(0, .running, [0.5]), epoch: 1, others: [], context: context()))
        let first = [curve(0, .running, [0.5])]
        XCTAssertNil(rule.decide(trial: curve(1, .running, [0.6]), epoch: 1, others: first, context: context()))
        let decision = rule.decide(trial: curve(1, .running, [0.4]), epoch: 1, others: first, context: context())
        XCTAssertEqual(decision?.rung, 0)
        XCTAssertEqual(decision?.detail, "asha: rung 0 (epoch 1): 0.4 is not in the top 1 of 2 trials (threshold 0.5)")
        // A tie with the best goes on.
        XCTAssertNil(rule.decide(trial: curve(1, .running, [0.5]), epoch: 1, others: first, context: context()))
    }

    /// Six trials at rung 1 (epoch 3) ⇒ k = ⌊6/3⌋ − 1 = 1: the top 2 go on. Values at epoch 3 of the others:
    /// 0.9, 0.8, 0.6, 0.3, 0.2 (a stopped trial's value counts: it reached the rung). 0.8 ties the 2nd best and goes
    /// on; 0.7 stops. Minimising, the threshold is the 2nd smallest.
    func testASHATopOneOverEtaWithTiesAndMinimising() {
        let others = [curve(0, .completed, [0.5, 0.6, 0.9]), curve(1, .running, [0.5, 0.6, 0.8]), curve(2, .stopped, [0.5, 0.6, 0.6, 0.6]),
                      curve(3, .completed, [0.2, 0.2, 0.3]), curve(4, .running, [0.1, 0.1, 0.2]), curve(5, .stopped, [0.1])]
        let rule = EarlyTermination.asha(minEpochs: 1, eta: 3)
        XCTAssertNil(rule.decide(trial: curve(9, .running, [0.9, 0.9, 0.8]), epoch: 3, others: others, context: context()))
        let decision = rule.decide(trial: curve(9, .running, [0.9, 0.9, 0.7]), epoch: 3, others: others, context: context())
        XCTAssertEqual(decision?.rung, 1)
        XCTAssertEqual(decision?.detail, "asha: rung 1 (epoch 3): 0.7 is not in the top 2 of 6 trials (threshold 0.8)")
        // Epoch 2 is between rungs: no decision.
        XCTAssertNil(rule.decide(trial: curve(9, .running, [0.9, 0.0]), epoch: 2, others: others, context: context()))
        // Minimising the same table: sorted 0.2, 0.3, 0.6, 0.8, 0.9 + v; v = 0.3 ties the 2nd smallest and goes on.
        XCTAssertNil(rule.decide(trial: curve(9, .running, [0, 0, 0.3]), epoch: 3, others: others, context: context(.minimize)))
        XCTAssertNotNil(rule.decide(trial: curve(9, .running, [0, 0, 0.31]), epoch: 3, others: others, context: context(.minimize)))
    }

    /// A NaN at a rung stops the trial; a NaN of another trial does not count as a competitor.
    func testASHADivergedTrialStopsAndIsNoCompetitor() {
        let rule = EarlyTermination.asha(minEpochs: 1, eta: 2)
        let decision = rule.decide(trial: curve(1, .running, [.nan]), epoch: 1, others: [curve(0, .completed, [0.1])], context: context())
        XCTAssertEqual(decision?.detail, "asha: rung 0 (epoch 1): the value is NaN (diverged)")
        // With the NaN not counted, 0.2 is the first real trial at the rung after 0.5: 2 competitors, k = 0: stops.
        let others = [curve(0, .completed, [0.5]), curve(1, .stopped, [.nan])]
        XCTAssertNotNil(rule.decide(trial: curve(2, .running, [0.2]), epoch: 1, others: others, context: context()))
        XCTAssertNil(rule.decide(trial: curve(2, .running, [0.6]), epoch: 1, others: others, context: context()))
    }

    // MARK: Hyperband

    /// R = 1, E_max = 10, η = 3: rungs fit at 1, 3, 9 ⇒ 3 brackets; budgets ⌈3·9/3⌉ = 9, ⌈3·3/2⌉ = 5, ⌈3·1/1⌉ = 3.
    /// Brackets of trials 0 … 9 of sweep "demo" by CRC-32 mod 17 (Python's binascii): 0 0 0 0 0 0 0 1 0 2.
    func testHyperbandBracketsAndAssignment() {
        XCTAssertEqual(HyperbandBrackets.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        let brackets = HyperbandBrackets(minEpochs: 1, maximumEpochs: 10, eta: 3)
        XCTAssertEqual(brackets.budgets, [9, 5, 3])
        XCTAssertEqual((0..<10).map { brackets.bracket(sweepName: "demo", trialIndex: $0) }, [0, 0, 0, 0, 0, 0, 0, 1, 0, 2])
        XCTAssertEqual(HyperbandBrackets(minEpochs: 1, maximumEpochs: 1, eta: 3).budgets, [1])
    }

    /// Trial 9 is in bracket 2: its first rung is epoch 9, so epoch 1 and 3 make no decision; at epoch 9 it competes
    /// only with bracket 2's trials (trial 10), not with bracket 0's better trial 0.
    func testHyperbandDecidesWithinTheTrialsBracket() {
        let rule = EarlyTermination.hyperband(minEpochs: 1, eta: 3)
        let strong = Array(repeating: 0.99, count: 10)
        let others = [curve(0, .completed, strong), curve(10, .completed, Array(repeating: 0.5, count: 10))]
        let weak = Array(repeating: 0.1, count: 9) + [0.6]
        XCTAssertNil(rule.decide(trial: curve(9, .running, Array(weak.prefix(1))), epoch: 1, others: others, context: context()))
        XCTAssertNil(rule.decide(trial: curve(9, .running, Array(weak.prefix(3))), epoch: 3, others: others, context: context()))
        XCTAssertNil(rule.decide(trial: curve(9, .running, Array(weak.prefix(9)).dropLast() + [0.6]), epoch: 9, others: others, context: context()))
        let decision = rule.decide(trial: curve(9, .running, Array(repeating: 0.4, count: 9)), epoch: 9, others: others, context: context())
        XCTAssertEqual(decision?.rule, .hyperband)
        XCTAssertEqual(decision?.detail, "hyperband: bracket 2 rung 0 (epoch 9): 0.4 is not in the top 1 of 2 trials (threshold 0.5)")
        // Trial 1 (bracket 0) at epoch 1 competes with trial 0 only: 0.98 < 0.99 stops.
        XCTAssertEqual(rule.decide(trial: curve(1, .running, [0.98]), epoch: 1, others: others, context: context())?.rung, 0)
    }
}
