import Engine
import Foundation
import XCTest

@testable import Store

final class ConfigurationCodingTests: XCTestCase {
    /// A run recorded by an older Logbook lacks fields added since (they take today's defaults); a newer one may
    /// carry fields this version does not know (ignored). Both still load, rerun and export.
    func testStoredConfigurationsFromOtherVersionsStillDecode() throws {
        let directory = try TemporaryDirectory()
        let store = try LogbookStore(path: directory.file("runs.sqlite"))
        var configuration = Synthetic.configuration(seed: 3, learningRate: 0.25)
        configuration.divergenceFactor = 50
        let runID = try store.createRun(configuration, status: .completed)
        let json = try ConfigurationCoding.json(configuration)
        var fields = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        fields.removeValue(forKey: "divergenceFactor")
        fields["someFutureSetting"] = "on"
        let edited = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        try store.write { connection in
            try connection.execute("UPDATE runs SET config = ? WHERE id = ?", [.text(edited), .integer(runID)])
        }
        let loaded = try store.run(id: runID).configuration
        XCTAssertEqual(loaded.learningRate, 0.25)
        XCTAssertEqual(loaded.seed, 3)
        XCTAssertEqual(loaded.divergenceFactor, TrainingConfiguration().divergenceFactor)
        XCTAssertThrowsError(try ConfigurationCoding.configuration(fromJSON: "[1, 2]", runID: 9)) { error in
            XCTAssertTrue("\(error)".hasPrefix("run 9 has an unreadable configuration"), "\(error)")
        }
    }

    /// Decoded configurations are kept by their JSON text: the same text gives the kept configuration (equal to a
    /// fresh decode), and a different text — a row rewritten, or another run — is decoded, never served the kept one.
    func testDecodedConfigurationsAreKeptByTheirText() throws {
        let configuration = Synthetic.configuration(seed: 11, learningRate: 0.375)
        let json = try ConfigurationCoding.json(configuration)
        let first = try ConfigurationCoding.configuration(fromJSON: json, runID: 1)
        XCTAssertEqual(first, configuration)
        XCTAssertEqual(DecodedConfigurations.shared.configuration(for: json), configuration, "kept after the first decode")
        XCTAssertEqual(try ConfigurationCoding.configuration(fromJSON: json, runID: 2), configuration)
        let rewritten = json.replacingOccurrences(of: "0.375", with: "0.125")
        XCTAssertNotEqual(rewritten, json)
        XCTAssertEqual(try ConfigurationCoding.configuration(fromJSON: rewritten, runID: 1).learningRate, 0.125)
        let cache = DecodedConfigurations()
        for index in 0..<(DecodedConfigurations.capacity + 1) {
            var other = configuration
            other.seed = UInt64(index)
            cache.keep(other, for: "\(index)")
        }
        XCTAssertEqual(cache.count, 1, "a full cache starts again empty")
    }

    /// The `params` rows come from the parameter registry; they are the rows the stored JSON always gave (its keys in
    /// snake case, JSON numbers as SQLite reads them back), so queries over old and new runs agree.
    func testParameterRowsAreTheStoredJSONFieldsInSnakeCase() throws {
        var configuration = TrainingConfiguration()
        configuration.testData = "iris"
        configuration.loss = .meanSquaredError
        configuration.initializer = .constant(0.5)
        configuration.learningRate = 1
        configuration.dropout = 0.25
        configuration.seed = UInt64.max
        configuration.divergenceFactor = 1e20
        for candidate in [TrainingConfiguration(), configuration] {
            let json = try ConfigurationCoding.json(candidate)
            let fields = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let fromJSON = fields.keys.sorted().map { key -> (String, SQLValue) in
                let snake = key.reduce(into: "") { text, character in
                    text += character.isUppercase ? "_" + character.lowercased() : String(character)
                }
                switch fields[key]! {
                case let text as String: return (snake, .text(text))
                case let list as [Int]: return (snake, .text(list.map(String.init).joined(separator: "-")))
                case let number as NSNumber:
                    switch String(cString: number.objCType) {
                    case "c", "B": return (snake, .integer(number.boolValue ? 1 : 0))
                    case "d", "f": return (snake, .real(number.doubleValue))
                    case "Q": return (snake, .integer(Int64(bitPattern: number.uint64Value)))
                    default: return (snake, .integer(number.int64Value))
                    }
                default: return (snake, .null)
                }
            }.sorted { $0.0 < $1.0 }
            let fromRegistry = ConfigurationCoding.parameters(candidate)
            XCTAssertEqual(fromRegistry.map(\.0), fromJSON.map(\.0))
            XCTAssertEqual(fromRegistry.map(\.1), fromJSON.map(\.1))
        }
    }
}
