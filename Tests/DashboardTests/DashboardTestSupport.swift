import Dashboard
import Engine
import Foundation
import LogbookBench
import LogbookFixtures
import Store
import XCTest

/// A dashboard serving a store recorded in the test, on a free loopback port (`port: 0`), stopped with the test
/// (`InProcessDashboard`, as `bench serve` starts it).
final class ServedStore: @unchecked Sendable {
    let location: String
    private let dashboard: InProcessDashboard
    var port: Int { dashboard.port }

    /// Starts serving `location`; returns once the port is bound.
    init(location: String, configuration: DashboardServer.Configuration = .init(port: 0)) throws {
        self.location = location
        dashboard = try InProcessDashboard(location: location, configuration: configuration)
    }

    func stop() { dashboard.stop() }

    func client(timeout: Double = 10) throws -> LoopbackHTTPClient { try dashboard.client(timeout: timeout) }

    /// `GET target` on a new connection.
    func get(_ target: String, headers: [(String, String)] = []) throws -> LoopbackHTTPClient.Response {
        try client().get(target, headers: headers)
    }

    /// `GET target` answered as JSON (`JSONSerialization`), with its status.
    func json(_ target: String, headers: [(String, String)] = []) throws -> (status: Int, value: Any) {
        let response = try get(target, headers: headers)
        return (response.status, try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed]))
    }
}

/// The store the dashboard tests serve: a recorded grid sweep (2 batch sizes × 2 learning rates × 2 initializers,
/// one seed, 3 epochs of 10 steps) and one single run named `<script>alert(1)</script>`, 3 epochs.
enum DashboardFixture {
    static let scriptName = "<script>alert(1)</script>"

    /// Records the store in a new temporary directory; returns its path and the single run's id.
    static func record() throws -> (path: String, scriptRun: Int64) {
        let directory = NSTemporaryDirectory() + "logbook-dashboard-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/store.sqlite"
        let store = try LogbookStore(path: path)
        var fixture = FixtureSweep()
        fixture.name = "grid <b>sweep</b>"
        fixture.seeds = 1
        fixture.epochs = 3
        fixture.training.stepsPerEpoch = 10
        fixture.training.recordsWeights = false
        try fixture.record(into: store)
        let scriptRun = try recordSingleRun(into: store, name: scriptName)
        return (path, scriptRun)
    }

    /// One run outside any sweep, recorded through the recorder (`SyntheticTraining`).
    static func recordSingleRun(into store: any LogbookStoring, name: String) throws -> Int64 {
        var configuration = FixtureSweep().base
        configuration.batchSize = 32
        let runID = try store.createRun(configuration, name: name)
        let recorder = try store.makeRecorder(for: runID)
        var training = SyntheticTraining()
        training.stepsPerEpoch = 10
        training.recordsWeights = false
        _ = try training.emit(configuration, to: recorder)
        try recorder.close()
        return runID
    }
}

extension XCTestCase {
    func object(_ value: Any, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        guard let object = value as? [String: Any] else {
            XCTFail("not a JSON object: \(value)", file: file, line: line)
            return [:]
        }
        return object
    }
}
