/// Measures a model on a dataset in evaluation mode, in chunks so that memory stays bounded.
struct Evaluator {
    let model: Sequential
    let lossFunction: LossFunction
    static let chunkSize = 1024

    /// Loss (mean over samples); accuracy and confusion matrix for classification; MSE, MAE and
    /// `R² = 1 − Σ(y − t)² / Σ(t − t̄)²` for regression.
    func evaluate(_ dataset: Dataset, split: String, epoch: Int) -> Evaluation {
        let count = dataset.sampleCount
        guard count > 0 else { return Evaluation(split: split, epoch: epoch, sampleCount: 0, loss: .nan) }
        let width = lossFunction.width
        var totalLoss = 0.0
        var correct = 0
        let classes = max(dataset.classCount, width == 1 ? 2 : width)
        var confusion: [[Int]]? =
            dataset.labels != nil ? Array(repeating: Array(repeating: 0, count: classes), count: classes) : nil
        var squaredError = 0.0
        var absoluteError = 0.0
        let predictions = UnsafeMutablePointer<Int32>.allocate(capacity: Evaluator.chunkSize)
        defer { predictions.deallocate() }
        dataset.features.values.withUnsafeBufferPointer { features in
            var start = 0
            while start < count {
                let rows = min(Evaluator.chunkSize, count - start)
                let first = start
                let output =
                    dataset.sparseFeatures.flatMap { model.forward(sparse: $0, batch: rows, training: false) { first + $0 } }
                    ?? model.forward(features.baseAddress! + start * dataset.featureCount, batch: rows, training: false)
                if let labels = dataset.labels {
                    labels.withUnsafeBufferPointer { labelBuffer in
                        let batchLabels = labelBuffer.baseAddress! + start
                        let (loss, right) = lossFunction.evaluate(
                            output, batch: rows, targets: .labels(batchLabels), computeGradient: false,
                            predictions: predictions)
                        totalLoss += loss * Double(rows)
                        correct += right
                        for row in 0..<rows {
                            confusion![Int(batchLabels[row])][Int(predictions[row])] += 1
                        }
                    }
                } else if let targets = dataset.targets {
                    targets.values.withUnsafeBufferPointer { targetBuffer in
                        let batchTargets = targetBuffer.baseAddress! + start * width
                        let (loss, _) = lossFunction.evaluate(
                            output, batch: rows, targets: .values(batchTargets), computeGradient: false)
                        totalLoss += loss * Double(rows)
                        for index in 0..<(rows * width) {
                            let difference = Double(output[index] - batchTargets[index])
                            squaredError += difference * difference
                            absoluteError += abs(difference)
                        }
                    }
                }
                start += rows
            }
        }
        var evaluation = Evaluation(split: split, epoch: epoch, sampleCount: count, loss: totalLoss / Double(count))
        if dataset.labels != nil {
            evaluation.accuracy = Double(correct) / Double(count)
            evaluation.confusion = confusion
        } else if let targets = dataset.targets {
            let elements = Double(count * width)
            evaluation.meanSquaredError = squaredError / elements
            evaluation.meanAbsoluteError = absoluteError / elements
            var means = [Double](repeating: 0, count: width)
            for row in 0..<count { for column in 0..<width { means[column] += Double(targets[row, column]) } }
            means = means.map { $0 / Double(count) }
            var totalVariance = 0.0
            for row in 0..<count {
                for column in 0..<width {
                    let centred = Double(targets[row, column]) - means[column]
                    totalVariance += centred * centred
                }
            }
            evaluation.rSquared = totalVariance > 0 ? 1 - squaredError / totalVariance : nil
        }
        return evaluation
    }
}

/// Seconds from a monotonic clock (unaffected by changes of the wall clock), relative to when the clock was made.
public struct MonotonicClock: Sendable {
    private let origin = MonotonicClock.now()

    public init() {}

    public var seconds: Double { MonotonicClock.now() - origin }

    /// Seconds since an arbitrary fixed point; only differences mean anything.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
