import Engine
@testable import Store
import XCTest

@testable import Sweep

/// The per-worker dataset cache gives bit-identical training to a fresh load.
final class PreparedDataCacheTests: XCTestCase {
    func configuration(learningRate: Double, batchSize: Int = 32) throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = "digits"
        configuration.layers = try TrainingConfiguration.parseLayers("64-32-10")
        configuration.epochs = 2
        configuration.validationFraction = 0.1
        configuration.learningRate = learningRate
        configuration.batchSize = batchSize
        configuration.seed = 3
        return configuration
    }

    func testCachedDataTrainsBitIdenticallyToAFreshLoad() throws {
        let cache = PreparedDataCache()
        for (rate, batch) in [(0.1, 32), (0.05, 16), (0.1, 32)] {
            let configuration = try configuration(learningRate: rate, batchSize: batch)
            let fresh = try Trainer(configuration: configuration).run()
            let cached = try Trainer(configuration: configuration, data: try cache.data(for: configuration.dataSettings)).run()
            XCTAssertEqual(cached.losses, fresh.losses, "every iteration's loss, bit for bit")
            XCTAssertEqual(cached.epochs.map(\.validationAccuracy), fresh.epochs.map(\.validationAccuracy))
            XCTAssertEqual(cached.test?.loss, fresh.test?.loss)
        }
        XCTAssertEqual(cache.misses, 1, "one load for three trials on the same data settings")
        XCTAssertEqual(cache.hits, 2)
        // Other settings (another seed splits differently) are another entry; capacity 1 keeps the latest only.
        var other = try configuration(learningRate: 0.1)
        other.seed = 4
        XCTAssertEqual(
            try Trainer(configuration: other, data: try cache.data(for: other.dataSettings)).run().losses,
            try Trainer(configuration: other).run().losses)
        XCTAssertEqual(cache.misses, 2)
        _ = try cache.data(for: try configuration(learningRate: 0.1).dataSettings)
        XCTAssertEqual(cache.misses, 3, "the first settings were dropped")
    }

    /// Through the worker path (recorded into the store): the same trial with and without the cache stores the same losses.
    func testWorkerTrainingWithTheCacheRecordsTheSameLosses() throws {
        let directory = try SweepTestSupport.temporaryDirectory(self)
        let store = try LogbookStore(path: directory.appendingPathComponent("c.sqlite").path)
        let spec = SweepSpec(
            name: "cache", parameters: [
                .init(name: "data", domain: .fixed(.string("digits"))), .init(name: "layers", domain: .fixed(.string("64-32-10"))),
                .init(name: "epochs", domain: .fixed(.int(1))), .init(name: "learning_rate", domain: .values([.double(0.1), .double(0.2)])),
            ], seeds: 2)
        var losses: [[Double?]] = []
        for cache in [nil, PreparedDataCache()] {
            let sweepID = try SweepExecution.create(plan: try SweepPlan(spec: spec), base: TrainingConfiguration(), store: store)
            let worker = SweepWorker(store: store, sweepID: sweepID, workerID: "w#1", train: EngineTrialTraining.train(pruning: nil, dataCache: cache))
            XCTAssertEqual(try worker.run().outcomes, [.completed: 4])
            losses.append(try store.read { connection in
                var values: [Double?] = []
                try connection.forEachRow(
                    "SELECT i.loss FROM iterations AS i JOIN runs AS r ON r.id = i.run_id WHERE r.sweep_id = ? ORDER BY r.trial_index, i.step",
                    [.integer(sweepID)]) { values.append($0.optionalDouble(0)) }
                return values
            })
            if let cache { XCTAssertEqual(cache.misses, 2, "one load per seed (the split depends on it)") }
        }
        XCTAssertFalse(losses[0].isEmpty)
        XCTAssertEqual(losses[0], losses[1])
    }
}
