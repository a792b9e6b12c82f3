import XCTest

@testable import Engine

final class DataIDXTests: XCTestCase {
    /// Three 2×3 images with pixels 0, 51, 102, … and labels 2, 0, 1.
    private func writeTinyPair(_ files: DataTestFiles, gzip: Bool) throws -> (String, String) {
        let pixels = (0 ..< 18).map { Double(($0 * 51) % 256) }
        let images = IDXLoader.encode(shape: [3, 2, 3], values: pixels, type: .uint8)
        let labels = IDXLoader.encode(shape: [3], values: [2, 0, 1], type: .uint8)
        XCTAssertEqual(Array(images.prefix(8)), [0, 0, 8, 3, 0, 0, 0, 3], "magic 0x00000803, then N big-endian")
        let suffix = gzip ? ".gz" : ""
        return (
            try files.write("images\(suffix)", bytes: images, gzip: gzip),
            try files.write("labels\(suffix)", bytes: labels, gzip: gzip)
        )
    }

    func testRoundTripPlainAndGzip() throws {
        let files = DataTestFiles()
        for gzip in [false, true] {
            let (images, labels) = try writeTinyPair(files, gzip: gzip)
            let dataset = try IDXLoader.load(images: images, labels: labels)
            XCTAssertEqual(dataset.name, "idx:\(images),\(labels)")
            XCTAssertEqual(dataset.sampleCount, 3)
            XCTAssertEqual(dataset.featureCount, 6)
            XCTAssertEqual(dataset.labels, [2, 0, 1])
            XCTAssertEqual(dataset.classCount, 3)
            XCTAssertEqual(dataset.features.values, (0 ..< 18).map { Float(($0 * 51) % 256) / 255 })
            XCTAssertEqual(dataset.features.values.max(), 1)
        }
    }

    func testOtherElementTypes() throws {
        for type in [IDXLoader.ElementType.float32, .float64] {
            let decoded = try IDXLoader.decode(
                IDXLoader.encode(shape: [2, 2], values: [-3, 1000, 70000, -1.5], type: type), fileName: "t")
            XCTAssertEqual(decoded.shape, [2, 2])
            XCTAssertEqual(decoded.values, [-3, 1000, 70000, -1.5], "\(type): kept as they are, not scaled")
        }
        let int32 = try IDXLoader.decode(IDXLoader.encode(shape: [3], values: [-3, 70000, 5], type: .int32), fileName: "t")
        XCTAssertEqual(int32.values, [-3, 70000, 5])
        let int16 = try IDXLoader.decode(IDXLoader.encode(shape: [3], values: [-300, 5, 32767], type: .int16), fileName: "t")
        XCTAssertEqual(int16.values, [-300, 5, 32767])
        let int8 = try IDXLoader.decode(IDXLoader.encode(shape: [2], values: [-128, 127], type: .int8), fileName: "t")
        XCTAssertEqual(int8.values, [-128, 127])
        let labels = try IDXLoader.decode(IDXLoader.encode(shape: [2], values: [9, 255], type: .uint8), fileName: "t")
        XCTAssertEqual(labels.values, [9, 255], "one-dimensional u8 arrays (labels) are not scaled")
    }

    func testWrongMagic() throws {
        let files = DataTestFiles()
        let path = try files.write("train-images.gz", bytes: Array("hello world!".utf8), gzip: true)
        assertDataError("\(path): not an IDX file (magic 0x68656c6c)") {
            try IDXLoader.load(images: path, labels: path)
        }
        let badType = try files.write("bad", bytes: [0, 0, 0x07, 1, 0, 0, 0, 0])
        assertDataError("\(badType): not an IDX file (magic 0x00000701)") { try IDXLoader.load(images: badType, labels: badType) }
    }

    func testTruncatedData() throws {
        let files = DataTestFiles()
        let full = IDXLoader.encode(shape: [4, 28, 28], values: [Double](repeating: 7, count: 4 * 784), type: .uint8)
        let path = try files.write("cut", bytes: Array(full.prefix(1000)))
        assertDataError("\(path): truncated IDX data: shape [4, 28, 28] needs 3152 bytes, found 1000") {
            try IDXLoader.load(images: path, labels: path)
        }
        let header = try files.write("head", bytes: [0, 0, 8, 3, 0, 0])
        assertDataError("\(header): truncated IDX header: expected 16 bytes, found 6") {
            try IDXLoader.load(images: header, labels: header)
        }
        let gzipped = try Gzip.deflate(full)
        let cutGzip = try files.write("cut.gz", bytes: Array(gzipped.prefix(gzipped.count / 2)))
        XCTAssertThrowsError(try IDXLoader.load(images: cutGzip, labels: cutGzip)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(cutGzip): truncated gzip data"), "\(error)")
        }
    }

