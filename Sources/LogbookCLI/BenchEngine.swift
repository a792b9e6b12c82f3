import ArgumentParser
import LogbookBench

/// `logbook bench engine`: the reference workloads of `shared/peers/torch_mlp.py` (`EngineBenchmark`), one JSON line
/// per workload.
struct BenchEngine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure training throughput on the reference MLP workloads (compare with shared/peers/torch_mlp.py).",
        discussion: """
            Workloads: mnist-mlp (784-256-128-10, ReLU, He-uniform, softmax cross-entropy, SGD lr 0.05, no shuffle, \
            60,000 MNIST images scaled to [0, 1], one epoch per batch size) and digits-mlp (64-32-10, same recipe, 1,797 \
            digits rows scaled by 1/16, batch 32, 20 epochs). Each is timed --repeat times without recording and with \
            recording to a temporary store, interleaved; medians are printed. recording_overhead_percent compares the \
            training loop with and without the recorder; run_setup_and_close_ms is the fixed cost per run of creating \
            the run row and waiting for the final commit, included in recording_overhead_with_setup_percent. \
            trainer_cpu_overhead_percent compares the training thread's CPU time with and without the recorder: what \
            recording costs on that thread, not lengthened by waiting for a core that other processes hold. \
            peak_fraction is relative to 95 GFLOP/s (2 FMA units × 8 lanes × 2 flops × ~3 GHz).
            """)

    @Option(help: "Directory holding the MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz).")
    var mnist: String = "../shared/datasets/mnist"
    @Option(help: "Batch sizes of the mnist-mlp workload.")
    var batches: String = "16,64,256"
    @Option(help: "Timed repetitions of each workload (the median is reported).")
    var `repeat`: Int = 3
    @Flag(name: .customLong("no-recording"), help: "Skip the recording-overhead measurement.")
    var noRecording = false
    @Option(help: "Only these workloads (comma-separated: mnist-mlp, digits-mlp).")
    var only: String = "mnist-mlp,digits-mlp"
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "Record into this store (a SQLite path or a postgresql:// URL; new runs are created in it) instead of a temporary SQLite file.",
            valueName: "path|url"))
    var location: String?

    func validate() throws {
        guard self.repeat >= 1 else { throw ValidationError("invalid --repeat \(self.repeat): must be at least 1") }
        _ = try batchSizes()
    }

    func run() throws {
        try EngineBenchmark.run(
            mnistDirectory: mnist, mnistBatchSizes: try batchSizes(), repeats: self.repeat,
            measuresRecording: !noRecording, workloads: Set(only.split(separator: ",").map(String.init)),
            peer: "logbook \(Logbook.version)", storeLocation: location
        ) { Console.line($0.text) }
    }

    private func batchSizes() throws -> [Int] {
        try batches.split(separator: ",").map { text in
            guard let batch = Int(text), batch > 0 else {
                throw ValidationError("invalid --batches '\(batches)': '\(text)' is not a positive integer")
            }
            return batch
        }
    }
}
