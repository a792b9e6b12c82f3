import Engine
import Foundation
import Store
import XCTest

@testable import Export

/// The ONNX export run by ONNX Runtime (in `.venv-readers`) on a run's raw test split: the same predicted classes
/// as Logbook's and logits within 1e-4, with and without batch norm, for every activation.
final class ONNXExportTests: XCTestCase {
    private func floats(_ values: [Float]) -> Data { values.withUnsafeBufferPointer { Data(buffer: $0) } }

    /// Exports run `runID`, runs it in ONNX Runtime on the raw test features, and compares with the engine's logits.
    private func check(runID: Int64, store: LogbookStore, directory: ExportDirectory, label: String) throws {
        let network = try RunNetwork(run: runID, store: store)
        let data = try XCTUnwrap(network.data, label)
        let scaler = try XCTUnwrap(network.scaler, label)
        let test = try XCTUnwrap(data.test, label)
        let model = directory.file("run-\(runID).onnx")
        try ExportFile.write(try network.onnx(), to: model, example: "model.onnx")

        // Logbook's logits: the engine's own model (rebuilt by a fresh Trainer of the run's configuration, loaded
        // with the stored final weights) on the scaled test split, in evaluation mode.
        let run = try store.run(id: runID)
        var configuration = run.configuration
        configuration.initializer = .zeros
        let trainer = try Trainer(configuration: configuration)
        try trainer.model.load(try store.finalWeights(run: runID), source: "run:\(runID)")
        let scaled = try XCTUnwrap(trainer.data.test, label)
        XCTAssertEqual(scaled.features.values, scaler.transform(test.features).values, "\(label): the refitted scaler is training's")
        let rows = scaled.sampleCount
        let classes = trainer.model.outputWidth
        let expected = scaled.features.values.withUnsafeBufferPointer { features in
            Array(UnsafeBufferPointer(start: trainer.model.forward(features.baseAddress!, batch: rows, training: false), count: rows * classes))
        }

        let input = directory.file("run-\(runID).features")
        let output = directory.file("run-\(runID).logits")
        try floats(test.features.values).write(to: URL(fileURLWithPath: input))
        let answer = try PythonReaders.json("onnx_run.py", [model, input, String(rows), String(test.featureCount), output])
        XCTAssertEqual(answer["shape"] as? [Int], [rows, classes], label)
        XCTAssertEqual(answer["run"] as? String, String(runID), label)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        let logits = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(logits.count, expected.count, label)
        var largest: Float = 0
        for (onnx, engine) in zip(logits, expected) { largest = max(largest, abs(onnx - engine)) }
        XCTAssertLessThanOrEqual(largest, 1e-4, "\(label): largest logit difference")
        func predicted(_ values: [Float]) -> [Int] {
            (0..<rows).map { row in
                let slice = values[(row * classes)..<((row + 1) * classes)]
                return slice.indices.max { slice[$0] < slice[$1] }! - row * classes
            }
        }
        XCTAssertEqual(predicted(logits), predicted(expected), "\(label): predicted classes")
    }

    func testONNXRuntimeMatchesTheEngineForEveryActivationWithAndWithoutBatchNorm() throws {
        let directory = try ExportDirectory()
        let store = try LogbookStore(path: directory.file("onnx.sqlite"))
        for activation in ActivationKind.allCases {
            for batchNorm in [false, true] {
                var configuration = ExportFixtures.realConfiguration(activation: activation, batchNorm: batchNorm)
                configuration.data = "wine"
                configuration.layers = [0, 16, 12, 0]
                configuration.dropout = 0.1
                configuration.scaling = batchNorm ? .minmax : .standardize
                let runID = try ExportFixtures.train(configuration, in: store)
                try check(runID: runID, store: store, directory: directory, label: "\(activation.rawValue) bn=\(batchNorm)")
            }
        }
    }

    /// safetensors carries the scaler beside the layers, and the engine still loads the file as initial weights.
    func testSafetensorsCarriesTheScalerAndStillLoads() throws {
        let directory = try ExportDirectory()
        let store = try LogbookStore(path: directory.file("weights.sqlite"))
        let runID = try ExportFixtures.train(ExportFixtures.realConfiguration(batchNorm: true), in: store)
        let network = try RunNetwork(run: runID, store: store)
        let contents = network.safetensorsContents(notes: { XCTFail("unexpected note: \($0)") })
        let path = directory.file("model.safetensors")
        try Safetensors.write(contents.tensors, to: path, metadata: contents.metadata)
        let read = try Safetensors.read(path: path)
        let scaler = try XCTUnwrap(network.scaler)
        XCTAssertEqual(read.first { $0.name == "scaler.offset" }?.values, scaler.offsets)
        XCTAssertEqual(read.first { $0.name == "scaler.scale" }?.values, scaler.factors)
        XCTAssertEqual(scaler.method, .standardize)
        // Iris, standardized: the offsets are the training split's column means.
        let train = try XCTUnwrap(network.data?.train)
        for column in 0..<train.featureCount {
            let values = (0..<train.sampleCount).map { Double(train.features.values[$0 * train.featureCount + column]) }
            XCTAssertEqual(Double(scaler.offsets[column]), values.reduce(0, +) / Double(values.count), accuracy: 1e-5)
        }
        var configuration = ExportFixtures.realConfiguration(batchNorm: true)
        configuration.initializer = .file(path)
        XCTAssertNoThrow(try Trainer(configuration: configuration))
    }
}
