import Store
import XCTest

@testable import Report

/// How a report groups runs by a hyperparameter: by value, or — for a number the spec draws per trial (random, TPE) — in
/// equal-count bins labelled by their range, so that the effect charts, the heatmap and the leaderboard's marginal
/// means show groups rather than one bar per trial.
final class SweepReportGroupsTests: XCTestCase {
    /// Twelve completed trials, learning rates 0.001…0.011 with 0.011 twice (11 distinct, more than 10): ranks
    /// 0…11 give bins ⌊rank · 4 / 12⌋ = 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, the tie taking its first rank (10, bin 3).
    /// Batch sizes (3 values) stay groups by value; a running trial is left out.
    func testNumbersDrawnPerTrialAreGroupedInEqualCountBins() {
        let rates = [0.005, 0.001, 0.011, 0.003, 0.009, 0.002, 0.011, 0.007, 0.004, 0.010, 0.006, 0.008]
        var runs = rates.enumerated().map { index, rate in
            run(id: Int64(index + 1), status: "completed", learningRate: rate, batchSize: [16, 32, 64][index % 3], accuracy: rate * 10)
        }
        runs.append(run(id: 99, status: "running", learningRate: 0.5, batchSize: 16, accuracy: 0))
        let spec = #"{"parameters":[{"name":"learning_rate","distribution":"log_uniform","min":0.001,"max":1},{"name":"batch_size","values":[16,32,64]}]}"#
        let data = SweepReportData(
            sweepID: 1, name: "s", method: "tpe", metricName: "validation_accuracy", metricGoal: "maximize", spec: spec,
            runs: runs, sweptKeys: ["learning_rate", "batch_size"], metricFallback: nil)
        var grid = data
        grid.spec = #"{"parameters":[{"name":"learning_rate","values":[0.001,0.002,0.003,0.004,0.005,0.006,0.007,0.008,0.009,0.01,0.011]}]}"#
        XCTAssertFalse(grid.isBinned("learning_rate"), "grid values are the groups the user asked for")
        XCTAssertEqual(grid.groups(by: "learning_rate").count, 11)

        let byRate = data.groups(by: "learning_rate")
        XCTAssertTrue(data.isBinned("learning_rate"))
        XCTAssertEqual(byRate.map(\.value), ["0.001–0.003", "0.004–0.006", "0.007–0.009", "0.01–0.011"].map(SQLValue.text))
        XCTAssertEqual(byRate.map { $0.runs.map(\.id).sorted() }, [[2, 4, 6], [1, 9, 11], [5, 8, 12], [3, 7, 10]])
        XCTAssertFalse(data.isBinned("batch_size"))
        XCTAssertEqual(data.groups(by: "batch_size").map(\.value), [.integer(16), .integer(32), .integer(64)])
        XCTAssertEqual(data.groups(by: "batch_size").map(\.runs.count), [4, 4, 4])

        // Ten distinct numbers are still groups by value.
        let ten = SweepReportData(
            sweepID: 1, name: "s", method: "tpe", metricName: "validation_accuracy", metricGoal: "maximize", spec: spec,
            runs: (1...10).map { run(id: Int64($0), status: "completed", learningRate: Double($0) / 100, batchSize: 16, accuracy: 0.5) },
            sweptKeys: ["learning_rate"], metricFallback: nil)
        XCTAssertFalse(ten.isBinned("learning_rate"))
        XCTAssertEqual(ten.groups(by: "learning_rate").count, 10)

        // The effect table and the heatmap use the bins; so do the leaderboard's marginal means.
        let effects = SweepReport().effects(data)
        let tables = effects.blocks.compactMap { block -> ResultTable? in if case .table(let table) = block { table } else { nil } }
        XCTAssertEqual(tables.first { $0.columns.first == "learning_rate" }?.column("runs"), [3, 3, 3, 3].map { SQLValue.integer($0) })
        XCTAssertEqual(tables.first { $0.columns.first == "learning_rate" }?.column("validation_accuracy_mean")?.compactMap(\.double).map { ($0 * 1e9).rounded() / 1e9 }, [0.02, 0.05, 0.08, 0.1066666667].map { ($0 * 1e9).rounded() / 1e9 })
        let heatmap = effects.charts.first { $0.fileName == "heatmap.svg" }?.svg ?? ""
        XCTAssertTrue(heatmap.contains("0.004–0.006"), "the heatmap's rows are the bins")
        XCTAssertTrue(effects.blocks.contains { if case .paragraph(let text) = $0 { text.hasPrefix("learning_rate: drawn from a distribution") } else { false } })
        let means = Leaderboard(data).marginalMeans().first { $0.hasPrefix("mean validation_accuracy by learning_rate") }
        XCTAssertEqual(means, "mean validation_accuracy by learning_rate: 0.001–0.003 0.0200 · 0.004–0.006 0.0500 · 0.007–0.009 0.0800 · 0.01–0.011 0.1067")
    }

    private func run(id: Int64, status: String, learningRate: Double, batchSize: Int64, accuracy: Double) -> SweepReportData.Run {
        SweepReportData.Run(
            id: id, summary: ["status": .text(status), "validation_accuracy": .real(accuracy), "trial_index": .integer(id - 1)],
            parameters: ["learning_rate": .real(learningRate), "batch_size": .integer(batchSize), "seed": .integer(1)],
            epochs: [], classCount: 10, stepsPerEpoch: 1, testSampleCount: nil)
    }
}
