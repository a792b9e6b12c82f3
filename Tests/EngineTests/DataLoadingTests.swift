import XCTest

@testable import Engine

/// Temporary files for the data tests; removed when the test case ends.
final class DataTestFiles {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "logbook-data-tests-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes `text` (gzip-compressed when `gzip`) to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String, gzip: Bool = false) throws -> String {
        try write(name, bytes: Array(text.utf8), gzip: gzip)
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8], gzip: Bool = false) throws -> String {
        let path = directory + "/" + name
        let content = gzip ? try Gzip.deflate(bytes) : bytes
        guard FileManager.default.createFile(atPath: path, contents: Data(content)) else {
            throw EngineError("cannot write test file \(path)")
        }
        return path
    }
}

/// Asserts that `body` throws an `EngineError` whose message is exactly `message`.
func assertDataError<T>(
    _ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) {
    do {
        _ = try body()
        XCTFail("expected error: \(message)", file: file, line: line)
    } catch let error as EngineError {
        XCTAssertEqual(error.message, message, file: file, line: line)
    } catch {
        XCTFail("unexpected error type: \(error)", file: file, line: line)
    }
}

final class DataLoadingTests: XCTestCase {
    // MARK: Bundled

    func testBundledDatasetsHaveTheirShapes() throws {
        let expected: [(String, Int, Int, Int)] = [
            ("digits", 1797, 64, 10), ("iris", 150, 4, 3), ("wine", 178, 13, 3), ("breast-cancer", 569, 30, 2),
        ]
        for (name, samples, features, classes) in expected {
            let dataset = try BundledDatasets.load(name)
            XCTAssertEqual(dataset.name, name)
            XCTAssertEqual(dataset.sampleCount, samples, name)
            XCTAssertEqual(dataset.featureCount, features, name)
            XCTAssertEqual(dataset.classCount, classes, name)
            XCTAssertEqual(dataset.labels?.count, samples, name)
            XCTAssertEqual(Set(dataset.labels!).count, classes, "\(name): every class present")
            XCTAssertEqual(dataset.classNames.count, classes, name)
        }
        XCTAssertEqual(try BundledDatasets.load("iris").classNames, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(try BundledDatasets.load("breast-cancer").classNames, ["malignant", "benign"])
    }

    func testBundledValuesMatchTheFiles() throws {
        let iris = try BundledDatasets.load("iris")
        // First row of iris: 5.1,3.5,1.4,0.2,0 ; last: 5.9,3.0,5.1,1.8,2
        XCTAssertEqual(Array(iris.features.values.prefix(4)), [5.1, 3.5, 1.4, 0.2])
        XCTAssertEqual(Array(iris.features.values.suffix(4)), [5.9, 3.0, 5.1, 1.8])
        XCTAssertEqual(iris.labels?.first, 0)
        XCTAssertEqual(iris.labels?.last, 2)
        let digits = try BundledDatasets.load("digits")
        XCTAssertEqual(digits.features.values.max(), 16)
        XCTAssertEqual(digits.features.values.min(), 0)
        XCTAssertEqual(digits.labels?.prefix(3), [0, 1, 2])
    }

    func testUnknownBundledName() {
        assertDataError("unknown bundled dataset 'mnist' (expected one of: digits, iris, wine, breast-cancer)") {
            try BundledDatasets.load("mnist")
        }
    }

    // MARK: CSV

    func testHeaderIsDetectedAndNamesKept() throws {
        let files = DataTestFiles()
        let path = try files.write("h.csv", "a,b,label\n1,2,0\n3,4,1\n5,6,1\n")
        let dataset = try CSVLoader.load(path: path)
        XCTAssertEqual(dataset.name, "csv:\(path)")
        XCTAssertEqual(dataset.featureNames, ["a", "b"])
        XCTAssertEqual(dataset.features.values, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(dataset.labels, [0, 1, 1])
        XCTAssertEqual(dataset.classCount, 2)

        let headerless = try CSVLoader.load(path: files.write("n.csv", "\u{FEFF}1,2,0\n3,4,1\n"))
        XCTAssertEqual(headerless.sampleCount, 2, "a numeric first row is data, even after a byte order mark")
        XCTAssertEqual(headerless.features.values, [1, 2, 3, 4])
        XCTAssertEqual(headerless.featureNames, [])
    }

    func testLabelColumnByNameAndIndex() throws {
        let files = DataTestFiles()
        let path = try files.write("l.csv", "y,x1,x2\n1,0.5,-2\n0,1.5,3e1\n2,2.5,4\n")
        let byName = try CSVLoader.load(path: path, options: CSVOptions(labelColumn: "y"))
        XCTAssertEqual(byName.labels, [1, 0, 2])
        XCTAssertEqual(byName.features.values, [0.5, -2, 1.5, 30, 2.5, 4])
        XCTAssertEqual(byName.featureNames, ["x1", "x2"])
        let byIndex = try CSVLoader.load(path: path, options: CSVOptions(labelColumn: "0"))
        XCTAssertEqual(byIndex, byName)
        let fromEnd = try CSVLoader.load(path: path, options: CSVOptions(labelColumn: "-3"))
        XCTAssertEqual(fromEnd.labels, [1, 0, 2])
        // Default: the last column; integers with a negative one ⇒ sorted distinct classes.
        let last = try CSVLoader.load(path: path)
        XCTAssertEqual(last.labels, [0, 2, 1])
        XCTAssertEqual(last.classNames, ["-2", "4", "30"])
    }

    func testStringLabelsAreSortedClasses() throws {
        let files = DataTestFiles()
        let path = try files.write("s.csv", "x,kind\n1,\"dog\"\n2,cat\n3,emu\n4,cat\n")
        let dataset = try CSVLoader.load(path: path)
        XCTAssertEqual(dataset.classNames, ["cat", "dog", "emu"])
        XCTAssertEqual(dataset.labels, [1, 0, 2, 0])
        XCTAssertEqual(dataset.classCount, 3)
    }

    func testTaskInference() throws {
        let files = DataTestFiles()
        let real = try CSVLoader.load(path: files.write("r.csv", "1,0.5\n2,1.25\n"))
        XCTAssertNil(real.labels)
        XCTAssertEqual(real.targets?.values, [0.5, 1.25])
        XCTAssertEqual(real.classCount, 0)
        let signs = try CSVLoader.load(path: files.write("s.csv", "1,-1\n2,1\n3,-1\n"))
        XCTAssertEqual(signs.labels, [0, 1, 0])
        XCTAssertEqual(signs.classNames, ["-1", "1"])
        let forced = try CSVLoader.load(path: files.write("f.csv", "1,3\n2,1\n"), options: CSVOptions(task: .regression))
        XCTAssertEqual(forced.targets?.values, [3, 1])
        XCTAssertNil(forced.labels)
        let big = try CSVLoader.load(path: files.write("b.csv", "1,250000\n2,1\n"))
        XCTAssertNil(big.labels, "an inferred task never makes 250001 classes")
    }

    func testGzipCSVAndSklearnHeader() throws {
        let files = DataTestFiles()
        let path = try files.write("k.csv.gz", "3,2,red,blue\n1,2,0\n3,4,1\n5,6,1\n", gzip: true)
        let dataset = try CSVLoader.load(path: path)
        XCTAssertEqual(dataset.classNames, ["red", "blue"])
        XCTAssertEqual(dataset.sampleCount, 3)
        XCTAssertEqual(dataset.featureCount, 2)
        assertDataError("\(try files.write("m.csv", "4,2,red,blue\n1,2,0\n")): header declares 4 samples, found 1") {
            try CSVLoader.load(path: files.directory + "/m.csv")
        }
    }

    func testQuotedCellsCRLFAndBlankLines() throws {
        let files = DataTestFiles()
        let path = try files.write("q.csv", "\"a\",\"b, c\",label\r\n\r\n 1 , \"2\" ,x\r\n3,4,\"say \"\"hi\"\"\"\r\n\n")
        let dataset = try CSVLoader.load(path: path)
        XCTAssertEqual(dataset.featureNames, ["a", "b, c"])
        XCTAssertEqual(dataset.features.values, [1, 2, 3, 4])
        XCTAssertEqual(dataset.classNames, ["say \"hi\"", "x"])
    }

    func testCSVErrorsNameFileLineAndColumn() throws {
        let files = DataTestFiles()
        let ragged = try files.write("data.csv", "a,b,c,d,y\n1,2,3,4,0\n1,2,3,4,1\n\n1,2,3,4,0\n1,2,3,4,1\n1,2,3,0\n")
        assertDataError("\(ragged): line 7 has 4 columns, expected 5") { try CSVLoader.load(path: ragged) }
        let text = try files.write("text.csv", "a,b,y\n1,2,0\n3,abc,1\n")
        assertDataError("\(text): line 3, column 2 ('abc'): not a number") { try CSVLoader.load(path: text) }
        let empty = try files.write("empty.csv", "\n\n")
        assertDataError("\(empty): empty file (no rows)") { try CSVLoader.load(path: empty) }
        let headerOnly = try files.write("header.csv", "a,b,y\n")
        assertDataError("\(headerOnly): no data rows (only a header)") { try CSVLoader.load(path: headerOnly) }
        let named = try files.write("named.csv", "a,b,y\n1,2,0\n")
        assertDataError("\(named): unknown label column 'z' (columns: a, b, y)") {
            try CSVLoader.load(path: named, options: CSVOptions(labelColumn: "z"))
        }
        assertDataError("\(named): label column 3 is out of range (3 columns, numbered from 0)") {
            try CSVLoader.load(path: named, options: CSVOptions(labelColumn: "3"))
        }
        let regression = try files.write("reg.csv", "1,2\n3,cat\n")
        assertDataError("\(regression): line 2, column 2 ('cat'): not a number") {
            try CSVLoader.load(path: regression, options: CSVOptions(task: .regression))
        }
        let fractional = try files.write("frac.csv", "1,2\n3,0.5\n")
        assertDataError(
            "\(fractional): line 2, column 2 ('0.5'): not an integer class label (use task regression for real targets)"
        ) { try CSVLoader.load(path: fractional, options: CSVOptions(task: .classification)) }
        assertDataError("unknown task 'cluster' (valid: classification, regression)") {
            _ = try LabelTask(parsing: "cluster", field: "task")
        }
        let missing = files.directory + "/missing.csv"
        assertDataError("\(missing): cannot open (No such file or directory)") { try CSVLoader.load(path: missing) }
        let infinite = try files.write("inf.csv", "1e39,2\n")
        assertDataError("\(infinite): line 1, column 1 ('1e39'): not a finite number") {
            try CSVLoader.load(path: infinite)
        }
    }

    func testNumberParsingMatchesTheStandardLibrary() throws {
        let cells: [(String, Float)] = [
            ("0", 0), ("-0.5", -0.5), ("+3", 3), ("1e-3", 0.001), ("2.5E+2", 250), (".25", 0.25), ("5.", 5),
            ("123456789012345678901234", 1.2345679e23), ("1e-30", 1e-30), ("0x10", 16), ("3.4028235e38", 3.4028235e38),
            ("-7.000001", -7.000001), ("0.1", 0.1), ("123.456", 123.456),
        ]
        let files = DataTestFiles()
        let path = try files.write("n.csv", cells.map { "\($0.0),0" }.joined(separator: "\n"))
        let dataset = try CSVLoader.load(path: path)
        XCTAssertEqual(dataset.features.values, cells.map(\.1))
    }

    func testLargeCSVIsFast() throws {
        let files = DataTestFiles()
        var text = "f0,f1,f2,f3,f4,label\n"
        var random = Xoshiro256StarStar(seed: 3)
        for row in 0 ..< 100_000 {
            for _ in 0 ..< 5 { text += String(Float(random.uniform(-100, 100))) + "," }
            text += "\(row % 7)\n"
        }
        let path = try files.write("big.csv", text)
        let start = Date()
        let dataset = try CSVLoader.load(path: path)
        let seconds = Date().timeIntervalSince(start)
        print("CSVLoader: 100000 rows × 6 columns in \(seconds) s")
        XCTAssertEqual(dataset.sampleCount, 100_000)
        XCTAssertEqual(dataset.classCount, 7)
        XCTAssertLessThan(seconds, 10, "100k rows in a debug build")
    }
}
