/// The inner loop of one run: mini-batch assembly, feedforward, loss, backpropagation and update. Holds the
/// training data in stable storage and reuses every buffer, so a step allocates nothing.
struct TrainingLoop {
    struct EpochOutcome {
        var meanLoss: Double
        var accuracy: Double?
        var samples: Int
        var lastLearningRate: Double
        var stop: (reason: StopReason, detail: String)?
    }

    private let trainer: Trainer
    private let features: UnsafeMutablePointer<Float>
    private let labels: UnsafeMutablePointer<Int32>?
    private let targets: UnsafeMutablePointer<Float>?
    private let storage: Storage
    private var order: [Int]
    private var shuffler: Xoshiro256StarStar
    private var step = 0
    /// Losses above this end the run as diverged (set from the first iteration's loss).
    private var divergenceThreshold: Float = .infinity

    /// Frees the copies of the training data when the loop ends.
    private final class Storage {
        var pointers: [UnsafeMutableRawPointer] = []
        deinit { pointers.forEach { $0.deallocate() } }
    }

    init(trainer: Trainer) {
        self.trainer = trainer
        let train = trainer.data.train
        let storage = Storage()
        self.storage = storage
        features = TrainingLoop.copy(train.features.values, into: storage)
        labels = train.labels.map { TrainingLoop.copy($0, into: storage) }
        targets = train.targets.map { TrainingLoop.copy($0.values, into: storage) }
        order = Array(0..<train.sampleCount)
        shuffler = Xoshiro256StarStar(seed: trainer.configuration.seed, stream: "shuffle")
    }

    private static func copy<T>(_ values: [T], into storage: Storage) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
        values.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: values.count) }
        storage.pointers.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// Runs the iterations of `epoch`, emitting one `.iteration` event per step.
    mutating func runEpoch(
        _ epoch: Int, result: inout TrainingResult, emit: (TrainingEvent) throws -> Void
    ) throws -> EpochOutcome {
        let configuration = trainer.configuration
        let model = trainer.model
        let lossFunction = trainer.lossFunction
        let optimizer = trainer.optimizer
        let schedule = trainer.schedule
        let featureCount = trainer.data.train.featureCount
        let targetWidth = lossFunction.width
        let batchSize = configuration.batchSize
        let sampleCount = order.count
        let fused = optimizer.isPlainGradientDescent && configuration.gradientClip == 0
        let parameters = model.parameters
        if configuration.shuffle { shuffler.shuffle(&order) }
        let contiguous = !configuration.shuffle

        let batchFeatures = Workspace()
        let batchTargets = Workspace()
        let batchLabels = UnsafeMutablePointer<Int32>.allocate(capacity: batchSize)
        defer { batchLabels.deallocate() }

        var weightedLoss = 0.0
        var correct = 0
        var samples = 0
        var learningRate = schedule.baseRate
        for batchIndex in 0..<trainer.stepsPerEpoch {
            if let shouldStop = trainer.shouldStop, shouldStop() {
                return EpochOutcome(
                    meanLoss: 0, accuracy: nil, samples: samples, lastLearningRate: learningRate,
                    stop: (.interrupted, "stopped at step \(step)"))
            }
            step += 1
            let start = batchIndex * batchSize
            let rows = min(batchSize, sampleCount - start)
            // Assemble the batch: rows of the (possibly shuffled) order, copied into contiguous storage.
            let input: UnsafePointer<Float>
            let batchTarget: BatchTargets
            if contiguous {
                input = UnsafePointer(features + start * featureCount)
                if let labels {
                    batchTarget = .labels(UnsafePointer(labels + start))
                } else {
                    batchTarget = .values(UnsafePointer(targets! + start * targetWidth))
                }
            } else {
                let x = batchFeatures.reserve(rows * featureCount)
                for row in 0..<rows {
                    (x + row * featureCount).update(from: features + order[start + row] * featureCount, count: featureCount)
                }
                input = UnsafePointer(x)
                if let labels {
                    for row in 0..<rows { batchLabels[row] = labels[order[start + row]] }
                    batchTarget = .labels(UnsafePointer(batchLabels))
                } else {
                    let y = batchTargets.reserve(rows * targetWidth)
                    for row in 0..<rows {
                        (y + row * targetWidth).update(from: targets! + order[start + row] * targetWidth, count: targetWidth)
                    }
                    batchTarget = .values(UnsafePointer(y))
                }
            }

            learningRate = schedule.isConstant ? schedule.baseRate : schedule.rate(step: step, epoch: epoch)
            let output = model.forward(input, batch: rows, training: true)
            let (loss, batchCorrect) = lossFunction.evaluate(output, batch: rows, targets: batchTarget, computeGradient: true)
            let lossValue = Float(loss)
            result.losses.append(lossValue)
            if step == 1 && configuration.divergenceFactor > 0 {
                divergenceThreshold = Float(configuration.divergenceFactor) * max(lossValue, 1)
            }
            guard lossValue.isFinite, lossValue <= divergenceThreshold else {
                try emit(
                    .iteration(
                        IterationEnded(
                            step: step, epoch: epoch, batchIndex: batchIndex, loss: lossValue,
                            learningRate: Float(learningRate))))
                return EpochOutcome(
                    meanLoss: .nan, accuracy: nil, samples: samples, lastLearningRate: learningRate,
                    stop: (.diverged, divergenceDetail(lossValue, epoch: epoch, batchIndex: batchIndex)))
            }
            if fused {
                model.backwardApplyingSGD(lossFunction.gradient, batch: rows, learningRate: Float(learningRate))
            } else {
                model.backward(lossFunction.gradient, batch: rows)
                if configuration.gradientClip > 0 {
                    GradientClipping.clip(parameters, maximumNorm: Float(configuration.gradientClip))
                }
                optimizer.step(parameters, learningRate: Float(learningRate))
            }
            weightedLoss += loss * Double(rows)
            correct += batchCorrect
            samples += rows
            try emit(
                .iteration(
                    IterationEnded(
                        step: step, epoch: epoch, batchIndex: batchIndex, loss: lossValue, learningRate: Float(learningRate))))
        }
        let isClassification = trainer.data.train.isClassification
        return EpochOutcome(
            meanLoss: weightedLoss / Double(max(samples, 1)),
            accuracy: isClassification ? Double(correct) / Double(max(samples, 1)) : nil, samples: samples,
            lastLearningRate: learningRate, stop: nil)
    }
}

extension TrainingLoop {
    fileprivate func divergenceDetail(_ loss: Float, epoch: Int, batchIndex: Int) -> String {
        let place = "at step \(step) (epoch \(epoch), batch \(batchIndex))"
        if !loss.isFinite { return "loss became \(loss) \(place)" }
        return "loss \(loss) \(place) exceeded \(trainer.configuration.divergenceFactor)× the first loss"
    }
}

/// Clipping by global norm: when `‖g‖ = √(Σ over all parameters of g²)` exceeds `c`, every gradient is scaled by
/// `c / ‖g‖`.
public enum GradientClipping {
    public static func clip(_ parameters: [Parameter], maximumNorm: Float) {
        var sumOfSquares: Double = 0
        for parameter in parameters {
            var partial: Float = 0
            for index in 0..<parameter.count { partial += parameter.gradient[index] * parameter.gradient[index] }
            sumOfSquares += Double(partial)
        }
        let norm = Float(sumOfSquares.squareRoot())
        guard norm > maximumNorm, norm.isFinite else { return }
        let scale = maximumNorm / norm
        for parameter in parameters {
            for index in 0..<parameter.count { parameter.gradient[index] *= scale }
        }
    }
}
