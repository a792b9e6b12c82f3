import XCTest

@testable import Engine

final class DataSplitTests: XCTestCase {
    /// 100 samples: 50 of class 0, 30 of class 1, 20 of class 2, interleaved.
    private let labels: [Int32] = (0 ..< 100).map { index in index % 10 < 5 ? 0 : index % 10 < 8 ? 1 : 2 }

    private func counts(_ indices: [Int]) -> [Int] {
        (0 ..< 3).map { k in indices.filter { labels[$0] == k }.count }
    }

    func testStratifiedSplitKeepsClassProportions() throws {
        let split = try DataSplit.indices(
            sampleCount: 100, labels: labels, validationFraction: 0.1, testFraction: 0.2, stratify: true, seed: 7)
        XCTAssertEqual(split.test.count, 20)
        XCTAssertEqual(split.validation.count, 10)
        XCTAssertEqual(split.train.count, 70)
        XCTAssertEqual(counts(split.test), [10, 6, 4])
        XCTAssertEqual(counts(split.validation), [5, 3, 2])
        XCTAssertEqual(counts(split.train), [35, 21, 14])
    }

    func testSplitIsDisjointCompleteAndSorted() throws {
        for stratify in [false, true] {
            let split = try DataSplit.indices(
                sampleCount: 100, labels: labels, validationFraction: 0.15, testFraction: 0.25, stratify: stratify,
                seed: 3)
            let all = split.train + split.validation + split.test
            XCTAssertEqual(all.sorted(), Array(0 ..< 100), "every sample exactly once")
            XCTAssertEqual(split.train, split.train.sorted())
            XCTAssertEqual(split.test, split.test.sorted())
            XCTAssertEqual(split.test.count, 25)
            XCTAssertEqual(split.validation.count, 15)
        }
    }

    func testSeedReproducibility() throws {
        func make(_ seed: UInt64, _ stratify: Bool) throws -> SplitIndices {
            try DataSplit.indices(
                sampleCount: 100, labels: labels, validationFraction: 0.1, testFraction: 0.2, stratify: stratify,
                seed: seed)
        }
        for stratify in [false, true] {
            XCTAssertEqual(try make(11, stratify), try make(11, stratify))
            XCTAssertNotEqual(try make(11, stratify).test, try make(12, stratify).test)
        }
    }

    func testUnevenProportionsUseLargestRemainders() throws {
        // 10 samples: 7 of class 0, 3 of class 1; 30 % test = 3 ⇒ quotas 2.1 and 0.9 ⇒ 2 and 1.
        let labels: [Int32] = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
        let split = try DataSplit.indices(
            sampleCount: 10, labels: labels, validationFraction: 0, testFraction: 0.3, stratify: true, seed: 1)
        XCTAssertEqual(split.test.map { labels[$0] }.sorted(), [0, 0, 1])
        // Quotas 1.5, 1.5, 1.5, 0.5: floors 1, 1, 1, 0, two left over, equal remainders ⇒ lower indices.
        XCTAssertEqual(DataSplit.apportion(5, among: [3, 3, 3, 1]), [2, 2, 1, 0])
        XCTAssertEqual(DataSplit.apportion(3, among: [5, 2, 3]), [1, 1, 1], "quotas 1.5, 0.6, 0.9: floors 1, 0, 0; then .9, .6")
        XCTAssertEqual(DataSplit.apportion(4, among: [5, 2, 3]), [2, 1, 1], "quotas 2, 0.8, 1.2")
        XCTAssertEqual(DataSplit.apportion(4, among: [1, 9]), [0, 4])
        XCTAssertEqual(DataSplit.apportion(0, among: [4, 4]), [0, 0])
    }

    func testSizesRoundAndSmallFractionsKeepOneSample() throws {
        XCTAssertEqual(DataSplit.size(of: 1797, fraction: 0.2), 359)
        XCTAssertEqual(DataSplit.size(of: 150, fraction: 0.2), 30)
        XCTAssertEqual(DataSplit.size(of: 10, fraction: 0.01), 1)
        XCTAssertEqual(DataSplit.size(of: 10, fraction: 0), 0)
    }

    func testSplitErrors() {
        assertDataError("invalid test_fraction 1.0: must be in [0, 1)") {
            try DataSplit.indices(sampleCount: 10, labels: nil, validationFraction: 0, testFraction: 1, stratify: false, seed: 1)
        }
        assertDataError("invalid test_fraction -0.1: must be in [0, 1)") {
            try DataSplit.indices(
                sampleCount: 10, labels: nil, validationFraction: 0, testFraction: -0.1, stratify: false, seed: 1)
        }
        assertDataError("invalid validation_fraction nan: must be in [0, 1)") {
            try DataSplit.indices(
                sampleCount: 10, labels: nil, validationFraction: .nan, testFraction: 0, stratify: false, seed: 1)
        }
        assertDataError("invalid validation_fraction 0.5: validation and test fractions together must be below 1") {
            try DataSplit.indices(
                sampleCount: 10, labels: nil, validationFraction: 0.5, testFraction: 0.5, stratify: false, seed: 1)
        }
        assertDataError(
            "invalid split: test_fraction 0.5 and validation_fraction 0.4 of 2 samples leave no training samples"
        ) {
            try DataSplit.indices(
                sampleCount: 2, labels: nil, validationFraction: 0.4, testFraction: 0.5, stratify: false, seed: 1)
        }
    }

    func testDatasetSplitKeepsRowsAndLabelsTogether() throws {
        let features = Matrix(rows: 100, columns: 2, values: (0 ..< 200).map { Float($0) })
        let dataset = Dataset(name: "d", features: features, labels: labels, classCount: 3)
        let (train, validation, test) = try DataSplit.split(
            dataset, validationFraction: 0, testFraction: 0.2, stratify: true, seed: 5)
        XCTAssertNil(validation)
        XCTAssertEqual(train.sampleCount + (test?.sampleCount ?? 0), 100)
        for part in [train, test!] {
            for row in 0 ..< part.sampleCount {
                let original = Int(part.features[row, 0]) / 2
                XCTAssertEqual(part.features[row, 1], Float(2 * original + 1))
                XCTAssertEqual(part.labels?[row], labels[original])
            }
        }
    }
}
