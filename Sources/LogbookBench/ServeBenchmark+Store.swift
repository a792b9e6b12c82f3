import Engine
import Foundation
import LogbookFixtures
import Store

/// The store `bench serve` measures the dashboard on, recorded through the real path (trial queue, workers,
/// recorder; `FixtureSweep`), every run one epoch of `stepsPerRun` steps except one long curve:
///
/// - `bench-serve-sweep`: the parallel-coordinates sweep, 5 batch sizes × 4 learning rates × 5 initializers ×
///   `sweepTrials / 100` seeds;
/// - `bench-serve-runs`: the same grid with `(runs − sweepTrials − 1) / 100` seeds, and `bench-serve-rest` the
///   remainder (`(runs − sweepTrials − 1) mod 100` seeds of one configuration), so that the store has `runs` runs;
/// - `bench-serve-curve`: one run outside any sweep, 10 epochs, `curveSteps` steps in all.
///
/// Iteration rows in all: `(runs − 1)·stepsPerRun + curveSteps` (defaults: 99,999·100 + 100,000 = 10,099,900).
struct ServeBenchStore {
    struct Sizes: Sendable, Equatable {
        var runs: Int
        var stepsPerRun: Int
        var sweepTrials: Int
        var curveSteps: Int

        var iterationRows: Int { (runs - 1) * stepsPerRun + curveSteps }
        var otherRuns: Int { runs - sweepTrials - 1 }
    }

    static let sweepName = "bench-serve-sweep", curveName = "bench-serve-curve"

    let path: String
    let sizes: Sizes
    /// The 10,000-trial sweep and the long-curve run.
    let sweepID: Int64, curveRunID: Int64

    /// Opens the store at `path` — a SQLite file, or a PostgreSQL URL — when it holds runs (it must be one this
    /// benchmark built with `sizes`), else records it there; `seconds` is the recording time, nil when reused.
    static func openOrBuild(path: String, sizes: Sizes) throws -> (store: ServeBenchStore, seconds: Double?) {
        let exists = StoreLocation.isPostgreSQL(path)
            ? try StoreLocation.open(path, mode: .readWrite).runCount(RunQuery()) > 0
            : FileManager.default.fileExists(atPath: path)
        if exists {
            return (try reuse(path: path, sizes: sizes), nil)
        }
        var built: ServeBenchStore?
        let seconds = try BenchStatistics.seconds { built = try build(path: path, sizes: sizes) }
        guard let built else { throw BenchError("bench serve: the store was not built") }
        return (built, seconds)
    }

    static func fixture(_ name: String, seeds: Int, steps: Int, grid: Bool = true) -> FixtureSweep {
        var fixture = FixtureSweep.bench(
            name, learningRates: grid ? [0.01, 0.03, 0.1, 0.3] : [0.1],
            initializers: grid ? [.heUniform, .xavierUniform, .lecunNormal, .orthogonal, .zeros] : [.heUniform],
            seeds: seeds, epochs: 1, stepsPerEpoch: steps)
        if !grid { fixture.batchSizes = [32] }
        fixture.training.testSize = 1000
        return fixture
    }

    private static func build(path: String, sizes: Sizes) throws -> ServeBenchStore {
        let store = try StoreLocation.open(path, mode: .readWrite)
        let sweepID = try fixture(sweepName, seeds: sizes.sweepTrials / 100, steps: sizes.stepsPerRun).record(into: store, location: path)
        if sizes.otherRuns >= 100 {
            try fixture("bench-serve-runs", seeds: sizes.otherRuns / 100, steps: sizes.stepsPerRun).record(into: store, location: path)
        }
        if sizes.otherRuns % 100 > 0 {
            try fixture("bench-serve-rest", seeds: sizes.otherRuns % 100, steps: sizes.stepsPerRun, grid: false)
                .record(into: store, location: path)
        }
        var configuration = FixtureSweep().base
        configuration.batchSize = 64
        configuration.epochs = 10
        let curveRunID = try store.createRun(configuration, name: curveName)
        let recorder = try store.makeRecorder(for: curveRunID)
        var training = SyntheticTraining()
        training.stepsPerEpoch = sizes.curveSteps / 10
        training.recordsWeights = false
        try training.emit(configuration, to: recorder)
        try recorder.close()
        return ServeBenchStore(path: path, sizes: sizes, sweepID: sweepID, curveRunID: curveRunID)
    }

    /// The kept store at `path`, checked to be this benchmark's with these sizes (run count, sweep, long curve,
    /// steps of a sweep run).
    private static func reuse(path: String, sizes: Sizes) throws -> ServeBenchStore {
        let store = try StoreLocation.open(path, mode: .readOnly)
        let refusal = "bench serve: --keep \(StoreLocation.displayed(path)) holds a different store"
        guard let sweep = try store.sweeps().first(where: { $0.name == sweepName }), sweep.plannedTrials == sizes.sweepTrials
        else { throw BenchError("\(refusal) (no \(sizes.sweepTrials)-trial sweep '\(sweepName)'); remove it or give another path") }
        let runs = try store.runCount(RunQuery())
        guard runs == sizes.runs else { throw BenchError("\(refusal) (\(runs) runs, not \(sizes.runs)); remove it or give another path") }
        let curve = try store.runSummaries(RunQuery(filter: "name = '\(curveName)'", columns: ["run_id"]))
        guard case .integer(let curveRunID) = curve.rows.first?.first,
            try store.downsampledLosses(run: curveRunID, points: 1).first?.lastStep == sizes.curveSteps
        else { throw BenchError("\(refusal) (no \(sizes.curveSteps)-step run '\(curveName)'); remove it or give another path") }
        let trial = try store.runSummaries(RunQuery(sweepID: sweep.id, limit: 1, columns: ["run_id"]))
        guard case .integer(let trialRunID) = trial.rows.first?.first,
            try store.downsampledLosses(run: trialRunID, points: 1).first?.lastStep == sizes.stepsPerRun
        else { throw BenchError("\(refusal) (its runs do not have \(sizes.stepsPerRun) steps); remove it or give another path") }
        return ServeBenchStore(path: path, sizes: sizes, sweepID: sweep.id, curveRunID: curveRunID)
    }
}
