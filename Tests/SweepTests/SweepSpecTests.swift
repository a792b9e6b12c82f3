import Engine
import Foundation
import XCTest

@testable import Sweep

/// Parsing YAML specs and the one-line error of every bad spec.
final class SweepSpecTests: XCTestCase {
    func testParsesAWandBStyleSpec() throws {
        let spec = try SweepSpec.parse(
            yaml: """
                name: digits-init
                method: random
                metric: {name: test_loss}
                run_cap: 12
                seeds: 2
                seed: 7
                parameters:
                  data: {value: iris}
                  batch_size: {values: [16, 32]}
                  learning_rate: {distribution: log_uniform, min: 1e-3, max: 0.5}
                  epochs: {distribution: int_uniform, min: 2, max: 5}
                  momentum: {distribution: q_uniform, min: 0, max: 0.9, q: 0.3}
                  initializer: {distribution: categorical, values: [zeros, he-uniform]}
                  layers: {value: 4-8-3}
                """, fileName: "s.yaml")
        XCTAssertEqual(spec.name, "digits-init")
        XCTAssertEqual(spec.method, .random)
        XCTAssertEqual(spec.metric, SweepSpec.Metric(name: "test_loss", goal: .minimize))
        XCTAssertEqual(spec.runCap, 12)
        XCTAssertEqual(spec.seeds, 2)
        XCTAssertEqual(spec.sweepSeed, 7)
        XCTAssertEqual(
            spec.parameters.map(\.name),
            ["data", "batch_size", "learning_rate", "epochs", "momentum", "initializer", "layers"])
        XCTAssertEqual(spec.parameters[0].domain, .fixed(.string("iris")))
        XCTAssertEqual(spec.parameters[1].domain, .values([.int(16), .int(32)]))
        XCTAssertEqual(spec.parameters[2].domain, .logUniform(min: 0.001, max: 0.5))
        XCTAssertEqual(spec.parameters[3].domain, .intUniform(min: 2, max: 5))
        XCTAssertEqual(spec.parameters[4].domain, .qUniform(min: 0, max: 0.9, q: 0.3))
        XCTAssertEqual(spec.parameters[5].domain, .values([.string("zeros"), .string("he-uniform")]))
        XCTAssertEqual(spec.variedParameterNames, ["batch_size", "learning_rate", "epochs", "momentum", "initializer"])
    }

    /// Choose on validation: a grid spec without a metric ranks by validation accuracy on a 10 % validation split.
    func testMetricDefaultsToValidationAccuracyMaximizedOnATenPercentSplit() throws {
        let spec = try SweepSpec.parse(yaml: "parameters:\n  batch_size: {values: [8]}\n")
        XCTAssertEqual(spec.metric.name, "validation_accuracy")
        XCTAssertEqual(spec.metric.goal, .maximize)
        XCTAssertEqual(spec.method, .grid)
        XCTAssertEqual(spec.parameters.last, .init(name: "validation_fraction", domain: .fixed(.double(0.1))))
    }

