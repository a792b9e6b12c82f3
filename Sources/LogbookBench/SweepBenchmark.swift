import Engine
import Foundation
import Store
import Sweep

/// Trial throughput with 1 and 2 worker processes on a fixed small sweep, their ratio, and the time from start to
/// the first trial running (`logbook bench sweep`, whose help describes the sweep).
public struct SweepBenchmark: Sendable {
    let epochs: Int
    /// Layer widths of every trial, e.g. `64-256-256-10`.
    let layers: String
    /// Seeds per configuration (8 configurations).
    let seeds: Int
    /// Worker counts to compare (the ratio is last ÷ first).
    let workerCounts: [Int]
    /// Rounds; the worker counts alternate within each round.
    let rounds: Int

    /// Runs the rounds, then hands one line per worker count and the speedup line to `emit`.
    public static func run(
        epochs: Int, layers: String, seeds: Int, workerCounts: [Int], rounds: Int, emit: (JSONLine) -> Void
    ) throws {
        try SweepBenchmark(epochs: epochs, layers: layers, seeds: seeds, workerCounts: workerCounts, rounds: rounds)
            .measureAll(emit: emit)
    }

    private func measureAll(emit: (JSONLine) -> Void) throws {
        var base = TrainingConfiguration()
        base.data = "digits"
        base.layers = try TrainingConfiguration.parseLayers(layers)
        let spec = SweepSpec(
            name: "bench-sweep",
            parameters: [
                .init(name: "epochs", domain: .fixed(.int(epochs))),
                .init(name: "batch_size", domain: .values([.int(32), .int(64)])),
                .init(name: "learning_rate", domain: .values([.double(0.05), .double(0.1)])),
                .init(name: "initializer", domain: .values([.string("he-uniform"), .string("xavier-uniform")])),
            ], seeds: seeds)
        let plan = try SweepPlan(spec: spec, base: base)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-sweep-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var measurements: [Int: [SweepExecution.Result]] = [:]
        for round in 0..<rounds {
            for count in workerCounts {
                let path = directory.appendingPathComponent("r\(round)-w\(count).sqlite").path
                let store = try LogbookStore(path: path)
                let sweepID = try SweepExecution.create(plan: plan, base: base, store: store)
                let execution = SweepExecution(store: store, sweepID: sweepID, workerCount: count)
                let result = try execution.execute()
                let completed = result.sweep.count(.completed)
                guard completed == plan.count else {
                    throw BenchError("bench sweep: only \(completed) of \(plan.count) trials completed with \(count) workers")
                }
                measurements[count, default: []].append(result)
            }
        }
        var rates: [Double] = []
        for count in workerCounts {
            let results = measurements[count] ?? []
            let rate = BenchStatistics.median(results.map { Double(plan.count) / $0.seconds })
            rates.append(rate)
            emit(JSONLine([
                "bench": "sweep", "epochs": epochs, "layers": layers, "load_average_1m": loadAverage() ?? -1,
                "median_seconds": BenchStatistics.median(results.map(\.seconds)), "rounds": rounds,
                "seconds_to_first_running": BenchStatistics.median(results.map { $0.secondsToFirstTrialRunning ?? .infinity }),
                "target_seconds_to_first_running": 1.0, "trials": plan.count, "trials_per_s": rate, "workers": count,
            ]))
        }
        if rates.count >= 2, let first = workerCounts.first, let last = workerCounts.last {
            emit(JSONLine([
                "bench": "sweep", "baseline_workers": first, "metric": "speedup", "ratio": rates[rates.count - 1] / rates[0],
                "target": 1.8, "workers": last,
            ]))
        }
    }

    /// The 1-minute load average (other processes on the 2 cores distort the ratio), from /proc/loadavg.
    private func loadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }
}
