import ArgumentParser
import Engine
import Foundation
import Store
import Sweep

/// `logbook bench sweep`: trial throughput with 1 and 2 worker processes on a fixed small sweep, their ratio, and the
/// time from start to the first trial running. JSON lines.
struct BenchSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Measure sweep throughput with 1 and 2 workers (target ratio ≥ 1.8 on 2 cores) and the start latency.",
        discussion: """
            The sweep: digits, --layers (64-256-256-10) ReLU, SGD, batch sizes 32 and 64 × learning rates 0.05 and 0.1 × initializers \
            he-uniform and xavier-uniform × --seeds seeds, --epochs epochs each, recorded into a temporary database. \
            Each worker count runs the same plan in a fresh database, alternating over --repeat rounds. Lines: one per worker count \
            (median `trials_per_s`, `seconds_to_first_running`), then `speedup` (trials/s with 2 ÷ with 1).
            """)

    @Option(help: "Epochs per trial.")
    var epochs: Int = 10
    @Option(help: "Layer widths of every trial (bigger ⇒ longer trials ⇒ less start-up overhead in the ratio).")
    var layers: String = "64-256-256-10"
    @Option(help: "Seeds per configuration (8 configurations).")
    var seeds: Int = 2
    @Option(help: "Worker counts to compare (the ratio is last ÷ first).")
    var workers: String = "1,2"
    @Option(help: "Rounds; the worker counts alternate within each round and medians are reported.")
    var `repeat`: Int = 3

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("invalid --epochs \(epochs): must be at least 1") }
        guard self.repeat >= 1 else { throw ValidationError("invalid --repeat \(self.repeat): must be at least 1") }
        guard seeds >= 1 else { throw ValidationError("invalid --seeds \(seeds): must be at least 1") }
        guard !workerCounts.isEmpty, workerCounts.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("invalid --workers '\(workers)': expected positive counts such as 1,2")
        }
    }

    var workerCounts: [Int] { workers.split(separator: ",").compactMap { Int($0) } }

    func run() throws {
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
        for round in 0..<self.repeat {
            for count in workerCounts {
                let path = directory.appendingPathComponent("r\(round)-w\(count).sqlite").path
                let store = try LogbookStore(path: path)
                let sweepID = try SweepExecution.create(plan: plan, base: base, store: store)
                let execution = SweepExecution(store: store, sweepID: sweepID, workerCount: count)
                let result = try execution.execute()
                let completed = result.sweep.count(.completed)
                guard completed == plan.count else {
                    throw ValidationError("bench sweep: only \(completed) of \(plan.count) trials completed with \(count) workers")
                }
                measurements[count, default: []].append(result)
            }
        }
        var rates: [Double] = []
        for count in workerCounts {
            let results = measurements[count]!
            let rate = median(results.map { Double(plan.count) / $0.seconds })
            rates.append(rate)
            emit([
                "bench": "sweep", "workers": count, "trials": plan.count, "epochs": epochs, "layers": layers,
                "rounds": self.repeat, "median_seconds": median(results.map(\.seconds)), "trials_per_s": rate,
                "seconds_to_first_running": median(results.map { $0.secondsToFirstTrialRunning ?? .infinity }),
                "target_seconds_to_first_running": 1.0, "load_average_1m": loadAverage() ?? -1,
            ])
        }
        if rates.count >= 2 {
            emit([
                "bench": "sweep", "metric": "speedup", "workers": workerCounts.last!, "baseline_workers": workerCounts[0],
                "ratio": rates.last! / rates[0], "target": 1.8,
            ])
        }
    }

    /// The 1-minute load average (other processes on the 2 cores distort the ratio), from /proc/loadavg.
    private func loadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func emit(_ fields: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        fflush(nil)
    }
}
