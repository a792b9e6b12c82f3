import XCTest

@testable import Engine

/// Configuration checks that need no data: each failure is one line naming the field and the value.
final class ConfigurationValidationTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testLayerTextIsParsedStrictly() throws {
        XCTAssertEqual(try TrainingConfiguration.parseLayers("64-128-10"), [64, 128, 10])
        XCTAssertEqual(try TrainingConfiguration.parseLayers("784,256,10"), [784, 256, 10])
        XCTAssertEqual(try TrainingConfiguration.parseLayers("0-32-0"), [0, 32, 0])
        XCTAssertEqual(
            message { _ = try TrainingConfiguration.parseLayers("64--10") },
            "invalid layers '64--10': a width is missing (write widths like 64-128-10)")
        XCTAssertEqual(
            message { _ = try TrainingConfiguration.parseLayers("64-ten-10") },
            "invalid layers '64-ten-10': 'ten' is not a layer width")
        XCTAssertEqual(
            message { _ = try TrainingConfiguration.parseLayers("64") },
            "invalid layers '64': needs at least an input and an output width, e.g. 64-128-10")
    }

    func testModelsLargerThanTheLimitAreRefusedBeforeAnyAllocation() {
        var configuration = TrainingConfiguration()
        configuration.layers = [64, 100_000_000, 10]
        XCTAssertEqual(
            message { try configuration.validate() },
            "invalid layers '64-100000000-10': more than 268435456 parameters (the limit of one model)")
        configuration.layers = [Int.max, Int.max, 10]
        XCTAssertNotNil(message { try configuration.validate() }, "overflowing widths are refused, not trapped")
        configuration.layers = [784, 4096, 4096, 10]  // 19.9 M parameters: fine
        XCTAssertNil(message { try configuration.validate() })
    }

    func testRangesAndCrossFieldRules() {
        var configuration = TrainingConfiguration()
        configuration.dropout = 1
        XCTAssertEqual(message { try configuration.validate() }, "invalid dropout 1.0: must be in [0, 1)")
        configuration = TrainingConfiguration()
        configuration.patience = 3
        XCTAssertEqual(
            message { try configuration.validate() },
            "invalid patience 3: early stopping on validation_loss needs a validation split (validation_fraction > 0 or validation_indices)")
        configuration = TrainingConfiguration()
        configuration.validationFraction = 0.5
        configuration.testFraction = 0.5
        XCTAssertEqual(
            message { try configuration.validate() },
            "invalid validation_fraction 0.5: validation and test fractions together must be below 1")
        configuration = TrainingConfiguration()
        configuration.biasInitializer = .run(3)
        XCTAssertEqual(
            message { try configuration.validate() }, "invalid bias_initializer 'run:3': biases are loaded with the weights")
        configuration = TrainingConfiguration()
        XCTAssertEqual(
            message { try configuration.setParameter("schedule", .string("triangular")) },
            "unknown schedule 'triangular' (valid: constant, step, exponential, cosine)")
    }
}
