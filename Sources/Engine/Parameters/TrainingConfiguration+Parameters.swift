/// `TrainingConfiguration` by parameter name, through the registry (`Hyperparameter.all`): how sweeps, `--set`, the
/// `train` flags and the store read and write it.
extension TrainingConfiguration {
    /// Every parameter name, in the order of `parameterValues()`.
    public static var parameterNames: [String] { Hyperparameter.names }

    /// Sets the field called `name` (snake case) to `value`, converting and checking it; errors are one line naming
    /// the field and the value as written. Optional fields (`test_data`, `label_column`, `task`, `loss`) are cleared
    /// by `none` or `auto`; `layers` takes widths joined by `-` (`64-128-10`; 0 for "from the data").
    public mutating func setParameter(_ name: String, _ value: ParameterValue) throws {
        try Hyperparameter.named(name).set(value, in: &self)
    }

    /// Every field as (parameter name, value), in `parameterNames` order; unset optional fields are left out.
    public func parameterValues() -> [(String, ParameterValue)] {
        Hyperparameter.all.compactMap { entry in entry.value(in: self).map { (entry.name, $0) } }
    }

    /// The configuration given by (parameter, value) pairs — the `train` flags — on top of the defaults: each value
    /// converted by its entry (nil leaves the default), then the whole configuration validated, so a bad value gets
    /// the same one-line message as everywhere else.
    public init(assigning values: [(Hyperparameter, ParameterValue?)]) throws {
        self.init()
        for (entry, value) in values {
            if let value { try entry.assign(&self, value) }
        }
        try validate()
    }
}
