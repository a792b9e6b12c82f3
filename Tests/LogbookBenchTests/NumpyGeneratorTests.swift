import Foundation
import XCTest

@testable import LogbookBench

/// `NumpyGenerator` and `PeerSplit` against NumPy itself: fixed values printed by NumPy 2.4.6, and a live comparison
/// with the NumPy of the readers' environment (`.venv-readers`, made by `scripts/python-readers.sh`; the test fails,
/// never skips, when it is missing).
final class NumpyGeneratorTests: XCTestCase {
    /// `default_rng(0).bit_generator.state`, `default_rng(0).permutation(10)` and
    /// `default_rng(0).integers(0, 2**64 - 1, size=3, dtype=np.uint64, endpoint=True)` (the raw 64-bit outputs).
    func testSeedZeroGivesNumpysStateAndDraws() {
        let generator = NumpyGenerator(seed: 0)
        XCTAssertEqual(generator.stateAndIncrement.state, 35_399_562_948_360_463_058_890_781_895_381_311_971)
        XCTAssertEqual(generator.stateAndIncrement.increment, 87_136_372_517_582_989_555_478_159_403_783_844_777)
        var shuffler = NumpyGenerator(seed: 0)
        XCTAssertEqual(shuffler.permutation(Array(0..<10)), [4, 6, 2, 7, 3, 5, 9, 0, 8, 1])
        var raw = NumpyGenerator(seed: 0)
        XCTAssertEqual([raw.next64(), raw.next64(), raw.next64()], [11_749_869_230_777_074_271, 4_976_686_463_289_251_617, 755_828_109_848_996_024])
    }

    /// The peer's split rule run by NumPy on 3,000 labels of 10 uneven classes (sizes with .5 shares, so Python's
    /// half-to-even rounding matters) and by `PeerSplit`; also a large permutation (32- and 64-bit interval draws
    /// alike below 2³²) and a seed above 2³² (two entropy words).
    func testThePeersSplitMatchesNumpyLive() throws {
        let python = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".venv-readers/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return XCTFail("NumPy is missing: \(python) does not exist; run scripts/python-readers.sh (make test does)")
        }
        let labels: [Int32] = (0..<3000).map { (index: Int) -> Int32 in
            let label = (index * 7 + index / 13) % 10
            return Int32(label == 9 && index % 3 == 0 ? 3 : label)
        }
        let script = """
            import json, sys, numpy as np
            y = np.array(json.loads(sys.stdin.read()))
            rng = np.random.default_rng(0); val = []
            for c in range(10):
                idx = rng.permutation(np.flatnonzero(y == c)); k = int(round(len(idx) * 0.1)); val.extend(int(v) for v in idx[:k])
            big = np.random.default_rng(2**40 + 7).permutation(100000)
            print(json.dumps({"validation": val, "big": [int(v) for v in big[:20]], "big_sum": int((big * np.arange(100000)).sum())}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: labels.map(Int.init)))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])

        XCTAssertEqual(PeerSplit.validationIndices(labels: labels, classCount: 10), object["validation"] as? [Int])
        var generator = NumpyGenerator(seed: (1 << 40) + 7)
        let big = generator.permutation(Array(0..<100_000))
        XCTAssertEqual(Array(big.prefix(20)), object["big"] as? [Int])
        XCTAssertEqual(big.enumerated().reduce(0) { $0 + $1.offset * $1.element }, object["big_sum"] as? Int)
    }
}
