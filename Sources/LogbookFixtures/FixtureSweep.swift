import Engine
import Foundation
import Store
import Sweep

/// A sweep recorded the way production records one, for tests and benchmarks of the query commands and reports:
/// a `SweepSpec` (a grid over batch size, learning rate and initializer, `seeds` seeds) → `SweepPlan` → trials
/// created through the trial queue (`SweepExecution.create`) → `SweepWorker`s claiming them (`claimNextTrial`),
/// each trial recorded by a `RunRecorder` fed the events a trainer emits (`SyntheticTraining`, made-up losses
/// instead of training) → `finishTrial`. Only the training is synthetic; every row is written by production code.
public struct FixtureSweep: Sendable {
    public var name = "synthetic"
    public var batchSizes = [16, 64]
    public var learningRates = [0.01, 0.1]
    public var initializers: [Initializer] = [.heUniform, .zeros]
    /// Seeds per configuration (`seeds` in the spec): seeds `firstSeed`, `firstSeed + 1`, ….
    public var seeds = 2
    public var firstSeed: UInt64 = 1
    public var epochs = 3
    /// The made-up training: split sizes, classes, steps per epoch, weights.
    public var training = SyntheticTraining()
    /// Worker threads claiming trials at once (each with its own store connection, as worker processes would).
    public var workers = 1

    public init() {}

    public var trialCount: Int { batchSizes.count * learningRates.count * initializers.count * seeds }

    /// The specification: the three swept parameters in this order (the initializer varies fastest).
    public var spec: SweepSpec {
        SweepSpec(
            name: name, method: .grid, metric: SweepSpec.Metric(name: "test_accuracy", goal: .maximize),
            parameters: [
                .init(name: "batch_size", domain: .values(batchSizes.map { .int($0) })),
                .init(name: "learning_rate", domain: .values(learningRates.map { .double($0) })),
                .init(name: "initializer", domain: .values(initializers.map { .string($0.description) })),
            ], seeds: seeds)
    }

    /// The settings the spec does not sweep: digits-shaped data and a 64-32-classes MLP trained `epochs` epochs.
    public var base: TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = "digits"
        configuration.layers = [64, 32, training.classCount]
        configuration.epochs = epochs
        configuration.seed = firstSeed
        return configuration
    }

    public func plan() throws -> SweepPlan { try SweepPlan(spec: spec, base: base) }

    /// Creates the sweep in `store`, records every trial and returns the sweep id. Throws when a trial did not
    /// complete. Workers after the first open their own connection to `location` (default: the store's `path`; a
    /// PostgreSQL URL with a password must be given whole).
    @discardableResult
    public func record(into store: any LogbookStoring, location: String? = nil) throws -> Int64 {
        let sweepID = try SweepExecution.create(plan: try plan(), base: base, store: store)
        let training = self.training
        let train: TrialTraining = { trial, store, _ in
            let recorder = try store.makeRecorder(for: trial.runID)
            do {
                try training.emit(trial.configuration, to: recorder)
            } catch {
                try? recorder.close()
                throw error
            }
            try recorder.close()
            return .completed
        }
        let failures = FailureList()
        let group = DispatchGroup()
        for index in 0..<max(1, workers) {
            let location = location ?? store.path
            DispatchQueue.global().async(group: group) {
                do {
                    let workerStore = index == 0 ? store : try StoreLocation.open(location, mode: .readWrite)
                    let worker = SweepWorker(
                        store: workerStore, sweepID: sweepID, workerID: WorkerIdentity.make(label: "fixture-\(index)"),
                        train: train,
                        onTrialEnd: { trial, outcome in
                            if outcome != .completed { failures.append("trial \(trial.trialIndex): \(outcome)") }
                        })
                    _ = try worker.run()
                } catch {
                    failures.append(String(describing: error))
                }
            }
        }
        group.wait()
        if let first = failures.first { throw FixtureError("fixture sweep '\(name)': \(first)") }
        return sweepID
    }
}

/// A fixture that could not be recorded as asked.
public struct FixtureError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Messages collected from worker threads.
private final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) {
        lock.lock()
        messages.append(message)
        lock.unlock()
    }

    var first: String? {
        lock.lock()
        defer { lock.unlock() }
        return messages.first
    }
}
