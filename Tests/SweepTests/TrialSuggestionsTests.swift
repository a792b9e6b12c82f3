import Engine
import Foundation
@testable import Store
import XCTest

@testable import Sweep

/// A worker's `TrialSuggestions` (configurations reused between claims, points kept by run) suggests what
/// `OnDemandTrials` suggests on the full history.
final class TrialSuggestionsTests: XCTestCase {
    func testTheSuggestionsAreThoseOfTheFullHistory() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("s.sqlite").path)
        var spec = OnDemandTrialTests.tpeSpec(runCap: 14)
        spec.parameters.append(.init(name: "momentum", domain: .uniform(min: 0, max: 0.99)))
        let plan = try SweepPlan(spec: spec)
        // Two sweeps of one spec (one seed): one claimed through TrialSuggestions, one with a full read each time.
        let kept = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
        let plain = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
        let (storedSpec, base) = try SweepSpec.stored(json: try store.sweep(id: kept).specJSON)
        let trials = OnDemandTrials(spec: storedSpec, base: base)
        let suggestions = TrialSuggestions(trials)
        var keptRates: [Double] = [], plainRates: [Double] = []
        for index in 0..<14 {
            let fromKept = try XCTUnwrap(try suggestions.claim(store: store, sweepID: kept, worker: "w"))
            let fromPlain = try XCTUnwrap(try store.claimOrCreateTrial(sweepID: plain, worker: "w") { index, history in
                try trials.configuration(trialIndex: index, history: history)
            })
            XCTAssertEqual(fromKept.trialIndex, index)
            XCTAssertEqual(fromKept.configuration, fromPlain.configuration, "trial \(index)")
            keptRates.append(fromKept.configuration.learningRate)
            plainRates.append(fromPlain.configuration.learningRate)
            // Trials finish out of order, each with a figure of its own; every third stays running.
            for finished in [fromKept, fromPlain] where index % 3 != 2 {
                try store.write { connection in
                    try connection.execute(
                        "UPDATE runs SET status = 'completed', final_validation_accuracy = ? WHERE id = ?",
                        [.real(1 / (1 + abs(log(finished.configuration.learningRate / 0.05)))), .integer(finished.runID)])
                }
            }
        }
        XCTAssertEqual(keptRates, plainRates)
        XCTAssertEqual(Set(keptRates).count, 14, "TPE suggested a different point each time")
        XCTAssertNil(try suggestions.claim(store: store, sweepID: kept, worker: "w"), "run cap reached")
    }
}
