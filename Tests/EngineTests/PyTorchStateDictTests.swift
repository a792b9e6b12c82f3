import Foundation
import XCTest

@testable import Engine

/// `--init file:PATH` reads state dicts as PyTorch's `safetensors.torch.save_file(model.state_dict())` writes them:
/// bare `nn.Sequential` names, a module prefix, batch norm's I64 `num_batches_tracked`, no Logbook metadata.
final class PyTorchStateDictTests: XCTestCase {
    /// One tensor of a file written the way PyTorch writes it.
    struct FileTensor {
        var name: String
        var shape: [Int]
        var values: [Float]
        var dtype = "F32"
    }

    /// A safetensors file as PyTorch writes it (no `__metadata__`), F32 or I64 little-endian.
    static func write(_ tensors: [FileTensor]) throws -> String {
        var header: [String: Any] = [:]
        var data: [UInt8] = []
        for tensor in tensors {
            let begin = data.count
            for value in tensor.values {
                if tensor.dtype == "I64" {
                    withUnsafeBytes(of: Int64(value).littleEndian) { data.append(contentsOf: $0) }
                } else {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                }
            }
            header[tensor.name] = ["dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [begin, data.count]]
        }
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += json
        bytes += data
        let path = NSTemporaryDirectory() + "logbook-state-dict-\(UUID().uuidString).safetensors"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Distinct, exactly representable values: tensor `seed`, element i ↦ seed + i / 64.
    static func values(_ count: Int, seed: Float) -> [Float] { (0..<count).map { seed + Float($0) / 64 } }

    /// The `nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))` state dict under `prefix`.
    static func linearStateDict(prefix: String) -> [FileTensor] {
        [
            FileTensor(name: prefix + "0.weight", shape: [8, 4], values: values(32, seed: 1)),
            FileTensor(name: prefix + "0.bias", shape: [8], values: values(8, seed: -1)),
            FileTensor(name: prefix + "2.weight", shape: [3, 8], values: values(24, seed: 3)),
            FileTensor(name: prefix + "2.bias", shape: [3], values: values(3, seed: -3)),
        ]
    }

    static func configuration(initializer: Initializer, batchNorm: Bool = false) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.layers = [4, 8, 3]
        configuration.batchNorm = batchNorm
        configuration.initializer = initializer
        return configuration
    }

    func tensor(_ trainer: Trainer, _ name: String) throws -> NamedTensor {
        try XCTUnwrap(trainer.model.namedTensors().first { $0.name == name }, name)
    }

    func testSequentialNamesWithAndWithoutAModulePrefixLandInTheirLayers() throws {
        for prefix in ["", "layers.", "net.", "model.net."] {
            let path = try Self.write(Self.linearStateDict(prefix: prefix))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let trainer = try Trainer(configuration: Self.configuration(initializer: .file(path)))
            let expected = Self.linearStateDict(prefix: "layers.")
            XCTAssertEqual(trainer.model.namedTensors().map(\.name), expected.map(\.name), "prefix '\(prefix)'")
            for (loaded, file) in zip(trainer.model.namedTensors(), expected) {
                XCTAssertEqual(loaded.shape, file.shape, "\(prefix)\(file.name)")
                XCTAssertEqual(loaded.values, file.values, "\(prefix)\(file.name)")
            }
            XCTAssertEqual(trainer.initializationNotes, [], "prefix '\(prefix)'")
        }
    }

    func testBatchNormTensorsAsPyTorchWritesThemLoadIncludingTheRunningStatistics() throws {
        // nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3)).state_dict()
        let file = [
            FileTensor(name: "net.0.weight", shape: [8, 4], values: Self.values(32, seed: 1)),
            FileTensor(name: "net.0.bias", shape: [8], values: Self.values(8, seed: -1)),
            FileTensor(name: "net.1.weight", shape: [8], values: Self.values(8, seed: 0.5)),
            FileTensor(name: "net.1.bias", shape: [8], values: Self.values(8, seed: 0.25)),
            FileTensor(name: "net.1.running_mean", shape: [8], values: Self.values(8, seed: 0.125)),
            FileTensor(name: "net.1.running_var", shape: [8], values: Self.values(8, seed: 2)),
            FileTensor(name: "net.1.num_batches_tracked", shape: [], values: [42], dtype: "I64"),
            FileTensor(name: "net.3.weight", shape: [3, 8], values: Self.values(24, seed: 3)),
            FileTensor(name: "net.3.bias", shape: [3], values: Self.values(3, seed: -3)),
        ]
        let path = try Self.write(file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let trainer = try Trainer(configuration: Self.configuration(initializer: .file(path), batchNorm: true))
        for tensor in file where !tensor.name.hasSuffix("num_batches_tracked") {
            let name = tensor.name.replacingOccurrences(of: "net.", with: "layers.")
            XCTAssertEqual(try self.tensor(trainer, name).values, tensor.values, name)
        }
        XCTAssertEqual(trainer.initializationNotes, [])
    }

    func testAFileWithoutBatchNormStartsBatchNormFreshAndSaysSo() throws {
        let path = try Self.write(Self.linearStateDict(prefix: ""))
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The model is Dense(0) → BatchNorm(1) → ReLU(2) → Dense(3): the file's 2.* is the model's second dense layer.
        let trainer = try Trainer(configuration: Self.configuration(initializer: .file(path), batchNorm: true))
        let file = Self.linearStateDict(prefix: "")
        XCTAssertEqual(try tensor(trainer, "layers.0.weight").values, file[0].values)
        XCTAssertEqual(try tensor(trainer, "layers.0.bias").values, file[1].values)
        XCTAssertEqual(try tensor(trainer, "layers.3.weight").values, file[2].values)
        XCTAssertEqual(try tensor(trainer, "layers.3.bias").values, file[3].values)
        XCTAssertEqual(try tensor(trainer, "layers.1.weight").values, [Float](repeating: 1, count: 8))
        XCTAssertEqual(try tensor(trainer, "layers.1.bias").values, [Float](repeating: 0, count: 8))
        XCTAssertEqual(try tensor(trainer, "layers.1.running_mean").values, [Float](repeating: 0, count: 8))
        XCTAssertEqual(try tensor(trainer, "layers.1.running_var").values, [Float](repeating: 1, count: 8))
        XCTAssertEqual(
            trainer.initializationNotes,
            ["initializer file:\(path): the file has no batch-norm tensors; batch norm starts at γ = 1, β = 0 with fresh running statistics"])
    }

    func testAWrongShapeIsAnErrorNamingTheTensorAndBothShapes() throws {
        var file = Self.linearStateDict(prefix: "net.")
        file[2] = FileTensor(name: "net.2.weight", shape: [4, 8], values: Self.values(32, seed: 3))
        let path = try Self.write(file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try Trainer(configuration: Self.configuration(initializer: .file(path)))) { error in
            XCTAssertEqual(
                "\(error)", "initializer file:\(path): tensor 'net.2.weight' has shape [4, 8], the model needs [3, 8]")
        }
    }

    func testMissingTensorsExtraLayersAndMixedPrefixesAreOneLineErrors() throws {
        let cases: [([FileTensor], String)] = [
            (Array(Self.linearStateDict(prefix: "net.").dropLast()), "no tensor 'net.2.bias' (the model needs shape [3])"),
            (
                Self.linearStateDict(prefix: "") + [FileTensor(name: "4.weight", shape: [3, 3], values: Self.values(9, seed: 0))],
                "the file has 3 linear layer(s) (0, 2, 4), the model has 2"
            ),
            (
                Array(Self.linearStateDict(prefix: "encoder.").prefix(2)) + Array(Self.linearStateDict(prefix: "decoder.").suffix(2)),
                "tensors under two prefixes, 'decoder.' and 'encoder.' (expected one nn.Sequential)"
            ),
            (
                Self.linearStateDict(prefix: "") + [FileTensor(name: "temperature", shape: [1], values: [1])],
                "tensor 'temperature' is not named like an nn.Sequential entry (PREFIX.INDEX.NAME, e.g. 0.weight or net.0.weight)"
            ),
        ]
        for (file, message) in cases {
            let path = try Self.write(file)
            defer { try? FileManager.default.removeItem(atPath: path) }
            XCTAssertThrowsError(try Trainer(configuration: Self.configuration(initializer: .file(path)))) { error in
                XCTAssertEqual("\(error)", "initializer file:\(path): " + message)
            }
        }
    }
}
