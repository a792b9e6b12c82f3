import ArgumentParser
import Engine
import Foundation
import Store
import Sweep

/// `logbook train`: trains one network and records the run in the store.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a network and record the run.",
        discussion: """
            Follows the classic procedure: initialize → feedforward → loss → backpropagation → update, over \
            mini-batches (⌈N/B⌉ iterations per epoch), until the epochs run out or a stopping criterion is met. Every \
            iteration's loss, every epoch's metrics, the test evaluation and the initial and final weights are \
            recorded with the exact configuration and seed.

            Example: logbook train --data digits --layers 64-128-10 --init he-uniform --batch-size 32 --lr 0.1 --momentum 0.9 --epochs 20 --seed 1
            """)

    @OptionGroup var training: TrainingOptions
    @OptionGroup var store: StoreOptions

    @Option(help: "A name for the run (default: run-ID).")
    var name: String?
    @Flag(name: .customLong("no-record"), help: "Train without recording to the store.")
    var noRecord = false
    @Flag(help: "Print nothing but errors and the final line.")
    var quiet = false

    func run() throws {
        let configuration = try training.configuration()
        var stopRequested = false
        let display = ProgressDisplay(quiet: quiet)
        if noRecord {
            let trainer = try Trainer(configuration: configuration)
            trainer.initializationNotes.forEach(Console.error)
            trainer.observers.append(display)
            let result = try trainer.run()
            report(result, runID: nil)
            return
        }
        // Everything that can be checked is checked before a run row is written (the store is opened first only
        // when the weights of an earlier run are needed).
        var source: (any LogbookStoring)?
        if case .run = configuration.initializer { source = try self.store.open() }
        let pretrained = try source.flatMap { try RecordedTraining.pretrainedWeights(for: configuration, in: $0) }
        let trainer = try Trainer(configuration: configuration, pretrainedWeights: pretrained?.tensors)
        trainer.initializationNotes.forEach(Console.error)
        let store = try source ?? self.store.open()
        let runID = try store.createRun(
            configuration, name: name, parentRunID: pretrained?.sourceRunID, status: .running)
        let interrupt = StopFlag()
        interrupt.catchSignals()
        trainer.shouldStop = { interrupt.isRaised }
        do {
            let result = try RecordedTraining.train(trainer, into: runID, store: store) { recorder in [recorder, display] }
            stopRequested = result.finished.reason == .interrupted
            report(result, runID: runID)
        } catch {
            try? store.markRunFailed(runID, message: String(describing: error))
            throw error
        }
        if stopRequested { throw ExitCode(130) }
    }

    private func report(_ result: TrainingResult, runID: Int64?) {
        var line = runID.map { "run \($0)" } ?? "run (not recorded)"
        line += ": \(result.finished.reason.rawValue)"
        if let test = result.test {
            if let accuracy = test.accuracy { line += ", test accuracy \(Format.percent(accuracy))" }
            line += ", test loss \(Format.number(test.loss))"
        }
        Console.line(line)
    }
}
