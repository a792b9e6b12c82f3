import Engine
import LogbookFixtures

extension FixtureSweep {
    /// A benchmark's grid over the batch sizes 16, 32, 64, 128 and 256, `learningRates` × `initializers` × `seeds`
    /// seeds, `epochs` epochs of `stepsPerEpoch` steps, recorded without weights by two workers.
    static func bench(
        _ name: String, learningRates: [Double], initializers: [Initializer], seeds: Int, epochs: Int, stepsPerEpoch: Int
    ) -> FixtureSweep {
        var fixture = FixtureSweep()
        fixture.name = name
        fixture.batchSizes = [16, 32, 64, 128, 256]
        fixture.learningRates = learningRates
        fixture.initializers = initializers
        fixture.seeds = seeds
        fixture.epochs = epochs
        fixture.training.stepsPerEpoch = stepsPerEpoch
        fixture.training.recordsWeights = false
        fixture.workers = 2
        return fixture
    }
}
