import Engine
import Foundation
import Report
@testable import Store
import XCTest

@testable import Sweep

/// Choose on validation, measure on test: every sweep ranks by a validation metric on a validation split unless it
/// names another metric, and reports the chosen configuration's test figure without ranking by it.
final class ValidationChoiceTests: XCTestCase {
    /// Validation and test disagree: trial 1 has the best validation accuracy, trial 0 the best test accuracy.
    static let validationAccuracies = [0.60, 0.90, 0.70, 0.50]
    static let testAccuracies = [0.95, 0.70, 0.80, 0.60]

    /// A grid sweep without a metric over 2 batch sizes × 2 learning rates, its trials completed with the figures
    /// above (`validation` false: only the test figures, as an old sweep without a validation split).
    func recordedSweep(validation: Bool = true) throws -> (store: LogbookStore, path: String, sweepID: Int64, runIDs: [Int: Int64]) {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("v.sqlite").path
        let store = try LogbookStore(path: path)
        let plan = try SweepTestSupport.tinyPlan(batchSizes: [8, 16], learningRates: [0.1, 0.5])
        let sweepID = try SweepTestSupport.createSweep(plan, in: store)
        var runIDs: [Int: Int64] = [:]
        while let trial = try store.claimNextTrial(sweepID: sweepID, worker: "w#1") {
            runIDs[trial.trialIndex] = trial.runID
            let validationValue: SQLValue = validation ? .real(Self.validationAccuracies[trial.trialIndex]) : .null
            try store.write {
                try $0.execute(
                    "UPDATE runs SET final_validation_accuracy = ?, test_accuracy = ? WHERE id = ?",
                    [validationValue, .real(Self.testAccuracies[trial.trialIndex]), .integer(trial.runID)])
            }
            XCTAssertTrue(try store.finishTrial(runID: trial.runID, worker: "w#1", status: .completed))
        }
        return (store, path, sweepID, runIDs)
    }

    func testAGridSweepWithoutAMetricRecordsATenPercentValidationSplitInEveryTrial() throws {
        let plan = try SweepTestSupport.tinyPlan(batchSizes: [8, 16], learningRates: [0.1, 0.5])
        XCTAssertEqual(plan.spec.metric, SweepSpec.Metric(name: "validation_accuracy", goal: .maximize))
        XCTAssertEqual(plan.trials.map(\.configuration.validationFraction), [0.1, 0.1, 0.1, 0.1])
        let (store, _, sweepID, _) = try recordedSweep()
        let stored = try store.sweepResults(sweepID: sweepID).runs.map { $0.overview.parameters["validation_fraction"] }
        XCTAssertEqual(stored, Array(repeating: .real(0.1), count: 4))
        XCTAssertEqual(try store.sweep(id: sweepID).metricName, "validation_accuracy")
    }

    func testTheLeaderboardAndTheReportRankByValidationAndReportTheTestFigure() throws {
        let (store, _, sweepID, _) = try recordedSweep()
        let leaderboard = try Leaderboard.load(sweepID: sweepID, from: store)
        XCTAssertEqual(leaderboard.rows.map(\.trialIndices), [[1], [2], [0], [3]], "by validation accuracy, not by test")
        XCTAssertEqual(leaderboard.bestMeasuredOnTest?.name, "test_accuracy")
        XCTAssertEqual(leaderboard.bestMeasuredOnTest?.value, 0.70)
        let text = leaderboard.render()
        XCTAssertTrue(text.hasPrefix("best: trial 1 validation_accuracy 0.9000 (batch_size=8 learning_rate=0.5)\n"), text)
        XCTAssertTrue(
            text.contains("\nchosen by validation_accuracy (10 % validation split); measured on test: test_accuracy 0.7000 (reported, never used to choose)\n"), text)
        let document = try SweepReport().build(sweepID: sweepID, store: store)
        let sentence = "Chosen by validation_accuracy (10 % validation split); test_accuracy reported, never used to choose."
        XCTAssertTrue(document.markdown(chartDirectory: "charts").text.contains(sentence), "Markdown report")
        XCTAssertTrue(document.html().contains(sentence), "HTML report")
    }

    func testBestDefaultsToTheSweepsValidationMetricAndShowsTheTestFigureBesideIt() throws {
        let (_, path, sweepID, runIDs) = try recordedSweep()
        let (status, output, errors) = try SweepTestSupport.runLogbook(["best", "--db", path, "--sweep", "\(sweepID)", "--top", "2", "--format", "csv"])
        XCTAssertEqual(status, 0, errors)
        let lines = output.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(Array(lines[0].prefix(5)), ["run_id", "name", "status", "validation_accuracy", "test_accuracy"], output)
        XCTAssertEqual(lines[1][0], "\(runIDs[1]!)")
        XCTAssertEqual(Array(lines[1][3...4]), ["0.9", "0.7"], output)
        XCTAssertEqual(lines[2][0], "\(runIDs[2]!)")
        XCTAssertEqual(errors, "")
    }

