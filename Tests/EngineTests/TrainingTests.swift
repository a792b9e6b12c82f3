import XCTest

@testable import Engine

/// Records every event of a run, for assertions.
final class EventLog: TrainingObserver {
    var iterations: [IterationEnded] = []
    var epochs: [EpochEnded] = []
    var evaluations: [Evaluation] = []
    var snapshots: [WeightsSnapshot] = []
    var starts: [RunStart] = []
    var finished: [RunFinished] = []

    func handle(_ event: TrainingEvent) throws {
        switch event {
        case .started(let start): starts.append(start)
        case .weights(let snapshot): snapshots.append(snapshot)
        case .iteration(let iteration): iterations.append(iteration)
        case .epoch(let epoch): epochs.append(epoch)
        case .evaluation(let evaluation): evaluations.append(evaluation)
        case .finished(let end): finished.append(end)
        }
    }
}

final class TrainingTests: XCTestCase {
    private func train(_ configuration: TrainingConfiguration) throws -> (TrainingResult, EventLog, Trainer) {
        let trainer = try Trainer(configuration: configuration)
        let log = EventLog()
        trainer.observers.append(log)
        return (try trainer.run(), log, trainer)
    }

    func testDigitsReachesNinetySevenPercent() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "digits"
        configuration.testFraction = 0.2
        configuration.stratify = true
        configuration.layers = [64, 128, 10]
        configuration.initializer = .heUniform
        configuration.optimizer = .sgd
        configuration.learningRate = 0.05
        configuration.momentum = 0.9
        configuration.batchSize = 32
        configuration.epochs = 30
        configuration.scaling = .minmax
        configuration.seed = 1
        let (result, log, _) = try train(configuration)
        let accuracy = try XCTUnwrap(result.test?.accuracy)
        XCTAssertGreaterThanOrEqual(accuracy, 0.97, "digits test accuracy \(accuracy)")
        XCTAssertEqual(log.evaluations.count, 1)
        XCTAssertEqual(log.evaluations.first?.split, "test")
        let summary = try XCTUnwrap(log.starts.first?.dataset)
        XCTAssertEqual(summary.trainSize + summary.testSize, 1797)
        XCTAssertEqual(Double(summary.testSize), 1797 * 0.2, accuracy: 1)
        let confusion = try XCTUnwrap(result.test?.confusion)
        XCTAssertEqual(confusion.flatMap { $0 }.reduce(0, +), summary.testSize)
    }

    func testIrisReachesNinetyThreePercent() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.layers = [4, 16, 3]
        configuration.testFraction = 0.2
        configuration.optimizer = .adam
        configuration.learningRate = 0.01
        configuration.batchSize = 16
        configuration.epochs = 60
        configuration.seed = 3
        let (result, _, _) = try train(configuration)
        let accuracy = try XCTUnwrap(result.test?.accuracy)
        XCTAssertGreaterThanOrEqual(accuracy, 0.93, "iris test accuracy \(accuracy)")
    }

    /// ⌈N/B⌉ iterations per epoch: 4,000 samples at batch 500 make 8 steps, 3 epochs make 24; at 384, 11 and 33.
    func testIterationAndEpochCounts() throws {
        for (batch, expected) in [(500, 24), (384, 33)] {
            var configuration = TrainingConfiguration()
            configuration.data = "blobs"
            configuration.syntheticSamples = 4000
            configuration.testFraction = 0
            configuration.layers = [0, 8, 0]
            configuration.batchSize = batch
            configuration.epochs = 3
            let (result, log, trainer) = try train(configuration)
            XCTAssertEqual(trainer.data.train.sampleCount, 4000)
            XCTAssertEqual(log.iterations.count, expected, "batch \(batch)")
            XCTAssertEqual(result.losses.count, expected)
            XCTAssertEqual(log.epochs.count, 3)
            XCTAssertEqual(log.iterations.map(\.step), Array(1...expected))
            XCTAssertEqual(log.epochs.map(\.step), [expected / 3, 2 * expected / 3, expected])
            XCTAssertEqual(log.iterations.last?.batchIndex, expected / 3 - 1)
            XCTAssertEqual(log.finished.first?.reason, .maxEpochs)
        }
        var dropLast = TrainingConfiguration()
        dropLast.data = "blobs"
        dropLast.syntheticSamples = 4000
        dropLast.testFraction = 0
        dropLast.batchSize = 384
        dropLast.epochs = 3
        dropLast.dropLast = true
        XCTAssertEqual(try train(dropLast).1.iterations.count, 30)
    }

    /// With every weight zero, all hidden units compute the same function and receive the same gradient, so
    /// they stay identical however long training runs (the symmetry is never broken).
    func testZeroInitializationNeverBreaksSymmetry() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.layers = [4, 6, 5, 3]
        configuration.initializer = .zeros
        configuration.activation = .tanh
        configuration.optimizer = .momentum
        configuration.learningRate = 0.1
        configuration.batchSize = 8
        configuration.epochs = 5
        let (_, log, trainer) = try train(configuration)
        let final = try XCTUnwrap(log.snapshots.last)
        XCTAssertEqual(final.kind, .final)
        for layer in trainer.model.layers.compactMap({ $0 as? Dense }).dropLast() {
            let rows = (0..<layer.outputWidth).map { row in
                Array(layer.weightMatrix[(row * layer.inputWidth)..<((row + 1) * layer.inputWidth)])
            }
            for row in rows { XCTAssertEqual(row, rows[0], "hidden units diverged from each other") }
            let biases = layer.bias.values
            XCTAssertEqual(Set(biases).count, 1, "hidden biases diverged: \(biases)")
        }
        // The output layer's bias does learn (class frequencies), so the loss still moves a little.
        XCTAssertNotEqual(log.iterations.first?.loss, log.iterations.last?.loss)
    }

    /// The same holds for any constant initialization, where the weights do move: every hidden unit receives the
    /// same gradient, so the units change together and stay identical — and differ from where they started.
    func testConstantInitializationMovesTheWeightsButKeepsHiddenUnitsIdentical() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.layers = [4, 6, 5, 3]
        configuration.initializer = .constant(0.1)
        configuration.activation = .tanh
        configuration.optimizer = .momentum
        configuration.learningRate = 0.1
        configuration.batchSize = 8
        configuration.epochs = 5
        let (_, _, trainer) = try train(configuration)
        for layer in trainer.model.layers.compactMap({ $0 as? Dense }).dropLast() {
            let matrix = layer.weightMatrix
            let rows = (0..<layer.outputWidth).map { row in
                Array(matrix[(row * layer.inputWidth)..<((row + 1) * layer.inputWidth)])
            }
            for row in rows { XCTAssertEqual(row, rows[0], "hidden units diverged from each other") }
            XCTAssertNotEqual(rows[0], [Float](repeating: 0.1, count: layer.inputWidth), "the weights never moved")
            XCTAssertEqual(Set(layer.bias.values).count, 1)
        }
    }

    func testDivergingLearningRateEndsAsDiverged() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "digits"
        configuration.layers = [64, 64, 10]
        configuration.scaling = .none
        configuration.learningRate = 100
        configuration.epochs = 5
        let (result, log, _) = try train(configuration)
        XCTAssertEqual(result.finished.reason, .diverged)
        XCTAssertEqual(log.finished.first?.reason, .diverged)
        XCTAssertGreaterThan(result.losses.last!, 1000 * max(result.losses[0], 1))
        XCTAssertLessThan(result.losses.count, 5 * 45)
        XCTAssertEqual(log.iterations.count, result.losses.count, "the diverging step is still reported")
        XCTAssertNil(result.test, "a diverged run is not evaluated")

        // With only the NaN/∞ test, a large enough rate overflows the logits to ∞ and the loss to NaN or ∞.
        configuration.divergenceFactor = 0
        configuration.learningRate = 1e30
        let overflow = try train(configuration).0
        XCTAssertEqual(overflow.finished.reason, .diverged)
        XCTAssertFalse(overflow.losses.last!.isFinite)
    }

    func testSameSeedGivesIdenticalLossesAndAnotherSeedDoesNot() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "wine"
        configuration.layers = [13, 16, 3]
        configuration.batchNorm = true
        configuration.dropout = 0.1
        configuration.optimizer = .adamw
        configuration.weightDecay = 0.01
        configuration.learningRate = 0.01
        configuration.schedule = .cosine
        configuration.warmupSteps = 5
        configuration.batchSize = 16
        configuration.epochs = 4
        configuration.seed = 42
        let first = try train(configuration).0.losses
        let second = try train(configuration).0.losses
        XCTAssertEqual(first.map(\.bitPattern), second.map(\.bitPattern))
        configuration.seed = 43
        XCTAssertNotEqual(try train(configuration).0.losses, first)
    }

    func testTargetLossAndEarlyStopping() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.layers = [4, 16, 3]
        configuration.optimizer = .adam
        configuration.learningRate = 0.02
        configuration.batchSize = 8
        configuration.epochs = 200
        configuration.targetLoss = 0.2
        let targeted = try train(configuration).0
        XCTAssertEqual(targeted.finished.reason, .targetLoss)
        XCTAssertLessThanOrEqual(targeted.epochs.last!.trainLoss, 0.2)
        XCTAssertGreaterThan(targeted.epochs[targeted.epochs.count - 2].trainLoss, 0.2)

        configuration.targetLoss = 0
        configuration.validationFraction = 0.2
        configuration.patience = 3
        configuration.learningRate = 0.05
        let early = try train(configuration).0
        XCTAssertEqual(early.finished.reason, .earlyStopping)
        XCTAssertLessThan(early.epochs.count, 200)
        let losses = early.epochs.compactMap(\.validationLoss)
        let best = losses.dropLast(3).min()!
        XCTAssertTrue(losses.suffix(3).allSatisfy { $0 >= best }, "stopped although the last epochs improved")
    }

    func testStopRequestEndsAsInterrupted() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.epochs = 50
        let trainer = try Trainer(configuration: configuration)
        var polls = 0
        trainer.shouldStop = {
            polls += 1
            return polls > 10
        }
        let result = try trainer.run()
        XCTAssertEqual(result.finished.reason, .interrupted)
        XCTAssertEqual(result.losses.count, 10)
    }

    func testRegressionReportsRSquared() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "sine"
        configuration.syntheticSamples = 600
        configuration.layers = [0, 32, 0]
        configuration.activation = .tanh
        configuration.optimizer = .adam
        configuration.learningRate = 0.01
        configuration.batchSize = 32
        configuration.epochs = 60
        let (result, _, _) = try train(configuration)
        let test = try XCTUnwrap(result.test)
        XCTAssertNil(test.accuracy)
        XCTAssertGreaterThan(try XCTUnwrap(test.rSquared), 0.8)
        XCTAssertEqual(test.meanSquaredError!, test.loss, accuracy: 1e-6)
    }

    func testPretrainedWeightsContinueFromTheGivenTensors() throws {
        var configuration = TrainingConfiguration()
        configuration.data = "iris"
        configuration.layers = [4, 8, 3]
        configuration.batchNorm = true
        configuration.epochs = 3
        let (_, log, _) = try train(configuration)
        let final = try XCTUnwrap(log.snapshots.last?.tensors)
        XCTAssertTrue(final.contains { $0.name == "layers.1.running_mean" && $0.role == .buffer })
        configuration.initializer = .run(7)
        let resumed = try Trainer(configuration: configuration, pretrainedWeights: final)
        XCTAssertEqual(resumed.model.namedTensors(), final)
        XCTAssertThrowsError(try Trainer(configuration: configuration, pretrainedWeights: Array(final.dropFirst())))

        let path = NSTemporaryDirectory() + "logbook-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Safetensors.write(final, to: path)
        configuration.initializer = .file(path)
        XCTAssertEqual(try Trainer(configuration: configuration).model.namedTensors(), final)
    }
}
