import Foundation
import ArgumentParser
import LogbookBench

/// `logbook bench search`: random search, TPE and TPE + ASHA on MNIST over search seeds (`SearchBenchmark`).
struct BenchSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Compare random search, TPE and TPE + ASHA on MNIST (the space of ../shared/peers/search_stack.py).",
        discussion: """
            MNIST 54,001/5,999 train/validation (the peer script's own stratified split, the same images), 784-H-10 ReLU, SGD with momentum: learning rate \
            log-uniform 1e-3–1, batch size {16, 32, 64, 128, 256}, momentum 0–0.99, initializer {xavier-uniform, he-uniform, \
            lecun-normal}, H ∈ {64, 128, 256}. TPE multivariate (the joint model: Optuna 5.0's default, as the peer uses it). ASHA: min 1 epoch, eta 3. \
            One line per method and seed, then one line per \
            method with the medians: best validation accuracy, its test accuracy, epochs trained, wall seconds. With \
            --peer-python, `PYTHON ../shared/peers/search_stack.py --search-seed S` (Optuna TPE + successive halving driving \
            PyTorch) runs after each seed's searches, then its medians and TPE + ASHA against it (wall-time ratio, target ≥ 2.5).
            """)

    @Option(help: ArgumentHelp("The MNIST IDX files.", valueName: "dir"))
    var mnist: String = "../shared/datasets/mnist"
    @Option(help: "Search seeds, e.g. 0,1,2,3,4.")
    var seeds: String = "0,1,2,3,4"
    @Option(name: .customLong("run-cap"), help: "Trials per search.")
    var runCap: Int = 40
    @Option(help: "Epochs per trial.")
    var epochs: Int = 10
    @Option(help: "Worker processes.")
    var workers: Int = 2
    @Option(help: "Methods: random, tpe, tpe+asha (comma-separated).")
    var methods: String = "random,tpe,tpe+asha"
    @Option(name: .customLong("peer-python"), help: ArgumentHelp(
        "Also run the peer with this Python (one with torch, optuna and numpy) after each seed's searches, and compare.",
        valueName: "python"))
    var peerPython: String?
    @Option(name: .customLong("peer-script"), help: ArgumentHelp("The peer script.", valueName: "path"))
    var peerScript: String = "../shared/peers/search_stack.py"

    var seedList: [UInt64] { seeds.split(separator: ",").compactMap { UInt64($0) } }
    var methodList: [SearchBenchmark.Method] { methods.split(separator: ",").compactMap { SearchBenchmark.Method(rawValue: String($0)) } }

    func validate() throws {
        guard !seedList.isEmpty, seedList.count == seeds.split(separator: ",").count else {
            throw ValidationError("invalid --seeds '\(seeds)': expected non-negative integers such as 0,1,2")
        }
        guard !methodList.isEmpty, methodList.count == methods.split(separator: ",").count else {
            throw ValidationError("invalid --methods '\(methods)': expected random, tpe or tpe+asha")
        }
        guard runCap >= 1 else { throw ValidationError("invalid --run-cap \(runCap): must be at least 1") }
        guard epochs >= 1 else { throw ValidationError("invalid --epochs \(epochs): must be at least 1") }
        guard workers >= 1 else { throw ValidationError("invalid --workers \(workers): must be at least 1") }
        if peerPython != nil, !FileManager.default.fileExists(atPath: peerScript) {
            throw ValidationError("invalid --peer-script '\(peerScript)': no such file")
        }
    }

    func run() throws {
        try SearchBenchmark.run(
            mnistDirectory: mnist, seeds: seedList, runCap: runCap, epochs: epochs, workers: workers, methods: methodList,
            peerPython: peerPython, peerScript: peerScript
        ) { Console.line($0.text) }
    }
}
