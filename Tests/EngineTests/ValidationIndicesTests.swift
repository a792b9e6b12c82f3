import Foundation
import XCTest

@testable import Engine

/// `validation_indices`: a file naming the validation samples. The split holds exactly those samples, the rest split
/// as without validation, the content hash covers the indices, and a bad file gets one line naming the entry.
final class ValidationIndicesTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("validation-indices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func file(_ text: String, name: String = "indices.txt") throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func settings(_ indices: String?, validationFraction: Double = 0) -> DataSettings {
        DataSettings(data: "digits", validationFraction: validationFraction, validationIndices: indices, scaling: .none)
    }

    /// Digits (1,797 samples), every 9th sample held out (0, 9, …, 1791: 200 samples, listed out of order and with
    /// commas and blank lines): validation is those rows of the loaded data, in increasing order; the other 1,597
    /// split as a split without validation splits them (test round(0.2 · 1597) = 319, train 1,278).
    func testTheValidationSetIsExactlyTheListedSamples() throws {
        let held = Array(stride(from: 0, to: 1797, by: 9))
        let text = held.reversed().map(String.init).joined(separator: ",\n") + "\n\n"
        let prepared = try DataPipeline.prepare(settings(try file(text)))
        let all = try DataPipeline.load("digits", settings: settings(nil))
        XCTAssertEqual(prepared.validation?.sampleCount, 200)
        XCTAssertEqual(prepared.validation?.features.values, all.subset(held).features.values)
        XCTAssertEqual(prepared.validation?.labels, all.subset(held).labels)
        XCTAssertEqual(prepared.summary.validationSize, 200)
        XCTAssertEqual(prepared.summary.testSize, 319)
        XCTAssertEqual(prepared.summary.trainSize, 1278)

        let rest = (0..<1797).filter { $0 % 9 != 0 }
        let restSplit = try DataSplit.indices(
            sampleCount: rest.count, labels: rest.map { all.labels![$0] }, validationFraction: 0, testFraction: 0.2,
            stratify: true, seed: 1)
        XCTAssertEqual(prepared.train.features.values, all.subset(restSplit.train.map { rest[$0] }).features.values)
        XCTAssertEqual(prepared.test?.features.values, all.subset(restSplit.test.map { rest[$0] }).features.values)
    }

    /// The content hash is the data's, then the indices (little-endian Int64): another index list ⇒ another hash.
    func testTheContentHashCoversTheIndices() throws {
        let plain = try DataPipeline.prepare(settings(nil)).summary.contentHash
        let first = try DataPipeline.prepare(settings(try file("1 2 3", name: "a.txt"))).summary.contentHash
        let other = try DataPipeline.prepare(settings(try file("1 2 4", name: "b.txt"))).summary.contentHash
        let reordered = try DataPipeline.prepare(settings(try file("3\n1\n2", name: "c.txt"))).summary.contentHash
        var expected = ContentHash()
        expected.add(try DataPipeline.load("digits", settings: settings(nil)))
        [1, 2, 3].map { Int64($0).littleEndian }.withUnsafeBytes { expected.add($0) }
        XCTAssertEqual(first, expected.hex)
        XCTAssertNotEqual(first, plain)
        XCTAssertNotEqual(first, other)
        XCTAssertEqual(first, reordered, "the same samples in another order are the same split")
    }

    func testABadFileGetsOneLineNamingTheEntry() throws {
        let prefix = "invalid validation_indices '"
        let word = try file("4 five 6", name: "word.txt")
        assertDataError("\(prefix)\(word)': item 2 'five' is not a sample index") { try DataPipeline.prepare(settings(word)) }
        let outside = try file("4\n1797\n", name: "outside.txt")
        assertDataError("\(prefix)\(outside)': index 1797 (item 2) is outside 0..<1797, the source's samples") {
            try DataPipeline.prepare(settings(outside))
        }
        let negative = try file("-1", name: "negative.txt")
        assertDataError("\(prefix)\(negative)': index -1 (item 1) is outside 0..<1797, the source's samples") {
            try DataPipeline.prepare(settings(negative))
        }
        let twice = try file("5, 6, 5", name: "twice.txt")
        assertDataError("\(prefix)\(twice)': index 5 is listed twice") { try DataPipeline.prepare(settings(twice)) }
        let empty = try file(" \n", name: "empty.txt")
        assertDataError("\(prefix)\(empty)': lists no sample index") { try DataPipeline.prepare(settings(empty)) }
        let all = try file((0..<1797).map(String.init).joined(separator: "\n"), name: "all.txt")
        assertDataError("invalid validation_indices: all 1797 samples are held out, none is left to train on") {
            try DataPipeline.prepare(settings(all))
        }
        let missing = directory.appendingPathComponent("missing.txt").path
        do {
            _ = try DataPipeline.prepare(settings(missing))
            XCTFail("a missing file must be refused")
        } catch let error as EngineError {
            XCTAssertTrue(error.message.hasPrefix("\(prefix)\(missing)': cannot be read ("), error.message)
            XCTAssertFalse(error.message.contains("\n"))
        }
    }

    /// A fraction and a file both naming the validation split: the configuration's check and the pipeline refuse it.
    func testAFractionAndAFileExcludeEachOther() throws {
        let path = try file("1 2 3")
        var configuration = TrainingConfiguration()
        configuration.validationIndices = path
        configuration.validationFraction = 0.1
        XCTAssertThrowsError(try configuration.validate()) { error in
            XCTAssertEqual("\(error)", "invalid validation_indices '\(path)': excludes validation_fraction 0.1 (give one of them)")
        }
        assertDataError("invalid validation_indices '\(path)': excludes validation_fraction 0.1 (give one of them)") {
            try DataPipeline.prepare(settings(path, validationFraction: 0.1))
        }
        configuration.validationFraction = 0
        configuration.patience = 3
        configuration.earlyStoppingMetric = .validationLoss
        XCTAssertNoThrow(try configuration.validate(), "a file of indices is a validation split")
    }
}
