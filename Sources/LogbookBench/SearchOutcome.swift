import Foundation

/// What one search (a method or the peer, one search seed) ended with: the best validation accuracy of a completed
/// trial, that trial's test accuracy, the epochs trained by all trials, the wall seconds and the trial counts.
struct SearchOutcome: Sendable {
    /// The chosen trial's validation accuracy at its last epoch (the search's metric).
    var bestValidationAccuracy: Double
    /// The chosen trial's test accuracy: reported, never used to choose.
    var testAccuracy: Double
    /// Epochs trained by all trials together, pruned ones included.
    var epochsTrained: Int
    /// Wall seconds of the whole search.
    var seconds: Double
    /// Trials that trained every epoch, and trials stopped early.
    var completed: Int, pruned: Int

    /// The fields every per-seed line carries, after its `bench`, `method` and `search_seed`.
    func appendFields(to line: inout JSONLine) {
        line.append("best_validation_accuracy", bestValidationAccuracy)
        line.append("test_accuracy", testAccuracy)
        line.append("epochs_trained", epochsTrained)
        line.append("seconds", seconds)
        line.append("completed", completed)
        line.append("pruned", pruned)
    }

    /// The medians over several seeds' outcomes: `median_best_validation_accuracy`, `median_test_accuracy` (the
    /// median of the chosen trials' test accuracies), `median_epochs_trained`, `median_seconds`.
    static func appendMedians(of outcomes: [SearchOutcome], to line: inout JSONLine) {
        line.append("median_best_validation_accuracy", BenchStatistics.median(outcomes.map(\.bestValidationAccuracy)))
        line.append("median_test_accuracy", BenchStatistics.median(outcomes.map(\.testAccuracy)))
        line.append("median_epochs_trained", BenchStatistics.median(outcomes.map { Double($0.epochsTrained) }))
        line.append("median_seconds", BenchStatistics.median(outcomes.map(\.seconds)))
    }
}

/// The peer of `bench search`: `PYTHON SCRIPT --search-seed S --mnist DIR --run-cap N --epochs E --workers W`
/// (`../shared/peers/search_stack.py`: Optuna's TPE sampler with successive halving driving PyTorch), run as a child
/// process; its one JSON line read back as a `SearchOutcome`.
struct SearchPeer: Sendable {
    let python: String
    let script: String

    func run(seed: UInt64, mnist: String, runCap: Int, epochs: Int, workers: Int) throws -> (outcome: SearchOutcome, name: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            script, "--search-seed", "\(seed)", "--mnist", mnist, "--run-cap", "\(runCap)", "--epochs", "\(epochs)",
            "--workers", "\(workers)",
        ]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { throw BenchError("bench search --peer-python: cannot start '\(python)': \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("bench search: the peer '\(script)' failed (exit \(process.terminationStatus)) on search seed \(seed)")
        }
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any],
            let best = object["best_validation_accuracy"] as? Double, let wall = object["wall_s"] as? Double,
            let epochsTrained = object["epochs_trained"] as? Int
        else { throw BenchError("bench search: the peer printed no result line on search seed \(seed): \(lastLine.prefix(200))") }
        let outcome = SearchOutcome(
            bestValidationAccuracy: best, testAccuracy: object["test_accuracy_of_best"] as? Double ?? .nan,
            epochsTrained: epochsTrained, seconds: wall, completed: object["trials_completed"] as? Int ?? 0,
            pruned: object["trials_pruned"] as? Int ?? 0)
        return (outcome, object["peer"] as? String ?? "peer")
    }
}
