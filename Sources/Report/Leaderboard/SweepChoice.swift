import Foundation
import Store

/// Which split chose a sweep's best configuration and which measured it — what the leaderboard, `logbook best`,
/// the report and the dashboard say beside the best.
///
/// Choose on validation, measure on test: a sweep ranked by `validation_X` reports its `test_X` (never used to
/// choose). A sweep ranked by `test_X` (an explicit metric, or the fallback below) chose on the test split, so its
/// best figure is optimistic. Fallback: a sweep ranked by `validation_X` of which no completed run recorded that
/// value (recorded without a validation split, e.g. a validation metric named before sweeps got a default split)
/// ranks by `test_X` instead and says so (`fallbackFrom`), rather than showing nothing.
public struct SweepChoice: Sendable, Equatable {
    /// The metric that ranks (after any fallback).
    public var chosenBy: String
    /// The test figure reported beside the choice (`test_X` for a `validation_X` or `train_X` metric), nil when the
    /// choice is itself on test or has no test counterpart.
    public var measuredBy: String?
    /// The validation split every ranked run shares (`validation_fraction`), nil when they differ or have none.
    public var validationFraction: Double?
    /// The validation metric the sweep named but no completed run recorded.
    public var fallbackFrom: String?

    /// `test_accuracy` for `validation_accuracy`, `train_accuracy` and `test_accuracy`; nil for `duration`.
    public static func testCounterpart(of metric: String) -> String? {
        for prefix in ["validation_", "train_", "test_"] where metric.hasPrefix(prefix) {
            return "test_" + metric.dropFirst(prefix.count)
        }
        return nil
    }

    /// The metric to rank by: `metric`, or its test counterpart when `metric` is a validation metric that
    /// `hasValues` finds in no completed run while the counterpart has some. Returns (name, fallbackFrom).
    public static func rankingMetric(_ metric: String, hasValues: (String) throws -> Bool) rethrows -> (name: String, fallbackFrom: String?) {
        guard metric.hasPrefix("validation_"), let test = testCounterpart(of: metric), try !hasValues(metric), try hasValues(test) else {
            return (metric, nil)
        }
        return (test, metric)
    }

    /// `rankingMetric` against the store: whether any completed run of the sweep has a value for the metric.
    public static func rankingMetric(of sweep: SweepRecord, store: any StoreQueries) throws -> (name: String, fallbackFrom: String?) {
        try rankingMetric(sweep.metricName) { name in
            try store.runCount(RunQuery(sweepID: sweep.id, statuses: ["completed"], filter: "\(name) is not null")) > 0
        }
    }

    public init(chosenBy: String, fallbackFrom: String? = nil, validationFraction: Double? = nil, hasTestFigures: Bool = true) {
        self.chosenBy = chosenBy
        self.fallbackFrom = fallbackFrom
        self.validationFraction = validationFraction
        let counterpart = SweepChoice.testCounterpart(of: chosenBy)
        measuredBy = counterpart != chosenBy && hasTestFigures ? counterpart : nil
    }

    /// The choice of a sweep's report data (after its fallback): the ranked runs' shared validation split and
    /// whether they have test figures.
    public init(_ data: SweepReportData) {
        let ranked = data.ranked
        let fractions = Set(ranked.map { $0.value("validation_fraction").double ?? 0 })
        let test = SweepChoice.testCounterpart(of: data.metricName)
        self.init(
            chosenBy: data.metricName, fallbackFrom: data.metricFallback,
            validationFraction: fractions.count == 1 ? fractions.first.flatMap { $0 > 0 ? $0 : nil } : nil,
            hasTestFigures: test.map { name in ranked.contains { $0.value(name).double != nil } } ?? false)
    }

    /// True when the test split took part in the choice (the best figure is optimistic).
    public var choseOnTest: Bool { chosenBy.hasPrefix("test_") }

    /// `chosen by validation_accuracy (10 % validation split)`, `chosen by test_accuracy on the test split`, or the
    /// fallback: `chosen by test_accuracy: no completed run recorded validation_accuracy (no validation split)`.
    public var chosenText: String {
        if let fallbackFrom {
            return "chosen by \(chosenBy): no completed run recorded \(fallbackFrom) (no validation split)"
        }
        if chosenBy.hasPrefix("validation_") {
            let split = validationFraction.map { "\(String(format: "%g", $0 * 100)) % validation split" } ?? "validation split"
            return "chosen by \(chosenBy) (\(split))"
        }
        if choseOnTest { return "chosen by \(chosenBy) on the test split" }
        return "chosen by \(chosenBy)"
    }

    /// `test_accuracy reported, never used to choose`; for a choice on test the warning that its figure is
    /// optimistic; nil when nothing is measured apart.
    public var measuredText: String? {
        if choseOnTest { return "no separate measurement: the figure is optimistic, the test data took part in the choice" }
        return measuredBy.map { "\($0) reported, never used to choose" }
    }

    /// The one sentence reports show: `chosen by …; test_accuracy reported, never used to choose`.
    public var sentence: String { [chosenText, measuredText].compactMap { $0 }.joined(separator: "; ") }
}
