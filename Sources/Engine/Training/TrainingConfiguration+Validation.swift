extension TrainingConfiguration {
    /// Checks everything that does not need the data: every field against its rules in the parameter registry
    /// (`Hyperparameter.all`, cross-field rules included), then the split fractions together. Each error is one
    /// line naming the field and the value.
    /// The trainer and the sweep plan add the checks that need the data (layer widths against the data's,
    /// `checkBatchSize(trainingSamples:)`).
    public func validate() throws {
        for entry in Hyperparameter.all { try entry.validate(self) }
        try DataSplit.checkFractions(validation: validationFraction, test: testFraction)
    }

    /// The one check of the batch size against the data: it must fit in the training split.
    public func checkBatchSize(trainingSamples: Int) throws {
        guard batchSize <= trainingSamples else {
            throw EngineError.invalid(
                "batch_size", batchSize, "larger than the training split of '\(data)' (\(trainingSamples) samples)")
        }
    }
}
