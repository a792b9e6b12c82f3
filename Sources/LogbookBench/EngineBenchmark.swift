import Engine
import Foundation
import Store

/// The reference workloads of `shared/peers/torch_mlp.py`, same recipe, one thread: one line per workload with the
/// peer's fields (`workload`, `batch`, `threads`, `samples_per_s`, `final_loss`), plus the GEMM throughput and the
/// cost of recording every iteration to the store (`logbook bench engine`, whose help describes the workloads).
public struct EngineBenchmark: Sendable {
    /// Directory holding the MNIST IDX files.
    let mnistDirectory: String
    /// Batch sizes of the mnist-mlp workload.
    let mnistBatchSizes: [Int]
    /// Timed repetitions of each workload (the median is reported).
    let repeats: Int
    /// Whether to time each workload a second time with the recorder attached.
    let measuresRecording: Bool
    /// Which workloads to run (`mnist-mlp`, `digits-mlp`).
    let workloads: Set<String>
    /// The `peer` field: `logbook VERSION`.
    let peer: String
    /// Where the recorded runs go: a SQLite path or a PostgreSQL URL; nil: a temporary SQLite file per repetition.
    var storeLocation: String? = nil

    /// Runs the selected workloads, handing each line to `emit` as soon as it is measured.
    public static func run(
        mnistDirectory: String, mnistBatchSizes: [Int], repeats: Int, measuresRecording: Bool, workloads: Set<String>,
        peer: String, storeLocation: String? = nil, emit: (JSONLine) -> Void
    ) throws {
        try EngineBenchmark(
            mnistDirectory: mnistDirectory, mnistBatchSizes: mnistBatchSizes, repeats: repeats,
            measuresRecording: measuresRecording, workloads: workloads, peer: peer, storeLocation: storeLocation
        ).measureAll(emit: emit)
    }

    /// FP32 peak of one core here: 2 FMA units × 8 lanes × 2 flops × ~3 GHz.
    public static let corePeakGigaflops = 95.0

    /// GEMM flops of one epoch (2·m·n·k per GEMM): forward and weight gradient for every dense layer, input
    /// gradient for every dense layer but the first.
    public static func flopsPerEpoch(layers: [Int], samples: Int) -> Double {
        var total = 0.0
        for index in 0..<(layers.count - 1) {
            let product = 2 * Double(samples) * Double(layers[index]) * Double(layers[index + 1])
            total += product * (index == 0 ? 2 : 3)
        }
        return total
    }

    private func measureAll(emit: (JSONLine) -> Void) throws {
        BLAS.useSingleThread()
        if workloads.contains("mnist-mlp") {
            let images = ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"].map { "\(mnistDirectory)/\($0)" }
            let labels = ["train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte"].map { "\(mnistDirectory)/\($0)" }
            if let imagePath = images.first(where: FileManager.default.fileExists(atPath:)),
                let labelPath = labels.first(where: FileManager.default.fileExists(atPath:))
            {
                let dataset = try IDXLoader.load(images: imagePath, labels: labelPath, name: "mnist-train")
                for batch in mnistBatchSizes {
                    emit(try measure(workload: "mnist-mlp", source: "mnist:\(mnistDirectory)", dataset: dataset, layers: [784, 256, 128, 10], batch: batch, epochs: 1))
                }
            } else {
                emit(JSONLine([
                    "workload": "mnist-mlp", "skipped": true,
                    "reason": "MNIST files not found in \(mnistDirectory) (pass --mnist DIR)",
                ]))
            }
        }
        if workloads.contains("digits-mlp") {
            var digits = try BundledDatasets.load("digits")
            digits.features.values = digits.features.values.map { $0 / 16 }
            emit(try measure(workload: "digits-mlp", source: "digits", dataset: digits, layers: [64, 32, 10], batch: 32, epochs: 20))
        }
    }