    /// Each bad spec gives its own one-line message, pointing at the line and column where it can.
    func testBadSpecsGiveSpecificOneLineMessages() {
        let cases: [(String, String)] = [
            // malformed YAML, with line and column
            ("parameters:\n  batch_size: {values: [16, 32}\n", "s.yaml:2:31: malformed YAML"),
            // unknown keys, with the nearest valid key
            ("paramters:\n  batch_size: {values: [8]}\n", "s.yaml:1:1: unknown top-level key 'paramters' (did you mean 'parameters'?)"),
            ("parameters:\n  batch_sise: {values: [8]}\n", "s.yaml:2:3: unknown parameter 'batch_sise' (did you mean 'batch_size'?)"),
            ("parameters:\n  learning_rate: {vales: [0.1]}\n", "s.yaml:2:19: unknown key 'vales' in parameter 'learning_rate' (did you mean 'values'?)"),
            ("metric: {name: test_accuracy, gaol: maximize}\nparameters:\n  epochs: {value: 1}\n", "unknown metric key 'gaol' (did you mean 'goal'?)"),
            // empty value lists
            ("parameters:\n  batch_size: {values: []}\n", "s.yaml:2:15: parameter 'batch_size': values is empty"),
            // a value listed twice would plan one configuration twice
            ("parameters:\n  batch_size: {values: [8, 16, 8]}\n", "s.yaml:2:15: parameter 'batch_size': value 8 is listed twice"),
            // min > max
            ("method: random\nrun_cap: 3\nparameters:\n  learning_rate: {distribution: uniform, min: 0.5, max: 0.1}\n",
             "parameter 'learning_rate': min 0.5 > max 0.1"),
            // log distributions over non-positive ranges
            ("method: random\nrun_cap: 3\nparameters:\n  learning_rate: {distribution: log_uniform, min: 0, max: 0.1}\n",
             "parameter 'learning_rate': log_uniform needs min > 0"),
            // unknown initializers, activations, optimizers, datasets (with suggestions)
            ("parameters:\n  initializer: {values: [zeros, he-unifrom]}\n",
             "parameter 'initializer': unknown initializer 'he-unifrom' (did you mean 'he-uniform'?)"),
            ("parameters:\n  activation: {value: rellu}\n", "parameter 'activation': unknown activation 'rellu' (did you mean 'relu'?)"),
            ("parameters:\n  optimizer: {values: [adam, adamm]}\n", "parameter 'optimizer': unknown optimizer 'adamm' (did you mean 'adam'?)"),
            ("parameters:\n  data: {value: digts}\n", "parameter 'data': unknown data 'digts' (did you mean 'digits'?)"),
            // other checks
            ("parameters:\n  learning_rate: {values: [0.1, -1]}\n", "parameter 'learning_rate': invalid learning_rate -1: must be > 0 and finite"),
            ("method: random\nparameters:\n  epochs: {value: 1}\n", "method random needs run_cap"),
            ("method: grid\nparameters:\n  learning_rate: {distribution: uniform, min: 0.1, max: 0.5}\n",
             "parameter 'learning_rate': distribution uniform cannot be enumerated by method grid (use values, or method random or tpe)"),
            ("method: hyperopt\nparameters:\n  epochs: {value: 1}\n", "unknown method 'hyperopt'"),
            ("metric: {name: test_acc}\nparameters:\n  epochs: {value: 1}\n", "unknown metric name 'test_acc' (did you mean 'test_accuracy'?)"),
        ]
        for (yaml, expected) in cases {
            XCTAssertThrowsError(try SweepSpec.parse(yaml: yaml, fileName: "s.yaml"), expected) { error in
                let message = String(describing: error)
                XCTAssertTrue(message.contains(expected), "expected «\(expected)» in «\(message)»")
                XCTAssertFalse(message.contains("\n"), "not one line: \(message)")
            }
        }
    }

    /// Checks that need the data: the batch size against the training split, and an unknown file.
    func testBatchSizeLargerThanTheTrainingSplitIsRejected() throws {
        // iris: 150 samples, test fraction 0.2 and the default validation fraction 0.1 ⇒ 150 − 30 − 15 = 105
        // training samples.
        let spec = try SweepSpec.parse(yaml: "parameters:\n  data: {value: iris}\n  batch_size: {values: [32, 105]}\n")
        XCTAssertEqual(try SweepPlan(spec: spec).count, 2)
        let tooLarge = try SweepSpec.parse(yaml: "parameters:\n  data: {value: iris}\n  batch_size: {values: [32, 106]}\n")
        XCTAssertThrowsError(try SweepPlan(spec: tooLarge)) { error in
            XCTAssertEqual(
                String(describing: error),
                "invalid batch_size 106: larger than the training split of 'iris' (105 samples)")
        }
        let missingFile = try SweepSpec.parse(yaml: "parameters:\n  data: {value: 'csv:/nonexistent/x.csv'}\n")
        XCTAssertThrowsError(try SweepPlan(spec: missingFile)) { error in
            XCTAssertTrue(String(describing: error).contains("/nonexistent/x.csv"), String(describing: error))
        }
    }