    /// A sweep ranked by validation of which no run recorded validation (no split) falls back to test and says so.
    func testASweepWithoutValidationRowsFallsBackToTestAndSaysSo() throws {
        let (store, path, sweepID, runIDs) = try recordedSweep(validation: false)
        let leaderboard = try Leaderboard.load(sweepID: sweepID, from: store)
        XCTAssertEqual(leaderboard.rows.map(\.trialIndices), [[0], [2], [1], [3]])
        XCTAssertEqual(leaderboard.choice.fallbackFrom, "validation_accuracy")
        XCTAssertNil(leaderboard.bestMeasuredOnTest)
        let text = leaderboard.render()
        XCTAssertTrue(text.hasPrefix("best: trial 0 test_accuracy 0.9500"), text)
        XCTAssertTrue(text.contains("chosen by test_accuracy: no completed run recorded validation_accuracy (no validation split"), text)
        XCTAssertTrue(text.contains("the figure is optimistic, the test data took part in the choice"), text)
        let (status, output, errors) = try SweepTestSupport.runLogbook(["best", "--db", path, "--sweep", "\(sweepID)", "--format", "csv"])
        XCTAssertEqual(status, 0, errors)
        XCTAssertEqual(errors, "note: no completed run of sweep \(sweepID) recorded validation_accuracy (no validation split); ranking by test_accuracy, which is optimistic\n")
        XCTAssertTrue(output.split(separator: "\n")[1].hasPrefix("\(runIDs[0]!),"), output)
    }

    func testRegressionDefaultsToValidationLoss() throws {
        let declared = try SweepSpec.parse(yaml: "parameters:\n  task: {value: regression}\n  batch_size: {values: [8]}\n")
        XCTAssertEqual(declared.metric, SweepSpec.Metric(name: "validation_loss", goal: .minimize))
        // Inferred from the data: sine has regression targets.
        let spec = SweepSpec(parameters: [
            .init(name: "data", domain: .fixed(.string("sine"))), .init(name: "layers", domain: .fixed(.string("0-8-0"))),
            .init(name: "batch_size", domain: .values([.int(8), .int(16)])),
        ])
        let plan = try SweepPlan(spec: spec)
        XCTAssertEqual(plan.spec.metric, SweepSpec.Metric(name: "validation_loss", goal: .minimize))
        XCTAssertEqual(plan.trials.map(\.configuration.validationFraction), [0.1, 0.1])
    }

    /// An explicit test metric on a grid sweep is allowed, with one warning line on standard error; the data is
    /// left without a validation split. TPE and pruning keep refusing it.
    func testAnExplicitTestMetricOnAGridSweepWarnsThatTheTestSplitLeaks() throws {
        let (status, output, errors) = try SweepTestSupport.runLogbook([
            "sweep", "run", "--dry-run", "--data", "xor", "--batch-size", "8,16", "--metric", "test_accuracy",
        ])
        XCTAssertEqual(status, 0, errors)
        XCTAssertEqual(
            errors,
            "warning: metric test_accuracy chooses on the test split, so the best configuration's test_accuracy is optimistic (the test data took part in the choice); use validation_accuracy to choose on a validation split and measure on test\n")
        XCTAssertTrue(output.contains("metric test_accuracy (maximize)"), output)
        XCTAssertFalse(output.contains("validation_fraction"), output)
        let quiet = try SweepTestSupport.runLogbook(["sweep", "run", "--dry-run", "--data", "xor", "--batch-size", "8,16"])
        XCTAssertEqual(quiet.0, 0, quiet.2)
        XCTAssertEqual(quiet.2, "", "no warning when validation chooses")
        XCTAssertTrue(quiet.1.contains("metric validation_accuracy (maximize)"), quiet.1)
        var tpe = SweepSpec(method: .tpe, metric: .init(name: "test_accuracy"), parameters: [.init(name: "data", domain: .fixed(.string("xor")))], runCap: 3)
        tpe.metricIsExplicit = true
        XCTAssertThrowsError(try SweepPlan(spec: tpe)) { error in
            XCTAssertTrue("\(error)".contains("metric test_accuracy cannot choose"), "\(error)")
        }
    }

    func testAValidationMetricWithoutAValidationSplitIsRefused() {
        XCTAssertThrowsError(try SweepSpec.parse(yaml: "parameters:\n  validation_fraction: {value: 0}\n  batch_size: {values: [8]}\n", fileName: "s.yaml")) { error in
            XCTAssertEqual(
                "\(error)",
                "s.yaml: metric validation_accuracy needs a validation split, but validation_fraction is 0 (give validation_fraction > 0, e.g. 0.1, or name a metric that is not measured on validation)")
        }
    }

    /// A spec naming its validation samples by file gets no default fraction (the two exclude each other) and no
    /// refusal; its trials carry the file.
    func testValidationIndicesStandInForTheDefaultFraction() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let indices = directory.appendingPathComponent("validation.txt")
        try "0\n5\n9\n".write(to: indices, atomically: true, encoding: .utf8)
        let yaml = "parameters:\n  data: {value: xor}\n  validation_indices: {value: '\(indices.path)'}\n  learning_rate: {values: [0.1, 0.2]}\n"
        let spec = try SweepSpec.parse(yaml: yaml, fileName: "s.yaml")
        XCTAssertFalse(spec.parameters.contains { $0.name == "validation_fraction" })
        let plan = try SweepPlan(spec: spec)
        XCTAssertEqual(plan.spec.metric.name, "validation_accuracy")
        let configuration = try XCTUnwrap(plan.trials.first).configuration
        XCTAssertEqual(configuration.validationIndices, indices.path)
        XCTAssertEqual(configuration.validationFraction, 0)
        XCTAssertEqual(try DataPipeline.prepare(configuration.dataSettings).validation?.sampleCount, 3)
    }
}
