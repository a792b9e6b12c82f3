import Engine
import Foundation
import XCTest

@testable import Store

/// `parameterKeys()` on SQLite reads the keys once per connection, then only those of newer runs
/// (`ParameterKeyCache`): it must still answer what a fresh connection answers after runs are added or deleted.
final class ParameterKeyCacheTests: XCTestCase {
    func testCacheReadsOnlyNewerRunsAndStartsOverWhenTheNewestRunGoesDown() throws {
        let cache = ParameterKeyCache()
        var asked: [Int64] = []
        XCTAssertEqual(cache.keys(newest: 2) { asked.append($0); return ["lr", "batch"] }, ["batch", "lr"])
        XCTAssertEqual(cache.keys(newest: 2) { asked.append($0); return ["unexpected"] }, ["batch", "lr"])
        XCTAssertEqual(cache.keys(newest: 5) { asked.append($0); return ["seed", "lr"] }, ["batch", "lr", "seed"])
        XCTAssertEqual(cache.keys(newest: 3) { asked.append($0); return ["lr"] }, ["lr"])
        XCTAssertEqual(asked, [0, 2, 0])
    }

    func testStoreKeysFollowRunsAddedAndDeletedByAnotherConnection() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let writer = try LogbookStore(path: path)
        _ = try writer.createRun(TrainingConfiguration())
        let reader = try LogbookStore(path: path, mode: .readOnly)
        let first = try reader.parameterKeys()
        XCTAssertTrue(first.contains("batch_size") && first.contains("learning_rate"), "\(first)")
        XCTAssertFalse(first.contains("zz_extra"))

        let second = try writer.createRun(TrainingConfiguration())
        try writer.write { try $0.execute("INSERT INTO params (run_id, key, value) VALUES (?, 'zz_extra', 1)", [.integer(second)]) }
        XCTAssertEqual(try reader.parameterKeys(), (first + ["zz_extra"]).sorted())
        XCTAssertEqual(try reader.parameterKeys(), try LogbookStore(path: path, mode: .readOnly).parameterKeys())

        try writer.write { connection in
            try connection.execute("DELETE FROM params WHERE run_id = ?", [.integer(second)])
            try connection.execute("DELETE FROM runs WHERE id = ?", [.integer(second)])
        }
        XCTAssertEqual(try reader.parameterKeys(), first)
    }
}
