import Foundation
import Store

/// Per-run measurements for the batch-size and initializer sections.
public enum RunStatistics {
    /// Iteration-loss noise: the sample standard deviation of the residual `loss(t) − MA(t)`, where `MA` is the
    /// centred moving average over `window` steps (odd; shrunk to a third of the series for short runs), over the
    /// steps whose window fits. nil when fewer than 5 finite losses.
    public static func noise(_ losses: [Double], window: Int = 25) -> Double? {
        let values = losses.filter(\.isFinite)
        guard values.count >= 5 else { return nil }
        var width = min(window, max(3, values.count / 3))
        if width % 2 == 0 { width -= 1 }
        let half = width / 2
        var prefix = [0.0]
        prefix.reserveCapacity(values.count + 1)
        for value in values { prefix.append(prefix.last! + value) }
        var residuals: [Double] = []
        for index in half..<(values.count - half) {
            let average = (prefix[index + half + 1] - prefix[index - half]) / Double(width)
            residuals.append(values[index] - average)
        }
        let stats = MeanAndDeviation(residuals)
        return stats.count > 1 ? stats.standardDeviation : nil
    }

    /// Seconds of training until the first epoch whose mean train loss is ≤ `target` (cumulative epoch seconds),
    /// nil if never reached.
    public static func secondsToReach(_ target: Double, epochs: [SweepReportData.Epoch]) -> Double? {
        var seconds = 0.0
        for epoch in epochs {
            seconds += epoch.seconds
            if epoch.trainLoss <= target { return seconds }
        }
        return nil
    }

    /// Whether a run learned at all: its loss fell (final epoch train loss ≤ 0.9 × the mean of its first iteration
    /// losses) and its test accuracy beats chance (1 / classes) by more than max(0.05, 2 binomial standard errors).
    public static func learned(initialLoss: Double?, finalLoss: Double?, testAccuracy: Double?, classCount: Int, testSamples: Int?) -> (lossFell: Bool?, aboveChance: Bool?) {
        var lossFell: Bool?
        if let initialLoss, let finalLoss, initialLoss.isFinite, finalLoss.isFinite { lossFell = finalLoss <= 0.9 * initialLoss }
        var aboveChance: Bool?
        if let testAccuracy, classCount > 0 {
            let chance = 1 / Double(classCount)
            let standardError = (chance * (1 - chance) / Double(max(1, testSamples ?? 1))).squareRoot()
            aboveChance = testAccuracy > chance + max(0.05, 2 * standardError)
        }
        return (lossFell, aboveChance)
    }
}
