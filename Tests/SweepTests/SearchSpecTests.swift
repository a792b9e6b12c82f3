import Engine
import Foundation
import XCTest

@testable import Sweep

/// `method: tpe`, `early_terminate` and `tpe` in the YAML spec; their checks; the stored JSON round trip.
final class SearchSpecTests: XCTestCase {
    let yaml = """
        name: digits-tpe
        method: bayes
        run_cap: 20
        seed: 3
        early_terminate: {type: asha, min_epochs: 2, eta: 4}
        tpe: {startup_trials: 5, multivariate: true}
        parameters:
          data: digits
          epochs: 8
          learning_rate: {distribution: log_uniform, min: 0.001, max: 1}
          batch_size: {distribution: q_uniform, min: 16, max: 256, q: 16}
          initializer: {values: [xavier-uniform, he-uniform]}
        """

    func testTPESpecParsesWithChoiceDefaults() throws {
        let spec = try SweepSpec.parse(yaml: yaml)
        XCTAssertEqual(spec.method, .tpe)
        XCTAssertEqual(spec.earlyTermination, .asha(minEpochs: 2, eta: 4))
        XCTAssertEqual(spec.tpe, TPESettings(startupTrials: 5, multivariate: true))
        // Choose on validation: a 10 % validation split and the validation metric, since the spec sets neither.
        XCTAssertEqual(spec.metric, SweepSpec.Metric(name: "validation_accuracy", goal: .maximize))
        XCTAssertEqual(spec.parameters.last, SweepSpec.Parameter(name: "validation_fraction", domain: .fixed(.double(0.1))))
        let plan = try SweepPlan(spec: spec)
        XCTAssertEqual(plan.count, 0, "tpe creates its trials on demand")
        XCTAssertEqual(
            spec.searchSummaryLine,
            "up to 20 trials, method tpe (5 random startup trials, then TPE: 24 candidates, multivariate, constant liar), metric validation_accuracy (maximize), early termination asha (min 2 epochs, eta 4)")
    }

    func testRegressionChoosesOnValidationLossAndAnExplicitSplitIsKept() throws {
        let spec = try SweepSpec.parse(yaml: """
            method: tpe
            run_cap: 5
            parameters:
              data: sine
              task: regression
              validation_fraction: 0.25
              learning_rate: {distribution: log_uniform, min: 0.001, max: 1}
            """)
        XCTAssertEqual(spec.metric.name, "validation_loss")
        XCTAssertEqual(spec.metric.goal, .minimize)
        XCTAssertEqual(spec.parameters.filter { $0.name == "validation_fraction" }.map(\.domain), [.fixed(.double(0.25))])
        // A grid sweep without early termination chooses on validation too; an explicit test metric keeps the data
        // without a validation split.
        let grid = try SweepSpec.parse(yaml: "parameters:\n  data: digits\n  batch_size: [16, 32]\n")
        XCTAssertEqual(grid.metric.name, "validation_accuracy")
        XCTAssertEqual(grid.parameters.filter { $0.name == "validation_fraction" }.map(\.domain), [.fixed(.double(0.1))])
        let onTest = try SweepSpec.parse(yaml: "metric: {name: test_accuracy}\nparameters:\n  data: digits\n  batch_size: [16, 32]\n")
        XCTAssertEqual(onTest.metric.name, "test_accuracy")
        XCTAssertFalse(onTest.parameters.contains { $0.name == "validation_fraction" })
        XCTAssertNotNil(onTest.choiceWarning)
        XCTAssertNil(grid.choiceWarning)
    }

    func testMedianAndHyperbandRulesWithDefaultsAndWandBNames() throws {
        func rule(_ text: String) throws -> EarlyTermination? {
            try SweepSpec.parse(yaml: "method: random\nrun_cap: 2\nearly_terminate: \(text)\nparameters:\n  data: digits\n").earlyTermination
        }
        XCTAssertEqual(try rule("{type: median, warmup_epochs: 2}"), .median(warmupEpochs: 2, minTrials: 5))
        XCTAssertEqual(try rule("{type: hyperband, min_iter: 3}"), .hyperband(minEpochs: 3, eta: 3))
        XCTAssertEqual(try rule("asha"), .asha(minEpochs: 1, eta: 3))
    }

    func testBadSearchSettingsAreOneLineErrorsAtTheirPlace() {
        func message(_ text: String) -> String {
            do { _ = try SweepSpec.parse(yaml: text, fileName: "s.yaml"); return "parsed" } catch { return "\(error)" }
        }
        let base = "parameters:\n  data: digits\n"
        XCTAssertEqual(message("method: tpe\n" + base), "s.yaml: method tpe needs run_cap (the number of trials to create)")
        XCTAssertEqual(message("method: tpee\n" + base), "s.yaml:1:9: unknown method 'tpee' (did you mean 'tpe'?)")
        XCTAssertEqual(message("method: tpe\nrun_cap: 3\nseeds: 2\n" + base), "s.yaml: invalid seeds 2 for method tpe: each suggestion is trained once (seeds must be 1)")
        XCTAssertEqual(message("early_terminate: {type: asha, eta: 1}\n" + base), "s.yaml: invalid early_terminate eta 1: must be at least 2")
        XCTAssertEqual(message("early_terminate: {type: median, eta: 3}\n" + base), "s.yaml:1:38: early_terminate: eta does not apply to type median")
        XCTAssertEqual(message("early_terminate: {type: medain}\n" + base), "s.yaml:1:25: unknown early_terminate type 'medain' (did you mean 'median'?)")
        XCTAssertEqual(message("early_terminate: {kind: asha}\n" + base), "s.yaml:1:19: unknown key 'kind' in early_terminate (valid: type, warmup_epochs, min_trials, min_epochs, min_iter, eta)")
        XCTAssertEqual(
            message("method: tpe\nrun_cap: 3\nmetric: {name: test_accuracy}\n" + base),
            "s.yaml:3:9: metric test_accuracy cannot choose: TPE and early termination choose on validation (use validation_accuracy); the test evaluation is still reported")
        XCTAssertEqual(message("tpe: {candidates: 0}\nmethod: tpe\nrun_cap: 3\n" + base), "s.yaml: invalid candidates 0: must be at least 1")
        XCTAssertEqual(
            message("early_terminate: asha\nmetric: duration\n" + base),
            "s.yaml:2:9: early_terminate decides on a per-epoch metric (validation_loss, validation_accuracy, train_loss, train_accuracy), not duration")
    }

