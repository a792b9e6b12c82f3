import Export
import Foundation

/// `logbook export --format tensorboard --out DIR`.
enum ExportToTensorBoard {
    static func run(_ command: Export) throws {
        let store = try QuerySupport.openReadOnly(command.store)
        let out = command.out!
        let summary = try TensorBoardExport(store: store, notes: Console.error).export(command.selection, to: out)
        Console.line("wrote \(summary.runs) runs (\(summary.scalars) scalars) to \(out); view with: tensorboard --logdir \(out)")
    }
}
