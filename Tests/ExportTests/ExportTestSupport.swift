import Engine
import Foundation
import LogbookFixtures
import Store
import XCTest

/// A fresh temporary directory per test, removed afterwards.
final class ExportDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "logbook-export-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Collects what an exporter said it could not carry.
final class NoteList: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}

enum ExportFixtures {
    /// A small fixture sweep (2 batch sizes × 1 learning rate × 2 initializers × 2 seeds = 8 runs, 2 epochs).
    static func sweep(in store: LogbookStore) throws -> Int64 {
        var fixture = FixtureSweep()
        fixture.learningRates = [0.1]
        fixture.epochs = 2
        fixture.training.trainSize = 96
        return try fixture.record(into: store)
    }

    /// A configuration the engine trains in well under a second: iris, a validation split, an exponential
    /// schedule (so the learning rate changes every epoch).
    static func realConfiguration(
        activation: ActivationKind = .relu, batchNorm: Bool = false, seed: UInt64 = 3
    ) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.layers = [0, 8, 0]
        configuration.activation = activation
        configuration.batchNorm = batchNorm
        configuration.validationFraction = 0.2
        configuration.testFraction = 0.2
        configuration.batchSize = 16
        configuration.epochs = 3
        configuration.learningRate = 0.2
        configuration.momentum = 0.9
        configuration.schedule = .exponential
        configuration.scheduleGamma = 0.5
        configuration.scaling = .standardize
        configuration.seed = seed
        return configuration
    }

    /// Trains `configuration` with the real engine and records it; returns the run id.
    static func train(_ configuration: TrainingConfiguration, in store: LogbookStore) throws -> Int64 {
        let trainer = try Trainer(configuration: configuration)
        let runID = try store.createRun(configuration)
        let recorder = try store.makeRecorder(for: runID)
        trainer.observers = [recorder]
        _ = try trainer.run()
        try recorder.close()
        return runID
    }
}

/// Passes a trainer's events on, with the losses of `nanSteps` replaced by NaN.
final class NaNLosses: TrainingObserver {
    let next: TrainingObserver
    let nanSteps: Set<Int>

    init(_ next: TrainingObserver, nanSteps: Set<Int>) {
        self.next = next
        self.nanSteps = nanSteps
    }

    func handle(_ event: TrainingEvent) throws {
        guard case .iteration(var iteration) = event, nanSteps.contains(iteration.step) else { return try next.handle(event) }
        iteration.loss = .nan
        try next.handle(.iteration(iteration))
    }
}

extension ExportFixtures {
    /// A made-up run (`SyntheticTraining`, iris-shaped: 4 features, 3 classes) whose losses at `nanSteps` are NaN.
    static func runWithNaNLosses(in store: LogbookStore, nanSteps: Set<Int>) throws -> Int64 {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.layers = [4, 8, 3]
        configuration.epochs = 2
        configuration.batchSize = 16
        var training = SyntheticTraining()
        training.classCount = 3
        training.trainSize = 96
        let runID = try store.createRun(configuration)
        let recorder = try store.makeRecorder(for: runID)
        try training.emit(configuration, to: NaNLosses(recorder, nanSteps: nanSteps))
        try recorder.close()
        return runID
    }
}

/// A value printed by a reader script as text (Python's repr: "0.1", "nan"), parsed exactly — Foundation's
/// `JSONSerialization` on Linux rounds some JSON numbers, so the scripts print numbers as strings.
func readerNumber(_ value: Any?) -> Double? {
    if let text = value as? String { return Double(text) }
    if let number = value as? NSNumber { return number.doubleValue }
    return nil
}
