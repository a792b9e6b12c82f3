import Engine
import Foundation
import XCTest

@testable import Store

/// A fresh temporary directory per test, removed afterwards.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "logbook-store-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

enum Synthetic {
    /// A configuration like the one of "4,000 samples at batch 500 for 3 epochs".
    static func configuration(seed: UInt64 = 7, learningRate: Double = 0.1) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = "blobs"
        configuration.syntheticSamples = 5000
        configuration.layers = [2, 16, 3]
        configuration.batchSize = 500
        configuration.epochs = 3
        configuration.learningRate = learningRate
        configuration.seed = seed
        return configuration
    }

    /// Deterministic pseudo-random floats, including values that must survive bit-exactly.
    static func values(_ count: Int, seed: UInt32) -> [Float] {
        var state = seed &* 2_654_435_761 | 1
        var values: [Float] = (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return Float(bitPattern: (state & 0x3FFF_FFFF) | 0x3000_0000) * (state & 1 == 0 ? 1 : -1)
        }
        let special: [Float] = [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, -.infinity, Float(bitPattern: 0x0001_0000)]
        for (index, value) in special.enumerated() where index < count { values[index] = value }
        return values
    }

    static func tensors(seed: UInt32) -> [NamedTensor] {
        [
            NamedTensor(name: "layers.0.weight", role: .parameter, shape: [16, 2], values: values(32, seed: seed)),
            NamedTensor(name: "layers.0.bias", role: .parameter, shape: [16], values: values(16, seed: seed + 1)),
            NamedTensor(name: "layers.1.running_mean", role: .buffer, shape: [16], values: values(16, seed: seed + 2)),
            NamedTensor(name: "layers.1.running_var", role: .buffer, shape: [16], values: values(16, seed: seed + 3)),
            NamedTensor(name: "layers.2.weight", role: .parameter, shape: [3, 16], values: values(48, seed: seed + 4)),
            NamedTensor(name: "layers.2.scalar", role: .parameter, shape: [], values: [0.5]),
        ]
    }

    static func loss(step: Int) -> Float { 2.0 / Float(step) + Float(step % 7) * 1e-3 }

    /// 4,000 training samples at batch 500 for 3 epochs: 8 steps per epoch, 24 iterations, 3 epochs, 1 test evaluation.
    /// The learning rate drops to half of the base in epoch 3 (so only those 8 rows store one).
    static func events(configuration: TrainingConfiguration) -> [TrainingEvent] {
        let stepsPerEpoch = 8
        let dataset = DatasetSummary(
            name: "blobs", contentHash: "00ff", featureCount: 2, classCount: 3, trainSize: 4000, validationSize: 0,
            testSize: 1000)
        var events: [TrainingEvent] = [
            .started(
                RunStart(
                    configuration: configuration, dataset: dataset, layers: [2, 16, 3], modelDescription: "2-16-3 relu",
                    parameterCount: 99, stepsPerEpoch: stepsPerEpoch, plannedSteps: 24)),
            .weights(WeightsSnapshot(kind: .initial, tensors: tensors(seed: 1))),
        ]
        let base = Float(configuration.learningRate)
        for epoch in 1...3 {
            for batch in 0..<stepsPerEpoch {
                let step = (epoch - 1) * stepsPerEpoch + batch + 1
                events.append(
                    .iteration(
                        IterationEnded(
                            step: step, epoch: epoch, batchIndex: batch, loss: loss(step: step),
                            learningRate: epoch == 3 ? base / 2 : base)))
            }
            events.append(
                .epoch(
                    EpochEnded(
                        epoch: epoch, step: epoch * stepsPerEpoch, trainLoss: 1.0 / Double(epoch), trainAccuracy: 0.5 + 0.1 * Double(epoch),
                        validationLoss: nil, validationAccuracy: nil, learningRate: Double(epoch == 3 ? base / 2 : base),
                        seconds: 0.01, samplesPerSecond: 400_000)))
        }
        events.append(
            .evaluation(
                Evaluation(
                    split: "test", epoch: 3, sampleCount: 1000, loss: 0.4, accuracy: 0.875,
                    confusion: [[300, 10, 0], [20, 290, 5], [0, 90, 285]])))
        events.append(.weights(WeightsSnapshot(kind: .final, tensors: tensors(seed: 100))))
        events.append(.finished(RunFinished(reason: .maxEpochs, epochsCompleted: 3, stepsCompleted: 24, seconds: 0.05)))
        return events
    }
}

/// The bytes of a file, to prove it was left untouched.
func fileBytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

/// The bit patterns of floats: equality of these is bit-exact equality (NaN payloads, -0 included).
func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }
