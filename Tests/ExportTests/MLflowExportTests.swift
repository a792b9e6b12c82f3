import Engine
import Foundation
import Store
import XCTest

@testable import Export

/// The MLflow export against a real `mlflow server` on loopback, read back with MLflow's own client
/// (`mlflow.search_runs`, `MlflowClient.get_metric_history`, artifact download).
final class MLflowExportTests: XCTestCase {
    func testASweepReachesMLflowWholeAndASecondExportAddsNoRun() throws {
        let directory = try ExportDirectory()
        let store = try LogbookStore(path: directory.file("sweep.sqlite"))
        let sweepID = try ExportFixtures.sweep(in: store)
        let real = try ExportFixtures.train(ExportFixtures.realConfiguration(), in: store)
        try FileManager.default.createDirectory(atPath: directory.file("mlflow"), withIntermediateDirectories: true)
        let server = try MLflowServer(directory: directory.file("mlflow"))
        defer { server.stop() }
        let notes = NoteList()

        let export = try MLflowExport(store: store, trackingURI: server.trackingURI, experiment: nil, notes: notes.append)
        let first = try export.export(.sweep(sweepID))
        XCTAssertEqual(first.created, 8)
        XCTAssertEqual(first.skipped, 0)
        // The fixture's made-up runs do not match their data set's real splits: the scaler cannot be refitted, and
        // each run's model.safetensors says so in one line and carries the weights.
        XCTAssertEqual(notes.all.count, 8, "\(notes.all)")
        for note in notes.all {
            XCTAssertTrue(note.contains("the scaler cannot be refitted; scaler.offset and scaler.scale left out"), note)
        }
        let experimentName = "sweep-\(sweepID)-synthetic"
        let read = try PythonReaders.json("mlflow_read.py", [server.trackingURI, experimentName, directory.file("download")])
        let runs = try XCTUnwrap(read["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 8)
        var seen: Set<Int64> = []
        for mlflowRun in runs {
            let tags = try XCTUnwrap(mlflowRun["tags"] as? [String: String])
            let runID = try XCTUnwrap(tags["logbook.run_id"].flatMap { Int64($0) })
            seen.insert(runID)
            try check(mlflowRun, against: runID, store: store)
        }
        XCTAssertEqual(seen, Set(try store.runs(sweepID: sweepID).map(\.id)))

        // A second export of the sweep adds nothing; a run exported to its own experiment carries the schedule.
        let second = try export.export(.sweep(sweepID))
        XCTAssertEqual(second.created, 0)
        XCTAssertEqual(second.skipped, 8)
        XCTAssertEqual(second.experimentID, first.experimentID)
        let again = try PythonReaders.json("mlflow_read.py", [server.trackingURI, experimentName, directory.file("download2")])
        XCTAssertEqual((again["runs"] as? [[String: Any]])?.count, 8)

        let named = try MLflowExport(store: store, trackingURI: server.trackingURI, experiment: "real runs", notes: notes.append)
        XCTAssertEqual(try named.export(.runs([real])).created, 1)
        let realRead = try PythonReaders.json("mlflow_read.py", [server.trackingURI, "real runs", directory.file("download3")])
        let realRuns = try XCTUnwrap(realRead["runs"] as? [[String: Any]])
        XCTAssertEqual(realRuns.count, 1)
        try check(realRuns[0], against: real, store: store)
        XCTAssertEqual(notes.all.count, 8, "the real run's scaler is refitted: \(notes.all)")
        let weights = try XCTUnwrap(realRuns[0]["safetensors"] as? [String: [Any]])
        XCTAssertEqual(weights["scaler.offset"]?[0] as? [Int], [4])
        XCTAssertEqual(weights["scaler.scale"]?[0] as? [Int], [4])

        // NaN losses: MLflow cannot hold them; one line says so, every other value arrives.
        let nanRun = try ExportFixtures.runWithNaNLosses(in: store, nanSteps: [3, 4])
        let nanNotes = NoteList()
        let nanExport = try MLflowExport(store: store, trackingURI: server.trackingURI, experiment: "nan", notes: nanNotes.append)
        XCTAssertEqual(try nanExport.export(.runs([nanRun])).created, 1)
        let lossNotes = nanNotes.all.filter { $0.contains("NaN") }
        XCTAssertEqual(lossNotes, ["run \(nanRun): 2 NaN or infinite metric value(s) not sent to MLflow, which cannot hold them (iteration/loss at step 3 and 1 more)"])
        let nanRead = try PythonReaders.json("mlflow_read.py", [server.trackingURI, "nan", directory.file("download4")])
        let nanHistory = try XCTUnwrap(((nanRead["runs"] as? [[String: Any]])?.first?["history"] as? [String: [[Any]]])?["iteration/loss"])
        let curve = try store.lossCurve(run: nanRun)
        XCTAssertEqual(nanHistory.map { $0[0] as? Int }, (1...curve.count).filter { ![3, 4].contains($0) })
        XCTAssertEqual(nanHistory.map { readerNumber($0[1]) }, curve.enumerated().filter { ![2, 3].contains($0.offset) }.map { Double($0.element) })
    }

    /// One MLflow run against the store: status, params, final metrics, the whole iteration-loss history, the weights.
    private func check(_ mlflowRun: [String: Any], against runID: Int64, store: LogbookStore) throws {
        let run = try store.run(id: runID)
        XCTAssertEqual(mlflowRun["status"] as? String, run.status == .completed ? "FINISHED" : "FAILED", "run \(runID)")
        XCTAssertEqual(mlflowRun["run_name"] as? String, run.name)
        let params = try XCTUnwrap(mlflowRun["params"] as? [String: String])
        let stored = try store.runOverview(id: runID).parameters
        XCTAssertEqual(Set(params.keys), Set(stored.keys), "run \(runID)")
        for (key, value) in stored {
            switch value {
            case .text(let text): XCTAssertEqual(params[key], text, "run \(runID) \(key)")
            case .integer(let number) where (try? Hyperparameter.named(key))?.valueType == .flag:
                XCTAssertEqual(params[key], number != 0 ? "true" : "false", "run \(runID) \(key)")
            default: XCTAssertEqual(params[key].flatMap(Double.init), value.double, "run \(runID) \(key)")
            }
        }
        let tags = try XCTUnwrap(mlflowRun["tags"] as? [String: String])
        XCTAssertEqual(tags["logbook.export"], "complete")
        let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data((tags["logbook.configuration"] ?? "").utf8))
        XCTAssertEqual(configuration, run.configuration)

        // The whole iteration-loss history, every step, values exact (MLflow stores doubles).
        let history = try XCTUnwrap(mlflowRun["history"] as? [String: [[Any]]])
        let losses = try store.lossCurve(run: runID)
        let loss = try XCTUnwrap(history["iteration/loss"], "run \(runID)")
        XCTAssertEqual(loss.map { $0[0] as? Int }, (1...losses.count).map { $0 }, "run \(runID) steps")
        XCTAssertEqual(loss.map { readerNumber($0[1]) }, losses.map { Double($0) }, "run \(runID) losses")
        // Final metrics (search_runs' latest values) are the store's.
        let metrics = try XCTUnwrap(mlflowRun["metrics"] as? [String: Any])
        XCTAssertEqual(readerNumber(metrics["test/accuracy"]), run.testAccuracy, "run \(runID)")
        XCTAssertEqual(readerNumber(metrics["test/loss"]), run.testLoss, "run \(runID)")
        XCTAssertEqual(readerNumber(metrics["epoch/train_loss"]), run.finalTrainLoss, "run \(runID)")
        XCTAssertEqual(readerNumber(metrics["iteration/loss"]), losses.last.map { Double($0) }, "run \(runID)")
        let epochs = try store.epochs(run: runID)
        XCTAssertEqual(history["epoch/train_accuracy"]?.map { $0[0] as? Int }, epochs.map(\.step), "run \(runID)")

        // The final weights, as the artifact model.safetensors.
        XCTAssertEqual(mlflowRun["artifacts"] as? [String], ["model.safetensors"])
        let weights = try XCTUnwrap(mlflowRun["safetensors"] as? [String: [Any]])
        for tensor in try store.finalWeights(run: runID) {
            let entry = try XCTUnwrap(weights[tensor.name], "run \(runID) \(tensor.name)")
            XCTAssertEqual(entry[0] as? [Int], tensor.shape)
            XCTAssertEqual(readerNumber(entry[1]).map(Float.init), tensor.values.first)
        }
    }
}
