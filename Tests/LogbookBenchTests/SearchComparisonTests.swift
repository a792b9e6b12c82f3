import Foundation
import XCTest

@testable import LogbookBench

/// `bench search`'s peer: its result line read back, and TPE + ASHA's medians set against the peer's.
final class SearchComparisonTests: XCTestCase {
    private func outcome(_ best: Double, epochs: Int, seconds: Double) -> SearchOutcome {
        SearchOutcome(bestValidationAccuracy: best, testAccuracy: best - 0.001, epochsTrained: epochs, seconds: seconds, completed: 5, pruned: 35)
    }

    /// Medians over three seeds (by hand): ours 0.980 / 120 epochs / 40 s, the peer's 0.979 / 135 / 109 s ⇒ ratio
    /// 109 / 40 = 2.725, epochs 120 / 135, meets the target; a slower run of ours (50 s ⇒ 2.18) does not.
    func testTheComparisonUsesTheMediansOfBothSides() throws {
        let ours = [outcome(0.981, epochs: 120, seconds: 40), outcome(0.980, epochs: 150, seconds: 35), outcome(0.978, epochs: 110, seconds: 44)]
        let peer = [outcome(0.9775, epochs: 142, seconds: 91), outcome(0.9792, epochs: 105, seconds: 109), outcome(0.9808, epochs: 135, seconds: 117)]
        let line = SearchBenchmark.comparison(ours, peer, validationSize: 10_000).text
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(object["best_validation_accuracy_difference"] as? Double), 0.980 - 0.9792, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(object["epochs_trained_ratio"] as? Double), 120.0 / 135.0, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(object["wall_time_ratio"] as? Double), 109.0 / 40.0, accuracy: 1e-12)
        XCTAssertEqual(object["meets_target"] as? Bool, true)
        let slower = ours.map { var slower = $0; slower.seconds = 50; return slower }
        let missed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(SearchBenchmark.comparison(slower, peer, validationSize: 10_000).text.utf8)) as? [String: Any])
        XCTAssertEqual(missed["meets_target"] as? Bool, false)
        XCTAssertEqual(object["best_validation_images_difference"] as? Double, 9800 - 9792)
    }

    /// The same count of validation images, 5,882 of 5,999, as Logbook's double and as the peer's float32 mean
    /// (0.98049676…, above the double 0.98049674…): equal, not "below by 1.5e-8"; one image fewer is below.
    func testAccuraciesCompareAsImageCounts() throws {
        let double = 5882.0 / 5999.0, float = Double(Float(5882.0 / 5999.0))
        XCTAssertLessThan(double, float)
        let ours = [outcome(double, epochs: 100, seconds: 20)], peer = [outcome(float, epochs: 150, seconds: 100)]
        let tie = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(SearchBenchmark.comparison(ours, peer, validationSize: 5999).text.utf8)) as? [String: Any])
        XCTAssertEqual(tie["best_validation_images_difference"] as? Double, 0)
        XCTAssertEqual(tie["meets_target"] as? Bool, true)
        let fewer = [outcome(5881.0 / 5999.0, epochs: 100, seconds: 20)]
        let below = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(SearchBenchmark.comparison(fewer, peer, validationSize: 5999).text.utf8)) as? [String: Any])
        XCTAssertEqual(below["best_validation_images_difference"] as? Double, -1)
        XCTAssertEqual(below["meets_target"] as? Bool, false)
    }

    /// The peer is a child process given the seed and the space's sizes; its last line is its result.
    func testThePeersLastLineIsReadBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("search-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("peer.sh").path
        // Echoes its arguments into the result, as search_stack.py reports its seed and run cap.
        try """
            echo "loading MNIST"
            echo "{\\"peer\\": \\"fake $1 $2\\", \\"best_validation_accuracy\\": 0.97, \\"test_accuracy_of_best\\": 0.96, \\"epochs_trained\\": $6, \\"wall_s\\": 12.5, \\"trials_completed\\": 4, \\"trials_pruned\\": 36}"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let (result, name) = try SearchPeer(python: "/bin/sh", script: script).run(seed: 3, mnist: "/data", runCap: 40, epochs: 10, workers: 2)
        XCTAssertEqual(name, "fake --search-seed 3")
        XCTAssertEqual(result.bestValidationAccuracy, 0.97)
        XCTAssertEqual(result.testAccuracy, 0.96)
        XCTAssertEqual(result.epochsTrained, 40)
        XCTAssertEqual(result.seconds, 12.5)
        XCTAssertEqual(result.pruned, 36)

        try "echo nothing useful".write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SearchPeer(python: "/bin/sh", script: script).run(seed: 0, mnist: "/data", runCap: 40, epochs: 10, workers: 2)) {
            XCTAssertTrue("\($0)".contains("printed no result line on search seed 0"), "\($0)")
        }
    }
}
