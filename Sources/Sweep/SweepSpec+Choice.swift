import Engine

extension SweepSpec {
    /// True when the sweep itself chooses between trials while it runs (TPE's suggestions, early termination).
    public var chooses: Bool { method == .tpe || earlyTermination != nil }

    /// The default validation split: `validation_fraction: 0.1` — 10 % of the data source's samples held out of
    /// training (as `DataSplit` sizes it: round(N · 0.1)).
    public static let defaultValidationFraction = 0.1

    /// Choose on validation, measure on test. Every sweep's leaderboard, `best` and report choose by its metric; so,
    /// unless the spec or a flag sets them, every sweep gets
    /// - the metric `validation_accuracy` (`validation_loss` when the spec fixes `task: regression`; `SweepPlan`
    ///   also switches to it when every trial's data turns out to be regression);
    /// - a validation split, `validation_fraction: 0.1` (a fixed parameter, so it is recorded with every trial),
    ///   when its metric is measured on validation or the sweep chooses while running and the spec gives neither
    ///   `validation_fraction` nor `validation_indices` (a file naming the validation samples).
    /// The test evaluation is still recorded for every trial; it is reported, never used to choose. An explicit
    /// test metric is kept (and the data left as it is): `choiceWarning` says it leaks.
    public mutating func applyChoiceDefaults() {
        if !metricIsExplicit {
            let regression = parameters.contains { $0.name == "task" && $0.domain == .fixed(.string("regression")) }
            metric = Metric(name: regression ? "validation_loss" : "validation_accuracy")
        }
        let needsSplit = chooses || metric.name.hasPrefix("validation_")
        let splitGiven = parameters.contains { $0.name == "validation_fraction" || $0.name == "validation_indices" }
        if needsSplit && !splitGiven {
            parameters.append(Parameter(name: "validation_fraction", domain: .fixed(.double(SweepSpec.defaultValidationFraction))))
        }
    }

    /// One line for standard error when the sweep chooses on the test split (an explicit `metric: test_…` on a grid
    /// or random sweep, which is allowed): the best configuration's test figure is then optimistic. Nil otherwise.
    public var choiceWarning: String? {
        guard metric.name.hasPrefix("test_") else { return nil }
        return "warning: metric \(metric.name) chooses on the test split, so the best configuration's \(metric.name) is optimistic (the test data took part in the choice); use \(validationCounterpart) to choose on a validation split and measure on test"
    }

    /// `validation_accuracy` for the metric `test_accuracy`: what to choose by instead of a test metric.
    private var validationCounterpart: String { metric.name.replacingOccurrences(of: "test_", with: "validation_") }

    /// The checks of the choice (called by `validate()` through `validateSearch()`): TPE and early termination never
    /// choose on test; a validation metric needs a validation split (no trial may have `validation_fraction: 0`).
    func validateChoice() throws {
        if chooses && metric.name.hasPrefix("test_") {
            throw SweepError(
                "metric \(metric.name) cannot choose: TPE and early termination choose on validation (use \(validationCounterpart)); the test evaluation is still reported")
        }
        guard metric.name.hasPrefix("validation_"), let split = parameters.first(where: { $0.name == "validation_fraction" }),
            !parameters.contains(where: { $0.name == "validation_indices" })
        else { return }
        let noSplit: Bool
        switch split.domain {
        case .fixed(let value): noSplit = value.number == 0
        case .values(let values): noSplit = values.contains { $0.number == 0 }
        default: noSplit = false
        }
        if noSplit {
            throw SweepError(
                "metric \(metric.name) needs a validation split, but validation_fraction is 0 (give validation_fraction > 0, e.g. \(ParameterValue.format(SweepSpec.defaultValidationFraction)), or name a metric that is not measured on validation)")
        }
    }
}
