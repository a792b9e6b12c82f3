import Foundation
import Store

/// The series API's choices: which metric, along which x axis.
enum SeriesMetric: String, CaseIterable, Sendable {
    /// Every iteration's loss, downsampled; the others are per epoch (`test_…`: the one test evaluation).
    case loss, trainLoss = "train_loss", validationLoss = "validation_loss", trainAccuracy = "train_accuracy"
    case validationAccuracy = "validation_accuracy", testLoss = "test_loss", testAccuracy = "test_accuracy"

    func value(of epoch: EpochRecord) -> Double? {
        switch self {
        case .trainLoss: epoch.trainLoss
        case .validationLoss: epoch.validationLoss
        case .trainAccuracy: epoch.trainAccuracy
        case .validationAccuracy: epoch.validationAccuracy
        case .loss, .testLoss, .testAccuracy: nil
        }
    }
}

enum SeriesAxis: String, CaseIterable, Sendable { case step, epoch, time }

/// One point of a series: a bucket's mean, min and max at `x` (a single value has all three equal).
struct SeriesPoint: Sendable, Equatable {
    var x: Double
    var mean: Double
    var min: Double
    var max: Double

    var json: JSONValue {
        func finite(_ value: Double) -> JSONValue { value.isFinite ? .number(value) : .null }
        return .object([("x", .number(x)), ("mean", finite(mean)), ("min", finite(min)), ("max", finite(max))])
    }
}

/// Where a step lies in epochs and in wall time, from the run's finished epochs: epoch `e` ends at step `sₑ`
/// after `tₑ = seconds₁ + … + secondsₑ` of training. Between ends it is linear:
/// `epoch(s) = (e−1) + (s − sₑ₋₁)/(sₑ − sₑ₋₁)`, `time(s) = tₑ₋₁ + (s − sₑ₋₁)·(tₑ − tₑ₋₁)/(sₑ − sₑ₋₁)` (s₀ = t₀ = 0);
/// past the last end it continues at the last epoch's rate (the run is still training).
struct StepClock: Sendable {
    /// (step, epoch, seconds) at each epoch end, after the origin (0, 0, 0).
    private var ends: [(step: Double, epoch: Double, seconds: Double)] = [(0, 0, 0)]

    init(epochs: [EpochRecord]) {
        var total = 0.0
        for epoch in epochs where Double(epoch.step) > ends[ends.count - 1].step {
            total += epoch.seconds
            ends.append((Double(epoch.step), Double(epoch.epoch), total))
        }
    }

    /// `step` on `axis`; throws when the run has no finished epoch to measure by.
    func x(step: Double, axis: SeriesAxis, runID: Int64) throws -> Double {
        if axis == .step { return step }
        guard ends.count > 1 else {
            throw DashboardRefusal.badRequest("run \(runID) has no finished epoch yet: x=\(axis.rawValue) needs one; use x=step")
        }
        var upper = ends.firstIndex { $0.step >= step } ?? ends.count - 1
        upper = Swift.max(1, upper)
        let (low, high) = (ends[upper - 1], ends[upper])
        let fraction = (step - low.step) / (high.step - low.step)
        return axis == .epoch ? low.epoch + fraction * (high.epoch - low.epoch) : low.seconds + fraction * (high.seconds - low.seconds)
    }
}

/// The series the API answers for one run: the loss curve in at most `points` buckets (`downsampledLosses`, each
/// bucket at its last step), or an epoch metric at each epoch's end, or the test figure at the evaluated epoch.
enum RunSeries {
    static func points(
        metric: SeriesMetric, axis: SeriesAxis, points: Int, runID: Int64, store: any StoreQueries
    ) throws -> [SeriesPoint] {
        let epochs = try store.epochs(run: runID)
        let clock = StepClock(epochs: epochs)
        switch metric {
        case .loss:
            return try store.downsampledLosses(run: runID, points: points).map {
                SeriesPoint(
                    x: try clock.x(step: Double($0.lastStep), axis: axis, runID: runID), mean: $0.mean, min: $0.minimum,
                    max: $0.maximum)
            }
        case .testLoss, .testAccuracy:
            guard let test = try store.runDetail(id: runID).test,
                let value = metric == .testLoss ? test.loss : test.accuracy,
                let end = epochs.first(where: { $0.epoch == test.epoch }) ?? epochs.last
            else { return [] }
            return [SeriesPoint(x: try clock.x(step: Double(end.step), axis: axis, runID: runID), mean: value, min: value, max: value)]
        default:
            return try epochs.compactMap { epoch in
                guard let value = metric.value(of: epoch) else { return nil }
                return SeriesPoint(
                    x: try clock.x(step: Double(epoch.step), axis: axis, runID: runID), mean: value, min: value, max: value)
            }
        }
    }
}
