import Engine
import Foundation

/// Shows a run's progress: on a terminal, one line redrawn in place (epoch, step, loss, samples/s, ETA); when
/// piped or with `quiet` off-terminal, one plain line per epoch. Flushes after every write so that lines from
/// several processes interleave in time.
final class ProgressDisplay: TrainingObserver {
    private let isTerminal: Bool
    private let quiet: Bool
    private var plannedSteps = 0
    private var stepsPerEpoch = 0
    private var epochs = 0
    private var startTime = 0.0
    private var lastDraw = 0.0
    private var batchSize = 0

    init(quiet: Bool = false, isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.quiet = quiet
        self.isTerminal = isTerminal
    }

    func handle(_ event: TrainingEvent) throws {
        guard !quiet else { return }
        switch event {
        case .started(let start):
            plannedSteps = start.plannedSteps
            stepsPerEpoch = start.stepsPerEpoch
            epochs = start.configuration.epochs
            batchSize = start.configuration.batchSize
            startTime = Date().timeIntervalSince1970
            let data = start.dataset
            Console.write(
                "training \(start.modelDescription) (\(start.parameterCount) parameters) on \(data.name): "
                    + "\(data.trainSize) train / \(data.validationSize) validation / \(data.testSize) test, "
                    + "\(stepsPerEpoch) steps per epoch\n")
        case .iteration(let iteration):
            guard isTerminal else { return }
            let now = Date().timeIntervalSince1970
            guard now - lastDraw >= 0.1 || iteration.step == plannedSteps else { return }
            lastDraw = now
            let elapsed = now - startTime
            let fraction = Double(iteration.step) / Double(max(plannedSteps, 1))
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let rate = Double(iteration.step * batchSize) / max(elapsed, 1e-9)
            let remaining = elapsed / max(fraction, 1e-9) - elapsed
            Console.write(
                "\r\u{1B}[2Kepoch \(iteration.epoch)/\(epochs) \(bar) step \(iteration.step)/\(plannedSteps) "
                    + "loss \(Format.number(Double(iteration.loss))) \(Format.integer(rate)) samples/s ETA \(Format.duration(remaining))")
        case .epoch(let epoch):
            var line = "epoch \(epoch.epoch)/\(epochs): train loss \(Format.number(epoch.trainLoss))"
            if let accuracy = epoch.trainAccuracy { line += " acc \(Format.percent(accuracy))" }
            if let loss = epoch.validationLoss { line += ", validation loss \(Format.number(loss))" }
            if let accuracy = epoch.validationAccuracy { line += " acc \(Format.percent(accuracy))" }
            line += ", \(Format.integer(epoch.samplesPerSecond)) samples/s, \(Format.number(epoch.seconds)) s"
            Console.write((isTerminal ? "\r\u{1B}[2K" : "") + line + "\n")
        case .evaluation(let evaluation):
            var line = "\(evaluation.split) (\(evaluation.sampleCount) samples): loss \(Format.number(evaluation.loss))"
            if let accuracy = evaluation.accuracy { line += ", accuracy \(Format.percent(accuracy))" }
            if let error = evaluation.meanSquaredError { line += ", MSE \(Format.number(error))" }
            if let error = evaluation.meanAbsoluteError { line += ", MAE \(Format.number(error))" }
            if let r2 = evaluation.rSquared { line += ", R² \(Format.number(r2))" }
            Console.write(line + "\n")
        case .finished(let finished):
            var line = "finished: \(finished.reason.rawValue) after \(finished.epochsCompleted) epochs, "
                + "\(finished.stepsCompleted) steps, \(Format.number(finished.seconds)) s"
            if let detail = finished.detail { line += " (\(detail))" }
            Console.write((isTerminal ? "\r\u{1B}[2K" : "") + line + "\n")
        case .weights:
            break
        }
    }
}

/// Number formatting shared by the terminal output.
enum Format {
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value != 0 && (abs(value) < 1e-3 || abs(value) >= 1e6) { return String(format: "%.3e", value) }
        return String(format: "%.4f", value)
    }

    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

    static func integer(_ value: Double) -> String { value.isFinite ? String(Int(value.rounded())) : "–" }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
