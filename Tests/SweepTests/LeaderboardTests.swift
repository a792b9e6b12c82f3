import Engine
import Foundation
import Report
@testable import Store
import XCTest

@testable import Sweep

/// Ranking by the sweep's metric (validation_accuracy by default), seeds aggregated as mean ± standard deviation.
final class LeaderboardTests: XCTestCase {
    func testConfigurationsAreRankedByTheMeanOverTheirSeeds() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("l.sqlite").path)
        // 2 batch sizes × 2 learning rates × 2 seeds; trial i = configuration i % 4, replicate i / 4.
        let plan = try SweepTestSupport.tinyPlan(batchSizes: [8, 16], learningRates: [0.1, 0.5], seeds: 2)
        let sweepID = try SweepTestSupport.createSweep(plan, in: store)
        let accuracies: [Double] = [0.50, 0.90, 0.70, 0.60, 0.70, 0.80, 0.70, 0.20]
        while let trial = try store.claimNextTrial(sweepID: sweepID, worker: "w#1") {
            try store.write {
                try $0.execute(
                    "UPDATE runs SET final_validation_accuracy = ? WHERE id = ?",
                    [.real(accuracies[trial.trialIndex]), .integer(trial.runID)])
            }
            XCTAssertTrue(try store.finishTrial(runID: trial.runID, worker: "w#1", status: .completed))
        }
        let leaderboard = try Leaderboard.load(sweepID: sweepID, from: store)
        XCTAssertEqual(leaderboard.parameterNames, ["batch_size", "learning_rate"])
        XCTAssertEqual(leaderboard.rows.map(\.trialIndices), [[1, 5], [2, 6], [0, 4], [3, 7]])
        XCTAssertEqual(leaderboard.rows[0].mean, 0.85, accuracy: 1e-12)
        XCTAssertEqual(leaderboard.rows[0].standardDeviation ?? -1, (0.005 as Double).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(leaderboard.rows[1].standardDeviation ?? -1, 0, accuracy: 1e-12)
        XCTAssertEqual(leaderboard.rows.map(\.count), [2, 2, 2, 2])
        let text = leaderboard.render()
        XCTAssertTrue(text.hasPrefix("best: trial 1,5 validation_accuracy 0.8500 ± 0.0707 (batch_size=8 learning_rate=0.5)"), text)
        XCTAssertTrue(text.contains("mean validation_accuracy by batch_size: 8 0.7250 · 16 0.5500"), text)
        XCTAssertTrue(text.contains("mean validation_accuracy by learning_rate: 0.1 0.6500 · 0.5 0.6250"), text)
    }

    /// A swept boolean shows as `true`/`false` (as `--set batch_norm=true,false` wrote it), not as the 0/1 the `params`
    /// table stores: in the progress lines, the best line, the table and the marginal means of `sweep run`.
    func testASweptBooleanShowsAsTrueAndFalse() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("b.sqlite").path
        let (status, output, errors) = try SweepTestSupport.runLogbook([
            "sweep", "run", "--db", path, "--data", "iris", "--layers", "0-8-0", "--epochs", "2",
            "--set", "batch_norm=true,false", "--workers", "1", "--quiet",
        ])
        XCTAssertEqual(status, 0, errors)
        let lines = output.split(separator: "\n").map(String.init)
        let progress = lines.filter { $0.hasPrefix("[") && $0.contains(" completed ") }
        XCTAssertEqual(Set(progress.compactMap { $0.split(separator: " ").first { $0.hasPrefix("batch_norm=") } }), ["batch_norm=true", "batch_norm=false"], output)
        let best = try XCTUnwrap(lines.first { $0.hasPrefix("best: trial ") }, output)
        XCTAssertTrue(best.hasSuffix("(batch_norm=true)") || best.hasSuffix("(batch_norm=false)"), best)
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("#  trial  batch_norm") }, output)
        let cells = lines[(header + 1)...(header + 2)].map { String($0.split(separator: " ")[2]) }
        XCTAssertEqual(Set(cells), ["true", "false"], output)
        let prefix = "mean validation_accuracy by batch_norm: "
        let means = try XCTUnwrap(lines.first { $0.hasPrefix(prefix) }, output)
        let labels = means.dropFirst(prefix.count).components(separatedBy: " · ").map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(Set(labels), ["true", "false"], means)
        // `show` and `compare` read the params rows too: the same words, never 0/1.
        var shown: Set<String> = []
        for run in ["1", "2"] {
            let (showStatus, showOutput, showErrors) = try SweepTestSupport.runLogbook(["show", run, "--db", path])
            XCTAssertEqual(showStatus, 0, showErrors)
            let words = showOutput.split(whereSeparator: \.isWhitespace).map(String.init)
            shown.formUnion(words.filter { $0.hasPrefix("batch_norm=") })
            XCTAssertTrue(words.contains("shuffle=true"), showOutput)
        }
        XCTAssertEqual(shown, ["batch_norm=true", "batch_norm=false"])
        let (compareStatus, compareOutput, compareErrors) = try SweepTestSupport.runLogbook(["compare", "1", "2", "--db", path])
        XCTAssertEqual(compareStatus, 0, compareErrors)
        let row = try XCTUnwrap(
            compareOutput.split(separator: "\n").first { $0.split(separator: " ").contains("batch_norm") }, compareOutput)
        XCTAssertEqual(Set(row.split(separator: " ").filter { $0 == "true" || $0 == "false" }), ["true", "false"], String(row))
    }
}
