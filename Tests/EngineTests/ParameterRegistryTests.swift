import Foundation
import XCTest

@testable import Engine

/// The parameter registry: one entry per field, typed choices that encode as the strings they replaced, one message
/// per rule whichever way a value arrives.
final class ParameterRegistryTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testEveryEntryHasAUniqueNameHelpAndAValidDefault() throws {
        XCTAssertEqual(Set(Hyperparameter.names).count, Hyperparameter.all.count, "names are unique")
        for entry in Hyperparameter.all {
            XCTAssertFalse(entry.help.isEmpty, entry.name)
            XCTAssertEqual(entry.name, entry.name.lowercased(), "snake case: \(entry.name)")
            if let value = entry.defaultValue {
                var configuration = TrainingConfiguration()
                try entry.set(value, in: &configuration)
                XCTAssertEqual(configuration, TrainingConfiguration(), "\(entry.name)'s default sets back to itself")
            } else {
                XCTAssertTrue(entry.isOptional, "\(entry.name) has no default but is not optional")
            }
        }
        XCTAssertEqual(Hyperparameter.optimizer.choices, ["sgd", "momentum", "nesterov", "adam", "adamw"])
        XCTAssertEqual(Hyperparameter.activation.choices, ["relu", "leaky-relu", "sigmoid", "tanh", "gelu"])
        XCTAssertEqual(Hyperparameter.optimizer.help, "Optimizer: sgd, momentum, nesterov, adam or adamw.")
    }

    /// Typed choices encode as exactly the strings stored before they were typed, and old spellings still decode.
    func testChoicesEncodeAsTheirNamesAndOldSpellingsDecode() throws {
        var configuration = TrainingConfiguration()
        configuration.optimizer = .adamw
        configuration.loss = .crossEntropy
        configuration.task = .classification
        configuration.earlyStoppingMetric = .validationAccuracy
        configuration.initializer = .constant(0.5)
        configuration.biasInitializer = .normal(0.01)
        configuration.activation = .leakyRelu
        let fields = try XCTUnwrap(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(configuration)) as? [String: Any])
        XCTAssertEqual(fields["optimizer"] as? String, "adamw")
        XCTAssertEqual(fields["loss"] as? String, "cross-entropy")
        XCTAssertEqual(fields["task"] as? String, "classification")
        XCTAssertEqual(fields["earlyStoppingMetric"] as? String, "validation_accuracy")
        XCTAssertEqual(fields["initializer"] as? String, "constant:0.5")
        XCTAssertEqual(fields["biasInitializer"] as? String, "normal:0.01")
        XCTAssertEqual(fields["activation"] as? String, "leaky-relu")
        XCTAssertEqual(fields["scaling"] as? String, "minmax")
        XCTAssertEqual(fields["schedule"] as? String, "constant")
        XCTAssertEqual(try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(configuration)), configuration)

        struct Box<Value: Codable>: Codable { var value: Value }
        func decode<Value: Codable>(_ json: String, as type: Value.Type) throws -> Value {
            try JSONDecoder().decode(Box<Value>.self, from: Data("{\"value\": \(json)}".utf8)).value
        }
        XCTAssertEqual(try decode("\"Adam\"", as: OptimizerKind.self), .adam, "validation always lowercased names")
        XCTAssertEqual(try decode("\"ce\"", as: LossKind.self), .crossEntropy, "aliases the loss accepted")
        XCTAssertEqual(try decode("\"glorot-uniform\"", as: Initializer.self), .xavierUniform)
        XCTAssertEqual(try decode("\"file:w.safetensors\"", as: Initializer.self), .file("w.safetensors"))
        XCTAssertEqual(try decode("\"run:7\"", as: Initializer.self), .run(7))
        XCTAssertThrowsError(try decode("\"rmsprop\"", as: OptimizerKind.self))
        for name in ["zeros", "constant:1", "constant:-0.25", "uniform:0.05", "normal:0.01", "he-normal", "file:a/b.st", "run:3"] {
            XCTAssertEqual(try Initializer(name: name).description, name, "an initializer is described as written")
        }
    }

    /// A rule has one message, whether the value is set by name (sweeps, `--set`) or found by `validate()`;
    /// set by name, the value is shown as written.
    func testOneMessagePerRule() {
        var configuration = TrainingConfiguration()
        XCTAssertEqual(
            message { try configuration.setParameter("learning_rate", .int(-1)) }, "invalid learning_rate -1: must be > 0 and finite")
        configuration.learningRate = -1
        XCTAssertEqual(message { try configuration.validate() }, "invalid learning_rate -1.0: must be > 0 and finite")
        configuration = TrainingConfiguration()
        XCTAssertEqual(
            message { try configuration.setParameter("bias_initializer", .string("run:3")) },
            "invalid bias_initializer 'run:3': biases are loaded with the weights")
        XCTAssertEqual(
            message { try configuration.setParameter("bias_initializer", .string("uniform:-1")) },
            "invalid bias_initializer 'uniform:-1': uniform: needs a non-negative number")
        XCTAssertEqual(
            message { try configuration.setParameter("data", .string("digts")) }, "unknown data 'digts' (did you mean 'digits'?)")
        configuration.data = "digts"
        XCTAssertEqual(message { try configuration.validate() }, "unknown data 'digts' (did you mean 'digits'?)")
        configuration = TrainingConfiguration()
        XCTAssertEqual(
            message { try configuration.setParameter("batch_norm_momentum", .int(2)) }, "invalid batch_norm_momentum 2: must be in (0, 1]")
        XCTAssertEqual(message { try configuration.setParameter("epochs", .int(0)) }, "invalid epochs 0: must be at least 1")
        XCTAssertEqual(message { try configuration.setParameter("stratify", .string("maybe")) }, "invalid stratify 'maybe': expected true or false")
        XCTAssertEqual(message { try configuration.setParameter("seed", .int(-2)) }, "invalid seed -2: must be at least 0")
        XCTAssertEqual(
            message { try configuration.setParameter("layers", .string("64-0-10")) },
            "invalid layers '64-0-10': width 0 at position 2 must be positive")
        XCTAssertEqual(configuration, TrainingConfiguration(), "a refused value leaves the configuration unchanged")
        // Rules across fields wait for validate(): sweeps set fields one at a time, in the spec's order.
        XCTAssertNil(message { try configuration.setParameter("patience", .int(3)) })
        XCTAssertEqual(
            message { try configuration.validate() },
            "invalid patience 3: early stopping on validation_loss needs a validation split (validation_fraction > 0 or validation_indices)")
        XCTAssertNil(message { try configuration.setParameter("validation_fraction", .double(0.1)) })
        XCTAssertNil(message { try configuration.validate() })
        configuration = TrainingConfiguration()
        XCTAssertEqual(message { try configuration.checkBatchSize(trainingSamples: 20) }, "invalid batch_size 32: larger than the training split of 'digits' (20 samples)")
    }

    /// The `train` flags' path: (parameter, value) pairs on top of the defaults, then the whole configuration
    /// validated.
    func testAssigningPairsBuildsAValidatedConfiguration() throws {
        let configuration = try TrainingConfiguration(assigning: [
            (.optimizer, .string("Adam")), (.learningRate, .double(0.01)), (.task, .string("auto")), (.loss, nil),
            (.seed, .string("18446744073709551615")), (.layers, .string("4-16-3")),
        ])
        XCTAssertEqual(configuration.optimizer, .adam)
        XCTAssertEqual(configuration.learningRate, 0.01)
        XCTAssertNil(configuration.task)
        XCTAssertEqual(configuration.seed, UInt64.max)
        XCTAssertEqual(configuration.layers, [4, 16, 3])
        XCTAssertEqual(
            message { _ = try TrainingConfiguration(assigning: [(.dropout, .double(1))]) }, "invalid dropout 1.0: must be in [0, 1)")
    }
}
