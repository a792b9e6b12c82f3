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
}
