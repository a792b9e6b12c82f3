import XCTest

@testable import Engine

final class DataScalerTests: XCTestCase {
    private let train = Matrix(rows: 4, columns: 3, values: [
        1, 10, 5,
        2, 20, 5,
        3, 30, 5,
        4, 40, 5,
    ])
    private let other = Matrix(rows: 2, columns: 3, values: [5, 0, 6, 0, 25, 4])

    func testStandardizeUsesPopulationStatistics() {
        let scaler = Scaler.fit(.standardize, to: train)
        // Column 0: mean 2.5, σ = sqrt((2.25 + 0.25 + 0.25 + 2.25) / 4) = sqrt(1.25).
        XCTAssertEqual(scaler.offsets, [2.5, 25, 5])
        XCTAssertEqual(scaler.factors[0], Float(1 / 1.25.squareRoot()), accuracy: 1e-7)
        XCTAssertEqual(scaler.factors[1], Float(1 / 125.0.squareRoot()), accuracy: 1e-7)
        XCTAssertEqual(scaler.factors[2], 1, "σ = 0 ⇒ only centred")
        let scaled = scaler.transform(train)
        XCTAssertEqual(scaled[0, 0], Float(-1.5 / 1.25.squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(scaled[3, 2], 0)
        let applied = scaler.transform(other)
        XCTAssertEqual(applied[0, 0], Float(2.5 / 1.25.squareRoot()), accuracy: 1e-6, "train statistics, not these")
        XCTAssertEqual(applied[0, 2], 1)
        XCTAssertEqual(applied[1, 2], -1)
    }

    func testMinMaxMapsTrainingRangeToUnitInterval() {
        let scaler = Scaler.fit(.minmax, to: train)
        XCTAssertEqual(scaler.offsets, [1, 10, 5])
        XCTAssertEqual(scaler.factors, [Float(1.0 / 3), Float(1.0 / 30), 1])
        let scaled = scaler.transform(train)
        XCTAssertEqual((0 ..< 4).map { scaled[$0, 0] }, [0, Float(1.0 / 3), Float(2.0 / 3), 1])
        XCTAssertEqual((0 ..< 4).map { scaled[$0, 2] }, [0, 0, 0, 0])
        let applied = scaler.transform(other)
        XCTAssertEqual(applied[0, 0], Float(4.0 / 3), accuracy: 1e-6, "outside the training range stays outside")
        XCTAssertEqual(applied[1, 1], 0.5, accuracy: 1e-6)
    }

    func testNoneIsIdentityAndNamesParse() throws {
        XCTAssertEqual(Scaler.fit(.none, to: train).transform(train), train)
        XCTAssertEqual(try Scaler.Method(parsing: "minmax", field: "scaling"), .minmax)
        XCTAssertEqual(try Scaler.Method(parsing: "MinMax", field: "scaling"), .minmax)
        assertDataError("unknown scaling 'zscore' (valid: none, standardize, minmax)") {
            _ = try Scaler.Method(parsing: "zscore", field: "scaling")
        }
    }

    func testPipelineFitsOnTrainOnly() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.testFraction = 0.2
        configuration.validationFraction = 0.2
        configuration.scaling = .standardize
        let prepared = try DataPipeline.prepare(configuration.dataSettings)
        // Standardized train columns have mean ≈ 0 and σ ≈ 1; the scaler equals one fitted on the raw train rows.
        let iris = try BundledDatasets.load("iris")
        let split = try DataSplit.indices(
            sampleCount: 150, labels: iris.labels, validationFraction: 0.2, testFraction: 0.2, stratify: true, seed: 1)
        let expected = Scaler.fit(.standardize, to: iris.features.gatherRows(split.train))
        XCTAssertEqual(prepared.scaler, expected)
        XCTAssertNotEqual(prepared.scaler, Scaler.fit(.standardize, to: iris.features), "not the whole data")
        XCTAssertEqual(prepared.test?.features, expected.transform(iris.features.gatherRows(split.test)))
        XCTAssertEqual(prepared.validation?.features, expected.transform(iris.features.gatherRows(split.validation)))
        for column in 0 ..< 4 {
            let values = (0 ..< prepared.train.sampleCount).map { Double(prepared.train.features[$0, column]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-5)
            XCTAssertEqual(variance, 1, accuracy: 1e-4)
        }
    }
}
