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
    private var order: [Int]
    private var shuffler: Xoshiro256StarStar
    private var step = 0
    /// Losses above this end the run as diverged (set from the first iteration's loss).
    private var divergenceThreshold: Float = .infinity

    init(trainer: Trainer) {
        self.trainer = trainer
        order = Array(0..<trainer.data.train.sampleCount)
        shuffler = Xoshiro256StarStar(seed: trainer.configuration.seed, stream: "shuffle")
    }

    /// Runs the iterations of `epoch`, emitting one `.iteration` event per step. The training data is read in
    /// place (never copied).
    mutating func runEpoch(
        _ epoch: Int, result: inout TrainingResult, emit: (TrainingEvent) throws -> Void
    ) throws -> EpochOutcome {
        let train = trainer.data.train
        return try train.features.values.withUnsafeBufferPointer { features in
            try TrainingLoop.withOptionalBuffer(train.labels) { labels in
                try TrainingLoop.withOptionalBuffer(train.targets?.values) { targets in
                    try runSteps(epoch, features.baseAddress!, labels, targets, &result, emit)
                }
            }
        }
    }

    private static func withOptionalBuffer<T, Result>(
        _ array: [T]?, _ body: (UnsafePointer<T>?) throws -> Result
    ) rethrows -> Result {
        guard let array else { return try body(nil) }
        return try array.withUnsafeBufferPointer { try body($0.baseAddress) }
    }

    private mutating func runSteps(
        _ epoch: Int, _ features: UnsafePointer<Float>, _ labels: UnsafePointer<Int32>?,
        _ targets: UnsafePointer<Float>?, _ result: inout TrainingResult, _ emit: (TrainingEvent) throws -> Void
    ) throws -> EpochOutcome {
        let configuration = trainer.configuration
        let model = trainer.model
        let lossFunction = trainer.lossFunction
        let optimizer = trainer.optimizer
        let schedule = trainer.schedule
        let featureCount = trainer.data.train.featureCount
        let sparseFeatures = trainer.data.train.sparseFeatures
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
            // Assemble the batch's targets: rows of the (possibly shuffled) order, copied into contiguous storage.
            let batchTarget: BatchTargets
            if contiguous {
                if let labels {
                    batchTarget = .labels(labels + start)
                } else {
                    batchTarget = .values(targets! + start * targetWidth)
                }
            } else if let labels {
                for row in 0..<rows { batchLabels[row] = labels[order[start + row]] }
                batchTarget = .labels(UnsafePointer(batchLabels))
            } else {
                let y = batchTargets.reserve(rows * targetWidth)
                for row in 0..<rows {
                    (y + row * targetWidth).update(from: targets! + order[start + row] * targetWidth, count: targetWidth)
                }
                batchTarget = .values(UnsafePointer(y))
            }

            learningRate = schedule.isConstant ? schedule.baseRate : schedule.rate(step: step, epoch: epoch)
            // Mostly-zero data goes to the first layer as its rows' non-zeros; otherwise the rows are copied.
            let sparseOutput = sparseFeatures.flatMap { sparse in
                contiguous
                    ? model.forward(sparse: sparse, batch: rows, training: true) { start + $0 }
                    : model.forward(sparse: sparse, batch: rows, training: true) { order[start + $0] }
            }
            let output: UnsafePointer<Float>
            if let sparseOutput {
                output = sparseOutput
            } else if contiguous {
                output = model.forward(features + start * featureCount, batch: rows, training: true)
            } else {
                let x = batchFeatures.reserve(rows * featureCount)
                for row in 0..<rows {
                    (x + row * featureCount).update(from: features + order[start + row] * featureCount, count: featureCount)
                }
                output = model.forward(UnsafePointer(x), batch: rows, training: true)
            }
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
