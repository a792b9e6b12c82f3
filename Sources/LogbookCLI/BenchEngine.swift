import ArgumentParser
import Engine
import Foundation
import Store

/// `logbook bench engine`: the reference workloads of `shared/peers/torch_mlp.py`, same recipe, one thread, one JSON
/// line per workload with the peer's fields (`workload`, `batch`, `threads`, `samples_per_s`, `final_loss`), plus the
/// GEMM throughput and the cost of recording every iteration to the store.
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

    func validate() throws {
        guard self.repeat >= 1 else { throw ValidationError("invalid --repeat \(self.repeat): must be at least 1") }
    }

    func run() throws {
        BLAS.useSingleThread()
        let selected = Set(only.split(separator: ",").map(String.init))
        if selected.contains("mnist-mlp") {
            let images = ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"].map { "\(mnist)/\($0)" }
            let labels = ["train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte"].map { "\(mnist)/\($0)" }
            if let imagePath = images.first(where: FileManager.default.fileExists(atPath:)),
                let labelPath = labels.first(where: FileManager.default.fileExists(atPath:))
            {
                let dataset = try IDXLoader.load(images: imagePath, labels: labelPath, name: "mnist-train")
                for batch in try parseBatches() {
                    try measure(
                        workload: "mnist-mlp", dataset: dataset, layers: [784, 256, 128, 10], batch: batch, epochs: 1)
                }
            } else {
                emit([
                    "workload": "mnist-mlp", "skipped": true,
                    "reason": "MNIST files not found in \(mnist) (pass --mnist DIR)",
                ])
            }
        }
        if selected.contains("digits-mlp") {
            var digits = try BundledDatasets.load("digits")
            digits.features.values = digits.features.values.map { $0 / 16 }
            try measure(workload: "digits-mlp", dataset: digits, layers: [64, 32, 10], batch: 32, epochs: 20)
        }
    }

    private func parseBatches() throws -> [Int] {
        try batches.split(separator: ",").map { text in
            guard let batch = Int(text), batch > 0 else {
                throw ValidationError("invalid --batches '\(batches)': '\(text)' is not a positive integer")
            }
            return batch
        }
    }

    private func configuration(layers: [Int], batch: Int, epochs: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.layers = layers
        configuration.activation = .relu
        configuration.initializer = .heUniform
        configuration.optimizer = .sgd
        configuration.learningRate = 0.05
        configuration.batchSize = batch
        configuration.epochs = epochs
        configuration.shuffle = false
        configuration.testFraction = 0
        configuration.scaling = .none
        configuration.seed = 0
        return configuration
    }

    private func measure(workload: String, dataset: Dataset, layers: [Int], batch: Int, epochs: Int) throws {
        var configuration = configuration(layers: layers, batch: batch, epochs: epochs)
        configuration.data = dataset.name
        let summary = DatasetSummary(
            name: dataset.name, contentHash: "", featureCount: dataset.featureCount, classCount: dataset.classCount,
            trainSize: dataset.sampleCount, validationSize: 0, testSize: 0)
        let data = PreparedData(train: dataset, validation: nil, test: nil, summary: summary, scaler: Scaler.fit(.none, to: dataset.features))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var plainSeconds: [Double] = []
        var recordedSeconds: [Double] = []
        var fixedSeconds: [Double] = []
        var finalLoss: Float = .nan
        var steps = 0
        for repetition in 0..<self.repeat {
            let trainer = try Trainer(configuration: configuration, data: data)
            let start = MonotonicClock.now()
            let result = try trainer.run()
            plainSeconds.append(MonotonicClock.now() - start)
            finalLoss = result.losses.last ?? .nan
            steps = result.losses.count
            guard !noRecording else { continue }
            // The same run recorded: the training loop with the recorder attached is timed like the plain one;
            // creating the run row and the final commit that close() waits for are timed apart (a fixed cost per run).
            let store = try LogbookStore(path: directory.appendingPathComponent("bench-\(repetition).sqlite").path)
            let recordedTrainer = try Trainer(configuration: configuration, data: data)
            let setupStart = MonotonicClock.now()
            let runID = try store.createRun(configuration, name: "\(workload)-\(batch)", status: .running)
            let recorder = try store.recorder(for: runID)
            let setup = MonotonicClock.now() - setupStart
            recordedTrainer.observers.append(recorder)
            let recordedStart = MonotonicClock.now()
            let recorded = try recordedTrainer.run()
            recordedSeconds.append(MonotonicClock.now() - recordedStart)
            let closeStart = MonotonicClock.now()
            try recorder.close()
            fixedSeconds.append(setup + MonotonicClock.now() - closeStart)
            if recorded.losses != result.losses {
                throw ValidationError("bench: recording changed the loss sequence of \(workload) batch \(batch)")
            }
        }
        let seconds = median(plainSeconds)
        let samples = Double(dataset.sampleCount * epochs)
        let flops = Double(epochs) * BenchEngine.flopsPerEpoch(layers: layers, samples: dataset.sampleCount)
        var line: [String: Any] = [
            "peer": "logbook \(Logbook.version)", "workload": workload, "batch": batch, "threads": 1, "epochs": epochs,
            "steps": steps, "seconds": round4(seconds), "samples_per_s": (samples / seconds * 10).rounded() / 10,
            "final_loss": round5(Double(finalLoss)), "gemm_gflop_per_s": round4(flops / seconds / 1e9),
            "peak_fraction": round4(flops / seconds / 1e9 / BenchEngine.corePeakGigaflops),
            "repeats": self.repeat,
        ]
        if !recordedSeconds.isEmpty {
            let recordedMedian = median(recordedSeconds)
            let fixed = median(fixedSeconds)
            line["recorded_seconds"] = round4(recordedMedian)
            line["recording_overhead_percent"] = round4((recordedMedian - seconds) / seconds * 100)
            line["run_setup_and_close_ms"] = round4(fixed * 1000)
            line["recording_overhead_with_setup_percent"] = round4((recordedMedian + fixed - seconds) / seconds * 100)
        }
        emit(line)
    }

    /// FP32 peak of one core here: 2 FMA units × 8 lanes × 2 flops × ~3 GHz.
    static let corePeakGigaflops = 95.0

    /// GEMM flops of one epoch (2·m·n·k per GEMM): forward and weight gradient for every dense layer, input
    /// gradient for every dense layer but the first.
    static func flopsPerEpoch(layers: [Int], samples: Int) -> Double {
        var total = 0.0
        for index in 0..<(layers.count - 1) {
            let product = 2 * Double(samples) * Double(layers[index]) * Double(layers[index + 1])
            total += product * (index == 0 ? 2 : 3)
        }
        return total
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func round4(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
    private func round5(_ value: Double) -> Double { (value * 100_000).rounded() / 100_000 }

    private func emit(_ object: [String: Any]) {
        let keys = [
            "peer", "workload", "batch", "threads", "epochs", "steps", "seconds", "samples_per_s", "final_loss",
            "gemm_gflop_per_s", "peak_fraction", "recorded_seconds", "recording_overhead_percent",
            "run_setup_and_close_ms", "recording_overhead_with_setup_percent", "repeats", "skipped",
            "reason",
        ]
        let fields = keys.compactMap { key -> String? in
            guard let value = object[key] else { return nil }
            return "\"\(key)\": \(JSONText.encode(value))"
        }
        Console.line("{" + fields.joined(separator: ", ") + "}")
    }
}

/// Minimal JSON scalar encoding for benchmark lines (keys keep a fixed order, unlike JSONSerialization).
enum JSONText {
    static func encode(_ value: Any) -> String {
        switch value {
        case let text as String:
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        case let flag as Bool: return flag ? "true" : "false"
        case let integer as Int: return String(integer)
        case let number as Double: return number.isFinite ? "\(number)" : "null"
        default: return "null"
        }
    }
}
