import Foundation
import XCTest

@testable import LogbookBench

final class BenchStatisticsTests: XCTestCase {
    /// Nearest rank: the ⌈p·n⌉-th smallest, by hand on 1…10 and on an unsorted list.
    func testPercentileByNearestRank() {
        let values = (1...10).map(Double.init).reversed().map { $0 }
        XCTAssertEqual(BenchStatistics.percentile(values, 0.5), 5)
        XCTAssertEqual(BenchStatistics.percentile(values, 0.99), 10)
        XCTAssertEqual(BenchStatistics.percentile(values, 0.91), 10)
        XCTAssertEqual(BenchStatistics.percentile(values, 0.9), 9)
        XCTAssertEqual(BenchStatistics.percentile(values, 0), 1)
        XCTAssertEqual(BenchStatistics.percentile([3, 1, 2, 4], 0.5), 2)
        XCTAssertTrue(BenchStatistics.percentile([], 0.5).isNaN)
    }

    func testMedianOfOddAndEvenCounts() {
        XCTAssertEqual(BenchStatistics.median([3, 1, 2]), 2)
        XCTAssertEqual(BenchStatistics.median([4, 1, 3, 2]), 2.5)
        XCTAssertEqual(BenchStatistics.median([7]), 7)
        XCTAssertEqual(BenchStatistics.median([0.5, 0.25]), 0.375)
        XCTAssertTrue(BenchStatistics.median([]).isNaN)
    }

    func testRoundingToDecimalPlaces() {
        XCTAssertEqual(BenchStatistics.rounded(2.71828, places: 3), 2.718)
        XCTAssertEqual(BenchStatistics.rounded(1234.56789, places: 4), 1234.5679)
        XCTAssertEqual(BenchStatistics.rounded(243_533.34, places: 1), 243_533.3)
        XCTAssertEqual(BenchStatistics.rounded(-0.125, places: 2), -0.13, "halves away from zero")
        XCTAssertEqual(BenchStatistics.rounded(17.6, places: 0), 18)
    }

    func testGEMMFlopsOfOneEpoch() {
        // 64-32-10 over 1,797 samples: layer 1 forward + weight gradient (2 GEMMs of 2·N·64·32), layer 2 with the
        // input gradient as well (3 GEMMs of 2·N·32·10).
        let expected = 2.0 * 2 * 1797 * 64 * 32 + 3.0 * 2 * 1797 * 32 * 10
        XCTAssertEqual(EngineBenchmark.flopsPerEpoch(layers: [64, 32, 10], samples: 1797), expected)
    }
}

final class JSONLineTests: XCTestCase {
    func testKeysKeepTheirOrderAndValuesTheirType() {
        var line = JSONLine(["bench": "store.ingest", "rows": 1000, "seconds": 0.0063, "pass": true])
        line.append("repeats", 3)
        XCTAssertEqual(line.text, #"{"bench": "store.ingest", "rows": 1000, "seconds": 0.0063, "pass": true, "repeats": 3}"#)
    }

    func testTextIsEscapedAndNonFiniteNumbersAreNull() throws {
        let line = JSONLine(["reason": "a \"quoted\" path\\x\n\u{1}", "ratio": Double.infinity, "loss": Double.nan])
        XCTAssertEqual(line.text, #"{"reason": "a \"quoted\" path\\x\n\u0001", "ratio": null, "loss": null}"#)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.text.utf8)) as? [String: Any])
        XCTAssertEqual(object["reason"] as? String, "a \"quoted\" path\\x\n\u{1}")
        XCTAssertTrue(object["ratio"] is NSNull)
    }
}
