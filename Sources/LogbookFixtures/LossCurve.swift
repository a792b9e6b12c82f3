import Engine
import Foundation

/// The made-up learning curve of `SyntheticTraining` (formulas there): loss per step, accuracy per loss, and the
/// final test evaluation.
struct LossCurve {
    let initialLoss: Double
    let floor: Double
    let rate: Double
    let noiseScale: Double
    let learns: Bool
    let batchSize: Int
    let classCount: Int

    init(configuration: TrainingConfiguration, classCount: Int) {
        let batchSize = Double(configuration.batchSize)
        self.batchSize = configuration.batchSize
        self.classCount = classCount
        initialLoss = log(Double(classCount))
        learns = configuration.initializer != .zeros
        floor = 0.05 + 0.02 * log(batchSize / 16)
        // k without the 1/totalSteps factor, applied per call.
        rate = 6 * (configuration.learningRate / 0.1).squareRoot() * pow(16 / batchSize, 0.25)
        noiseScale = 0.25 / batchSize.squareRoot()
    }

    var chance: Double { 1 / Double(classCount) }

    /// `L(t)` with the standard normal draw `noise`, at least 1e-4.
    func loss(step: Int, totalSteps: Int, noise: Double) -> Double {
        let clean = learns ? floor + (initialLoss - floor) * exp(-Double(step) * rate / Double(totalSteps)) : initialLoss
        return max(1e-4, clean + noise * noiseScale * clean)
    }

    /// `1 − 0.9·(L / L₀)` clipped to [chance, 0.99].
    func accuracy(_ loss: Double) -> Double { min(0.99, max(chance, 1 - 0.9 * loss / initialLoss)) }

    /// The test split: `testSize / classes` samples per class, of which a share `trainAccuracy − gap` (a learning
    /// run) or ⌈perClass / classes⌉ (chance) are right; each class's errors go to the classes after it.
    func testEvaluation(finalLoss: Double, epoch: Int, testSize: Int) -> Evaluation {
        let gap = 0.02 * log(Double(batchSize)) / log(16.0)
        let perClass = testSize / classCount
        let correctPerClass = learns
            ? Int((Double(perClass) * max(chance, accuracy(finalLoss) - gap)).rounded())
            : (perClass + classCount - 1) / classCount
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for actual in 0..<classCount {
            confusion[actual][actual] = correctPerClass
            for wrong in 0..<(perClass - correctPerClass) { confusion[actual][(actual + 1 + wrong) % classCount] += 1 }
        }
        let sampleCount = perClass * classCount
        return Evaluation(
            split: "test", epoch: epoch, sampleCount: sampleCount, loss: finalLoss * 1.15,
            accuracy: Double(correctPerClass * classCount) / Double(sampleCount), confusion: confusion)
    }
}
