import XCTest

@testable import Engine

final class DataPipelineTests: XCTestCase {
    private func configuration(_ data: String, _ change: (inout TrainingConfiguration) -> Void = { _ in }) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = data
        change(&configuration)
        return configuration
    }

    private func prepare(_ configuration: TrainingConfiguration) throws -> PreparedData {
        try DataPipeline.prepare(configuration.dataSettings)
    }

    func testDigitsDefaultSplit() throws {
        let prepared = try prepare(configuration("digits"))
        XCTAssertEqual(prepared.summary.name, "digits")
        XCTAssertEqual(prepared.summary.featureCount, 64)
        XCTAssertEqual(prepared.summary.classCount, 10)
        XCTAssertEqual(prepared.summary.testSize, 359)
        XCTAssertEqual(prepared.summary.trainSize, 1438)
        XCTAssertEqual(prepared.summary.validationSize, 0)
        XCTAssertNil(prepared.validation)
        XCTAssertEqual(prepared.train.sampleCount, 1438)
        XCTAssertEqual(prepared.test?.sampleCount, 359)
        XCTAssertEqual(prepared.summary.contentHash.count, 16)
    }

    func testContentHashIsFNV1aOfTheLoadedData() throws {
        let tiny = Dataset(
            name: "t", features: Matrix(rows: 1, columns: 1, values: [1]), labels: [2], classCount: 3)
        // Bytes 00 00 80 3f (1.0f) then 02 00 00 00, FNV-1a 64 by hand:
        var expected: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte: UInt8 in [0, 0, 0x80, 0x3F, 2, 0, 0, 0] { expected = (expected ^ UInt64(byte)) &* 0x100_0000_01B3 }
        XCTAssertEqual(ContentHash.of(tiny), String(expected, radix: 16).leftPadded(to: 16))

        let first = try prepare(configuration("iris")).summary.contentHash
        let reseeded = try prepare(configuration("iris") { $0.seed = 99 }).summary.contentHash
        XCTAssertEqual(first, reseeded, "the hash is of the unsplit data")
        XCTAssertEqual(first, ContentHash.of(try BundledDatasets.load("iris")))
        XCTAssertNotEqual(first, try prepare(configuration("wine")).summary.contentHash)
    }

    func testSameConfigurationSameData() throws {
        let a = try prepare(configuration("spirals") { $0.validationFraction = 0.1 })
        let b = try prepare(configuration("spirals") { $0.validationFraction = 0.1 })
        XCTAssertEqual(a.train, b.train)
        XCTAssertEqual(a.validation, b.validation)
        XCTAssertEqual(a.summary, b.summary)
        XCTAssertEqual(a.summary.trainSize + a.summary.validationSize + a.summary.testSize, 1000)
    }

    func testSourcesAndUnknownNames() throws {
        let config = configuration("x")
        XCTAssertEqual(try DataPipeline.load("moons:noise=0", settings: config.dataSettings).sampleCount, 1000)
        XCTAssertEqual(
            try DataPipeline.load("blobs:classes=5, dimensions=3", settings: config.dataSettings).featureCount, 3)
        assertDataError("unknown data 'foo' (did you mean 'xor'?)") {
            try DataPipeline.load("foo", settings: config.dataSettings)
        }
        assertDataError(
            "unknown data 'imagenet' (valid: digits, iris, wine, breast-cancer, spirals, moons, blobs, xor, "
                + "sine, csv:PATH, idx:IMAGES,LABELS, mnist:DIR)"
        ) { try DataPipeline.load("imagenet", settings: config.dataSettings) }
        assertDataError("invalid data 'spirals:arms=3': unknown parameter 'arms' (expected classes, dimensions, noise)") {
            try DataPipeline.load("spirals:arms=3", settings: config.dataSettings)
        }
        assertDataError("invalid data 'idx:only-one': expected idx:IMAGES,LABELS (two paths)") {
            try DataPipeline.load("idx:only-one", settings: config.dataSettings)
        }
        assertDataError("mnist:/nonexistent: no train-images-idx3-ubyte(.gz) in /nonexistent") {
            try DataPipeline.load("mnist:/nonexistent", settings: config.dataSettings)
        }
    }

    func testCSVSourcesWithSeparateTestData() throws {
        let files = DataTestFiles()
        let train = try files.write("train.csv", "a,b,kind\n1,2,cat\n2,3,dog\n3,4,emu\n4,5,cat\n5,6,dog\n6,7,emu\n")
        let test = try files.write("test.csv.gz", "a,b,kind\n7,8,emu\n8,9,dog\n", gzip: true)
        let prepared = try prepare(
            configuration("csv:\(train)") {
                $0.testData = test
                $0.testFraction = 0.9  // ignored when testData is set
                $0.scaling = .none
            })
        XCTAssertEqual(prepared.summary.trainSize, 6)
        XCTAssertEqual(prepared.summary.testSize, 2)
        XCTAssertEqual(prepared.test?.classNames, ["cat", "dog", "emu"])
        XCTAssertEqual(prepared.test?.labels, [2, 1], "test classes mapped by name onto the training classes")
        XCTAssertEqual(prepared.test?.classCount, 3)

        let wide = try files.write("wide.csv", "1,2,3,0\n")
        assertDataError("test data '\(wide)' has 3 features but data 'csv:\(train)' has 2") {
            try prepare(configuration("csv:\(train)") { $0.testData = wide })
        }
        let unknownClass = try files.write("fox.csv", "a,b,kind\n1,1,fox\n")
        assertDataError("test data '\(unknownClass)' has class 'fox', not found in data 'csv:\(train)'") {
            try prepare(configuration("csv:\(train)") { $0.testData = unknownClass })
        }
    }

    func testTaskAndOptionChecks() throws {
        let regression = try prepare(configuration("iris") { $0.task = .regression })
        XCTAssertNil(regression.train.labels)
        XCTAssertEqual(regression.train.targets?.columns, 1)
        XCTAssertEqual(regression.summary.classCount, 0)
        let sine = try prepare(configuration("sine"))
        XCTAssertEqual(sine.summary.testSize, 200, "stratify is ignored for regression")
        assertDataError("invalid task 'classification': data 'sine' has real-valued targets") {
            try prepare(configuration("sine") { $0.task = .classification })
        }
        // An unknown scaling cannot reach the pipeline (the field is typed); the registry refuses the name.
        assertDataError("unknown scaling 'log' (valid: none, standardize, minmax)") {
            var iris = configuration("iris")
            try iris.setParameter("scaling", .string("log"))
        }
        assertDataError("invalid test_fraction 1.5: must be in [0, 1)") {
            try prepare(configuration("iris") { $0.testFraction = 1.5 })
        }
        let files = DataTestFiles()
        let labelled = try files.write("l.csv", "y,x\n0,1\n1,2\n0,3\n1,4\n0,5\n")
        let byName = try prepare(configuration(labelled) { $0.labelColumn = "y"; $0.testFraction = 0.4 })
        XCTAssertEqual(byName.summary.featureCount, 1)
        XCTAssertEqual(byName.test?.labels?.sorted(), [0, 1], "stratified: one of each class in a test set of 2")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
