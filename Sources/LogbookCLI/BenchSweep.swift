import ArgumentParser
import LogbookBench

/// `logbook bench sweep`: trial throughput with 1 and 2 worker processes, their ratio and the start latency
/// (`SweepBenchmark`), as JSON lines.
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
    @OptionGroup(title: "Per-trial fixed cost (instead of throughput)") var fixedCost: BenchSweepFixedCostOptions

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
        if let mnist = fixedCost.mnist {
            try SweepFixedCostBenchmark.run(mnistDirectory: mnist, layers: fixedCost.fixedCostLayers, trials: fixedCost.trials) {
                Console.line($0.text)
            }
            return
        }
        try SweepBenchmark.run(epochs: epochs, layers: layers, seeds: seeds, workerCounts: workerCounts, rounds: self.repeat) {
            Console.line($0.text)
        }
    }
}

/// `bench sweep --mnist DIR`: the per-trial fixed cost on MNIST, loading data afresh and with the worker's cache
/// (`SweepFixedCostBenchmark`).
struct BenchSweepFixedCostOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Measure the per-trial fixed cost on MNIST (IDX files in DIR) instead of throughput.", valueName: "dir"))
    var mnist: String?
    @Option(name: .customLong("fixed-cost-layers"), help: "Layer widths of the MNIST trials.")
    var fixedCostLayers: String = "784-256-10"
    @Option(help: "MNIST trials per mode (one epoch each, batch 32).")
    var trials: Int = 5

    func validate() throws {
        guard trials >= 1 else { throw ValidationError("invalid --trials \(trials): must be at least 1") }
    }
}
