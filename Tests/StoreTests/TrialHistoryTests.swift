import Engine
import Foundation
import XCTest

@testable import Store
import StoreTesting

/// The history `claimOrCreateTrial` hands to `suggest`, on both stores: reusing the configurations of an earlier
/// claim's history gives the history a full read gives.
final class TrialHistoryTests: StoreContractTestCase {
    /// A sweep with run cap 12 and trials 0–4 (learning rates 0.01 … 0.05), 0 and 2 completed; its id.
    private func sweepWithFiveTrials(_ store: any LogbookStoring) throws -> Int64 {
        let sweepID = try store.createSweep(
            name: "h", method: "tpe", metricName: "validation_loss", metricGoal: "minimize", specJSON: "{}", plannedTrials: 12)
        for index in 0..<5 {
            let trial = try XCTUnwrap(try claim(store, sweepID))
            if index % 2 == 0, index < 4 { try store.finishTrial(runID: trial.runID, worker: "w", status: .completed) }
        }
        return sweepID
    }

    /// One claim; `handed` gets the history it was handed.
    @discardableResult
    private func claim(
        _ store: any LogbookStoring, _ sweepID: Int64, reusing earlier: [TrialHistoryRecord] = [],
        handed: (([TrialHistoryRecord]) -> Void)? = nil
    ) throws -> ClaimedTrial? {
        try store.claimOrCreateTrial(sweepID: sweepID, worker: "w", reusing: earlier) { index, history in
            handed?(history)
            return Synthetic.configuration(learningRate: 0.01 * Double(index + 1))
        }
    }

    /// The history a claim is handed now (the claim creates the next trial).
    private func history(_ store: any LogbookStoring, _ sweepID: Int64, reusing earlier: [TrialHistoryRecord] = []) throws -> [TrialHistoryRecord] {
        var handed: [TrialHistoryRecord] = []
        try claim(store, sweepID, reusing: earlier) { handed = $0 }
        return handed
    }

    func testAClaimReusingAnEarlierHistoryIsHandedTheFullRead() throws {
        try forEachStore { _, store in
            let sweepID = try sweepWithFiveTrials(store)
            let first = try history(store, sweepID)  // creates trial 5
            XCTAssertEqual(first.map(\.trialIndex), [0, 1, 2, 3, 4])
            XCTAssertEqual(first.map(\.status), [.completed, .running, .completed, .running, .running])
            XCTAssertEqual(first.map(\.configuration.learningRate), [1, 2, 3, 4, 5].map { 0.01 * Double($0) })
            // Known: trials 0, 2 and 4. Trials 1 and 3 are older than the newest known run (read one by one), 5 newer.
            var earlier = first
            earlier.removeAll { $0.trialIndex == 1 || $0.trialIndex == 3 }
            let reused = try history(store, sweepID, reusing: earlier)  // creates trial 6
            let full = try history(store, sweepID)  // creates trial 7
            XCTAssertEqual(reused.count, 6)
            XCTAssertEqual(reused, Array(full.prefix(6)))
            XCTAssertEqual(try history(store, sweepID, reusing: full), Array(try history(store, sweepID).prefix(8)))
            // What changes is read again: a status.
            try store.finishTrial(runID: first[1].runID, worker: "w", status: .failed)
            XCTAssertEqual(try history(store, sweepID, reusing: full)[1].status, .failed)
            // A known configuration is taken as known, not read again (a run's configuration is written once).
            var altered = full
            altered[0].configuration.learningRate = 9.5
            XCTAssertEqual(try history(store, sweepID, reusing: altered)[0].configuration.learningRate, 9.5)
        }
    }
}
