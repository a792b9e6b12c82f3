import Engine
import Foundation
import Store
import XCTest

@testable import Export

/// The TensorBoard export read back by TensorBoard's own `EventAccumulator` (in `.venv-readers`): every scalar at
/// its step with its value, and the HParams plugin data of every run.
final class TensorBoardExportTests: XCTestCase {
    /// What the store says a run's series are, read through other paths than the exporter's (`lossCurve`,
    /// `epochs`, `runDetail`'s test evaluation), as float32 values (what TensorBoard's scalars hold).
    private func expectedScalars(run runID: Int64, store: LogbookStore) throws -> [String: [(step: Int, value: Float)]] {
        var expected: [String: [(step: Int, value: Float)]] = [:]
        let losses = try store.lossCurve(run: runID)
        expected["iteration/loss"] = losses.enumerated().map { (step: $0.offset + 1, value: $0.element) }
        let log = try store.iterationLog(run: runID)
        var rates: [(step: Int, value: Float)] = []
        for (index, iteration) in log.enumerated() where index == 0 || log[index - 1].learningRate != iteration.learningRate {
            rates.append((iteration.step, Float(iteration.learningRate)))
        }
        expected["iteration/learning_rate"] = rates
        for epoch in try store.epochs(run: runID) {
            let values: [(String, Double?)] = [
                ("epoch/train_loss", epoch.trainLoss), ("epoch/train_accuracy", epoch.trainAccuracy),
                ("epoch/validation_loss", epoch.validationLoss), ("epoch/validation_accuracy", epoch.validationAccuracy),
                ("epoch/learning_rate", epoch.learningRate),
            ]
            for case (let tag, let value?) in values { expected[tag, default: []].append((epoch.step, Float(value))) }
        }
        let detail = try store.runDetail(id: runID)
        let lastStep = detail.run.stepsCompleted!
        if let test = detail.test {
            expected["test/loss"] = [(lastStep, Float(test.loss!))]
            if let accuracy = test.accuracy { expected["test/accuracy"] = [(lastStep, Float(accuracy))] }
        }
        return expected
    }

    private func checkRun(
        _ runID: Int64, in read: [String: Any], store: LogbookStore, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let runs = try XCTUnwrap(read["runs"] as? [String: Any], file: file, line: line)
        let run = try XCTUnwrap(runs["run-\(runID)"] as? [String: Any], "run-\(runID) not read", file: file, line: line)
        XCTAssertEqual(run["file_version"] as? String, "brain.Event:2", file: file, line: line)
        let scalars = try XCTUnwrap(run["scalars"] as? [String: [[Any]]], "\(run)", file: file, line: line)
        let expected = try expectedScalars(run: runID, store: store)
        XCTAssertEqual(Set(scalars.keys), Set(expected.keys), "run \(runID)", file: file, line: line)
        for (tag, points) in expected {
            let readPoints = scalars[tag] ?? []
            XCTAssertEqual(readPoints.map { $0[0] as? Int }, points.map(\.step), "run \(runID) \(tag) steps", file: file, line: line)
            func bits(_ value: Float) -> UInt32 { value.isNaN ? Float.nan.bitPattern : value.bitPattern }
            XCTAssertEqual(
                readPoints.map { readerNumber($0[1]).map { bits(Float($0)) } }, points.map { bits($0.value) },
                "run \(runID) \(tag) values", file: file, line: line)
        }

        let record = try store.run(id: runID)
        let start = try XCTUnwrap(run["session_start"] as? [String: Any], file: file, line: line)
        let hparams = try XCTUnwrap(start["hparams"] as? [String: Any], file: file, line: line)
        let parameters = try store.runOverview(id: runID).parameters
        XCTAssertEqual(Set(hparams.keys), Set(parameters.keys), "run \(runID) hparam keys", file: file, line: line)
        for (key, stored) in parameters {
            switch stored {
            case .text(let text) where (try? Hyperparameter.named(key))?.valueType == .flag:
                // The store reads a boolean as `true`/`false`; TensorBoard gets it as a bool hparam.
                XCTAssertEqual(hparams[key] as? Bool, text == "true", "run \(runID) \(key)", file: file, line: line)
            case .text(let text):
                XCTAssertEqual(hparams[key] as? String, text, "run \(runID) \(key)", file: file, line: line)
            default:
                XCTAssertEqual((hparams[key] as? NSNumber)?.doubleValue, stored.double, "run \(runID) \(key)", file: file, line: line)
            }
        }
        let end = try XCTUnwrap(run["session_end"] as? [String: Any], file: file, line: line)
        XCTAssertEqual(end["status"] as? String, record.status == .completed ? "STATUS_SUCCESS" : "STATUS_FAILURE", file: file, line: line)
    }