    /// A plan is counted, with overflow checks, before anything is expanded: absurd sizes are one-line errors.
    func testPlansLargerThanTheLimitAreRefusedBeforeExpansion() throws {
        for (yaml, expected) in [
            ("method: random\nrun_cap: 100000000000\nparameters:\n  learning_rate: {distribution: uniform, min: 0.1, max: 1}\n",
             "the sweep plans 100000000000 trials; the limit is 100000 (lower run_cap, seeds or the value lists)"),
            ("seeds: 1000\nparameters:\n  batch_size: {values: [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]}\n  epochs: {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}\n",
             "the sweep plans 110000 trials; the limit is 100000 (lower run_cap, seeds or the value lists)"),
            ("method: random\nrun_cap: 1000\nseeds: 1000\nparameters:\n  epochs: {distribution: int_uniform, min: 1, max: 1000000}\n",
             "the sweep plans 1000000 trials; the limit is 100000 (lower run_cap, seeds or the value lists)"),
        ] {
            let spec = try SweepSpec.parse(yaml: yaml)
            XCTAssertThrowsError(try SweepPlan(spec: spec)) { error in XCTAssertEqual(String(describing: error), expected) }
        }
    }

    func testSetParameterAndParameterValuesRoundTripEveryField() throws {
        var configuration = TrainingConfiguration()
        configuration.testData = "iris"
        configuration.loss = .meanSquaredError
        configuration.labelColumn = "species"
        configuration.task = .classification
        configuration.validationIndices = "held-out.txt"
        var rebuilt = TrainingConfiguration()
        for (name, value) in configuration.parameterValues() { try rebuilt.setParameter(name, value) }
        XCTAssertEqual(rebuilt, configuration)
        XCTAssertEqual(
            Set(configuration.parameterValues().map(\.0)), Set(TrainingConfiguration.parameterNames),
            "every parameter name is reachable")
        // Every stored field of the configuration (its Codable keys in snake case) has a parameter name.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let fields = try XCTUnwrap(try JSONSerialization.jsonObject(with: encoder.encode(configuration)) as? [String: Any])
        XCTAssertEqual(Set(fields.keys), Set(TrainingConfiguration.parameterNames))
        try rebuilt.setParameter("layers", .string("64-32-10"))
        try rebuilt.setParameter("batch_size", .double(64))
        try rebuilt.setParameter("learning_rate", .int(1))
        try rebuilt.setParameter("batch_norm", .string("true"))
        XCTAssertEqual(rebuilt.layers, [64, 32, 10])
        XCTAssertEqual(rebuilt.batchSize, 64)
        XCTAssertEqual(rebuilt.learningRate, 1)
        XCTAssertTrue(rebuilt.batchNorm)
        XCTAssertThrowsError(try rebuilt.setParameter("batch_size", .double(2.5))) {
            XCTAssertEqual(String(describing: $0), "invalid batch_size 2.5: expected an integer")
        }
        XCTAssertThrowsError(try rebuilt.setParameter("lerning_rate", .double(0.1))) {
            XCTAssertEqual(String(describing: $0), "unknown parameter 'lerning_rate' (did you mean 'learning_rate'?)")
        }
    }

    /// `label_smoothing` is swept like any parameter of the registry, and its range is checked before anything runs.
    func testLabelSmoothingIsSweepable() throws {
        let spec = try SweepSpec.parse(yaml: "parameters:\n  data: {value: iris}\n  label_smoothing: {values: [0, 0.1]}\n")
        XCTAssertEqual(try SweepPlan(spec: spec).trials.map(\.configuration.labelSmoothing), [0, 0.1])
        XCTAssertThrowsError(try SweepSpec.parse(yaml: "parameters:\n  label_smoothing: {values: [0, 1]}\n")) {
            XCTAssertEqual(String(describing: $0), "sweep.yaml:2:20: parameter 'label_smoothing': invalid label_smoothing 1: must be in [0, 1)")
        }
    }

    func testFlagValuesAreTyped() {
        XCTAssertEqual(ParameterValue(parsing: "32"), .int(32))
        XCTAssertEqual(ParameterValue(parsing: "0.1"), .double(0.1))
        XCTAssertEqual(ParameterValue(parsing: "1e-3"), .double(0.001))
        XCTAssertEqual(ParameterValue(parsing: "he-uniform"), .string("he-uniform"))
        XCTAssertEqual(ParameterValue(parsing: "64-64-10"), .string("64-64-10"))
        XCTAssertEqual(ParameterValue(parsing: "true"), .bool(true))
    }
}