    func testStoredJSONRoundTripKeepsTheSearch() throws {
        let spec = try SweepSpec.parse(yaml: yaml)
        let base = TrainingConfiguration()
        let (stored, storedBase) = try SweepSpec.stored(json: try spec.json(base: base))
        XCTAssertEqual(stored.method, .tpe)
        XCTAssertEqual(stored.parameters, spec.parameters)
        XCTAssertEqual(stored.earlyTermination, spec.earlyTermination)
        XCTAssertEqual(stored.tpe, spec.tpe)
        XCTAssertEqual(stored.metric, spec.metric)
        XCTAssertEqual(stored.runCap, 20)
        XCTAssertEqual(stored.sweepSeed, 3)
        XCTAssertEqual(storedBase, base)
        // The same stored spec suggests the same trials as the spec it came from.
        XCTAssertEqual(
            TrialSuggester(spec: stored, settings: stored.tpe).suggest(trialIndex: 4, history: []).map(\.1),
            TrialSuggester(spec: spec, settings: spec.tpe).suggest(trialIndex: 4, history: []).map(\.1))
    }

    /// `sweep run --method tpe --dry-run` prints the budget and the search space and writes nothing; bad search
    /// flags are one line with a non-zero exit.
    func testDryRunOfATPESweepFromFlags() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("dry.sqlite").path
        let (status, output, errors) = try SweepTestSupport.runLogbook([
            "sweep", "run", "--db", path, "--data", "digits", "--lr", "0.01,0.1", "--batch-size", "16,32", "--method", "bayes",
            "--run-cap", "12", "--early-terminate", "median", "--min-trials", "3", "--dry-run",
        ])
        XCTAssertEqual(status, 0, errors)
        XCTAssertEqual(
            output.split(separator: "\n").first,
            "up to 12 trials, method tpe (10 random startup trials, then TPE: 24 candidates, univariate, constant liar), metric validation_accuracy (maximize), early termination median (warmup 0 epochs, min 3 trials)")
        XCTAssertTrue(output.contains("learning_rate        categorical   0.01, 0.1"), output)
        XCTAssertTrue(output.contains("validation_fraction  fixed         0.1"), output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a dry run writes nothing")
        let (badStatus, _, badErrors) = try SweepTestSupport.runLogbook(["sweep", "run", "--db", path, "--data", "digits", "--lr", "0.1,0.2", "--eta", "3"])
        XCTAssertNotEqual(badStatus, 0)
        XCTAssertEqual(badErrors, "error: --eta goes with --early-terminate asha or hyperband\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    /// Distributions from flags (`KIND:MIN:MAX`, `q_uniform:MIN:MAX:Q`, also through `--set`) reach the search space
    /// as the YAML spec's would; a malformed one, and bounds the spec's checks refuse, are one line with a non-zero
    /// exit and nothing written.
    func testDistributionsFromFlags() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let path = directory.appendingPathComponent("flags.sqlite").path
        let (status, output, errors) = try SweepTestSupport.runLogbook([
            "sweep", "run", "--db", path, "--data", "digits", "--lr", "log_uniform:0.001:1", "--momentum", "uniform:0:0.99",
            "--batch-size", "int_uniform:16:64", "--set", "dropout=q_uniform:0:0.5:0.1", "--method", "tpe", "--run-cap", "20",
            "--dry-run",
        ])
        XCTAssertEqual(status, 0, errors)
        for line in [
            "batch_size           int_uniform   16…64", "learning_rate        log_uniform   [0.001, 1]",
            "momentum             uniform       [0, 0.99]", "dropout              q_uniform     [0, 0.5] step 0.1",
        ] {
            XCTAssertTrue(output.contains(line), "\(line) in\n\(output)")
        }
        let refusals: [([String], String)] = [
            (["--lr", "log_uniform:0.1"], "error: invalid distribution 'log_uniform:0.1' for learning_rate: expected log_uniform:MIN:MAX\n"),
            (["--lr", "uniform:a:1"], "error: invalid distribution 'uniform:a:1' for learning_rate: 'a' is not a finite number (uniform:MIN:MAX)\n"),
            (["--batch-size", "int_uniform:16:6.5"], "error: invalid distribution 'int_uniform:16:6.5' for batch_size: int_uniform bounds must be integers\n"),
            (["--lr", "log_uniform:0:1"], "error: parameter 'learning_rate': log_uniform needs min > 0 (got min 0, max 1)\n"),
            (["--set", "dropout=uniform:0.5:0.1"], "error: parameter 'dropout': min 0.5 > max 0.1\n"),
        ]
        for (flags, message) in refusals {
            let (badStatus, _, badErrors) = try SweepTestSupport.runLogbook(
                ["sweep", "run", "--db", path, "--data", "digits", "--method", "random", "--run-cap", "3"] + flags)
            XCTAssertNotEqual(badStatus, 0, "\(flags)")
            XCTAssertEqual(badErrors, message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "nothing is written")
    }
}
