import XCTest

@testable import Engine

final class DataSyntheticTests: XCTestCase {
    func testShapesAndClassBalance() throws {
        let expected: [(String, Int, Int)] = [("spirals", 2, 3), ("moons", 2, 2), ("blobs", 2, 3), ("xor", 2, 2)]
        for (name, features, classes) in expected {
            let dataset = try SyntheticDatasets.generate(name, sampleCount: 301, seed: 4)
            XCTAssertEqual(dataset.sampleCount, 301, name)
            XCTAssertEqual(dataset.featureCount, features, name)
            XCTAssertEqual(dataset.classCount, classes, name)
            XCTAssertEqual(Set(dataset.labels!), Set((0 ..< classes).map { Int32($0) }), name)
            XCTAssertTrue(dataset.features.values.allSatisfy(\.isFinite), name)
        }
        let spirals = try SyntheticDatasets.generate("spirals", sampleCount: 301, seed: 4)
        XCTAssertEqual((0 ..< 3).map { k in spirals.labels!.filter { $0 == k }.count }, [101, 100, 100])
        let sine = try SyntheticDatasets.generate("sine", sampleCount: 50, seed: 4)
        XCTAssertNil(sine.labels)
        XCTAssertEqual(sine.targets?.rows, 50)
        XCTAssertEqual(sine.classCount, 0)
        XCTAssertEqual(sine.featureCount, 1)
    }

    func testReproducibleFromTheSeed() throws {
        for name in SyntheticDatasets.names {
            let first = try SyntheticDatasets.generate(name, sampleCount: 200, seed: 9)
            XCTAssertEqual(first, try SyntheticDatasets.generate(name, sampleCount: 200, seed: 9), name)
            XCTAssertNotEqual(
                first.features, try SyntheticDatasets.generate(name, sampleCount: 200, seed: 10).features, name)
        }
    }

    func testGeneratorsFollowTheirFormulas() throws {
        let noiseless = SyntheticDatasets.Parameters(noise: 0)
        let xor = try SyntheticDatasets.generate("xor", sampleCount: 500, seed: 2, parameters: noiseless)
        for row in 0 ..< 500 {
            let differ = (xor.features[row, 0] > 0) != (xor.features[row, 1] > 0)
            XCTAssertEqual(xor.labels![row], differ ? 1 : 0)
        }
        let sine = try SyntheticDatasets.generate("sine", sampleCount: 200, seed: 2, parameters: noiseless)
        for row in 0 ..< 200 {
            XCTAssertEqual(sine.targets![row, 0], Float(sin(Double(sine.features[row, 0]))), accuracy: 1e-6)
            XCTAssertLessThanOrEqual(abs(sine.features[row, 0]), Float.pi)
        }
        let moons = try SyntheticDatasets.generate("moons", sampleCount: 200, seed: 2, parameters: noiseless)
        for row in 0 ..< 200 {
            let (x, y) = (Double(moons.features[row, 0]), Double(moons.features[row, 1]))
            let radius = moons.labels![row] == 0 ? (x * x + y * y) : ((1 - x) * (1 - x) + (0.5 - y) * (0.5 - y))
            XCTAssertEqual(radius, 1, accuracy: 1e-5, "points lie on their unit half-circle")
        }
        let spirals = try SyntheticDatasets.generate("spirals", sampleCount: 90, seed: 2, parameters: noiseless)
        let radii = (0 ..< 90).map { hypot(spirals.features[$0, 0], spirals.features[$0, 1]) }
        XCTAssertEqual(radii.max()!, 1, accuracy: 1e-6)
        XCTAssertEqual(radii.min()!, 1.0 / 30, accuracy: 1e-6)
    }

    func testBlobsParameters() throws {
        let parameters = SyntheticDatasets.Parameters(classes: 4, dimensions: 5, noise: 0.01)
        let blobs = try SyntheticDatasets.generate("blobs", sampleCount: 40, seed: 1, parameters: parameters)
        XCTAssertEqual(blobs.featureCount, 5)
        XCTAssertEqual(blobs.classCount, 4)
        // With σ = 0.01 the members of one class sit together: every sample is within 0.1 of its class's first.
        for k: Int32 in 0 ..< 4 {
            let rows = (0 ..< 40).filter { blobs.labels![$0] == k }
            XCTAssertEqual(rows.count, 10)
            for row in rows {
                for d in 0 ..< 5 {
                    XCTAssertEqual(blobs.features[row, d], blobs.features[rows[0], d], accuracy: 0.1)
                }
            }
        }
    }

    func testInvalidParameters() {
        assertDataError("invalid synthetic_samples 0: must be at least 1") {
            try SyntheticDatasets.generate("moons", sampleCount: 0, seed: 1)
        }
        assertDataError("invalid synthetic_samples 2: must be at least the class count 3") {
            try SyntheticDatasets.generate("spirals", sampleCount: 2, seed: 1)
        }
        assertDataError("invalid classes 1: must be between 2 and 1000") {
            try SyntheticDatasets.generate("blobs", sampleCount: 10, seed: 1, parameters: .init(classes: 1))
        }
        assertDataError("invalid parameter 'classes' for moons: only spirals and blobs take it") {
            try SyntheticDatasets.generate("moons", sampleCount: 10, seed: 1, parameters: .init(classes: 3))
        }
        assertDataError("invalid noise -1.0: must be a finite number ≥ 0") {
            try SyntheticDatasets.generate("xor", sampleCount: 10, seed: 1, parameters: .init(noise: -1))
        }
    }
}