    func testEventAccumulatorReadsEveryScalarAndTheHParamsOfEveryRunOfASweep() throws {
        let directory = try ExportDirectory()
        let store = try LogbookStore(path: directory.file("sweep.sqlite"))
        let sweepID = try ExportFixtures.sweep(in: store)
        let notes = NoteList()
        let out = directory.file("tensorboard")
        let summary = try TensorBoardExport(store: store, notes: notes.append).export(.sweep(sweepID), to: out)
        let runIDs = try store.runs(sweepID: sweepID).map(\.id)
        XCTAssertEqual(summary.runs, 8)
        XCTAssertEqual(notes.all, [])

        let read = try PythonReaders.json("tensorboard_read.py", [out])
        XCTAssertEqual((read["runs"] as? [String: Any])?.count, 8)
        for runID in runIDs { try checkRun(runID, in: read, store: store) }
        // TensorBoard's HParams tab (its ListSessionGroups handler) lists every run, with its status and hyperparameters.
        let groups = try XCTUnwrap(read["session_groups"] as? [[String: Any]])
        XCTAssertEqual(Set(groups.compactMap { $0["name"] as? String }), Set(runIDs.map { "run-\($0)" }))
        for group in groups {
            let sessions = try XCTUnwrap(group["sessions"] as? [[String: Any]])
            XCTAssertEqual(sessions.count, 1)
            XCTAssertEqual(sessions.first?["status"] as? String, "STATUS_SUCCESS")
            let name = try XCTUnwrap(group["name"] as? String)
            let runID = try XCTUnwrap(Int64(name.dropFirst(4)))
            let hparams = try XCTUnwrap(group["hparams"] as? [String: Any])
            XCTAssertEqual(Set(hparams.keys), Set(try store.runOverview(id: runID).parameters.keys), name)
            XCTAssertEqual((hparams["batch_size"] as? NSNumber)?.intValue, try store.run(id: runID).configuration.batchSize)
            let metrics = try XCTUnwrap(group["metric_values"] as? [[String: Any]])
            let testAccuracy = metrics.first { ($0["name"] as? [String: Any])?["tag"] as? String == "test/accuracy" }
            XCTAssertEqual((testAccuracy?["value"] as? NSNumber).map { Float($0.doubleValue) },
                try store.run(id: runID).testAccuracy.map { Float($0) }, name)
        }
        let experiment = try XCTUnwrap(read["experiment"] as? [String: Any])
        let inner = experiment
        XCTAssertEqual(inner["name"] as? String, "sweep-\(sweepID)-synthetic")
        let infos = try XCTUnwrap(inner["hparam_infos"] as? [[String: Any]])
        XCTAssertEqual(infos.first { $0["name"] as? String == "batch_size" }?["type"] as? String, "DATA_TYPE_FLOAT64")
        XCTAssertEqual(infos.first { $0["name"] as? String == "initializer" }?["type"] as? String, "DATA_TYPE_STRING")
        XCTAssertEqual(infos.first { $0["name"] as? String == "shuffle" }?["type"] as? String, "DATA_TYPE_BOOL")
        let metricTags = (inner["metric_infos"] as? [[String: Any]])?.compactMap { ($0["name"] as? [String: Any])?["tag"] as? String }
        XCTAssertEqual(Set(metricTags ?? []), ["iteration/loss", "iteration/learning_rate", "epoch/train_loss",
            "epoch/train_accuracy", "epoch/learning_rate", "test/loss", "test/accuracy"])

        // A second export replaces the files of the first.
        try TensorBoardExport(store: store, notes: notes.append).export(.sweep(sweepID), to: out)
        for runID in runIDs {
            let files = try FileManager.default.contentsOfDirectory(atPath: out + "/run-\(runID)")
            XCTAssertEqual(files.count, 1, "\(files)")
        }
    }

    /// TensorBoard holds NaN: a run with NaN losses is carried whole, NaN at its steps, without a note.
    func testNaNLossesAreCarriedAtTheirSteps() throws {
        let directory = try ExportDirectory()
        let store = try LogbookStore(path: directory.file("nan.sqlite"))
        let runID = try ExportFixtures.runWithNaNLosses(in: store, nanSteps: [3, 4])
        let out = directory.file("tensorboard")
        let notes = NoteList()
        try TensorBoardExport(store: store, notes: notes.append).export(.runs([runID]), to: out)
        XCTAssertEqual(notes.all, [])
        let read = try PythonReaders.json("tensorboard_read.py", [out])
        try checkRun(runID, in: read, store: store)
        let run = try XCTUnwrap((read["runs"] as? [String: Any])?["run-\(runID)"] as? [String: Any])
        let losses = try XCTUnwrap((run["scalars"] as? [String: [[Any]]])?["iteration/loss"])
        XCTAssertEqual(losses.filter { readerNumber($0[1])?.isNaN == true }.map { $0[0] as? Int }, [3, 4])
    }

    /// Real training: a schedule that changes the learning rate every epoch, a validation split, test metrics.
    func testRealRunsWithAScheduleAndAValidationSplit() throws {
        let directory = try ExportDirectory()
        let store = try LogbookStore(path: directory.file("runs.sqlite"))
        let first = try ExportFixtures.train(ExportFixtures.realConfiguration(), in: store)
        let second = try ExportFixtures.train(ExportFixtures.realConfiguration(activation: .tanh, batchNorm: true), in: store)
        let out = directory.file("tensorboard")
        let notes = NoteList()
        try TensorBoardExport(store: store, notes: notes.append).export(.runs([first, second]), to: out)
        let read = try PythonReaders.json("tensorboard_read.py", [out])
        for runID in [first, second] { try checkRun(runID, in: read, store: store) }
        let run = try XCTUnwrap((read["runs"] as? [String: Any])?["run-\(first)"] as? [String: Any])
        let rates = try XCTUnwrap((run["scalars"] as? [String: [[Any]]])?["iteration/learning_rate"])
        XCTAssertEqual(rates.count, 3, "one point per epoch: the rate halves every epoch")
        XCTAssertEqual(rates.compactMap { readerNumber($0[1]) }.map(Float.init), [0.2, 0.1, 0.05])
        XCTAssertNotNil((run["scalars"] as? [String: [[Any]]])?["epoch/validation_accuracy"])

        // A second export of the same runs replaces every file, the experiment's too.
        try TensorBoardExport(store: store, notes: notes.append).export(.runs([first, second]), to: out)
        let top = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("events.out.tfevents.") }
        XCTAssertEqual(top.count, 1, "\(top)")
        XCTAssertEqual(notes.all, [])
    }
}
