import ArgumentParser
import Engine
import Foundation
import Store
import Sweep

/// `logbook rerun RUN`: re-executes a recorded run from its stored configuration and seed, records it as a new run
/// (parent: the original), and compares the two loss sequences bit for bit.
struct Rerun: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run a recorded run from its stored configuration and check the losses are bit-identical.",
        discussion: """
            Prints `identical: N/N steps` when every iteration loss matches the original's bit pattern (NaN matches \
            NaN); otherwise the number of matching steps and the first difference, and exits with status 1.
            """)

    @Argument(help: ArgumentHelp("The id of the run to re-execute.", valueName: "run"))
    var runID: Int64
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print nothing but the final line.")
    var quiet = false

    func run() throws {
        let store = try self.store.open()
        let original = try store.run(id: runID)
        let originalLosses = try store.lossCurve(run: runID)
        let configuration = original.configuration
        let pretrained = try RecordedTraining.pretrainedWeights(for: configuration, in: store)
        let trainer = try Trainer(configuration: configuration, pretrainedWeights: pretrained?.tensors)
        trainer.initializationNotes.forEach(Console.error)
        let newRunID = try store.createRun(configuration, name: "rerun-of-\(runID)", parentRunID: runID, status: .running)
        let result: TrainingResult
        do {
            result = try RecordedTraining.train(trainer, into: newRunID, store: store) { recorder in
                quiet ? [recorder] : [recorder, ProgressDisplay(quiet: false)]
            }
        } catch {
            try? store.markRunFailed(newRunID, message: String(describing: error))
            throw error
        }
        let comparison = LossComparison(original: originalLosses, rerun: result.losses)
        Console.line("run \(newRunID) re-ran run \(runID): " + comparison.summary)
        if !comparison.isIdentical { throw ExitCode(1) }
    }
}

/// Bit-for-bit comparison of two loss sequences (NaN equals NaN: the store keeps NaN as NULL, without payload).
struct LossComparison: Equatable {
    var matching: Int
    var total: Int
    var firstDifference: (step: Int, original: Float?, rerun: Float?)?

    init(original: [Float], rerun: [Float]) {
        total = max(original.count, rerun.count)
        matching = 0
        for index in 0..<total {
            let left = index < original.count ? original[index] : nil
            let right = index < rerun.count ? rerun[index] : nil
            let same: Bool
            if let left, let right {
                same = left.bitPattern == right.bitPattern || (left.isNaN && right.isNaN)
            } else {
                same = false
            }
            if same { matching += 1 } else if firstDifference == nil { firstDifference = (index + 1, left, right) }
        }
    }

    var isIdentical: Bool { matching == total && total > 0 }

    var summary: String {
        if isIdentical { return "identical: \(matching)/\(total) steps" }
        guard let difference = firstDifference else { return "nothing to compare: no iterations recorded" }
        func describe(_ value: Float?) -> String { value.map { "\($0)" } ?? "missing" }
        return "different: \(matching)/\(total) steps identical; first difference at step \(difference.step) "
            + "(original \(describe(difference.original)), rerun \(describe(difference.rerun)))"
    }

    static func == (lhs: LossComparison, rhs: LossComparison) -> Bool {
        lhs.matching == rhs.matching && lhs.total == rhs.total && lhs.firstDifference?.step == rhs.firstDifference?.step
    }
}
