import Store
import XCTest

@testable import Report

/// The one rule for "which parameters were swept", and the plain table style the leaderboard prints with.
final class SweptParametersTests: XCTestCase {
    let spec = #"{"name":"s","parameters":[{"name":"learning_rate","values":[0.1,0.5]},{"name":"batch_size","values":[16,32]},{"name":"epochs","value":3}]}"#

    func testKeysWhoseValuesDifferAreSweptInSpecOrderSeedExcluded() {
        let runs: [[String: SQLValue]] = [
            ["batch_size": .integer(16), "learning_rate": .real(0.1), "epochs": .integer(3), "seed": .integer(1), "momentum": .real(0)],
            ["batch_size": .integer(32), "learning_rate": .real(0.1), "epochs": .integer(3), "seed": .integer(2), "momentum": .real(0.9)],
            ["batch_size": .integer(16), "learning_rate": .real(0.5), "epochs": .integer(3), "seed": .integer(1), "momentum": .real(0)],
        ]
        // learning_rate before batch_size as the spec lists them; momentum (not in the spec) after, by name; epochs
        // and seed not swept.
        XCTAssertEqual(SweptParameters.keys(runParameters: runs, specJSON: spec), ["learning_rate", "batch_size", "momentum"])
    }

    func testNothingIsSweptWhenTheRunsAgreeAndThereIsNoFallbackList() {
        let same: [String: SQLValue] = ["batch_size": .integer(16), "learning_rate": .real(0.1), "seed": .integer(1)]
        var other = same
        other["seed"] = .integer(2)
        XCTAssertEqual(SweptParameters.keys(runParameters: [same, other], specJSON: spec), [])
        XCTAssertEqual(SweptParameters.keys(runParameters: [], specJSON: spec), [])
    }

    func testAKeyMissingFromSomeRunsCountsAsDiffering() {
        let runs: [[String: SQLValue]] = [["loss": .text("mse")], [:]]
        XCTAssertEqual(SweptParameters.keys(runParameters: runs, specJSON: "not json"), ["loss"])
    }

    func testThePlainStyleHasNoRuleAndAlignsEveryColumnLeft() {
        let table = ResultTable(columns: ["#", "batch_size", "seconds"], rows: [[.integer(1), .integer(128), .text("0.25")], [.integer(10), .integer(8), .text("1.50")]])
        XCTAssertEqual(
            TextTableRenderer(style: .plain).render(table),
            "#   batch_size  seconds\n1   128         0.25\n10  8           1.50\n")
        XCTAssertEqual(
            TextTableRenderer().render(table),
            " #  batch_size  seconds\n--  ----------  -------\n 1         128  0.25\n10           8  1.50\n")
    }
}
