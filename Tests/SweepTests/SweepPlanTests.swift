import Engine
import XCTest

@testable import Sweep

/// Grid and random expansion: counts, order, reproducibility, bounds.
final class SweepPlanTests: XCTestCase {
    private func gridSpec(seeds: Int = 1) -> SweepSpec {
        SweepSpec(
            parameters: [
                .init(name: "data", domain: .fixed(.string("digits"))),
                .init(name: "batch_size", domain: .values([.int(16), .int(32), .int(64), .int(128)])),
                .init(name: "learning_rate", domain: .values([.double(0.01), .double(0.1), .double(0.5)])),
                .init(name: "initializer", domain: .values([.string("zeros"), .string("xavier-uniform"), .string("he-uniform")])),
                .init(name: "epochs", domain: .values([.int(10), .int(30)])),
            ], seeds: seeds)
    }

    func testGridIsTheCartesianProductWithTheLastParameterFastest() throws {
        let plan = try SweepPlan(spec: gridSpec())
        XCTAssertEqual(plan.count, 4 * 3 * 3 * 2)
        XCTAssertEqual(plan.configurationCount, 72)
        func summary(_ trial: PlannedTrial) -> String {
            let c = trial.configuration
            return "\(c.batchSize) \(c.learningRate) \(c.initializer) \(c.epochs)"
        }
        XCTAssertEqual(summary(plan.trials[0]), "16 0.01 zeros 10")
        XCTAssertEqual(summary(plan.trials[1]), "16 0.01 zeros 30")
        XCTAssertEqual(summary(plan.trials[2]), "16 0.01 xavier-uniform 10")
        XCTAssertEqual(summary(plan.trials[6]), "16 0.1 zeros 10")
        XCTAssertEqual(summary(plan.trials[18]), "32 0.01 zeros 10")
        XCTAssertEqual(summary(plan.trials[71]), "128 0.5 he-uniform 30")
        XCTAssertEqual(Set(plan.trials.map(summary)).count, 72, "every combination exactly once")
        XCTAssertEqual(plan.trials.map(\.index), Array(0..<72))
        XCTAssertTrue(plan.trials.allSatisfy { $0.configuration.data == "digits" && $0.configuration.seed == 1 })
    }

    func testSeedsRepeatEveryConfigurationWithConsecutiveSeedsAsTheOuterLoop() throws {
        let plan = try SweepPlan(spec: gridSpec(seeds: 3))
        XCTAssertEqual(plan.count, 216)
        for trial in plan.trials {
            XCTAssertEqual(trial.configurationIndex, trial.index % 72)
            XCTAssertEqual(trial.replicate, trial.index / 72)
            XCTAssertEqual(trial.configuration.seed, 1 + UInt64(trial.replicate))
            var sameConfiguration = trial.configuration
            sameConfiguration.seed = 1
            var first = plan.trials[trial.configurationIndex].configuration
            first.seed = 1
            XCTAssertEqual(sameConfiguration, first)
        }
    }

    func testRunCapKeepsTheFirstGridConfigurations() throws {
        var spec = gridSpec()
        spec.runCap = 5
        let plan = try SweepPlan(spec: spec)
        XCTAssertEqual(plan.count, 5)
        XCTAssertEqual(plan.trials.map(\.configuration.epochs), [10, 30, 10, 30, 10])
    }

    private func randomSpec(seed: UInt64) -> SweepSpec {
        SweepSpec(
            method: .random,
            parameters: [
                .init(name: "data", domain: .fixed(.string("iris"))),
                .init(name: "learning_rate", domain: .logUniform(min: 1e-4, max: 1)),
                .init(name: "momentum", domain: .uniform(min: 0.5, max: 0.9)),
                .init(name: "epochs", domain: .intUniform(min: 1, max: 3)),
                .init(name: "batch_size", domain: .qUniform(min: 8, max: 100, q: 16)),
                .init(name: "initializer", domain: .values([.string("zeros"), .string("he-normal")])),
            ], runCap: 400, sweepSeed: seed)
    }

    func testRandomSearchIsReproducibleFromTheSweepSeed() throws {
        let first = try SweepPlan(spec: randomSpec(seed: 42))
        let again = try SweepPlan(spec: randomSpec(seed: 42))
        let other = try SweepPlan(spec: randomSpec(seed: 43))
        XCTAssertEqual(first.count, 400)
        XCTAssertEqual(first.trials.map(\.configuration), again.trials.map(\.configuration))
        XCTAssertNotEqual(first.trials.map(\.configuration.learningRate), other.trials.map(\.configuration.learningRate))
    }

    func testRandomDrawsStayWithinBounds() throws {
        let trials = try SweepPlan(spec: randomSpec(seed: 9)).trials.map(\.configuration)
        XCTAssertTrue(trials.allSatisfy { (1e-4...1).contains($0.learningRate) })
        XCTAssertTrue(trials.allSatisfy { (0.5...0.9).contains($0.momentum) })
        XCTAssertEqual(Set(trials.map(\.epochs)), [1, 2, 3], "int_uniform is inclusive at both ends")
        XCTAssertEqual(Set(trials.map(\.batchSize)), [16, 32, 48, 64, 80, 96], "multiples of q inside [min, max]")
        XCTAssertEqual(Set(trials.map(\.initializer)), [.zeros, .heNormal])
        // log_uniform is uniform in log space: about half the draws below √(1e-4·1) = 0.01.
        let below = trials.filter { $0.learningRate < 0.01 }.count
        XCTAssertTrue((150...250).contains(below), "\(below) of 400 below the geometric midpoint")
    }
}