    /// The recipe: ReLU, He-uniform, SGD lr 0.05, no shuffle, no test split, no scaling, seed 0.
    static func configuration(layers: [Int], batch: Int, epochs: Int) -> TrainingConfiguration {
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

    /// `source` is the data source the configuration records (`mnist:DIR`, `digits`): the trainer validates it,
    /// while the samples come from `dataset`, loaded once for every batch size.
    private func measure(
        workload: String, source: String, dataset: Dataset, layers: [Int], batch: Int, epochs: Int
    ) throws -> JSONLine {
        var configuration = EngineBenchmark.configuration(layers: layers, batch: batch, epochs: epochs)
        configuration.data = source
        let summary = DatasetSummary(
            name: dataset.name, contentHash: "", featureCount: dataset.featureCount, classCount: dataset.classCount,
            trainSize: dataset.sampleCount, validationSize: 0, testSize: 0)
        let data = PreparedData(
            train: dataset, validation: nil, test: nil, summary: summary, scaler: Scaler.fit(.none, to: dataset.features))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var plainSeconds: [Double] = []
        var recordedSeconds: [Double] = []
        var plainCPU: [Double] = []
        var recordedCPU: [Double] = []
        var fixedSeconds: [Double] = []
        var finalLoss: Float = .nan
        var steps = 0
        for repetition in 0..<repeats {
            let trainer = try Trainer(configuration: configuration, data: data)
            let start = MonotonicClock.now()
            let startCPU = ThreadCPUClock.now()
            let result = try trainer.run()
            plainSeconds.append(MonotonicClock.now() - start)
            plainCPU.append(ThreadCPUClock.now() - startCPU)
            finalLoss = result.losses.last ?? .nan
            steps = result.losses.count
            guard measuresRecording else { continue }
            // The same run recorded: the training loop with the recorder attached is timed like the plain one;
            // creating the run row and the final commit that close() waits for are timed apart (a fixed cost per run).
            let store = try StoreLocation.open(
                storeLocation ?? directory.appendingPathComponent("bench-\(repetition).sqlite").path, mode: .readWrite)
            let recordedTrainer = try Trainer(configuration: configuration, data: data)
            let setupStart = MonotonicClock.now()
            let runID = try store.createRun(configuration, name: "\(workload)-\(batch)", status: .running)
            let recorder = try store.makeRecorder(for: runID)
            let setup = MonotonicClock.now() - setupStart
            recordedTrainer.observers.append(recorder)
            let recordedStart = MonotonicClock.now()
            let recordedStartCPU = ThreadCPUClock.now()
            let recorded = try recordedTrainer.run()
            recordedSeconds.append(MonotonicClock.now() - recordedStart)
            recordedCPU.append(ThreadCPUClock.now() - recordedStartCPU)
            let closeStart = MonotonicClock.now()
            try recorder.close()
            fixedSeconds.append(setup + MonotonicClock.now() - closeStart)
            if recorded.losses != result.losses {
                throw BenchError("bench: recording changed the loss sequence of \(workload) batch \(batch)")
            }
        }
        return line(
            workload: workload, batch: batch, epochs: epochs, steps: steps, finalLoss: finalLoss,
            samples: Double(dataset.sampleCount * epochs),
            flops: Double(epochs) * EngineBenchmark.flopsPerEpoch(layers: layers, samples: dataset.sampleCount),
            plainSeconds: plainSeconds, recordedSeconds: recordedSeconds, fixedSeconds: fixedSeconds,
            cpuSeconds: (plainCPU, recordedCPU))
    }

    private func line(
        workload: String, batch: Int, epochs: Int, steps: Int, finalLoss: Float, samples: Double, flops: Double,
        plainSeconds: [Double], recordedSeconds: [Double], fixedSeconds: [Double],
        cpuSeconds: (plain: [Double], recorded: [Double])
    ) -> JSONLine {
        func round4(_ value: Double) -> Double { BenchStatistics.rounded(value, places: 4) }
        let seconds = BenchStatistics.median(plainSeconds)
        let gigaflops = flops / seconds / 1e9
        var line = JSONLine([
            "peer": peer, "workload": workload, "batch": batch, "threads": 1, "epochs": epochs, "steps": steps,
            "seconds": round4(seconds), "samples_per_s": BenchStatistics.rounded(samples / seconds, places: 1),
            "final_loss": BenchStatistics.rounded(Double(finalLoss), places: 5), "gemm_gflop_per_s": round4(gigaflops),
            "peak_fraction": round4(gigaflops / EngineBenchmark.corePeakGigaflops), "blas_kernels": BLAS.kernelFamily,
        ])
        if !recordedSeconds.isEmpty {
            let recorded = BenchStatistics.median(recordedSeconds)
            let fixed = BenchStatistics.median(fixedSeconds)
            line.append("store", storeLocation.map { StoreLocation.isPostgreSQL($0) ? "postgresql" : "sqlite" } ?? "sqlite")
            line.append("recorded_seconds", round4(recorded))
            line.append("recording_overhead_percent", round4((recorded - seconds) / seconds * 100))
            line.append("run_setup_and_close_ms", round4(fixed * 1000))
            line.append("recording_overhead_with_setup_percent", round4((recorded + fixed - seconds) / seconds * 100))
            let plainCPU = BenchStatistics.median(cpuSeconds.plain)
            line.append(
                "trainer_cpu_overhead_percent", round4((BenchStatistics.median(cpuSeconds.recorded) - plainCPU) / plainCPU * 100))
        }
        line.append("repeats", repeats)
        return line
    }
}