    func testCountMismatchAndSwappedFiles() throws {
        let files = DataTestFiles()
        let images = try files.write(
            "i", bytes: IDXLoader.encode(shape: [3, 2, 2], values: [Double](repeating: 1, count: 12), type: .uint8))
        let labels = try files.write("l", bytes: IDXLoader.encode(shape: [2], values: [0, 1], type: .uint8))
        assertDataError("\(images) has 3 images but \(labels) has 2 labels") {
            try IDXLoader.load(images: images, labels: labels)
        }
        assertDataError("\(images): expected a label file (1 dimension), found 3 dimensions [3, 2, 2]") {
            try IDXLoader.load(images: images, labels: images)
        }
        assertDataError("\(labels): expected an image file (2 or more dimensions), found 1 dimension") {
            try IDXLoader.load(images: labels, labels: labels)
        }
    }

    func testGzipPassThroughAndConcatenatedMembers() throws {
        let plain: [UInt8] = Array("not compressed".utf8)
        XCTAssertEqual(try Gzip.inflate(plain, name: "x"), plain)
        let large = (0 ..< 300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }
        XCTAssertEqual(try Gzip.inflate(Gzip.deflate(large), name: "x"), large)
        let joined = try Gzip.deflate(Array("first,".utf8)) + Gzip.deflate(Array("second".utf8))
        XCTAssertEqual(String(decoding: try Gzip.inflate(joined, name: "x"), as: UTF8.self), "first,second")
        var corrupt = try Gzip.deflate(large)
        corrupt[20] ^= 0xFF
        corrupt[21] ^= 0xFF
        XCTAssertThrowsError(try Gzip.inflate(corrupt, name: "c.gz")) { error in
            XCTAssertTrue("\(error)".hasPrefix("c.gz: "), "\(error)")
        }
    }

    func testMNISTLayoutWithTinyFiles() throws {
        let files = DataTestFiles()
        func write(_ name: String, _ shape: [Int], _ values: [Double], gzip: Bool) throws {
            try files.write(name, bytes: IDXLoader.encode(shape: shape, values: values, type: .uint8), gzip: gzip)
        }
        // Training files gzip, test files plain and with the older `.idx3-ubyte` spelling.
        try write("train-images-idx3-ubyte.gz", [6, 2, 2], (0 ..< 24).map { Double($0 * 10) }, gzip: true)
        try write("train-labels-idx1-ubyte.gz", [6], [0, 1, 2, 0, 1, 2], gzip: true)
        try write("t10k-images.idx3-ubyte", [2, 2, 2], [Double](repeating: 255, count: 8), gzip: false)
        try write("t10k-labels.idx1-ubyte", [2], [1, 1], gzip: false)
        var configuration = TrainingConfiguration()
        configuration.data = "mnist:\(files.directory)"
        configuration.testFraction = 0.5  // ignored: the t10k files are the test set
        configuration.validationFraction = 1.0 / 3
        configuration.scaling = .none
        let prepared = try DataPipeline.prepare(configuration.dataSettings)
        XCTAssertEqual(prepared.summary.trainSize, 4)
        XCTAssertEqual(prepared.summary.validationSize, 2)
        XCTAssertEqual(prepared.summary.testSize, 2)
        XCTAssertEqual(prepared.summary.featureCount, 4)
        XCTAssertEqual(prepared.summary.classCount, 3)
        XCTAssertEqual(prepared.test?.features.values, [Float](repeating: 1, count: 8))
        XCTAssertEqual(prepared.test?.labels, [1, 1])

        let idx = try DataPipeline.load(
            "idx:\(files.directory)/t10k-images.idx3-ubyte,\(files.directory)/t10k-labels.idx1-ubyte",
            settings: configuration.dataSettings)
        XCTAssertEqual(idx.sampleCount, 2)
        XCTAssertEqual(idx.classCount, 2)
    }
}
